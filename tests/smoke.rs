use actix_web::{route, test, App, HttpResponse, Responder};
use static_cors::cors;

#[cors(origins = ["https://app.example.com", "https://*.example.org"], headers = ["content-type", "x-token"], expose = ["x-request-id"], credentials = true, max_age = 600)]
#[route("/items/{id}", method = "GET", method = "PUT", method = "DELETE")]
async fn item() -> impl Responder {
    HttpResponse::Ok().body("hi")
}

#[actix_web::test]
async fn smoke() {
    let app = test::init_service(App::new().service(item)).await;
    let req = test::TestRequest::get().uri("/items/1").insert_header(("origin", "https://a.example.org")).to_request();
    let res = test::call_service(&app, req).await;
    println!("{:?}", res.headers());
    let req = test::TestRequest::default().method(actix_web::http::Method::OPTIONS).uri("/items/1").insert_header(("origin", "https://app.example.com")).insert_header(("access-control-request-method", "PUT")).insert_header(("access-control-request-headers", "x-token")).to_request();
    let res = test::call_service(&app, req).await;
    println!("{} {:?}", res.status(), res.headers());

}
