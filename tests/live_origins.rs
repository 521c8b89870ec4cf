//! Origins that change at run time: `set(NAME)` entries backed by a `static` `OriginSet`,
//! checked entry by entry by the rules of a literal, read by every request as the set is now.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::http::{Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::test::{call_service, init_service};
use actix_web::{get, App, HttpResponse, Responder};
use static_cors::{cors, OriginSet};
use support::*;

/// Origins customers registered.
static TENANT_ORIGINS: OriginSet = OriginSet::new();

#[cors(
    origins = ["https://app.example.com", "https://*.example.org", set(TENANT_ORIGINS)],
    headers = ["content-type"],
    credentials = true,
    max_age = 0
)]
#[get("/api/widgets")]
async fn widgets() -> impl Responder {
    HttpResponse::Ok().body("widgets")
}

/// Each test has a set of its own, so that tests running in parallel never see each other's.
macro_rules! policy_with_own_set {
    ($set:ident, $handler:ident) => {
        static $set: OriginSet = OriginSet::new();

        #[cors(origins = ["https://app.example.com", set($set)], credentials = true, max_age = 0)]
        #[get("/api/things")]
        async fn $handler() -> impl Responder {
            HttpResponse::Ok().body("things")
        }
    };
}

const SHOP: &str = "https://shop.customer.example";

#[actix_web::test]
async fn an_origin_is_granted_from_the_request_after_it_enters_and_refused_after_it_leaves() {
    policy_with_own_set!(SET, things);
    let app = init_service(App::new().service(things)).await;
    let granted = |res: &actix_web::dev::ServiceResponse| get(res, "access-control-allow-origin");

    let res = call_service(&app, actual(Method::GET, "/api/things", SHOP).to_request()).await;
    assert_eq!(granted(&res), None, "not in the set yet");

    assert_eq!(SET.insert(SHOP), Ok(true));
    let res = call_service(
        &app,
        preflight("/api/things", SHOP, "GET", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(granted(&res).as_deref(), Some(SHOP));
    let res = call_service(&app, actual(Method::GET, "/api/things", SHOP).to_request()).await;
    assert_eq!(granted(&res).as_deref(), Some(SHOP));
    assert_eq!(
        get(&res, "access-control-allow-credentials").as_deref(),
        Some("true")
    );

    assert!(SET.remove(SHOP));
    let res = call_service(&app, actual(Method::GET, "/api/things", SHOP).to_request()).await;
    assert_eq!(
        granted(&res),
        None,
        "actual responses stop granting at once"
    );
    let res = call_service(
        &app,
        preflight("/api/things", SHOP, "GET", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn literals_patterns_and_a_set_grant_side_by_side() {
    TENANT_ORIGINS
        .replace([SHOP, "https://*.preview.example.net"])
        .expect("valid origins");
    let app = init_service(App::new().service(widgets)).await;
    for (origin, granted) in [
        (APP, true),                                        // literal
        ("https://eu.example.org", true),                   // literal pattern
        (SHOP, true),                                       // the set's exact origin
        ("https://pr-7.preview.example.net", true),         // the set's pattern
        ("https://a.b.preview.example.net", true),          // at any depth
        ("https://preview.example.net", false),             // never the apex
        ("http://pr-7.preview.example.net", false),         // another scheme
        ("https://shop.customer.example.evil.test", false), // suffix-extended
        ("https://SHOP.customer.example", false),           // not as browsers send it
        (EVIL, false),
    ] {
        let res = call_service(
            &app,
            actual(Method::GET, "/api/widgets", origin).to_request(),
        )
        .await;
        let echoed = get(&res, "access-control-allow-origin");
        assert_eq!(echoed.is_some(), granted, "{origin}");
        if granted {
            assert_eq!(echoed.as_deref(), Some(origin), "echoed byte for byte");
        }
    }
}

#[test]
fn a_refused_entry_names_the_rule_in_the_words_of_the_compile_error() {
    policy_with_own_set!(SET, things);
    // The same entries as tests/ui/fail/*.rs, with the first line of their .stderr.
    for (entry, compile_error) in [
        ("https://app.example.com/", "origin-trailing-slash"),
        ("null", "origin-null"),
        (
            "http://app.example.com",
            "credentials-with-plain-http-origin",
        ),
        ("https://a.com:443", "origin-default-port"),
    ] {
        let error = SET.insert(entry).expect_err(entry);
        assert_eq!(error.entry(), entry);
        let stderr = std::fs::read_to_string(format!("tests/ui/fail/{compile_error}.stderr"))
            .expect("the compile error's snapshot");
        let mut lines = stderr.lines();
        let message = lines
            .next()
            .and_then(|l| l.strip_prefix("error: "))
            .unwrap();
        let help = lines
            .next()
            .and_then(|l| l.trim().strip_prefix("= help: "))
            .unwrap();
        assert_eq!(error.rule().message, message, "{entry}");
        assert_eq!(error.rule().help.as_deref(), Some(help), "{entry}");
        assert!(error.to_string().contains(message));
    }
    assert!(SET.is_empty(), "nothing refused entered the set");
}

#[test]
fn replace_applies_nothing_if_any_entry_is_refused_and_reports_them_all() {
    policy_with_own_set!(SET, things);
    SET.replace([SHOP]).expect("valid");
    let error = SET
        .replace([
            "https://new.customer.example",
            "https://x.test/",
            "*",
            "https://*.co.uk",
        ])
        .expect_err("three entries are wrong");
    let refused: Vec<&str> = error.refused().iter().map(|e| e.entry()).collect();
    assert_eq!(refused, ["https://x.test/", "*", "https://*.co.uk"]);
    assert!(error.refused()[2].rule().message.contains("public suffix"));
    assert_eq!(SET.entries(), [SHOP], "the set is as it was");
    let policy = things::cors_policy();
    assert!(policy.preflight(SHOP, "GET", &[]).is_allowed());
    assert!(!policy
        .preflight("https://new.customer.example", "GET", &[])
        .is_allowed());
}

static INSECURE: OriginSet = OriginSet::allowing_insecure_http();

#[cors(origins = [set(INSECURE)], credentials = true)]
#[get("/api/intranet")]
async fn intranet() -> impl Responder {
    HttpResponse::Ok().body("intranet")
}

#[test]
fn a_set_allowing_insecure_http_cannot_get_around_a_credentialed_policy() {
    let error = intranet::cors_policy()
        .load_configured()
        .expect_err("the set is weaker than the policy");
    assert_eq!(error.problem(), &static_cors::ConfigProblem::InsecureSet);
    assert_eq!(error.sources()[0].to_string(), "set(INSECURE)");
    let message = error.to_string();
    assert!(message.contains("`intranet`"), "{message}");
    assert!(message.contains("OriginSet::new()"), "{message}");
}

#[test]
fn a_set_allowing_insecure_http_is_declared_so() {
    static INTRANET: OriginSet = OriginSet::allowing_insecure_http();
    assert_eq!(INTRANET.insert("http://wiki.intranet.example"), Ok(true));
    assert!(OriginSet::new()
        .insert("http://wiki.intranet.example")
        .is_err());
}

#[test]
fn the_policy_names_the_set_and_its_size() {
    policy_with_own_set!(SET, things);
    SET.replace([SHOP, "https://*.preview.example.net"])
        .expect("valid");
    let printed = things::cors_policy().to_string();
    assert!(
        printed.contains("origins: \"https://app.example.com\", set(SET) (2 origins now)"),
        "{printed}"
    );
}

#[actix_web::test]
async fn a_refusal_in_the_log_says_the_origin_is_not_in_the_set() {
    policy_with_own_set!(SET, things);
    // The binary's one logger; other tests' lines are told apart by origin.
    let _ = log::set_logger(&LOG);
    log::set_max_level(log::LevelFilter::Debug);
    let app = init_service(App::new().service(things)).await;
    call_service(
        &app,
        actual(Method::GET, "/api/things", "https://stranger.test").to_request(),
    )
    .await;
    let lines: Vec<String> = LOG
        .lines()
        .into_iter()
        .map(|(_, line)| line)
        .filter(|line| line.contains("https://stranger.test"))
        .collect();
    assert!(!lines.is_empty());
    assert!(
        lines[0].ends_with(
            "origin \"https://stranger.test\" is not in origins = [\"https://app.example.com\"] or set(SET)"
        ),
        "{}",
        lines[0]
    );
}

/// Stands for authentication that turns every request away before routing.
async fn deny(
    req: actix_web::dev::ServiceRequest,
    _next: Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse, actix_web::Error> {
    Ok(req.into_response(HttpResponse::Unauthorized().finish()))
}

#[actix_web::test]
async fn behind_middleware_the_layer_reads_the_set_as_the_route_does() {
    policy_with_own_set!(SET, things);
    SET.insert(SHOP).expect("valid");
    let app = init_service(
        App::new()
            .service(static_cors::scope("").wrap(from_fn(deny)).service(things))
            .wrap(static_cors::Cors::default()),
    )
    .await;
    let res = call_service(
        &app,
        preflight("/api/things", SHOP, "GET", None).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = call_service(&app, actual(Method::GET, "/api/things", SHOP).to_request()).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&res, "access-control-allow-origin").as_deref(),
        Some(SHOP)
    );
}

#[test]
fn readers_see_the_set_before_or_after_each_update_never_between() {
    policy_with_own_set!(SET, things);
    // `A` is in the set before and after every update: a reader that ever finds it missing saw
    // the set in the middle of one.
    const A: &str = "https://a.customer.example";
    const B: &str = "https://b.customer.example";
    const C: &str = "https://c.customer.example";
    SET.replace([A, B]).expect("valid");
    let policy = things::cors_policy();
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let done = Arc::clone(&done);
            std::thread::spawn(move || {
                let mut reads = 0_u64;
                while !done.load(Ordering::Relaxed) && reads < 5_000_000 {
                    assert!(policy.preflight(A, "GET", &[]).is_allowed(), "a torn read");
                    reads += 1;
                }
                reads
            })
        })
        .collect();
    for round in 0..2_000 {
        let other = if round % 2 == 0 { C } else { B };
        SET.replace([A, other]).expect("valid");
        assert_eq!(SET.insert("https://*.preview.example.net"), Ok(true));
        assert!(SET.remove("https://*.preview.example.net"));
        assert!(SET.remove(other));
        assert_eq!(SET.insert(other), Ok(true));
    }
    done.store(true, Ordering::Relaxed);
    let reads: u64 = readers
        .into_iter()
        .map(|r| r.join().expect("no reader saw a torn set"))
        .sum();
    assert!(reads > 0);
    assert_eq!(SET.entries(), [A, B]);
}
