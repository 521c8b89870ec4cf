//! Hostile input against a real server on loopback, sent as raw bytes: every request gets a
//! clear answer, never a panic or two `Access-Control-Allow-Origin` values, and the server
//! keeps serving normal requests afterwards.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use actix_web::{route, App, HttpResponse, HttpServer, Responder};
use static_cors::cors;

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    methods = [GET, PUT],
    headers = ["content-type", "x-token"],
    credentials = true,
)]
#[route("/items/{id}", method = "GET", method = "PUT")]
async fn item() -> impl Responder {
    HttpResponse::Ok().body("item")
}

/// A parsed HTTP/1.1 response: status and header lines (names lowercased).
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Reply {
    fn count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(n, _)| n == name).count()
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request (head given as raw bytes, without the final blank line) and reads the reply.
fn exchange(addr: SocketAddr, head: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(head).expect("write head");
    stream
        .write_all(b"Connection: close\r\n\r\n")
        .expect("write end");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read reply");
    let text = String::from_utf8_lossy(&raw);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Reply { status, headers }
}

fn preflight_head(extra: &[u8]) -> Vec<u8> {
    let mut head = b"OPTIONS /items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_vec();
    head.extend_from_slice(extra);
    head
}

#[actix_web::test]
async fn hostile_requests_are_refused_cleanly_and_the_server_keeps_serving() {
    let server = HttpServer::new(|| App::new().service(item))
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind loopback");
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let results = actix_web::rt::task::spawn_blocking(move || {
        let long_origin = format!("Origin: https://{}.example.com\r\n", "a".repeat(10_000));
        let many_items = format!("Access-Control-Request-Headers: {}\r\n", vec!["a"; 5_000].join(","));
        let commas = format!("Access-Control-Request-Headers: {}\r\n", ",".repeat(1_024));
        let mut cases: Vec<(&str, Vec<u8>, u16)> = vec![
            ("non-UTF-8 origin", b"GET /items/1 HTTP/1.1\r\nHost: x\r\nOrigin: https://\xff\xfe.example.org\r\n".to_vec(), 200),
            ("10 KB origin", format!("GET /items/1 HTTP/1.1\r\nHost: x\r\n{long_origin}").into_bytes(), 200),
            ("two origins on an actual request", b"GET /items/1 HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example.com\r\nOrigin: https://a.example.org\r\n".to_vec(), 200),
            ("non-UTF-8 origin in a preflight", preflight_head(b"Origin: https://\xff.example.org\r\nAccess-Control-Request-Method: PUT\r\n"), 403),
            ("two origins in a preflight", preflight_head(b"Origin: https://app.example.com\r\nOrigin: https://a.example.org\r\nAccess-Control-Request-Method: PUT\r\n"), 400),
            ("5,000 requested headers", preflight_head(format!("Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n{many_items}").as_bytes()), 200),
            ("1,024 bare commas", preflight_head(format!("Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\n{commas}").as_bytes()), 400),
            ("header name with a space", preflight_head(b"Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-token, x y\r\n"), 400),
            ("non-UTF-8 requested header", preflight_head(b"Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-\xfftoken\r\n"), 400),
            ("lowercase method", preflight_head(b"Origin: https://app.example.com\r\nAccess-Control-Request-Method: put\r\n"), 200),
        ];
        cases.push(("normal preflight afterwards", preflight_head(b"Origin: https://app.example.com\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: x-token\r\n"), 204));
        cases
            .into_iter()
            .map(|(name, head, status)| (name, exchange(addr, &head), status))
            .collect::<Vec<_>>()
    })
    .await
    .expect("client thread");

    for (name, reply, status) in &results {
        assert_eq!(reply.status, *status, "{name}");
        assert!(
            reply.count("access-control-allow-origin") <= 1,
            "{name}: never two values"
        );
        if *name != "normal preflight afterwards"
            && *name != "5,000 requested headers"
            && *name != "lowercase method"
        {
            assert_eq!(
                reply.get("access-control-allow-origin"),
                None,
                "{name}: nothing granted"
            );
        }
    }
    let (_, normal, _) = results.last().expect("cases");
    assert_eq!(
        normal.get("access-control-allow-origin"),
        Some("https://app.example.com")
    );
    assert_eq!(
        normal.get("access-control-allow-headers"),
        Some("content-type, x-token")
    );

    let normal_get = actix_web::rt::task::spawn_blocking(move || {
        exchange(
            addr,
            b"GET /items/1 HTTP/1.1\r\nHost: x\r\nOrigin: https://a.example.org\r\n",
        )
    })
    .await
    .expect("client thread");
    assert_eq!(normal_get.status, 200);
    assert_eq!(
        normal_get.get("access-control-allow-origin"),
        Some("https://a.example.org")
    );
    handle.stop(true).await;
}
