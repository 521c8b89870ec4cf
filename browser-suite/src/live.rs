//! Origins that change while the server runs: a route whose policy reads a live
//! `static_cors::OriginSet` next to a literal origin, and the admin endpoints (same-origin, no
//! `#[cors]`) that add and remove entries, as a multi-tenant app's operator would. The harness
//! calls them over plain HTTP before a case ([`call`]); the browser then judges the case's own
//! cross-origin call.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use actix_web::{delete, post, route, web, HttpRequest, HttpResponse, Responder};
use serde::Deserialize;
use static_cors::{cors, OriginSet};

use crate::api::ADDR;

/// The origins tenants registered: empty at start, changed only through the admin endpoints.
static TENANT_ORIGINS: OriginSet = OriginSet::new();

/// Page A by a literal, and whatever [`TENANT_ORIGINS`] holds at the time of each request.
/// Preflights are never cached, so a removal shows on the very next call.
#[cors(
    origins = ["http://127.0.0.1:9301", set(TENANT_ORIGINS)],
    headers = ["content-type"],
    credentials = true,
    max_age = 0,
)]
#[route("/tenant", method = "GET", method = "PUT")]
async fn tenant(req: HttpRequest) -> impl Responder {
    let origin = req
        .headers()
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none");
    HttpResponse::Ok().body(format!(
        "{} tenant for {origin} session {}",
        req.method(),
        crate::api::session(&req)
    ))
}

/// The body of `POST /admin/origins`, and the query of `DELETE /admin/origins`.
#[derive(Deserialize)]
struct OriginParam {
    /// The origin or subdomain pattern.
    origin: String,
}

/// Adds an origin: `201`, `200` if it was there, or `400` with the rule it breaks and the fix.
#[post("/admin/origins")]
async fn add(body: web::Json<OriginParam>) -> HttpResponse {
    match TENANT_ORIGINS.insert(&body.origin) {
        Ok(true) => HttpResponse::Created().body(format!("added {}", body.origin)),
        Ok(false) => HttpResponse::Ok().body(format!("already there: {}", body.origin)),
        Err(refused) => HttpResponse::BadRequest().body(refused.to_string()),
    }
}

/// Removes an origin, written as it was added: `204`, or `404` if it was not there.
#[delete("/admin/origins")]
async fn remove(query: web::Query<OriginParam>) -> HttpResponse {
    if TENANT_ORIGINS.remove(&query.origin) {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::NotFound().body(format!("not there: {}", query.origin))
    }
}

/// Registers the route and the admin endpoints on the API.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(tenant).service(add).service(remove);
}

/// A change the operator makes through the admin endpoints before a case's call.
pub struct Admin {
    /// `true` adds the origin (`POST`), `false` removes it (`DELETE`).
    pub add: bool,
    /// The origin, as the operator typed it.
    pub origin: &'static str,
    /// The status the endpoint must answer.
    pub status: u16,
    /// A piece of its answer (the rule and the fix, for a refused origin).
    pub says: Option<&'static str>,
}

impl Admin {
    /// The request line's method.
    pub fn method(&self) -> &'static str {
        if self.add {
            "POST"
        } else {
            "DELETE"
        }
    }
}

/// Makes `admin`'s call to the API's admin endpoint over plain HTTP/1.1; its status and body.
pub async fn call(admin: &Admin) -> Result<(u16, String), String> {
    let method = admin.method();
    let origin = admin.origin;
    let (target, body) = if admin.add {
        let body = serde_json::json!({ "origin": origin }).to_string();
        ("/admin/origins".to_owned(), body)
    } else {
        let query: String = url::form_urlencoded::byte_serialize(origin.as_bytes()).collect();
        (format!("/admin/origins?origin={query}"), String::new())
    };
    tokio::task::spawn_blocking(move || request(method, &target, &body))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("admin {method} {origin}: {e}"))
}

/// One request on a connection of its own, closed by the server after the answer.
fn request(method: &str, target: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(ADDR)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {ADDR}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP answer: {response:?}")))?;
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    Ok((status, body.to_owned()))
}
