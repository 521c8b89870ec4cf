//! static-cors judged by a real browser.
//!
//! Starts, on loopback, an API whose handlers carry `#[cors]` policies, the same behind bearer
//! authentication and the `static_cors::Cors` layer, two page origins (plus
//! a `*.localhost` subdomain of one), the demo, chromedriver and headless Chromium; runs every
//! case of [`cases::all`] as a cross-origin `fetch()` in a page, some after an operator's call
//! to the API's admin endpoint that changes a live origin set ([`live`]); checks what script
//! saw, what the server received and what the browser wrote on its console; then checks the
//! demo's own page, from both of its origins, and saves a screenshot of each. Exits non-zero if
//! anything differs.
//!
//! Run it with `scripts/browser-tests.sh`, which installs Chromium and builds the demo.

#![warn(clippy::missing_docs_in_private_items)]

mod api;
mod auth;
mod browser;
mod cases;
mod check;
mod demo;
mod live;
mod pages;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use browser::Browser;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("browser-suite: {error}");
            ExitCode::from(2)
        }
    }
}

/// Runs everything; returns the number of failed cases.
async fn run() -> Result<usize, String> {
    let started = Instant::now();
    let demo_binary = std::env::var_os("DEMO_BIN")
        .map(PathBuf::from)
        .ok_or("set DEMO_BIN to the built demo example (scripts/browser-tests.sh does)")?;
    let artifacts = std::env::var_os("ARTIFACTS")
        .map_or_else(|| PathBuf::from("target/browser-suite"), PathBuf::from);
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;

    api::start();
    auth::start();
    pages::start();
    let _demo = demo::Demo::start(&demo_binary)?;
    for addr in [api::ADDR, auth::ADDR, "127.0.0.1:9301", "127.0.0.1:9302"] {
        serve::wait_for(addr, Duration::from_secs(20))?;
    }
    let browser = Browser::start().await?;
    let outcome = run_cases(&browser, &artifacts).await;
    browser.close().await;
    let failed = outcome?;
    println!(
        "\n{} in {:.1} s",
        if failed == 0 { "all passed" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    Ok(failed)
}

/// Runs every case of the table, then the demo page checks; returns the number that failed.
async fn run_cases(browser: &Browser, artifacts: &std::path::Path) -> Result<usize, String> {
    let cases = cases::all();
    let total = cases.len() + demo::PAGES.len();
    let mut failed = 0;
    let mut open_page = "";
    for (index, case) in cases.iter().enumerate() {
        if case.page != open_page {
            browser.open(&format!("{}/", case.page)).await?;
            browser
                .run(
                    "document.cookie = 'suite_session=42; path=/'; arguments[0](true);",
                    Vec::new(),
                )
                .await?;
            open_page = case.page;
        }
        let key = case.key.map_or_else(|| format!("c{index}"), str::to_owned);
        let outcome = check::run(browser, case, &key).await?;
        let verdict = check::verdict(case.expect.allowed);
        let name = format!("{} [{verdict} from {}]", case.name, case.page);
        failed += report(index + 1, total, &name, &outcome.problems);
        if let Some(admin) = outcome.admin {
            println!("       admin: {admin}");
        }
        if let Some(reason) = outcome.reason {
            println!("       browser: {reason}");
        }
    }
    for (i, page) in demo::PAGES.iter().enumerate() {
        let shot = artifacts.join(page.screenshot);
        let problems = demo::check(browser, page, &shot).await?;
        let name = format!("demo page at {} (screenshot {})", page.url, shot.display());
        failed += report(cases.len() + i + 1, total, &name, &problems);
    }
    println!("\n{} of {total} cases passed", total - failed);
    Ok(failed)
}

/// Prints one line per case, and each problem under a failed one; returns 1 if it failed.
fn report(index: usize, total: usize, name: &str, problems: &[String]) -> usize {
    let mark = if problems.is_empty() { "pass" } else { "FAIL" };
    println!("{mark} {index:>2}/{total} {name}");
    for problem in problems {
        println!("       {problem}");
    }
    usize::from(!problems.is_empty())
}
