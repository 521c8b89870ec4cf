//! Helpers shared by the integration tests.
#![allow(dead_code)]

use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, Method};
use actix_web::test::{self, TestRequest};
use std::sync::Mutex;

pub const APP: &str = "https://app.example.com";
pub const EVIL: &str = "https://evil.example";

/// A cross-origin actual request.
pub fn actual(method: Method, uri: &str, origin: &str) -> TestRequest {
    TestRequest::default()
        .method(method)
        .uri(uri)
        .insert_header((header::ORIGIN, origin))
}

/// A CORS preflight for `method` with the given `Access-Control-Request-Headers`.
pub fn preflight(uri: &str, origin: &str, method: &str, headers: Option<&str>) -> TestRequest {
    let req = TestRequest::default()
        .method(Method::OPTIONS)
        .uri(uri)
        .insert_header((header::ORIGIN, origin))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method));
    match headers {
        Some(h) => req.insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, h)),
        None => req,
    }
}

/// The value of header `name`, if present, as a string.
pub fn get<B>(res: &ServiceResponse<B>, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii header").to_owned())
}

/// Every value of header `name`, one per field line.
pub fn all<B>(res: &ServiceResponse<B>, name: &str) -> Vec<String> {
    res.headers()
        .get_all(name)
        .map(|v| v.to_str().expect("ascii header").to_owned())
        .collect()
}

/// The names of the `access-control-*` headers of a response, sorted.
pub fn cors_headers<B>(res: &ServiceResponse<B>) -> Vec<String> {
    let mut names: Vec<String> = res
        .headers()
        .keys()
        .map(|n| n.as_str().to_owned())
        .filter(|n| n.starts_with("access-control-"))
        .collect();
    names.sort();
    names
}

/// The response body as a string.
pub async fn body<B: MessageBody>(res: ServiceResponse<B>) -> String {
    String::from_utf8(test::read_body(res).await.to_vec()).expect("utf-8 body")
}

/// A logger keeping the `static_cors` log lines, for tests of what the library logs. Install it
/// with `log::set_logger(&LOG)` once per test binary.
pub struct LogCapture(Mutex<Vec<(log::Level, String)>>);

/// The test binary's log capture.
pub static LOG: LogCapture = LogCapture(Mutex::new(Vec::new()));

impl LogCapture {
    /// Every line logged so far, with its level.
    pub fn lines(&self) -> Vec<(log::Level, String)> {
        self.0.lock().expect("log lock").clone()
    }

    /// The lines logged so far at `level`.
    pub fn at(&self, level: log::Level) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|(l, _)| *l == level)
            .map(|(_, line)| line)
            .collect()
    }
}

impl log::Log for LogCapture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target() == "static_cors"
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            self.0
                .lock()
                .expect("log lock")
                .push((record.level(), record.args().to_string()));
        }
    }

    fn flush(&self) {}
}
