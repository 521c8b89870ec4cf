//! The demo's own page, checked the way a person would: open it, let it run, read what it
//! displays, and compare each row with the verdict the demo's policies imply.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::browser::Browser;

/// One origin the demo's page is opened from, and what it must display.
pub struct DemoPage {
    /// The page's URL.
    pub url: &'static str,
    /// The screenshot's file name, under the artifacts directory.
    pub screenshot: &'static str,
    /// The rows it must display.
    pub rows: &'static [Row],
}

/// One row the demo page must display.
pub struct Row {
    /// The call, as the page names it.
    pub call: &'static str,
    /// Whether the browser must allow it.
    pub allowed: bool,
    /// A piece of the "browser said" cell.
    pub said: &'static str,
}

/// Shorthand for a [`Row`].
const fn row(call: &'static str, allowed: bool, said: &'static str) -> Row {
    Row {
        call,
        allowed,
        said,
    }
}

// Rows whose verdict does not depend on the page's origin.

/// A public call every origin may make.
const PUBLIC: Row = row(
    "GET /api/public, read x-served-by",
    true,
    "x-served-by: static-cors demo",
);
/// A header outside the item policy's list.
const X_TRACE: Row = row(
    "PUT /api/items/7 with x-trace",
    false,
    "blocked (TypeError)",
);
/// A method the route serves but the policy keeps same-origin.
const DELETE: Row = row("DELETE /api/items/7", false, "blocked (TypeError)");
/// An origin the page never is.
const PARTNER: Row = row("GET /api/partner", false, "blocked (TypeError)");
/// The preflighted PUT, granted to both page origins; its exposed header is readable.
const PUT: Row = row(
    "PUT /api/items/7 JSON + x-token (preflighted)",
    true,
    "x-request-id: demo-42",
);

/// A call the authentication answers `401` before routing: the `Cors` layer makes it readable.
const ACCOUNT_GET: Row = row(
    "GET /api/account/orders/1 without a token",
    true,
    "status 401, www-authenticate: Bearer — 401 readable by the page",
);
/// The same for a preflighted call: the layer answers the preflight before the authentication.
const ACCOUNT_PUT: Row = row(
    "PUT /api/account/orders/1 JSON without a token (preflighted)",
    true,
    "status 401, www-authenticate: Bearer — 401 readable by the page",
);
/// With the token, the call reaches the handler.
const ACCOUNT_PUT_TOKEN: Row = row(
    "PUT /api/account/orders/1 with the token (preflighted)",
    true,
    r#"status 200 — {"body":{"qty":2},"method":"PUT","order":1}"#,
);

/// The demo's page from its listed origin and from a subdomain the wildcard policy covers.
pub const PAGES: [DemoPage; 2] = [
    DemoPage {
        url: "http://127.0.0.1:8081/",
        screenshot: "demo-page.png",
        rows: &[
            row("GET /api/exact", true, "status 200"),
            row("GET /api/wildcard", false, "blocked (TypeError)"),
            PUBLIC,
            PUT,
            X_TRACE,
            DELETE,
            row("GET /api/me with cookies", true, r#""session":"42""#),
            PARTNER,
            ACCOUNT_GET,
            ACCOUNT_PUT,
            ACCOUNT_PUT_TOKEN,
        ],
    },
    DemoPage {
        url: "http://app.localhost:8081/",
        screenshot: "demo-page-subdomain.png",
        rows: &[
            row("GET /api/exact", false, "blocked (TypeError)"),
            row("GET /api/wildcard", true, "status 200"),
            PUBLIC,
            PUT,
            X_TRACE,
            DELETE,
            row("GET /api/me with cookies", false, "blocked (TypeError)"),
            PARTNER,
            ACCOUNT_GET,
            ACCOUNT_PUT,
            ACCOUNT_PUT_TOKEN,
        ],
    },
];

/// The demo server, stopped when dropped.
pub struct Demo(Child);

impl Demo {
    /// Starts the demo binary built by the script.
    pub fn start(binary: &Path) -> Result<Self, String> {
        let child = Command::new(binary)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the demo {}: {e}", binary.display()))?;
        let demo = Self(child);
        crate::serve::wait_for("127.0.0.1:8080", Duration::from_secs(20))?;
        crate::serve::wait_for("127.0.0.1:8081", Duration::from_secs(20))?;
        Ok(demo)
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Opens `page`, waits for it to finish, compares what it displays with what the policies
/// imply, and saves a screenshot to `screenshot`. Returns every difference.
pub async fn check(
    browser: &Browser,
    page: &DemoPage,
    screenshot: &Path,
) -> Result<Vec<String>, String> {
    const READ: &str = r##"
        const done = arguments[arguments.length - 1];
        const started = Date.now();
        (function poll() {
            if (window.demoDone) {
                const rows = [...document.querySelectorAll("#results tr")].map((tr) =>
                    [...tr.children].map((td) => td.textContent));
                done({ rows, summary: document.getElementById("summary").textContent });
            } else if (Date.now() - started > 8000) {
                done(null);
            } else {
                setTimeout(poll, 50);
            }
        })();
    "##;
    browser.open(page.url).await?;
    let shown = browser.run(READ, Vec::new()).await?;
    if shown.is_null() {
        return Ok(vec!["the page did not finish within 8 s".to_owned()]);
    }
    let png = browser.screenshot().await?;
    std::fs::write(screenshot, png).map_err(|e| format!("{}: {e}", screenshot.display()))?;
    // Each row displays: call, expected, browser said, why expected, mark.
    let rows: Vec<Vec<String>> = serde_json::from_value(shown["rows"].clone())
        .map_err(|e| format!("the page's table: {e}"))?;
    let mut problems = Vec::new();
    if rows.len() != page.rows.len() {
        problems.push(format!(
            "{} rows shown, expected {}",
            rows.len(),
            page.rows.len()
        ));
    }
    for expected in page.rows {
        let Some(cells) = rows.iter().find(|cells| cells[0] == expected.call) else {
            problems.push(format!("no row for {:?}", expected.call));
            continue;
        };
        let [_, page_expects, said, _, mark] = cells.as_slice() else {
            problems.push(format!(
                "{}: row {cells:?} has not five cells",
                expected.call
            ));
            continue;
        };
        let verdict = crate::check::verdict(expected.allowed);
        let allowed = said.starts_with("status ");
        if allowed != expected.allowed || !said.contains(expected.said) {
            problems.push(format!(
                "{}: browser said {said:?}, expected {verdict} with {:?}",
                expected.call, expected.said
            ));
        }
        if page_expects != verdict {
            problems.push(format!(
                "{}: the page expects {page_expects}, the policies imply {verdict}",
                expected.call
            ));
        }
        if mark != "✓ as expected" {
            problems.push(format!("{}: the page marks it {mark:?}", expected.call));
        }
    }
    let summary = shown["summary"].as_str().unwrap_or_default();
    let all = format!(
        "{n} of {n} calls behaved as the policies say.",
        n = page.rows.len()
    );
    if summary != all {
        problems.push(format!("summary reads {summary:?}"));
    }
    Ok(problems)
}
