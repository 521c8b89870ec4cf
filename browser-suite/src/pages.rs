//! The page origins: blank pages the browser opens so that its `fetch()` calls are
//! cross-origin to the API.

use actix_web::{get, App, HttpResponse, HttpServer, Responder};

/// Listed by most policies.
pub const A: &str = "http://127.0.0.1:9301";
/// Another origin: listed only where a case says so.
pub const C: &str = "http://127.0.0.1:9302";
/// A subdomain of `localhost` on page A's port: Chromium resolves `*.localhost` to loopback.
pub const SUBDOMAIN: &str = "http://app.localhost:9301";

/// The blank page every case runs in.
#[get("/")]
async fn page() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            "<!doctype html><meta charset=utf-8><title>browser-suite page</title><p>cases run here",
        )
}

/// Starts both page servers. Page A also listens on IPv6 loopback where the machine has it,
/// since Chromium may resolve the subdomain to `::1` first.
pub fn start() {
    let ipv6 = std::net::TcpListener::bind("[::1]:0").is_ok();
    crate::serve::on_thread(move || {
        let server = HttpServer::new(|| App::new().service(page))
            .workers(1)
            .bind("127.0.0.1:9301")?;
        let server = if ipv6 {
            server.bind("[::1]:9301")?
        } else {
            server
        };
        Ok(server.run())
    });
    crate::serve::on_thread(|| {
        Ok(HttpServer::new(|| App::new().service(page))
            .workers(1)
            .bind("127.0.0.1:9302")?
            .run())
    });
}
