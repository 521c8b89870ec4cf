//! # static-cors
//!
//! CORS for [actix-web](https://docs.rs/actix-web) declared on each handler and checked by the
//! compiler. A policy that compiles is a policy browsers honour as written: a trailing slash in
//! an origin, `*` together with credentials, a header in the wrong list or a method the route
//! does not serve are compile errors that point at the token and say the fix.
//!
//! ```
//! use actix_web::{route, App, HttpResponse, Responder};
//! use static_cors::cors;
//!
//! #[cors(
//!     origins = ["https://app.example.com", "https://*.example.org"],
//!     methods = [GET, PUT],                 // DELETE stays same-origin only
//!     headers = ["content-type", "x-token"],
//!     expose = ["x-request-id"],
//!     credentials = true,
//!     max_age = 600,
//! )]
//! #[route("/items/{id}", method = "GET", method = "PUT", method = "DELETE")]
//! async fn item() -> impl Responder {
//!     HttpResponse::Ok().insert_header(("x-request-id", "42")).body("item")
//! }
//!
//! // Registers the handler; its route also answers its preflights (OPTIONS). With middleware that
//! // answers before routing (authentication…), also wrap the App in `Cors` (see below).
//! let app = App::new().service(item);
//! # let _ = app;
//! ```
//!
//! ## What the attribute does
//!
//! `#[cors(...)]` sits directly above an actix-web route attribute (`#[get]`, `#[post]`,
//! `#[put]`, `#[delete]`, `#[patch]`, `#[head]`, `#[route]`, or `#[routes]` with several). It
//! registers the resource that attribute describes — same path, methods, `name`, `guard`s and
//! `wrap`s — with two additions:
//!
//! - the resource's method guard also admits the route's preflights (`OPTIONS` + `Origin` +
//!   `Access-Control-Request-Method` naming a method the route serves), so that several
//!   handlers on one path each answer the preflights for their own methods, and no separate
//!   route is needed; your `guard`s apply to actual requests only;
//! - a middleware, outermost on the resource, that answers those preflights before anything
//!   else runs, and puts the policy's headers on every other response of the handler:
//!   successes, errors it returns, extractor failures (a `400` for a bad JSON body stays
//!   readable by the page), and errors of the handler's own middleware;
//! - `handler::cors_policy()`, the policy as a [`Policy`] you can inspect or test.
//!
//! Every header value the policy can produce is checked at compile time and built once, when
//! the handler is registered; nothing on the request path allocates.
//!
//! The keys of `#[cors(...)]` and what the server answers under each verdict are on the
//! attribute's own page: [`cors`].
//!
//! ## Behind middleware
//!
//! actix-web runs `App`- and scope-level middleware before routing, so authentication, rate
//! limits or CSRF checks there would answer a route's preflights (`401`: a preflight carries no
//! credentials) and send their own rejections without CORS headers (the page sees a CORS error,
//! not the `401`). Wrap the App with [`Cors`], last so that it runs first, and build scopes that
//! hold `#[cors]` routes with [`scope`]: the layer answers each route's preflights with its own
//! policy before any other middleware, and makes rejections made before routing readable.
//!
//! ```
//! use actix_web::dev::ServiceRequest;
//! use actix_web::{put, test, App, Error, HttpResponse, Responder};
//! use actix_web_httpauth::{extractors::bearer::BearerAuth, middleware::HttpAuthentication};
//! use static_cors::cors;
//!
//! #[cors(origins = ["https://app.example.com"], headers = ["authorization"], credentials = true)]
//! #[put("/items/{id}")]
//! async fn update_item() -> impl Responder {
//!     HttpResponse::Ok()
//! }
//!
//! async fn validator(
//!     req: ServiceRequest,
//!     token: BearerAuth,
//! ) -> Result<ServiceRequest, (Error, ServiceRequest)> {
//!     match token.token() {
//!         "secret" => Ok(req),
//!         _ => Err((actix_web::error::ErrorUnauthorized("bad token"), req)),
//!     }
//! }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let app = test::init_service(
//!     App::new()
//!         .service(
//!             static_cors::scope("/api")
//!                 .wrap(HttpAuthentication::bearer(validator))
//!                 .service(update_item),
//!         )
//!         .wrap(static_cors::Cors::default()), // last, so it runs first
//! )
//! .await;
//!
//! // The preflight is answered before authentication…
//! let preflight = test::TestRequest::default()
//!     .method(actix_web::http::Method::OPTIONS)
//!     .uri("/api/items/7")
//!     .insert_header(("origin", "https://app.example.com"))
//!     .insert_header(("access-control-request-method", "PUT"))
//!     .insert_header(("access-control-request-headers", "authorization"));
//! let res = test::call_service(&app, preflight.to_request()).await;
//! assert_eq!(res.status(), 204);
//!
//! // …and the 401 of a call without a token is readable by the page.
//! let put = test::TestRequest::put()
//!     .uri("/api/items/7")
//!     .insert_header(("origin", "https://app.example.com"));
//! let res = test::call_service(&app, put.to_request()).await;
//! assert_eq!(res.status(), 401);
//! let allowed = res.headers().get("access-control-allow-origin").unwrap();
//! assert_eq!(allowed, "https://app.example.com");
//! # });
//! ```
//!
//! Without the layer nothing changes: each route answers its own preflights, which is all an
//! app without such middleware needs.
//!
//! ## Testing a policy without a server
//!
//! ```
//! # use actix_web::{put, HttpResponse};
//! # use static_cors::cors;
//! #[cors(origins = ["https://app.example.com"], headers = ["x-token"])]
//! #[put("/items/{id}")]
//! async fn update_item() -> HttpResponse { HttpResponse::Ok().finish() }
//!
//! let policy = update_item::cors_policy();
//! assert!(policy.preflight("https://app.example.com", "PUT", &["x-token"]).is_allowed());
//! let verdict = policy.preflight("https://app.example.com", "PUT", &["x-trace"]);
//! assert_eq!(verdict.refusal().unwrap().to_string(), "header \"x-trace\" is not in headers");
//! assert!(!policy.preflight("https://evil.example", "PUT", &[]).is_allowed());
//! ```
//!
//! `println!("{policy}")` prints the policy as the headers it answers with.
//!
//! ## Named and scope-wide policies
//!
//! Declare a policy once with [`cors_policy!`]; it is checked where it is declared, by every
//! rule above. Apply it by name, overriding single keys where one handler differs, or to every
//! handler of a module with [`cors_scope`]:
//!
//! ```
//! use actix_web::{get, put, App, HttpResponse, Responder};
//! use static_cors::{cors, cors_policy, cors_scope};
//!
//! cors_policy! {
//!     /// The public API: the app, with its session cookie.
//!     pub(crate) API = (origins = ["https://app.example.com"], headers = ["x-token"], credentials = true);
//! }
//!
//! #[cors(policy = API)]
//! #[get("/items/{id}")]
//! async fn get_item() -> impl Responder { HttpResponse::Ok() }
//!
//! #[cors(policy = API, headers = ["content-type"])] // this handler takes JSON, not the token
//! #[put("/items/{id}")]
//! async fn put_item() -> impl Responder { HttpResponse::Ok() }
//!
//! #[cors_scope(policy = API)]
//! mod admin {
//!     use super::*;
//!
//!     #[get("/admin/users")]
//!     pub async fn users() -> impl Responder { HttpResponse::Ok() }
//!
//!     #[cors(disable)] // same-origin only
//!     #[put("/admin/users")]
//!     pub async fn replace_users() -> impl Responder { HttpResponse::Ok() }
//! }
//!
//! # fn main() {
//! let put = put_item::cors_policy();
//! assert!(put.preflight("https://app.example.com", "PUT", &["content-type"]).is_allowed());
//! assert!(!put.preflight("https://app.example.com", "PUT", &["x-token"]).is_allowed());
//! assert!(admin::users::cors_policy().credentials());
//! let app = App::new()
//!     .service(get_item)
//!     .service(put_item)
//!     .service(admin::users)
//!     .service(admin::replace_users);
//! # let _ = app;
//! # }
//! ```
//!
//! ## Origins from configuration
//!
//! Entries of `origins` may be read when the app starts: `env("VAR")` (a comma-separated list)
//! and `config(path::to::function)` (a function returning a list of strings), next to literal
//! origins. Each entry is checked by the same rules as a literal when the handler is
//! registered; a bad one stops the app with the source, the entry and the fix.
//! [`Policy::load_configured`] runs the same check on demand, e.g. first thing in `main`:
//!
//! ```
//! use actix_web::{get, App, HttpResponse, Responder};
//! use static_cors::cors;
//!
//! fn partner_origins() -> Vec<&'static str> {
//!     vec!["https://partner.example.net", "https://*.partner.example.org"]
//! }
//!
//! #[cors(origins = ["https://app.example.com", config(partner_origins)])]
//! #[get("/catalogue")]
//! async fn catalogue() -> impl Responder { HttpResponse::Ok() }
//!
//! catalogue::cors_policy().load_configured().expect("partner origins are valid");
//! let policy = catalogue::cors_policy();
//! assert!(policy.preflight("https://eu.partner.example.org", "GET", &[]).is_allowed());
//! assert!(!policy.preflight("https://partner.example.net.evil.test", "GET", &[]).is_allowed());
//! ```
//!
//! ## Diagnostics
//!
//! Every refused preflight, and every actual request from a refused origin, is logged through
//! the [`log`](https://docs.rs/log) facade under the target `static_cors`: at warn level the
//! first time per handler and cause, at debug level always, e.g.
//!
//! ```text
//! preflight for PUT /items/7 from https://app.example.com refused by update_item (src/api.rs:42):
//! header "x-trace" is not in headers = ["content-type", "x-token"]
//! ```
//!
//! With `env_logger`, `RUST_LOG=static_cors=debug` shows them all.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// Declares the CORS policy of an actix-web handler, directly above its route attribute; see
/// the [crate docs](crate) for a guide.
///
/// # Keys
///
/// | key | value | default |
/// |---|---|---|
/// | `origins` | list of serialized origins and `scheme://*.domain[:port]` patterns, or `"*"`; entries may be read at start-up with `env("VAR")` and `config(path::to::function)`, or change at run time with `set(NAME)` (a `static NAME: OriginSet`) | required |
/// | `methods` | list of methods, e.g. `[GET, PUT]`; narrows the route's methods (`OPTIONS` only if listed) | every method the route serves but `OPTIONS` |
/// | `headers` | request headers a page may send, or `"*"` | none |
/// | `expose` | response headers page script may read, or `"*"` | none |
/// | `credentials` | `true` to allow cookies and HTTP auth | `false` |
/// | `max_age` | seconds a browser may cache the preflight, `0..=86400` | `7200` (Chromium's cap) |
/// | `private_network` | `true` to answer Private Network Access preflights | `false` |
/// | `allow_insecure_http` | `true` to allow plain-http, non-loopback origins with credentials | `false` |
///
/// # Behaviour (WHATWG Fetch, CORS protocol)
///
/// - **Actual request, origin granted**: `Access-Control-Allow-Origin` (the request's origin,
///   or `*`), `Access-Control-Allow-Credentials: true` if enabled, and
///   `Access-Control-Expose-Headers` if set.
/// - **Origin or method refused**: the handler still runs (the browser is the gate), and the
///   response carries no `Access-Control-Allow-*` header.
/// - **Every actual response** says `Vary: Origin`, merged with the handler's own `Vary`
///   (appended as its own line unless already covered, never duplicated or overwritten).
/// - **Granted preflight**: `204 No Content`, empty body, with `-Allow-Origin`,
///   `-Allow-Methods`, `-Allow-Headers`, `-Allow-Credentials`, `-Max-Age`, and
///   `-Allow-Private-Network: true` when requested and enabled. The handler never runs.
/// - **Refused preflight**, answered so that the browser's console names the real cause
///   ([`Cause`]): an origin refusal is `403` with no CORS header (console: no
///   `Access-Control-Allow-Origin`); a method or header refusal is `200` with the policy's
///   allow lists (console: the method or header is not allowed by
///   `Access-Control-Allow-Methods`/`-Headers`); a request no browser sends (two `Origin`
///   lines, malformed `Access-Control-Request-Headers`) is `400`. Each refusal is logged (target
///   `static_cors`; warn level the first time a handler refuses for a cause, debug after) with
///   its reason and the handler's name and location.
/// - A plain `OPTIONS` without `Access-Control-Request-Method` is not a preflight: it reaches
///   your own `OPTIONS` handler, if any.
///
/// Guards of the route attribute apply to actual requests only: a preflight carries none of
/// the request's headers or body, so it is matched by path and requested method.
///
pub use cors_macros::cors;
/// Declares named policies: `cors_policy! { pub(crate) API = (origins = [...], ...); }`,
/// checked where declared and applied with `#[cors(policy = API)]`, optionally overriding keys:
/// `#[cors(policy = API, methods = [GET])]`.
pub use cors_macros::cors_policy;
/// Applies one policy to every handler of an inline module: `#[cors_scope(policy = API)]` or
/// `#[cors_scope(origins = [...], ...)]`; a handler's own `#[cors(...)]` overrides single keys and
/// `#[cors(disable)]` opts it out.
pub use cors_macros::cors_scope;
pub use cors_runtime::actix::{scope, Cors, Scope};
/// The rules policies are checked against, for origins read at start-up.
pub use cors_runtime::rules;
pub use cors_runtime::rules::RuleError;
pub use cors_runtime::{
    ActualVerdict, AllowOrigin, AllowedHeaders, AllowedOrigins, Cause, ExposedHeaders,
    OriginHeader, OriginList, Policy, PreflightVerdict, Refusal,
};
/// Why origins read at start-up were refused: see [`Policy::load_configured`].
pub use cors_runtime::{ConfigError, ConfigProblem};
pub use cors_runtime::{OriginError, OriginSet, ReplaceError};

/// What generated code needs; not part of the public API. Versioned with the crate, so that
/// code generated by one version of the macro never resolves against another's runtime.
#[doc(hidden)]
pub mod __private_0_1 {
    pub use actix_web;
    pub use cors_runtime::actix::{register, register_wrapped, resource, GuardFn, RouteSpec};
    pub use cors_runtime::key_set::KeySet;
    pub use cors_runtime::origin::configured::{collect_origins, ConfiguredOrigins, OriginSource};
    pub use cors_runtime::origin::LiveSet;
    pub use cors_runtime::{phf, AllowedOrigins, HeaderList, OriginList, Policy, PolicyParts};
}
