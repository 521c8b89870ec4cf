//! The demo's own page, checked the way a person would: open it, let it run, read what it
//! displays, and compare each row with the verdict the demo's policies imply.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::browser::Browser;

/// The demo's page origins and, per call the page makes, whether the browser must allow it.
pub const PAGES: [(&str, [bool; 8]); 2] = [
    // exact, wildcard, public, PUT JSON, PUT x-trace, DELETE, me (cookies), partner
    (
        "http://127.0.0.1:8081/",
        [true, false, true, true, false, false, true, false],
    ),
    (
        "http://app.localhost:8081/",
        [false, true, true, true, false, false, false, false],
    ),
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

/// Opens the demo page at `url`, waits for it to finish, and compares what it displays with
/// `expected`; saves a screenshot to `screenshot`.
pub async fn check(
    browser: &mut Browser,
    url: &str,
    expected: &[bool],
    screenshot: &Path,
) -> Result<Vec<String>, String> {
    const READ: &str = r##"
        const done = arguments[arguments.length - 1];
        const started = Date.now();
        (function poll() {
            if (window.demoDone) {
                const rows = [...document.querySelectorAll("#results tr")].map((tr) => ({
                    name: tr.dataset.case,
                    pass: tr.dataset.pass === "true",
                    said: tr.children[2].textContent,
                }));
                done({ rows, results: window.demoResults, summary: document.getElementById("summary").textContent });
            } else if (Date.now() - started > 8000) {
                done(null);
            } else {
                setTimeout(poll, 50);
            }
        })();
    "##;
    browser.open(url).await?;
    let page = browser.run(READ, Vec::new()).await?;
    if page.is_null() {
        return Ok(vec!["the page did not finish within 8 s".to_owned()]);
    }
    let png = browser.screenshot().await?;
    std::fs::write(screenshot, png).map_err(|e| format!("{}: {e}", screenshot.display()))?;
    let rows = page["rows"].as_array().cloned().unwrap_or_default();
    let results = page["results"].as_array().cloned().unwrap_or_default();
    let mut problems = Vec::new();
    if rows.len() != expected.len() || results.len() != expected.len() {
        problems.push(format!(
            "{} rows shown, expected {}",
            rows.len(),
            expected.len()
        ));
    }
    for ((row, result), &allowed) in rows.iter().zip(&results).zip(expected) {
        let name = row["name"].as_str().unwrap_or("?");
        if result["allowed"].as_bool() != Some(allowed) {
            let said = row["said"].as_str().unwrap_or_default();
            problems.push(format!(
                "{name}: browser said {said:?}, expected {}",
                if allowed { "allowed" } else { "blocked" }
            ));
        }
        if row["pass"] != Value::Bool(true) {
            problems.push(format!("{name}: the page marks it unexpected"));
        }
    }
    let summary = page["summary"].as_str().unwrap_or_default();
    let all = format!(
        "{n} of {n} calls behaved as the policies say.",
        n = expected.len()
    );
    if summary != all {
        problems.push(format!("summary reads {summary:?}"));
    }
    Ok(problems)
}
