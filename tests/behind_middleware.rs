//! The App-level layer (`static_cors::Cors`) in apps whose middleware answers before routing:
//! real `actix-web-httpauth` bearer authentication on a scope and on the App, and a
//! `middleware::from_fn` rate limiter.

mod support;

use std::cell::Cell;
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::test::{self, TestRequest};
use actix_web::{get, guard, put, route, routes, web, App, Error, HttpResponse, Responder};
use actix_web_httpauth::extractors::bearer::BearerAuth;
use actix_web_httpauth::middleware::HttpAuthentication;
use static_cors::{cors, cors_scope};
use support::*;

const TOKEN: &str = "let-me-in";

thread_local! {
    /// How often the validator ran on this test's thread.
    static VALIDATIONS: Cell<usize> = const { Cell::new(0) };
}

async fn validator(
    req: ServiceRequest,
    credentials: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    VALIDATIONS.set(VALIDATIONS.get() + 1);
    if credentials.token() == TOKEN {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("bad token"), req))
    }
}

fn validations() -> usize {
    VALIDATIONS.get()
}

#[cors(origins = ["https://app.example.com"], expose = ["x-request-id"])]
#[get("/items/{id}")]
async fn get_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "7"))
        .body(format!("item {id}"))
}

#[cors(
    origins = ["https://app.example.com"],
    headers = ["authorization", "content-type"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600
)]
#[put("/items/{id}")]
async fn update_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(format!("updated {id}"))
}

/// The API of the issue: bearer authentication on a `static_cors::scope`.
fn api_behind_scope_auth() -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .service(
            static_cors::scope("/api")
                .wrap(HttpAuthentication::bearer(validator))
                .service(get_item)
                .service(update_item),
        )
        .wrap(static_cors::Cors::default())
}

fn put_preflight() -> TestRequest {
    preflight(
        "/api/items/7",
        APP,
        "PUT",
        Some("authorization,content-type"),
    )
}

#[actix_web::test]
async fn preflight_under_scope_authentication_is_answered_before_the_validator() {
    let app = test::init_service(api_behind_scope_auth()).await;
    let res = test::call_service(&app, put_preflight().to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        get(&res, "access-control-allow-methods").as_deref(),
        Some("PUT")
    );
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("authorization, content-type")
    );
    assert_eq!(
        get(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(get(&res, "access-control-max-age").as_deref(), Some("600"));
    assert_eq!(
        validations(),
        0,
        "the preflight never reached the validator"
    );
}

#[actix_web::test]
async fn unauthenticated_cross_origin_put_gets_a_readable_401() {
    let app = test::init_service(api_behind_scope_auth()).await;
    let res = test::call_service(&app, actual(Method::PUT, "/api/items/7", APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        get(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert_eq!(
        get(&res, "access-control-expose-headers").as_deref(),
        Some("x-request-id")
    );
    assert_eq!(all(&res, "vary"), ["Origin"]);
    assert!(
        get(&res, "www-authenticate").is_some(),
        "the 401 is httpauth's own"
    );
}

#[actix_web::test]
async fn a_rejection_for_a_refused_origin_stays_unreadable() {
    let app = test::init_service(api_behind_scope_auth()).await;
    let res =
        test::call_service(&app, actual(Method::PUT, "/api/items/7", EVIL).to_request()).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert_eq!(all(&res, "vary"), ["Origin"]);
}

#[actix_web::test]
async fn authenticated_put_gets_the_routes_own_headers_once() {
    let app = test::init_service(api_behind_scope_auth()).await;
    let res = test::call_service(
        &app,
        actual(Method::PUT, "/api/items/7", APP)
            .insert_header(("authorization", format!("Bearer {TOKEN}")))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(all(&res, "access-control-allow-origin"), [APP]);
    assert_eq!(all(&res, "vary"), ["Origin"], "not decorated twice");
    assert_eq!(body(res).await, "updated 7");
}

#[actix_web::test]
async fn a_request_without_origin_is_left_alone() {
    let app = test::init_service(api_behind_scope_auth()).await;
    let res = test::call_service(&app, TestRequest::put().uri("/api/items/7").to_request()).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert!(get(&res, "vary").is_none());
}

#[actix_web::test]
async fn preflight_under_app_authentication_is_answered_before_the_validator() {
    let app = test::init_service(
        App::new()
            .service(get_item)
            .service(update_item)
            .wrap(HttpAuthentication::bearer(validator))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(
        &app,
        preflight("/items/7", APP, "PUT", Some("authorization")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    let res = test::call_service(
        &app,
        actual(Method::GET, "/items/7", APP)
            .insert_header(("authorization", "Bearer wrong"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(
        get(&res, "access-control-allow-credentials"),
        None,
        "GET's policy: no credentials"
    );
    assert_eq!(
        validations(),
        1,
        "the validator refused the GET; it never saw the preflight"
    );
}

/// A rate limiter that lets no request through and answers before routing.
async fn exhausted_rate_limit(
    req: ServiceRequest,
    _next: Next<impl MessageBody>,
) -> Result<ServiceResponse, Error> {
    Ok(req.into_response(
        HttpResponse::TooManyRequests()
            .insert_header(("retry-after", "30"))
            .finish(),
    ))
}

#[actix_web::test]
async fn a_rate_limiters_429_is_readable_and_preflights_pass_it() {
    let app = test::init_service(
        App::new()
            .service(update_item)
            .wrap(from_fn(exhausted_rate_limit))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(&app, actual(Method::PUT, "/items/3", APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(get(&res, "retry-after").as_deref(), Some("30"));
    let res = test::call_service(&app, preflight("/items/3", APP, "PUT", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

thread_local! {
    static OPEN_RUNS: Cell<usize> = const { Cell::new(0) };
}

#[actix_web::test]
async fn no_handler_runs_unauthenticated_for_a_preflight_it_did_not_declare() {
    let app = test::init_service(
        App::new()
            .service(update_item)
            // Guard-less: it serves every method, OPTIONS included.
            .service(web::resource("/open").to(|| async {
                OPEN_RUNS.set(OPEN_RUNS.get() + 1);
                HttpResponse::Ok().body("open")
            }))
            .wrap(HttpAuthentication::bearer(validator))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    for (path, method) in [
        ("/open", "GET"),
        ("/items/1", "DELETE"),
        ("/elsewhere", "PUT"),
    ] {
        let res = test::call_service(&app, preflight(path, APP, method, None).to_request()).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(cors_headers(&res), Vec::<String>::new(), "{method} {path}");
    }
    assert_eq!(OPEN_RUNS.get(), 0);
}

mod v1 {
    use super::*;

    #[cors(origins = ["https://v1.example.com"])]
    #[get("/thing")]
    pub async fn thing() -> impl Responder {
        HttpResponse::Ok().body("v1")
    }
}

mod v2 {
    use super::*;

    #[cors(origins = ["https://v2.example.com"], headers = ["x-v2"])]
    #[get("/thing")]
    pub async fn thing() -> impl Responder {
        HttpResponse::Ok().body("v2")
    }
}

#[actix_web::test]
async fn one_relative_path_in_two_scopes_keeps_each_policy() {
    let app = test::init_service(
        App::new()
            .service(static_cors::scope("/v1").service(v1::thing))
            .service(static_cors::scope("/v2").service(v2::thing))
            .wrap(HttpAuthentication::bearer(validator))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    for (path, origin, granted) in [
        ("/v1/thing", "https://v1.example.com", true),
        ("/v1/thing", "https://v2.example.com", false),
        ("/v2/thing", "https://v2.example.com", true),
        ("/v2/thing", "https://v1.example.com", false),
    ] {
        let res = test::call_service(&app, preflight(path, origin, "GET", None).to_request()).await;
        let allowed = get(&res, "access-control-allow-origin");
        assert_eq!(allowed.is_some(), granted, "{origin} on {path}");
        let expected = if granted {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(res.status(), expected, "{origin} on {path}");
    }
    let res = test::call_service(
        &app,
        preflight("/v2/thing", "https://v2.example.com", "GET", Some("x-v2")).to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-headers").as_deref(),
        Some("x-v2")
    );
}

#[cors(origins = ["https://app.example.com"], methods = [GET])]
#[route("/caps", method = "GET", method = "OPTIONS")]
async fn capabilities() -> impl Responder {
    HttpResponse::Ok().body("capabilities")
}

#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]
#[put("/caps")]
async fn put_capabilities() -> impl Responder {
    HttpResponse::Ok().body("put")
}

#[actix_web::test]
async fn a_route_serving_options_does_not_take_its_siblings_preflights() {
    for layer in [false, true] {
        let app = App::new().service(capabilities).service(put_capabilities);
        let app = test::init_service(app.wrap(actix_web::middleware::Condition::new(
            layer,
            static_cors::Cors::default(),
        )))
        .await;
        let res = test::call_service(
            &app,
            preflight("/caps", APP, "PUT", Some("content-type")).to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "layer: {layer}");
        assert_eq!(
            get(&res, "access-control-allow-methods").as_deref(),
            Some("PUT")
        );
        let res =
            test::call_service(&app, actual(Method::OPTIONS, "/caps", APP).to_request()).await;
        assert_eq!(
            body(res).await,
            "capabilities",
            "a plain OPTIONS still reaches it"
        );
    }
}

#[cors(origins = ["https://app.example.com"])]
#[get("/orders/{id:\\d+}")]
async fn order_by_number() -> impl Responder {
    HttpResponse::Ok().body("by number")
}

#[cors(origins = ["https://other.example.com"])]
#[get("/orders/{name}")]
async fn order_by_name() -> impl Responder {
    HttpResponse::Ok().body("by name")
}

#[cors(origins = ["https://app.example.com"])]
#[routes]
#[get("/reports")]
#[get("/reports/{year}/latest")]
async fn reports() -> impl Responder {
    HttpResponse::Ok().body("reports")
}

#[cors_scope(origins = ["https://admin.example.com"])]
mod admin {
    use super::*;

    #[get("/users")]
    pub async fn users() -> impl Responder {
        HttpResponse::Ok().body("users")
    }
}

#[actix_web::scope("/modules")]
mod module_scope {
    use super::*;

    #[cors(origins = ["https://app.example.com"])]
    #[get("/inside")]
    pub async fn inside() -> impl Responder {
        HttpResponse::Ok().body("inside")
    }
}

#[cors(origins = ["https://app.example.com"])]
#[get("/things/{id}")]
async fn any_thing() -> impl Responder {
    HttpResponse::Ok().body("any thing")
}

#[cors(origins = ["https://other.example.com"])]
#[get("/things/new")]
async fn new_thing() -> impl Responder {
    HttpResponse::Ok().body("new thing")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/gadgets/new")]
async fn new_gadget() -> impl Responder {
    HttpResponse::Ok().body("new gadget")
}

#[cors(origins = ["https://other.example.com"])]
#[get("/gadgets/{id}")]
async fn any_gadget() -> impl Responder {
    HttpResponse::Ok().body("any gadget")
}

fn configured(cfg: &mut web::ServiceConfig) {
    cfg.service(get_item);
}

/// Every way of registering a `#[cors]` route, behind App-level authentication.
fn every_registration(
    layer: bool,
) -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .service(
            static_cors::scope("/shop")
                .guard(guard::Host("shop.test"))
                .service(
                    static_cors::scope("/{tenant}")
                        .service(order_by_number)
                        .service(order_by_name),
                ),
        )
        .service(static_cors::scope("/admin").configure(|cfg| {
            cfg.service(admin::users);
        }))
        .service(reports)
        .service(module_scope::inside)
        // Registered first, the dynamic route takes `/things/new` from the static one.
        .service(any_thing)
        .service(new_thing)
        // And the other way round.
        .service(new_gadget)
        .service(any_gadget)
        .configure(configured)
        .wrap(actix_web::middleware::Condition::new(
            layer,
            HttpAuthentication::bearer(validator),
        ))
        .wrap(actix_web::middleware::Condition::new(
            layer,
            static_cors::Cors::default(),
        ))
}

/// Preflights to every registration form: the layer (behind authentication) answers each
/// exactly as the route itself does in an app without middleware.
#[actix_web::test]
async fn the_layer_answers_every_registration_form_as_the_route_does() {
    let with_layer = test::init_service(every_registration(true)).await;
    let routes_only = test::init_service(every_registration(false)).await;
    let requests = [
        ("/shop/acme/orders/42", APP, "GET"),
        ("/shop/acme/orders/42", "https://other.example.com", "GET"),
        ("/shop/acme/orders/ada", "https://other.example.com", "GET"),
        ("/shop/acme/orders/ada", APP, "GET"),
        ("/shop/acme/orders/42", APP, "get"),
        ("/admin/users", "https://admin.example.com", "GET"),
        ("/admin/users", APP, "GET"),
        ("/reports", APP, "GET"),
        ("/reports/2026/latest", APP, "GET"),
        ("/reports/2026/latest", EVIL, "GET"),
        ("/modules/inside", APP, "GET"),
        ("/items/9", APP, "GET"),
        ("/things/new", APP, "GET"),
        ("/things/new", "https://other.example.com", "GET"),
        ("/gadgets/new", APP, "GET"),
        ("/gadgets/new", "https://other.example.com", "GET"),
        ("/gadgets/7", "https://other.example.com", "GET"),
    ];
    for (path, origin, method) in requests {
        let request = || {
            preflight(path, origin, method, Some("x-unlisted"))
                .insert_header(("host", "shop.test"))
                .to_request()
        };
        let routed = test::call_service(&routes_only, request()).await;
        let layered = test::call_service(&with_layer, request()).await;
        assert_ne!(
            routed.status(),
            StatusCode::NOT_FOUND,
            "{method} {path}: routed"
        );
        assert_eq!(
            layered.status(),
            routed.status(),
            "{method} {path} from {origin}"
        );
        assert_eq!(
            header_lines(&layered),
            header_lines(&routed),
            "{method} {path} from {origin}"
        );
        assert_eq!(body(layered).await, body(routed).await, "{method} {path}");
    }
    assert_eq!(validations(), 0);
}

#[actix_web::test]
async fn a_scope_guard_that_refuses_keeps_the_preflight_from_the_layer() {
    let app = test::init_service(every_registration(true)).await;
    let res = test::call_service(
        &app,
        preflight("/shop/acme/orders/42", APP, "GET", None)
            .insert_header(("host", "elsewhere.test"))
            .to_request(),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "passed on to authentication"
    );
}

/// Every header of a response but `date`, as `name: value` lines in order.
fn header_lines<B>(res: &ServiceResponse<B>) -> Vec<String> {
    let mut lines: Vec<String> = res
        .headers()
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| format!("{name}: {}", value.to_str().expect("ascii")))
        .collect();
    lines.sort();
    lines
}

#[actix_web::test]
async fn without_the_layer_nothing_changes() {
    let app = test::init_service(App::new().service(web::scope("/api").service(update_item))).await;
    let res = test::call_service(
        &app,
        preflight("/api/items/7", APP, "PUT", Some("content-type")).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn the_layers_preflight_answer_is_the_only_one() {
    let answered = Rc::new(Cell::new(0));
    let counter = Rc::clone(&answered);
    let app = test::init_service(
        App::new()
            .service(update_item)
            .wrap_fn(move |req, srv| {
                counter.set(counter.get() + 1);
                srv.call(req)
            })
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(&app, preflight("/items/1", APP, "PUT", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(answered.get(), 0, "nothing inside the layer ran");
}

async fn not_cors() -> HttpResponse {
    HttpResponse::Ok().body("no policy here")
}

#[actix_web::test]
async fn a_response_of_a_route_without_cors_is_never_decorated() {
    let app = test::init_service(
        App::new()
            // Registered first, this plain route takes the GETs of the `#[cors]` one.
            .route("/items/{id}", web::get().to(not_cors))
            .service(get_item)
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(&app, actual(Method::GET, "/items/1", APP).to_request()).await;
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert_eq!(body(res).await, "no policy here");
}

/// Stands for any middleware that turns every request away before routing.
async fn deny(
    req: ServiceRequest,
    _next: Next<impl MessageBody>,
) -> Result<ServiceResponse, Error> {
    Ok(req.into_response(HttpResponse::Unauthorized().finish()))
}

#[cors(origins = ["https://app.example.com"])]
#[put("/secret")]
async fn secret() -> impl Responder {
    HttpResponse::Ok().body("secret")
}

#[actix_web::test]
async fn a_layer_never_takes_the_routes_of_another_app() {
    // An App built earlier, whose factory is still alive, with a `#[cors]` route.
    let other = App::new().service(secret);
    let other_factory = actix_service::IntoServiceFactory::into_factory(other);
    let _other = actix_web::dev::ServiceFactory::new_service(
        &other_factory,
        actix_web::dev::AppConfig::default(),
    )
    .await
    .expect("the other App starts");
    // This App has no `#[cors]` route on that path: its layer must know nothing of it.
    let app = test::init_service(
        App::new()
            .route("/secret", web::put().to(not_cors))
            .wrap(from_fn(deny))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(&app, preflight("/secret", APP, "PUT", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    let res = test::call_service(&app, actual(Method::PUT, "/secret", APP).to_request()).await;
    assert_eq!(cors_headers(&res), Vec::<String>::new());
}

#[actix_web::test]
async fn one_layer_value_serves_every_app_it_is_cloned_into() {
    // As with `let cors = Cors::default(); HttpServer::new(move || App::new()...wrap(cors.clone()))`.
    let cors = static_cors::Cors::default();
    for _worker in 0..2 {
        let app = test::init_service(
            App::new()
                .service(update_item)
                .wrap(from_fn(deny))
                .wrap(cors.clone()),
        )
        .await;
        let res =
            test::call_service(&app, preflight("/items/1", APP, "PUT", None).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
}

#[cors(origins = ["https://app.example.com"])]
#[get("")]
async fn collection() -> impl Responder {
    HttpResponse::Ok().body("collection")
}

#[actix_web::test]
async fn a_rejection_of_a_scopes_own_path_is_readable() {
    let app = test::init_service(
        App::new()
            .service(
                static_cors::scope("/api")
                    .wrap(from_fn(deny))
                    .service(collection),
            )
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(&app, actual(Method::GET, "/api", APP).to_request()).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[actix_web::test]
async fn a_route_reached_with_nothing_left_to_route_is_not_decorated_again() {
    let app = test::init_service(
        App::new()
            .service(static_cors::scope("/api").service(collection))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = test::call_service(&app, actual(Method::GET, "/api", APP).to_request()).await;
    assert_eq!(all(&res, "access-control-allow-origin"), [APP]);
    assert_eq!(all(&res, "vary"), ["Origin"]);
}

fn is_json(ctx: &guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes() == b"application/json")
}

#[cors(origins = ["https://app.example.com"], credentials = true)]
#[get("/guarded", guard = "is_json")]
async fn guarded() -> impl Responder {
    HttpResponse::Ok().body("guarded")
}

async fn app_shell() -> HttpResponse {
    HttpResponse::Ok().body("<html>the app shell</html>")
}

#[actix_web::test]
async fn a_fallback_answering_for_a_request_a_guard_turned_away_stays_unreadable() {
    let app = test::init_service(
        App::new()
            .service(
                static_cors::scope("/api")
                    .guard(guard::Host("api.test"))
                    .service(get_item),
            )
            .service(guarded)
            .default_service(web::to(app_shell))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    // The scope's guard refuses another host; the route's guard a request without JSON.
    let requests = [
        actual(Method::GET, "/api/items/1", APP).insert_header(("host", "other.test")),
        actual(Method::GET, "/guarded", APP),
    ];
    for request in requests {
        let res = test::call_service(&app, request.to_request()).await;
        assert_eq!(cors_headers(&res), Vec::<String>::new());
        assert_eq!(body(res).await, "<html>the app shell</html>");
    }
    // Let in, the route answers as usual.
    let res = test::call_service(
        &app,
        actual(Method::GET, "/guarded", APP)
            .insert_header(("content-type", "application/json"))
            .to_request(),
    )
    .await;
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[cors(origins = ["https://app.example.com"])]
#[put("/api/items")]
async fn shadowed_put() -> impl Responder {
    HttpResponse::Ok().body("never reached")
}

#[cors(origins = ["https://app.example.com"])]
#[get("/items")]
async fn scoped_items() -> impl Responder {
    HttpResponse::Ok().body("items")
}

#[actix_web::test]
async fn a_route_a_scope_registered_before_it_hides_gets_no_preflight_answer() {
    // The router gives every `/api/...` path to the scope, which has no PUT: the root PUT route
    // is never reached, so the layer must not answer its preflights either.
    let app = |layer| {
        App::new()
            .service(static_cors::scope("/api").service(scoped_items))
            .service(shadowed_put)
            .wrap(actix_web::middleware::Condition::new(
                layer,
                static_cors::Cors::default(),
            ))
    };
    let routed = test::init_service(app(false)).await;
    let layered = test::init_service(app(true)).await;
    let request = || preflight("/api/items", APP, "PUT", None).to_request();
    let routed = test::call_service(&routed, request()).await;
    let layered = test::call_service(&layered, request()).await;
    assert_eq!(routed.status(), StatusCode::NOT_FOUND);
    assert_eq!(layered.status(), routed.status());
    assert_eq!(cors_headers(&layered), Vec::<String>::new());
}

#[actix_web::test]
async fn a_preflight_the_layer_passes_on_is_not_decorated() {
    let app = test::init_service(
        App::new()
            .service(capabilities)
            .wrap(from_fn(deny))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    // `/caps` serves GET and OPTIONS, not PUT: the layer passes this preflight on.
    let res = test::call_service(&app, preflight("/caps", APP, "PUT", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(cors_headers(&res), Vec::<String>::new());
    assert_eq!(
        get(&res, "vary"),
        None,
        "left as the middleware answered it"
    );
}
