//! The API behind authentication, as real apps build it: `#[cors]` routes in a
//! `static_cors::scope` guarded by real `actix-web-httpauth` bearer authentication, and the App
//! wrapped in the `static_cors::Cors` layer, which answers their preflights before the
//! authentication runs and makes its `401`s readable.
//!
//! Besides the request log it shares with [`crate::api`], it counts per case the requests that
//! reached the authentication middleware and the calls of its validator, so a case can show
//! that no preflight ever did.

use std::collections::BTreeMap;
use std::sync::Mutex;

use actix_web::dev::{Service, ServiceRequest};
use actix_web::middleware::DefaultHeaders;
use actix_web::{get, put, web, App, Error, HttpRequest, HttpResponse, HttpServer, Responder};
use actix_web_httpauth::extractors::bearer::{self, BearerAuth};
use actix_web_httpauth::extractors::AuthenticationError;
use actix_web_httpauth::middleware::HttpAuthentication;
use static_cors::cors;

use crate::api::{SAFELISTED, UNEXPOSED};

/// The authenticated API's address; page origins call it cross-origin.
pub const ADDR: &str = "127.0.0.1:9304";

/// The one bearer token the validator accepts.
pub const TOKEN: &str = "suite-token";

/// What [`COUNTS`] counts: a request that reached the authentication middleware.
const AUTHENTICATION: &str = "authentication";
/// What [`COUNTS`] counts: a preflight that reached the authentication middleware.
const PREFLIGHT_AUTHENTICATION: &str = "preflight at authentication";
/// What [`COUNTS`] counts: a call of the validator.
const VALIDATOR: &str = "validator";

/// Requests (and among them preflights) that reached the authentication middleware, and
/// validator calls, by `case` query parameter.
static COUNTS: Mutex<BTreeMap<(String, &'static str), usize>> = Mutex::new(BTreeMap::new());

/// How many requests with `?case=<case>` reached the authentication middleware, preflights
/// included had any done so.
pub fn authenticated(case: &str) -> usize {
    count(case, AUTHENTICATION)
}

/// How many preflights with `?case=<case>` reached the authentication middleware: the layer
/// answers them all first, so none should.
pub fn authenticated_preflights(case: &str) -> usize {
    count(case, PREFLIGHT_AUTHENTICATION)
}

/// How many times the validator ran for `?case=<case>`.
pub fn validated(case: &str) -> usize {
    count(case, VALIDATOR)
}

/// One count of [`COUNTS`].
fn count(case: &str, what: &'static str) -> usize {
    let counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    counts.get(&(case.to_owned(), what)).copied().unwrap_or(0)
}

/// Adds one to `what` for `req`'s case.
fn add(req: &ServiceRequest, what: &'static str) {
    let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    *counts.entry((crate::api::case_of(req), what)).or_default() += 1;
}

/// Lets [`TOKEN`] in; any other token gets a `401` with an `invalid_token` challenge. A
/// request without a bearer token never gets here: the middleware answers it `401` itself.
async fn validator(
    req: ServiceRequest,
    credentials: BearerAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    add(&req, VALIDATOR);
    if credentials.token() == TOKEN {
        Ok(req)
    } else {
        let config = req
            .app_data::<bearer::Config>()
            .cloned()
            .unwrap_or_default();
        let challenge = AuthenticationError::from(config).with_error(bearer::Error::InvalidToken);
        Err((challenge.into(), req))
    }
}

/// Reads an item: a simple request, never preflighted; its `401` challenge is readable.
#[cors(origins = ["http://127.0.0.1:9301"], expose = ["www-authenticate"])]
#[get("/items/{id}")]
async fn read_item(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().body(format!("GET item {id}"))
}

/// Updates an item for the token holder: a credentialed, preflighted call (the page's cookie
/// comes along); preflights are never cached, so each call sends one.
#[cors(
    origins = ["http://127.0.0.1:9301"],
    headers = ["authorization", "content-type"],
    expose = ["www-authenticate", "x-request-id"],
    credentials = true,
    max_age = 0,
)]
#[put("/items/{id}")]
async fn update_item(req: HttpRequest, id: web::Path<u32>, body: web::Bytes) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "auth-1"))
        .body(format!(
            "PUT item {id} for session {} body {}",
            crate::api::session(&req),
            String::from_utf8_lossy(&body)
        ))
}

/// Starts the authenticated API on its own thread.
pub fn start() {
    crate::serve::on_thread(|| {
        Ok(HttpServer::new(|| {
            App::new()
                .service(
                    static_cors::scope("/auth")
                        .wrap(HttpAuthentication::bearer(validator))
                        // Outside the authentication: sees every request that reaches it.
                        .wrap_fn(|req, srv| {
                            add(&req, AUTHENTICATION);
                            if crate::api::is_preflight(&req) {
                                add(&req, PREFLIGHT_AUTHENTICATION);
                            }
                            srv.call(req)
                        })
                        .service(read_item)
                        .service(update_item),
                )
                .wrap(
                    DefaultHeaders::new()
                        .add((SAFELISTED, "en"))
                        .add((UNEXPOSED, "en")),
                )
                // Outside every middleware that answers requests, so it answers the preflights
                // first and decorates the 401s.
                .wrap(static_cors::Cors::default())
                // The request log only observes: outermost, it sees the preflights the layer
                // answers as well.
                .wrap_fn(|req, srv| {
                    crate::api::record(&req);
                    srv.call(req)
                })
        })
        .workers(1)
        .bind(ADDR)?
        .run())
    });
}
