//! The example end to end without a network: the App that `configure` builds, over a real
//! SQLite file, called through `actix_web::test`.
//!
//! `TENANT_ORIGINS` is one static for the whole test binary, as it is for the server, so the
//! tests run one at a time ([`serial`]) and each starts by loading a fresh database of its own.

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use actix_web::dev::ServiceResponse;
use actix_web::http::{header, Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::{web, App};
use multi_tenant::{configure, LoadError, Tenants, APP_ORIGIN, TENANT_ORIGINS};
use rusqlite::Connection;
use serde_json::{json, Value};

/// The seeded origins, in the order the set holds them.
const SEEDED: [&str; 3] = [
    "https://acme.example.com",
    "https://globex.example.net",
    "https://*.preview.globex.example.net",
];

/// An origin Acme registers in the tests.
const SHOP: &str = "https://shop.acme.example";

/// A database file of the test's own, removed when the test ends.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        let file = format!("multi-tenant-test-{}-{name}.sqlite3", std::process::id());
        let path = std::env::temp_dir().join(file);
        let _ = std::fs::remove_file(&path);
        Self(path)
    }

    /// Every stored (tenant, origin), read through a connection of its own: what is on disk.
    fn rows(&self) -> Vec<(i64, String)> {
        let db = Connection::open(&self.0).expect("open the test database");
        let mut query = db
            .prepare("SELECT tenant_id, origin FROM tenant_origins ORDER BY tenant_id, rowid")
            .expect("prepare");
        let rows = query
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("query");
        rows.collect::<Result<_, _>>().expect("read rows")
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Runs `test` on an actix system of its own, one test at a time: they share `TENANT_ORIGINS`.
fn serial<F: Future>(test: F) -> F::Output {
    static SERIAL: Mutex<()> = Mutex::new(());
    let _one_at_a_time = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    actix_web::rt::System::new().block_on(test)
}

/// Opens `db` (seeding it when new) and loads its origins into the set, as `main` does.
fn start(db: &TempDb) -> web::Data<Tenants> {
    let tenants = Tenants::open(&db.0).expect("open the database");
    tenants.load().expect("load the origins");
    web::Data::new(tenants)
}

/// The example's App, as `main` builds it, ready for `test::call_service`.
macro_rules! app {
    ($tenants:expr) => {
        test::init_service(App::new().app_data($tenants.clone()).configure(configure)).await
    };
}

/// A credentialed GET of the API from `origin`, as a tenant's page sends it.
fn widgets_from(origin: &str) -> TestRequest {
    TestRequest::get()
        .uri("/api/widgets")
        .insert_header((header::ORIGIN, origin))
        .insert_header((header::COOKIE, "session=7"))
}

/// The preflight of a GET with a bearer token from `origin`.
fn preflight_from(origin: &str) -> TestRequest {
    TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/api/widgets")
        .insert_header((header::ORIGIN, origin))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "GET"))
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization"))
}

/// `POST /admin/tenants/{tenant}/origins` with `{"origin": origin}`.
fn add(tenant: i64, origin: &str) -> TestRequest {
    TestRequest::post()
        .uri(&format!("/admin/tenants/{tenant}/origins"))
        .set_json(json!({ "origin": origin }))
}

/// `DELETE /admin/tenants/{tenant}/origins?origin=...` (the tests' origins need no escaping).
fn remove(tenant: i64, origin: &str) -> TestRequest {
    TestRequest::delete().uri(&format!("/admin/tenants/{tenant}/origins?origin={origin}"))
}

/// The response's `Access-Control-Allow-Origin`: whom it grants.
fn granted(res: &ServiceResponse) -> Option<&str> {
    res.headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .map(|v| v.to_str().expect("ASCII header"))
}

/// Asserts that the API grants `origin`, on an actual request and on a preflight.
macro_rules! assert_granted {
    ($app:expr, $origin:expr) => {{
        let origin: &str = $origin;
        let res = test::call_service(&$app, widgets_from(origin).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(granted(&res), Some(origin), "actual request from {origin}");
        let credentials = res.headers().get(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
        assert_eq!(credentials.map(|v| v.as_bytes()), Some(&b"true"[..]));
        let body: Value = test::read_body_json(res).await;
        assert_eq!(body["for"], origin);
        let res = test::call_service(&$app, preflight_from(origin).to_request()).await;
        assert_eq!(
            res.status(),
            StatusCode::NO_CONTENT,
            "preflight from {origin}"
        );
        assert_eq!(granted(&res), Some(origin), "preflight from {origin}");
        let max_age = res.headers().get(header::ACCESS_CONTROL_MAX_AGE);
        assert_eq!(max_age.map(|v| v.as_bytes()), Some(&b"0"[..]));
    }};
}

/// Asserts that the API refuses `origin`: the handler still answers an actual request (the
/// browser is the gate) but grants nothing; a preflight is `403`.
macro_rules! assert_refused {
    ($app:expr, $origin:expr) => {{
        let origin: &str = $origin;
        let res = test::call_service(&$app, widgets_from(origin).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(granted(&res), None, "actual request from {origin}");
        let res = test::call_service(&$app, preflight_from(origin).to_request()).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "preflight from {origin}"
        );
        assert_eq!(granted(&res), None, "preflight from {origin}");
    }};
}

#[test]
fn start_up_loads_every_tenant_origin_from_the_database_file() {
    serial(async {
        let db = TempDb::new("start-up");
        let tenants = start(&db);
        assert_eq!(TENANT_ORIGINS.entries(), SEEDED);
        let app = app!(tenants);
        assert_granted!(app, APP_ORIGIN);
        assert_granted!(app, "https://acme.example.com");
        assert_granted!(app, "https://globex.example.net");
        assert_granted!(app, "https://pr-7.preview.globex.example.net");
        assert_refused!(app, "https://evil.example");
        // A pattern never covers its apex; another scheme is another origin.
        assert_refused!(app, "https://preview.globex.example.net");
        assert_refused!(app, "http://acme.example.com");

        // A second start on the same file keeps what it holds: the seed runs once.
        let again = Tenants::open(&db.0).expect("reopen");
        assert_eq!(again.list().expect("list").len(), 2);
        assert_eq!(db.rows().len(), SEEDED.len());
    });
}

#[test]
fn an_origin_added_through_the_admin_endpoint_is_granted_on_the_next_request() {
    serial(async {
        let db = TempDb::new("add");
        let tenants = start(&db);
        let app = app!(tenants);
        assert_refused!(app, SHOP);

        let res = test::call_service(&app, add(1, SHOP).to_request()).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let body: Value = test::read_body_json(res).await;
        assert_eq!(body, json!({ "tenant": 1, "origin": SHOP, "added": true }));
        assert_granted!(app, SHOP);
        assert!(db.rows().contains(&(1, SHOP.to_owned())), "{:?}", db.rows());

        // Registering it again changes nothing.
        let res = test::call_service(&app, add(1, SHOP).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body: Value = test::read_body_json(res).await;
        assert_eq!(body["added"], false);
        assert_eq!(db.rows().len(), SEEDED.len() + 1);

        // A subdomain pattern, any depth below it.
        let pattern = "https://*.shops.globex.example";
        let res = test::call_service(&app, add(2, pattern).to_request()).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_granted!(app, "https://eu.berlin.shops.globex.example");

        // The listing shows the database and the live set agreeing.
        let req = TestRequest::get().uri("/admin/tenants").to_request();
        let listing: Value = test::call_and_read_body_json(&app, req).await;
        assert_eq!(
            listing["tenants"][0]["origins"],
            json!(["https://acme.example.com", SHOP])
        );
        assert_eq!(listing["live"].as_array().map(Vec::len), Some(5));

        // After a restart the origins come from the file.
        TENANT_ORIGINS
            .replace(std::iter::empty::<&str>())
            .expect("empty the set");
        assert_refused!(app, SHOP);
        let restarted = start(&db);
        let app = app!(restarted);
        assert_granted!(app, SHOP);
        assert_granted!(app, "https://eu.berlin.shops.globex.example");
    });
}

#[test]
fn a_refused_origin_is_answered_400_with_the_rule_and_nothing_is_written() {
    serial(async {
        let db = TempDb::new("refused");
        let tenants = start(&db);
        let app = app!(tenants);
        let slash = "origin ends with a slash: browsers never send one";
        let cases = [
            // The rule's own words, and the fix with the corrected origin.
            (
                "https://shop.acme.example/",
                slash.to_owned(),
                Some(format!("write \"{SHOP}\"")),
            ),
            (
                "http://shop.acme.example",
                "plain-http origin \"http://shop.acme.example\" with `credentials = true`: \
                 a network attacker can impersonate it"
                    .to_owned(),
                Some(
                    "use its https origin; if you accept the risk (e.g. a trusted internal \
                     network), add `allow_insecure_http = true`"
                        .to_owned(),
                ),
            ),
        ];
        let others = [
            "https://Shop.Acme.example",
            "https://shop.acme.example:443",
            "https://shop.acme.example/path",
            "https://bücher.example",
            "https://*.co.uk",
            "*",
            "null",
            "",
            "shop.acme.example",
        ];
        // For the rest, the answer is the rule `OriginSet::insert` gives, whatever its words.
        let others = others.map(|origin| {
            let refused = multi_tenant::check(origin).expect_err(origin);
            (
                origin,
                refused.rule().message.clone(),
                refused.rule().help.clone(),
            )
        });
        let rows = db.rows();
        for (origin, message, help) in cases.into_iter().chain(others) {
            let res = test::call_service(&app, add(1, origin).to_request()).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{origin:?}");
            let body: Value = test::read_body_json(res).await;
            assert_eq!(body["error"], message, "{origin:?}");
            assert_eq!(body["help"], json!(help), "{origin:?}");
            assert_eq!(body["origin"], origin);
            assert_eq!(db.rows(), rows, "{origin:?} changed the database");
            assert_eq!(
                TENANT_ORIGINS.entries(),
                SEEDED,
                "{origin:?} changed the set"
            );
        }
        assert_refused!(app, SHOP);

        // Only JSON: a form post or a text/plain `fetch()` (neither is preflighted, so any
        // page could send one) is refused by the JSON extractor, before the handler runs.
        let form = TestRequest::post()
            .uri("/admin/tenants/1/origins")
            .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
            .set_payload(format!("origin={SHOP}"));
        let text = TestRequest::post()
            .uri("/admin/tenants/1/origins")
            .insert_header((header::CONTENT_TYPE, "text/plain"))
            .set_payload(format!(r#"{{"origin": "{SHOP}"}}"#));
        for req in [form, text] {
            let res = test::call_service(&app, req.to_request()).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        }
        assert_eq!(db.rows(), rows);
        assert_refused!(app, SHOP);
    });
}

#[test]
fn a_removed_origin_is_refused_on_the_next_request() {
    serial(async {
        let db = TempDb::new("remove");
        let tenants = start(&db);
        let app = app!(tenants);
        let acme = "https://acme.example.com";
        assert_granted!(app, acme);

        let res = test::call_service(&app, remove(1, acme).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_refused!(app, acme);
        assert!(!db.rows().iter().any(|(_, origin)| origin == acme));
        assert_eq!(TENANT_ORIGINS.entries(), &SEEDED[1..]);

        // Gone already; and a tenant cannot remove another's origin.
        let res = test::call_service(&app, remove(1, acme).to_request()).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let body: Value = test::read_body_json(res).await;
        assert_eq!(body["error"], format!("tenant 1 has no origin {acme:?}"));
        let globex = "https://globex.example.net";
        let res = test::call_service(&app, remove(1, globex).to_request()).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_granted!(app, globex);

        // A pattern is removed as it was written.
        let pattern = "https://*.preview.globex.example.net";
        let res = test::call_service(&app, remove(2, pattern).to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_refused!(app, "https://pr-7.preview.globex.example.net");
        assert_eq!(db.rows(), [(2, globex.to_owned())]);
    });
}

#[test]
fn unknown_tenants_and_origins_of_another_tenant_change_nothing() {
    serial(async {
        let db = TempDb::new("conflicts");
        let tenants = start(&db);
        let app = app!(tenants);
        let rows = db.rows();

        let res = test::call_service(&app, add(99, SHOP).to_request()).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let body: Value = test::read_body_json(res).await;
        assert_eq!(body["error"], "no tenant 99");

        let res = test::call_service(&app, add(2, "https://acme.example.com").to_request()).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        let body: Value = test::read_body_json(res).await;
        assert_eq!(
            body["error"],
            "origin \"https://acme.example.com\" is registered by tenant 1"
        );

        let res =
            test::call_service(&app, remove(99, "https://acme.example.com").to_request()).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(db.rows(), rows);
        assert_eq!(TENANT_ORIGINS.entries(), SEEDED);
        assert_refused!(app, SHOP);
    });
}

#[test]
fn a_bad_row_written_around_the_admin_endpoints_stops_the_load_and_changes_nothing() {
    serial(async {
        let db = TempDb::new("bad-row");
        let tenants = start(&db);
        {
            let raw = Connection::open(&db.0).expect("open");
            raw.execute_batch(
                "INSERT INTO tenant_origins (tenant_id, origin) VALUES
                     (1, 'https://legacy.acme.example/'),
                     (2, 'http://intranet.globex.example');",
            )
            .expect("write around the admin endpoints");
        }
        let error = match tenants.load() {
            Err(LoadError::Refused(error)) => error,
            other => panic!("expected the load to be refused, got {other:?}"),
        };
        let refused: Vec<&str> = error.refused().iter().map(|e| e.entry()).collect();
        assert_eq!(
            refused,
            [
                "https://legacy.acme.example/",
                "http://intranet.globex.example"
            ]
        );
        assert_eq!(
            error.refused()[0].to_string(),
            "origin \"https://legacy.acme.example/\": origin ends with a slash: browsers never \
             send one; help: write \"https://legacy.acme.example\""
        );
        // All or nothing: the set still holds what the last good load put there.
        assert_eq!(TENANT_ORIGINS.entries(), SEEDED);
        let app = app!(tenants);
        assert_granted!(app, "https://acme.example.com");
    });
}
