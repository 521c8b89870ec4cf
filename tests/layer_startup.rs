//! What the App-level layer says and does when the App starts: the inventory of its routes,
//! and a refusal to start when a route's full path cannot be known.

use actix_service::IntoServiceFactory;
use actix_web::dev::{AppConfig, ServiceFactory};
use actix_web::test::{call_service, init_service};
use actix_web::{get, put, web, App, HttpResponse, Responder};
use static_cors::cors;

mod support;
use support::LOG;

#[cors(origins = ["https://app.example.com"])]
#[get("/lost")]
async fn lost() -> impl Responder {
    HttpResponse::Ok()
}

const LOST_LINE: u32 = line!() - 4;

#[cors(
    origins = [
        "https://a.example.com",
        "https://b.example.com",
        "https://*.c.example.com",
        "https://d.example.com",
        "https://e.example.com"
    ],
    methods = [GET, PUT]
)]
#[actix_web::route("/items/{id}", method = "GET", method = "PUT", method = "DELETE")]
async fn item() -> impl Responder {
    HttpResponse::Ok()
}

const ITEM_LINE: u32 = line!() - 4;

#[put("/plain")]
async fn plain() -> impl Responder {
    HttpResponse::Ok()
}

/// One test, so the logger is installed once and the lines are this test's.
#[actix_web::test]
async fn startup_reports_every_route_and_refuses_a_route_it_cannot_place() {
    log::set_logger(&LOG).expect("first logger");
    log::set_max_level(log::LevelFilter::Info);

    // A `#[cors]` route in a plain `web::scope`: the App does not start.
    let app = App::new()
        .service(web::scope("/api").service(lost))
        .wrap(static_cors::Cors::default());
    let started = app.into_factory().new_service(AppConfig::default()).await;
    assert!(started.is_err(), "the App must not start");
    let errors = LOG.at(log::Level::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    let location = format!("tests/layer_startup.rs:{LOST_LINE}");
    for part in [
        "`lost`",
        &location,
        "`/lost`",
        "web::scope",
        "static_cors::scope",
    ] {
        assert!(error.contains(part), "{part:?} missing from: {error}");
    }

    // A `static_cors::scope` inside a plain one cannot know its prefix either, and says so.
    let app = App::new()
        .service(web::scope("/outer").service(static_cors::scope("/inner").service(item)))
        .wrap(static_cors::Cors::default());
    let started = app.into_factory().new_service(AppConfig::default()).await;
    assert!(started.is_err(), "the App must not start");
    let errors = LOG.at(log::Level::Error);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[1].contains("in a `static_cors::scope` that sits inside a `web::scope`"),
        "{}",
        errors[1]
    );

    // Without the layer the same App starts, and the route answers its own preflights.
    let app = init_service(App::new().service(web::scope("/api").service(lost))).await;
    let res = call_service(
        &app,
        actix_web::test::TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/lost")
            .insert_header(("origin", "https://app.example.com"))
            .insert_header(("access-control-request-method", "GET"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), actix_web::http::StatusCode::NO_CONTENT);

    // Placed with `static_cors::scope`, it starts, and the inventory lists every route once.
    for _worker in 0..2 {
        init_service(
            App::new()
                .service(static_cors::scope("/api").service(lost).service(plain))
                .service(item)
                .wrap(static_cors::Cors::default()),
        )
        .await;
    }
    let inventory = LOG.at(log::Level::Info);
    assert_eq!(
        inventory,
        [
            format!("GET /api/lost -> lost ({location}), origins: https://app.example.com"),
            format!(
                "GET, PUT /items/{{id}} -> item (tests/layer_startup.rs:{ITEM_LINE}), origins: \
                 https://a.example.com, https://b.example.com, https://*.c.example.com and 2 more"
            ),
        ],
        "one line per `#[cors]` route, logged once however many workers build the App"
    );
}
