//! Inspecting and testing a policy without a server: print it as the headers it sends, and
//! judge requests with it in ordinary unit tests (`cargo test --example policy_testing`).
//!
//! ```text
//! cargo run --example policy_testing
//! ```

use actix_web::{put, HttpResponse, Responder};
use static_cors::cors;

#[cors(
    origins = ["https://app.example.com", "https://*.example.org"],
    headers = ["content-type", "x-token"],
    expose = ["x-request-id"],
    credentials = true,
    max_age = 600,
)]
#[put("/items/{id}")]
async fn update_item() -> impl Responder {
    HttpResponse::Ok().finish()
}

fn main() {
    let policy = update_item::cors_policy();
    println!("{policy}");
    for (origin, method, headers) in [
        ("https://app.example.com", "PUT", &["x-token"][..]),
        ("https://app.example.com", "PUT", &["x-trace"]),
        ("https://app.example.com", "DELETE", &[]),
        ("https://evil.example", "PUT", &[]),
    ] {
        let verdict = policy.preflight(origin, method, headers);
        let outcome = match verdict.refusal() {
            None => "allowed".to_owned(),
            Some(refusal) => format!("refused: {refusal}"),
        };
        println!("preflight {method} {headers:?} from {origin}: {outcome}");
    }
}

#[cfg(test)]
mod tests {
    use super::update_item;
    use static_cors::Cause;

    #[test]
    fn the_app_may_send_its_token() {
        let verdict =
            update_item::cors_policy().preflight("https://app.example.com", "PUT", &["x-token"]);
        assert!(verdict.is_allowed());
    }

    #[test]
    fn every_subdomain_of_example_org_is_allowed_but_not_look_alikes() {
        let policy = update_item::cors_policy();
        assert!(policy
            .preflight("https://eu.shop.example.org", "PUT", &[])
            .is_allowed());
        for origin in ["https://example.org.evil.test", "http://a.example.org"] {
            let verdict = policy.preflight(origin, "PUT", &[]);
            assert_eq!(verdict.refusal().map(|r| r.cause()), Some(Cause::Origin));
        }
    }

    #[test]
    fn tracing_headers_are_refused_with_a_reason() {
        let verdict =
            update_item::cors_policy().preflight("https://app.example.com", "PUT", &["x-trace"]);
        let refusal = verdict.refusal().expect("x-trace is not listed");
        assert_eq!(refusal.cause(), Cause::Header);
        assert_eq!(refusal.to_string(), "header \"x-trace\" is not in headers");
    }

    #[test]
    fn the_policy_prints_as_its_headers() {
        let printed = update_item::cors_policy().to_string();
        assert!(printed.contains("access-control-allow-headers: content-type, x-token"));
        assert!(printed.contains("access-control-max-age: 600"));
    }
}
