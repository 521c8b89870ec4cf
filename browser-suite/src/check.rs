//! Running one case in the browser and comparing what happened with what it expects.

use serde_json::Value;

use crate::api;
use crate::auth;
use crate::browser::{Browser, Fetch};
use crate::cases::Case;
use crate::live;

/// The URL a case calls: its API's address and path, tagged with the case's key so the API
/// can count the requests (and the browser cache them) per case.
fn api_url(api: &str, path: &str, key: &str) -> String {
    format!("http://{api}{path}?case={key}")
}

/// How a verdict is printed.
pub fn verdict(allowed: bool) -> &'static str {
    if allowed {
        "allowed"
    } else {
        "blocked"
    }
}

/// The method as `fetch()` sends it: the six it normalizes uppercased, any other as written.
fn sent_method(method: &str) -> String {
    const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    match NORMALIZED.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(normalized) => (*normalized).to_owned(),
        None => method.to_owned(),
    }
}

/// What one case showed.
pub struct Outcome {
    /// Every way the case differs from its expectation; empty when it passes.
    pub problems: Vec<String>,
    /// The browser's own words for a block, as its console gave them.
    pub reason: Option<String>,
    /// The admin call made before the case, and its answer.
    pub admin: Option<String>,
}

/// Runs `case` (its page is already open) and compares it with its expectation.
pub async fn run(browser: &Browser, case: &Case, key: &str) -> Result<Outcome, String> {
    let expect = &case.expect;
    let url = api_url(case.api, case.path, key);
    let init: Value = serde_json::from_str(case.init).map_err(|e| format!("case init: {e}"))?;
    let method = sent_method(init.get("method").and_then(Value::as_str).unwrap_or("GET"));
    let read: Vec<&str> = expect
        .readable
        .iter()
        .chain(expect.unreadable)
        .copied()
        .collect();
    let mut problems = Vec::new();
    let mut admin = None;
    if let Some(step) = &case.admin {
        let (status, body) = live::call(step).await?;
        let said = format!(
            "{} {} answered {status} {body:?}",
            step.method(),
            step.origin
        );
        if status != step.status {
            problems.push(format!("admin {said} (expected {})", step.status));
        }
        if let Some(says) = step.says {
            if !body.contains(says) {
                problems.push(format!("admin {said}, which lacks {says:?}"));
            }
        }
        admin = Some(said);
    }
    browser.clear_console().await?;
    let fetch = Fetch {
        url: &url,
        init,
        read: &read,
    };
    let mut outcome = browser.fetch(&fetch).await?;
    for _ in 1..case.times {
        outcome = browser.fetch(&fetch).await?;
    }
    if outcome.allowed != expect.allowed {
        let said = verdict(outcome.allowed);
        problems.push(format!("browser {said} it ({})", outcome.body));
    }
    if outcome.allowed {
        if outcome.status != expect.status {
            problems.push(format!(
                "status {} (expected {})",
                outcome.status, expect.status
            ));
        }
        for name in expect.readable {
            if outcome.headers.get(*name).is_none_or(Value::is_null) {
                problems.push(format!("script cannot read {name}"));
            }
        }
        for name in expect.unreadable {
            if outcome.headers.get(*name).is_some_and(|v| !v.is_null()) {
                problems.push(format!("script can read {name}"));
            }
        }
        if let Some(body) = expect.body {
            if !outcome.body.contains(body) {
                problems.push(format!("body {:?} lacks {body:?}", outcome.body));
            }
        }
    }
    let mut console = None;
    if let Some(reason) = expect.reason {
        console = browser.blocked_reason(&url).await?;
        match &console {
            Some(line) if line.contains(reason) => {}
            Some(line) => problems.push(format!("console says {line:?}, expected {reason:?}")),
            None => problems.push("no console message about the block".to_owned()),
        }
    }
    let preflights = api::preflights(key);
    if preflights != expect.preflights {
        problems.push(format!(
            "{preflights} preflights reached the server (expected {})",
            expect.preflights
        ));
    }
    if let Some(served) = expect.served {
        let got = api::served(key, &method);
        if got != served {
            problems.push(format!(
                "{got} {method} requests reached the server (expected {served})"
            ));
        }
    }
    let counts = [
        (
            "the authentication middleware",
            expect.authenticated,
            auth::authenticated(key),
        ),
        ("the validator", expect.validated, auth::validated(key)),
    ];
    for (what, expected, got) in counts {
        if expected.is_some_and(|expected| expected != got) {
            let expected = expected.unwrap_or_default();
            problems.push(format!(
                "{got} requests reached {what} (expected {expected})"
            ));
        }
    }
    if case.api == auth::ADDR {
        let preflights = auth::authenticated_preflights(key);
        if preflights > 0 {
            problems.push(format!(
                "{preflights} preflights reached the authentication middleware (expected none)"
            ));
        }
    }
    let reason = console.map(|line| match line.split_once("blocked by CORS policy: ") {
        Some((_, why)) => why.trim_end_matches('"').to_owned(),
        None => line,
    });
    Ok(Outcome {
        problems,
        reason,
        admin,
    })
}
