//! The conformance table: each case is one cross-origin `fetch()` from a page origin, and what
//! the browser must conclude about it.

use crate::api::{self, SAFELISTED, UNEXPOSED};
use crate::auth;
use crate::live::Admin;
use crate::pages::{A, C, SUBDOMAIN};

/// One `fetch()` and its expected outcome.
pub struct Case {
    /// What the case shows.
    pub name: &'static str,
    /// The page origin the call is made from.
    pub page: &'static str,
    /// The address of the API called: [`api::ADDR`], or [`auth::ADDR`] behind authentication.
    pub api: &'static str,
    /// The API path (the suite adds `?case=<key>` so each case has its own URL, and so its own
    /// preflight-cache and HTTP-cache entries).
    pub path: &'static str,
    /// `fetch()`'s `init` argument, as JSON.
    pub init: &'static str,
    /// Cases sharing a key share a URL (the HTTP-cache cases); by default the key is unique.
    pub key: Option<&'static str>,
    /// How many times the call is made (the preflight-cache cases make it twice).
    pub times: usize,
    /// The operator's call to the API's admin endpoint before the case's own call (the
    /// live-origin-set cases).
    pub admin: Option<Admin>,
    /// What the browser must conclude, after the last call.
    pub expect: Expect,
}

/// What the browser concluded, as the page's script and the server saw it.
pub struct Expect {
    /// `fetch()` resolved (`true`) or rejected with a `TypeError` (`false`).
    pub allowed: bool,
    /// The status script sees (when allowed).
    pub status: u16,
    /// Response headers script can read (`headers.get()` is not null).
    pub readable: &'static [&'static str],
    /// Response headers the server sent that script cannot read.
    pub unreadable: &'static [&'static str],
    /// Preflights that reached the server, over all calls of the case.
    pub preflights: usize,
    /// Requests of the case's own method that reached the server, if the case checks it.
    pub served: Option<usize>,
    /// Requests that reached the authentication middleware (behind authentication).
    pub authenticated: Option<usize>,
    /// Calls of the bearer-token validator (behind authentication).
    pub validated: Option<usize>,
    /// A piece of the body script reads (when allowed).
    pub body: Option<&'static str>,
    /// A piece of the browser's console message when blocked: it must name the real cause.
    pub reason: Option<&'static str>,
}

/// An allowed call: status 200, no preflight; script reads the safelisted header every
/// response carries, and not the one no policy exposes.
const ALLOWED: Expect = Expect {
    allowed: true,
    status: 200,
    readable: &[SAFELISTED],
    unreadable: &[UNEXPOSED],
    preflights: 0,
    served: None,
    authenticated: None,
    validated: None,
    body: None,
    reason: None,
};

/// A blocked call: script sees no status and no header.
const BLOCKED: Expect = Expect {
    allowed: false,
    status: 0,
    readable: &[],
    unreadable: &[],
    ..ALLOWED
};

/// A single call of `init` to `path` from `page`.
const fn case(
    name: &'static str,
    page: &'static str,
    path: &'static str,
    init: &'static str,
    expect: Expect,
) -> Case {
    Case {
        name,
        page,
        api: api::ADDR,
        path,
        init,
        key: None,
        times: 1,
        admin: None,
        expect,
    }
}

/// A single call of `init` to `path` of the API behind bearer authentication, from `page`.
const fn behind_auth(
    name: &'static str,
    page: &'static str,
    path: &'static str,
    init: &'static str,
    expect: Expect,
) -> Case {
    Case {
        api: auth::ADDR,
        ..case(name, page, path, init, expect)
    }
}

/// A call to the route whose origins are page A and a live set, on the URL `key` shares with
/// the other calls of its sequence; after `admin`, the operator's change to the set, if any.
fn live(
    name: &'static str,
    page: &'static str,
    key: &'static str,
    admin: Option<Admin>,
    init: &'static str,
    expect: Expect,
) -> Case {
    Case {
        key: Some(key),
        admin,
        ..case(name, page, "/tenant", init, expect)
    }
}

/// The operator adds `origin` to the live set; the admin endpoint answers `201`.
const fn add(origin: &'static str) -> Option<Admin> {
    Some(Admin {
        add: true,
        origin,
        status: 201,
        says: None,
    })
}

/// The operator removes `origin` from the live set; the admin endpoint answers `204`.
const fn remove(origin: &'static str) -> Option<Admin> {
    Some(Admin {
        add: false,
        origin,
        status: 204,
        says: None,
    })
}

/// The operator adds page C's origin with a trailing slash: the set refuses it, and the admin
/// endpoint answers `400` with the rule and the fix.
const ADD_C_WITH_SLASH: Option<Admin> = Some(Admin {
    add: true,
    origin: "http://127.0.0.1:9302/",
    status: 400,
    says: Some(
        "origin ends with a slash: browsers never send one; help: write \"http://127.0.0.1:9302\"",
    ),
});

/// A subdomain pattern over page A's port, for the live set.
const LOCALHOST_PATTERN: &str = "http://*.localhost:9301";

/// A plain GET: a simple request, never preflighted.
const GET: &str = "{}";
/// A GET that sends the page's cookies.
const WITH_COOKIES: &str = r#"{"credentials": "include"}"#;
/// A PUT with a JSON body and a custom header: preflighted.
const PUT_JSON: &str = r#"{"method": "PUT", "headers": {"content-type": "application/json", "x-token": "t"}, "body": "{\"name\":\"a\"}"}"#;
/// A PUT with a JSON body that also sends the page's cookies: a credentialed preflight.
const PUT_JSON_WITH_COOKIES: &str = r#"{"method": "PUT", "credentials": "include", "headers": {"content-type": "application/json"}, "body": "{\"n\":1}"}"#;
/// A POST with a JSON body: preflighted for its `content-type`.
const POST_JSON: &str = r#"{"method": "POST", "headers": {"content-type": "application/json"}, "body": "{\"quantity\":3}"}"#;

/// The credentialed PUT of a signed-in page: bearer token, JSON body, the page's cookie.
const PUT_WITH_TOKEN: &str = r#"{"method": "PUT", "credentials": "include", "headers": {"authorization": "Bearer suite-token", "content-type": "application/json"}, "body": "{\"n\":1}"}"#;
/// The same PUT with a token the validator refuses.
const PUT_WITH_WRONG_TOKEN: &str = r#"{"method": "PUT", "credentials": "include", "headers": {"authorization": "Bearer expired", "content-type": "application/json"}, "body": "{\"n\":1}"}"#;

/// Chromium's console text for a response without `Access-Control-Allow-Origin`: the origin
/// is not allowed.
const NO_ALLOW_ORIGIN: &str = "No 'Access-Control-Allow-Origin' header is present";
/// The same for a preflight's response.
const PREFLIGHT_NO_ALLOW_ORIGIN: &str = "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header";
/// Chromium's console text for a credentialed call the policy does not allow credentials for.
const NO_CREDENTIALS: &str = "'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'";

/// Every case, in the order they run.
pub fn all() -> Vec<Case> {
    vec![
        // Exact origins.
        case("exact origin listed", A, "/exact", GET, Expect { body: Some("exact for http://127.0.0.1:9301"), served: Some(1), ..ALLOWED }),
        case("exact origin not listed", C, "/exact", GET, Expect { reason: Some(NO_ALLOW_ORIGIN), served: Some(1), ..BLOCKED }),
        case("subdomain is not an exact origin", SUBDOMAIN, "/exact", GET, Expect { reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
        case("non-exposed header unreadable, safelisted readable", A, "/exact", GET, Expect { readable: &["content-type", SAFELISTED], unreadable: &["x-request-id", UNEXPOSED], ..ALLOWED }),
        // Wildcard subdomains.
        case("wildcard covers a subdomain", SUBDOMAIN, "/wildcard", GET, Expect { body: Some("wildcard for http://app.localhost:9301"), ..ALLOWED }),
        case("wildcard does not cover an IP origin", A, "/wildcard", GET, Expect { reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
        case("wildcard does not cover another port", C, "/wildcard", GET, Expect { reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
        // Any origin.
        case("any origin, expose *", C, "/public", GET, Expect { readable: &["x-served-by", "content-type", SAFELISTED, UNEXPOSED], unreadable: &[], ..ALLOWED }),
        case("any origin from the listed page too", A, "/public", GET, Expect { readable: &["x-served-by", UNEXPOSED], unreadable: &[], body: Some("public"), ..ALLOWED }),
        case("* refused for a credentialed call", A, "/public", WITH_COOKIES, Expect { reason: Some("must not be the wildcard '*' when the request's credentials mode is 'include'"), ..BLOCKED }),
        // Credentials.
        case("credentials: the cookie is sent and read back", A, "/me", WITH_COOKIES, Expect { body: Some("session 42"), readable: &["x-request-id", SAFELISTED], ..ALLOWED }),
        case("no cookie without credentials: include", A, "/me", GET, Expect { body: Some("session none"), ..ALLOWED }),
        case("credentials not allowed by the policy", A, "/no-credentials", WITH_COOKIES, Expect { reason: Some(NO_CREDENTIALS), ..BLOCKED }),
        case("credentialed preflight, then the cookie", A, "/me", PUT_JSON_WITH_COOKIES, Expect { preflights: 1, served: Some(1), body: Some(r#"session 42 updated to {"n":1}"#), ..ALLOWED }),
        case("credentialed preflight, credentials not allowed", A, "/items/7", PUT_JSON_WITH_COOKIES, Expect { preflights: 1, served: Some(0), reason: Some(NO_CREDENTIALS), ..BLOCKED }),
        case("credentials from an origin not listed", C, "/me", WITH_COOKIES, Expect { reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
        // Custom headers, JSON bodies, path parameters, expose lists.
        case("PUT JSON with x-token: preflight then PUT", A, "/items/7", PUT_JSON, Expect { preflights: 1, served: Some(1), body: Some(r#"PUT item 7 body {"name":"a"}"#), readable: &["x-request-id", SAFELISTED], ..ALLOWED }),
        case("header names in any case", A, "/items/7", r#"{"method": "PUT", "headers": {"X-Token": "t"}}"#, Expect { preflights: 1, ..ALLOWED }),
        case("header not in the list", A, "/items/7", r#"{"method": "PUT", "headers": {"x-trace": "1"}}"#, Expect { preflights: 1, served: Some(0), reason: Some("Request header field x-trace is not allowed by Access-Control-Allow-Headers"), ..BLOCKED }),
        case("authorization not in the list", A, "/items/7", r#"{"headers": {"authorization": "Bearer t"}}"#, Expect { preflights: 1, served: Some(0), reason: Some("Request header field authorization is not allowed by Access-Control-Allow-Headers"), ..BLOCKED }),
        case("headers = *: any custom header", A, "/any-header", r#"{"method": "PUT", "headers": {"x-anything": "yes"}}"#, Expect { preflights: 1, served: Some(1), body: Some("x-anything yes"), ..ALLOWED }),
        // Chromium still lets `Access-Control-Allow-Headers: *` cover `authorization` (a
        // deprecation it reports only in DevTools Issues), so static-cors refuses it under
        // `headers = "*"` with no allow-headers list at all, and the console names it.
        case("headers = *: authorization is still refused", A, "/any-header", r#"{"headers": {"authorization": "Bearer t"}}"#, Expect { preflights: 1, served: Some(0), reason: Some("Request header field authorization is not allowed by Access-Control-Allow-Headers"), ..BLOCKED }),
        // A cached `Access-Control-Allow-Headers: *` does not stretch over `authorization`:
        // Chromium sends a second preflight, which static-cors refuses.
        Case { key: Some("star-cache"), ..case("headers = *, cached: x-anything granted", A, "/any-header-cached", r#"{"headers": {"x-anything": "yes"}}"#, Expect { preflights: 1, served: Some(1), body: Some("any header, cached"), ..ALLOWED }) },
        Case { key: Some("star-cache"), ..case("headers = *, cached: the grant does not cover authorization", A, "/any-header-cached", r#"{"headers": {"authorization": "Bearer t"}}"#, Expect { preflights: 2, served: Some(1), reason: Some("Request header field authorization is not allowed by Access-Control-Allow-Headers"), ..BLOCKED }) },
        case("POST JSON from a wildcard subdomain", SUBDOMAIN, "/items/8", POST_JSON, Expect { preflights: 1, body: Some("POST item 8"), ..ALLOWED }),
        case("preflight from an origin not listed", C, "/items/7", PUT_JSON, Expect { preflights: 1, served: Some(0), reason: Some(PREFLIGHT_NO_ALLOW_ORIGIN), ..BLOCKED }),
        case("path parameter", A, "/items/42", GET, Expect { body: Some("GET item 42"), ..ALLOWED }),
        // Every method.
        case("HEAD: simple, no preflight", A, "/items/1", r#"{"method": "HEAD"}"#, Expect { readable: &["x-request-id", SAFELISTED], served: Some(1), ..ALLOWED }),
        case("POST text/plain: simple, no preflight", A, "/items/1", r#"{"method": "POST", "headers": {"content-type": "text/plain"}, "body": "hi"}"#, Expect { body: Some("POST item 1 body hi"), ..ALLOWED }),
        case("PATCH: preflighted", A, "/items/1", r#"{"method": "PATCH", "body": "p"}"#, Expect { preflights: 1, body: Some("PATCH item 1"), ..ALLOWED }),
        case("DELETE: served, kept same-origin", A, "/items/1", r#"{"method": "DELETE"}"#, Expect { preflights: 1, served: Some(0), reason: Some("Method DELETE is not allowed by Access-Control-Allow-Methods"), ..BLOCKED }),
        case("PROPFIND: an extension method", A, "/items/1", r#"{"method": "PROPFIND"}"#, Expect { preflights: 1, body: Some("PROPFIND item 1"), ..ALLOWED }),
        // Without a `methods` list a route serving OPTIONS keeps it same-origin; its preflight
        // still gets the policy's answer, and the console names the method. Listed, it is
        // granted like any other method (and `fetch()` uppercases `options`).
        case("OPTIONS as the call's method: not granted unless listed", A, "/options", r#"{"method": "OPTIONS"}"#, Expect { preflights: 1, served: Some(0), reason: Some("Method OPTIONS is not allowed by Access-Control-Allow-Methods"), ..BLOCKED }),
        case("OPTIONS listed in methods: granted after a preflight", A, "/options-listed", r#"{"method": "OPTIONS"}"#, Expect { preflights: 1, served: Some(1), body: Some("OPTIONS served"), ..ALLOWED }),
        case("lowercase options is sent as OPTIONS and granted", A, "/options-listed", r#"{"method": "options"}"#, Expect { preflights: 1, served: Some(1), body: Some("OPTIONS served"), ..ALLOWED }),
        case("lowercase patch is sent as written and refused", A, "/items/1", r#"{"method": "patch"}"#, Expect { preflights: 1, served: Some(0), reason: Some("Method patch is not allowed by Access-Control-Allow-Methods"), ..BLOCKED }),
        case("PUT with content-type only", A, "/items/5", r#"{"method": "PUT", "headers": {"content-type": "application/json"}, "body": "{}"}"#, Expect { preflights: 1, body: Some("PUT item 5 body {}"), ..ALLOWED }),
        // Preflight caching.
        Case { times: 2, ..case("max_age = 0: every call is preflighted", A, "/items/3", PUT_JSON, Expect { preflights: 2, served: Some(2), ..ALLOWED }) },
        Case { times: 2, ..case("max_age = 600: the preflight is cached", A, "/cached", r#"{"method": "PUT", "headers": {"content-type": "application/json"}, "body": "{}"}"#, Expect { preflights: 1, served: Some(2), body: Some("cached"), ..ALLOWED }) },
        // Several handlers on one path, each with its own policy.
        case("one path, GET handler's policy", A, "/shared", GET, Expect { body: Some("shared GET"), ..ALLOWED }),
        case("one path, POST handler refuses GET's origin", A, "/shared", POST_JSON, Expect { preflights: 1, served: Some(0), reason: Some(PREFLIGHT_NO_ALLOW_ORIGIN), ..BLOCKED }),
        case("one path, POST handler's own origin", C, "/shared", POST_JSON, Expect { preflights: 1, body: Some("shared POST"), ..ALLOWED }),
        case("one path, GET handler refuses POST's origin", C, "/shared", GET, Expect { reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
        // Errors stay readable.
        case("JSON body accepted", A, "/orders", POST_JSON, Expect { status: 201, preflights: 1, body: Some("ordered 3"), ..ALLOWED }),
        case("malformed JSON: the extractor's 400 is readable", A, "/orders", r#"{"method": "POST", "headers": {"content-type": "application/json"}, "body": "{\"quantity\":"}"#, Expect { status: 400, preflights: 1, ..ALLOWED }),
        case("path parameter not a number: 404 readable", A, "/items/seven", GET, Expect { status: 404, ..ALLOWED }),
        case("handler's 404 readable, exposed header too", A, "/status/404", GET, Expect { status: 404, body: Some("no such thing"), readable: &["x-request-id", SAFELISTED], ..ALLOWED }),
        case("handler's error 500 readable", A, "/status/500", GET, Expect { status: 500, body: Some("handler failed"), ..ALLOWED }),
        case("JSON body from an origin not listed", C, "/orders", POST_JSON, Expect { preflights: 1, served: Some(0), reason: Some(PREFLIGHT_NO_ALLOW_ORIGIN), ..BLOCKED }),
        // A cacheable response and two page origins sharing one HTTP cache: `Vary: Origin`
        // makes the browser go back to the server for the second origin.
        Case { key: Some("vary"), ..case("cacheable response for page A", A, "/cacheable", GET, Expect { body: Some("made for http://127.0.0.1:9301"), served: Some(1), ..ALLOWED }) },
        Case { key: Some("vary"), ..case("page A again: served from the HTTP cache", A, "/cacheable", GET, Expect { body: Some("made for http://127.0.0.1:9301"), served: Some(1), ..ALLOWED }) },
        Case { key: Some("vary"), ..case("page C: Vary keeps A's cached copy away", C, "/cacheable", GET, Expect { body: Some("made for http://127.0.0.1:9302"), served: Some(2), ..ALLOWED }) },
        Case { key: Some("vary"), ..case("page C again: its own cached copy", C, "/cacheable", GET, Expect { body: Some("made for http://127.0.0.1:9302"), served: Some(2), ..ALLOWED }) },
        // Behind bearer authentication on a `static_cors::scope`, the App wrapped in the
        // `Cors` layer: preflights are answered before the authentication (for every case here
        // the suite checks that no preflight reached it), and its 401s are readable by the page.
        behind_auth("bearer scope: credentialed PUT with the token, after a preflight", A, "/auth/items/7", PUT_WITH_TOKEN, Expect { preflights: 1, served: Some(1), authenticated: Some(1), validated: Some(1), body: Some(r#"PUT item 7 for session 42 body {"n":1}"#), readable: &["x-request-id", SAFELISTED], ..ALLOWED }),
        behind_auth("bearer scope: no token, the 401 is readable, not a CORS error", A, "/auth/items/7", PUT_JSON_WITH_COOKIES, Expect { status: 401, preflights: 1, served: Some(1), authenticated: Some(1), validated: Some(0), readable: &["www-authenticate", SAFELISTED], ..ALLOWED }),
        behind_auth("bearer scope: a refused token's 401 is readable", A, "/auth/items/7", PUT_WITH_WRONG_TOKEN, Expect { status: 401, preflights: 1, served: Some(1), authenticated: Some(1), validated: Some(1), readable: &["www-authenticate", SAFELISTED], ..ALLOWED }),
        Case { times: 2, ..behind_auth("bearer scope, max_age = 0: each PUT preflighted, no preflight reaches authentication", A, "/auth/items/7", PUT_WITH_TOKEN, Expect { preflights: 2, served: Some(2), authenticated: Some(2), validated: Some(2), ..ALLOWED }) },
        behind_auth("bearer scope: simple GET without a token, 401 readable, no preflight", A, "/auth/items/7", GET, Expect { status: 401, served: Some(1), authenticated: Some(1), validated: Some(0), readable: &["www-authenticate", SAFELISTED], ..ALLOWED }),
        behind_auth("bearer scope: the layer refuses a preflight from an origin not listed", C, "/auth/items/7", PUT_WITH_TOKEN, Expect { preflights: 1, served: Some(0), authenticated: Some(0), validated: Some(0), reason: Some(PREFLIGHT_NO_ALLOW_ORIGIN), ..BLOCKED }),
        behind_auth("bearer scope: a 401 for an origin not listed stays unreadable", C, "/auth/items/7", GET, Expect { served: Some(1), authenticated: Some(1), validated: Some(0), reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
        // A live origin set: the route grants page A by a literal and whatever the set holds
        // when a request arrives. Before some cases the operator changes the set through the
        // API's admin endpoint (over HTTP, from the harness); the browser sees the change on
        // its very next call, since `max_age = 0` leaves no cached preflight to hide it. The
        // calls of each sequence share one URL, so the counts add up along it.
        live("live set: page A granted by the literal while the set is empty", A, "live-a", None, PUT_JSON_WITH_COOKIES, Expect { preflights: 1, served: Some(1), body: Some("PUT tenant for http://127.0.0.1:9301 session 42"), ..ALLOWED }),
        live("live set: page C not in the set, its preflight refused", C, "live-c", None, PUT_JSON_WITH_COOKIES, Expect { preflights: 1, served: Some(0), reason: Some(PREFLIGHT_NO_ALLOW_ORIGIN), ..BLOCKED }),
        live("live set: C written with a slash, refused by the admin endpoint with the fix; C still refused", C, "live-c", ADD_C_WITH_SLASH, PUT_JSON_WITH_COOKIES, Expect { preflights: 2, served: Some(0), reason: Some(PREFLIGHT_NO_ALLOW_ORIGIN), ..BLOCKED }),
        live("live set: C added through the admin endpoint, its next preflight and PUT granted", C, "live-c", add(C), PUT_JSON_WITH_COOKIES, Expect { preflights: 3, served: Some(1), body: Some("PUT tenant for http://127.0.0.1:9302 session 42"), ..ALLOWED }),
        live("live set: C in the set, a credentialed GET granted", C, "live-c", None, WITH_COOKIES, Expect { preflights: 3, served: Some(1), body: Some("GET tenant for http://127.0.0.1:9302 session 42"), ..ALLOWED }),
        live("live set: C removed through the admin endpoint, its next preflight refused", C, "live-c", remove(C), PUT_JSON_WITH_COOKIES, Expect { preflights: 4, served: Some(1), reason: Some(PREFLIGHT_NO_ALLOW_ORIGIN), ..BLOCKED }),
        live("live set: C removed, a credentialed GET reaches the server, unreadable", C, "live-c", None, WITH_COOKIES, Expect { preflights: 4, served: Some(2), reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
        live("live set: a subdomain pattern added, app.localhost granted", SUBDOMAIN, "live-pattern", add(LOCALHOST_PATTERN), WITH_COOKIES, Expect { served: Some(1), body: Some("GET tenant for http://app.localhost:9301"), ..ALLOWED }),
        live("live set: the pattern removed, app.localhost refused", SUBDOMAIN, "live-pattern", remove(LOCALHOST_PATTERN), WITH_COOKIES, Expect { served: Some(2), reason: Some(NO_ALLOW_ORIGIN), ..BLOCKED }),
    ]
}
