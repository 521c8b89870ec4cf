//! The API under test: real actix-web handlers with the `#[cors]` policies the cases exercise,
//! plus a log of every request it receives, so a case can count the preflights the browser
//! actually sent.

use std::collections::BTreeMap;
use std::sync::Mutex;

use actix_web::dev::Service;
use actix_web::middleware::DefaultHeaders;
use actix_web::{
    get, post, put, route, web, App, HttpRequest, HttpResponse, HttpServer, Responder,
};
use serde::Deserialize;
use static_cors::cors;

/// The API's address; page origins call it cross-origin.
pub const ADDR: &str = "127.0.0.1:9303";

/// A CORS-safelisted response header on every response: script reads it whenever the browser
/// lets it see the response at all.
pub const SAFELISTED: &str = "content-language";

/// A response header on every response that no policy lists in `expose`: script never reads
/// it, except under `expose = "*"`.
pub const UNEXPOSED: &str = "x-unexposed";

/// What the log records a preflight as, apart from any `OPTIONS` request that is not one.
const PREFLIGHT: &str = "preflight";

/// Requests received, by `case` query parameter and method (or [`PREFLIGHT`]).
static RECEIVED: Mutex<BTreeMap<(String, String), usize>> = Mutex::new(BTreeMap::new());

/// How many preflights carried `?case=<case>`.
pub fn preflights(case: &str) -> usize {
    served(case, PREFLIGHT)
}

/// How many `method` requests that are not preflights carried `?case=<case>`.
pub fn served(case: &str, method: &str) -> usize {
    let log = RECEIVED.lock().unwrap_or_else(|e| e.into_inner());
    log.get(&(case.to_owned(), method.to_owned()))
        .copied()
        .unwrap_or(0)
}

/// The request's `case` query parameter: the key of the case that sent it.
pub fn case_of(req: &actix_web::dev::ServiceRequest) -> String {
    req.query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("case="))
        .unwrap_or_default()
        .to_owned()
}

/// Whether `req` is a preflight: `OPTIONS` with `Access-Control-Request-Method`.
pub fn is_preflight(req: &actix_web::dev::ServiceRequest) -> bool {
    req.method() == actix_web::http::Method::OPTIONS
        && req.headers().contains_key("access-control-request-method")
}

/// Counts `req` under its `case` query parameter and method; an `OPTIONS` request with
/// `Access-Control-Request-Method` counts as a preflight. Both APIs keep one log.
pub fn record(req: &actix_web::dev::ServiceRequest) {
    let case = case_of(req);
    let method = if is_preflight(req) {
        PREFLIGHT.to_owned()
    } else {
        req.method().to_string()
    };
    let mut log = RECEIVED.lock().unwrap_or_else(|e| e.into_inner());
    *log.entry((case, method)).or_default() += 1;
}

/// The request's `name` header as text, or `none`, for bodies that echo what they received.
fn header(req: &HttpRequest, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none")
        .to_owned()
}

/// The request's `Origin`, for bodies that say whom they were made for.
fn origin(req: &HttpRequest) -> String {
    header(req, "origin")
}

/// An exact list of origins: page A, on either loopback name.
#[cors(origins = ["http://127.0.0.1:9301", "http://localhost:9301"])]
#[get("/exact")]
async fn exact(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "exact-1"))
        .content_type("text/plain; charset=utf-8")
        .body(format!("exact for {}", origin(&req)))
}

/// Every subdomain of `localhost` on page A's port.
#[cors(origins = ["http://*.localhost:9301"])]
#[get("/wildcard")]
async fn wildcard(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("wildcard for {}", origin(&req)))
}

/// Any origin; every response header readable.
#[cors(origins = "*", expose = "*")]
#[get("/public")]
async fn public() -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-served-by", "browser-suite"))
        .content_type("text/plain; charset=utf-8")
        .body("public")
}

/// Every method the route serves but DELETE is open cross-origin; preflights are never cached.
#[cors(
    origins = ["http://127.0.0.1:9301", "http://*.localhost:9301"],
    methods = [GET, HEAD, POST, PUT, PATCH, "PROPFIND"],
    headers = ["content-type", "x-token"],
    expose = ["x-request-id"],
    max_age = 0,
)]
#[route(
    "/items/{id}",
    method = "GET",
    method = "HEAD",
    method = "POST",
    method = "PUT",
    method = "PATCH",
    method = "DELETE",
    method = "PROPFIND"
)]
async fn item(req: HttpRequest, id: web::Path<u32>, body: web::Bytes) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "item-1"))
        .body(format!(
            "{} item {} body {}",
            req.method(),
            id.into_inner(),
            String::from_utf8_lossy(&body)
        ))
}

/// The same preflight, cacheable for ten minutes.
#[cors(origins = ["http://127.0.0.1:9301"], headers = ["content-type"], max_age = 600)]
#[route("/cached", method = "PUT")]
async fn cached() -> impl Responder {
    HttpResponse::Ok().body("cached")
}

/// Credentials allowed: the page's cookie arrives and is read back.
#[cors(origins = ["http://127.0.0.1:9301"], credentials = true, expose = ["x-request-id"])]
#[get("/me")]
async fn me(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "me-1"))
        .body(format!("session {}", session(&req)))
}

/// The reader of the page's cookie, shared by both `/me` handlers and the authenticated API.
pub fn session(req: &HttpRequest) -> String {
    req.headers()
        .get_all("cookie")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("suite_session="))
        .unwrap_or("none")
        .to_owned()
}

/// A second handler on `/me`, preflighted: the preflight carries no cookie, the PUT does.
#[cors(origins = ["http://127.0.0.1:9301"], credentials = true, headers = ["content-type"], max_age = 0)]
#[put("/me")]
async fn me_update(req: HttpRequest, body: web::Bytes) -> impl Responder {
    HttpResponse::Ok().body(format!(
        "session {} updated to {}",
        session(&req),
        String::from_utf8_lossy(&body)
    ))
}

/// Any request header but `authorization`, which `"*"` never covers.
#[cors(origins = ["http://127.0.0.1:9301"], headers = "*", max_age = 0)]
#[route("/any-header", method = "GET", method = "PUT")]
async fn any_header(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("x-anything {}", header(&req, "x-anything")))
}

/// `headers = "*"` with a preflight cache: the cached `*` must not cover a later
/// `authorization`, which then gets its own preflight (and its refusal).
#[cors(origins = ["http://127.0.0.1:9301"], headers = "*", max_age = 600)]
#[get("/any-header-cached")]
async fn any_header_cached() -> impl Responder {
    HttpResponse::Ok().body("any header, cached")
}

/// A route that serves `OPTIONS` itself, with no `methods` list: `OPTIONS` stays same-origin
/// (the default leaves it out), so a cross-origin page may not call it with that method.
#[cors(origins = ["http://127.0.0.1:9301"], max_age = 0)]
#[route("/options", method = "GET", method = "OPTIONS")]
async fn options(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("{} served", req.method()))
}

/// The same route with `OPTIONS` listed in `methods`: a cross-origin page may call it with
/// that method, after a preflight asking for it.
#[cors(origins = ["http://127.0.0.1:9301"], methods = [GET, OPTIONS], max_age = 0)]
#[route("/options-listed", method = "GET", method = "OPTIONS")]
async fn options_listed(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok().body(format!("{} served", req.method()))
}

/// Origin listed, credentials not allowed.
#[cors(origins = ["http://127.0.0.1:9301"])]
#[get("/no-credentials")]
async fn no_credentials() -> impl Responder {
    HttpResponse::Ok().body("no credentials")
}

/// Two handlers on one path, each with its own policy: GET for page A…
#[cors(origins = ["http://127.0.0.1:9301"])]
#[get("/shared")]
async fn shared_get() -> impl Responder {
    HttpResponse::Ok().body("shared GET")
}

/// … and POST for page C only.
#[cors(origins = ["http://127.0.0.1:9302"], headers = ["content-type"], max_age = 0)]
#[post("/shared")]
async fn shared_post() -> impl Responder {
    HttpResponse::Ok().body("shared POST")
}

/// The JSON body `/orders` accepts.
#[derive(Deserialize)]
struct Order {
    /// How many; anything but a number fails in the extractor.
    quantity: u32,
}

/// A JSON body: malformed input fails in the extractor, and the 400 stays readable.
#[cors(origins = ["http://127.0.0.1:9301"], headers = ["content-type"], max_age = 0)]
#[post("/orders")]
async fn orders(order: web::Json<Order>) -> impl Responder {
    HttpResponse::Created().body(format!("ordered {}", order.quantity))
}

/// The handler's own error statuses, readable by the page.
#[cors(origins = ["http://127.0.0.1:9301"], expose = ["x-request-id"])]
#[get("/status/{code}")]
async fn status(code: web::Path<u16>) -> actix_web::Result<HttpResponse> {
    match code.into_inner() {
        404 => Ok(HttpResponse::NotFound()
            .insert_header(("x-request-id", "missing-1"))
            .body("no such thing")),
        500 => Err(actix_web::error::ErrorInternalServerError("handler failed")),
        other => Ok(HttpResponse::Ok().body(format!("status {other}"))),
    }
}

/// Cacheable by shared caches and the browser: only `Vary: Origin` keeps origins apart.
#[cors(origins = ["http://127.0.0.1:9301", "http://127.0.0.1:9302"])]
#[get("/cacheable")]
async fn cacheable(req: HttpRequest) -> impl Responder {
    HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=600"))
        .body(format!("made for {}", origin(&req)))
}

/// Starts the API on its own thread.
pub fn start() {
    crate::serve::on_thread(|| {
        Ok(HttpServer::new(|| {
            App::new()
                .wrap(
                    DefaultHeaders::new()
                        .add((SAFELISTED, "en"))
                        .add((UNEXPOSED, "en")),
                )
                .wrap_fn(|req, srv| {
                    record(&req);
                    srv.call(req)
                })
                .service(exact)
                .service(wildcard)
                .service(public)
                .service(item)
                .service(cached)
                .service(me)
                .service(me_update)
                .service(any_header)
                .service(any_header_cached)
                .service(options)
                .service(options_listed)
                .service(no_credentials)
                .service(shared_get)
                .service(shared_post)
                .service(orders)
                .service(status)
                .service(cacheable)
                .configure(crate::live::configure)
        })
        .workers(1)
        .bind(ADDR)?
        .run())
    });
}
