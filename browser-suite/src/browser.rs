//! Headless Chromium through chromedriver: start both, open pages, run `fetch()` in them, and
//! read what the browser said on its console. The driver only observes; it never intercepts a
//! request, so every preflight really reaches the server.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use fantoccini::wd::{Capabilities, TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde::Deserialize;
use serde_json::{json, Value};

/// A running headless Chromium session; chromedriver is stopped when it is dropped.
pub struct Browser {
    /// The WebDriver session.
    client: Client,
    /// The chromedriver process, killed on drop.
    _driver: Child,
    /// The fresh Chromium profile of this run, removed by [`Browser::close`].
    profile: PathBuf,
}

/// What a page's `fetch()` resolved to.
#[derive(Debug, Deserialize)]
pub struct FetchOutcome {
    /// Whether the browser let script see the response (`false`: the promise rejected).
    pub allowed: bool,
    /// The status script sees; 0 when blocked.
    #[serde(default)]
    pub status: u16,
    /// `response.headers.get(name)` for every name asked about.
    #[serde(default)]
    pub headers: serde_json::Map<String, Value>,
    /// The body as text; empty when blocked.
    #[serde(default)]
    pub body: String,
}

/// A `fetch()` to run in a page.
pub struct Fetch<'a> {
    /// Absolute URL.
    pub url: &'a str,
    /// The `init` argument, as JSON (`method`, `headers`, `body`, `credentials`, `cache`).
    pub init: Value,
    /// Response headers whose readability the case checks.
    pub read: &'a [&'a str],
}

impl Browser {
    /// Starts chromedriver on a free loopback port and a fresh headless Chromium profile.
    pub async fn start() -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free loopback port for chromedriver: {e}"))?
            .port();
        let driver_addr = format!("127.0.0.1:{port}");
        // Killed when dropped: on every early return below as well as at the end.
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e} (install chromium-driver)"))?;
        crate::serve::wait_for(&driver_addr, Duration::from_secs(20))?;
        let profile = std::env::temp_dir().join(format!("browser-suite-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1200,1200",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://{driver_addr}"))
            .await
            .map_err(|e| format!("cannot open a Chromium session: {e}"))?;
        let timeouts = TimeoutConfiguration::new(
            Some(Duration::from_secs(10)),
            Some(Duration::from_secs(15)),
            None,
        );
        client
            .update_timeouts(timeouts)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            _driver: driver,
            profile,
        })
    }

    /// Opens `url` in the one tab.
    pub async fn open(&self, url: &str) -> Result<(), String> {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("open {url}: {e}"))
    }

    /// Runs `script` in the page (a function body whose last argument is the callback).
    pub async fn run(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.client
            .execute_async(script, args)
            .await
            .map_err(|e| format!("script failed: {e}"))
    }

    /// Runs one `fetch()` in the current page and reports what script could see.
    pub async fn fetch(&self, fetch: &Fetch<'_>) -> Result<FetchOutcome, String> {
        const SCRIPT: &str = r#"
            const [url, init, names, done] = arguments;
            fetch(url, init).then(async (response) => {
                const headers = {};
                for (const name of names) headers[name] = response.headers.get(name);
                const body = await response.text();
                done({ allowed: true, status: response.status, headers, body });
            }, (error) => done({ allowed: false, body: String(error) }));
        "#;
        let names = fetch.read.iter().map(|n| json!(n)).collect();
        let value = self
            .run(
                SCRIPT,
                vec![json!(fetch.url), fetch.init.clone(), Value::Array(names)],
            )
            .await?;
        serde_json::from_value(value).map_err(|e| format!("unexpected fetch result: {e}"))
    }

    /// The console line about `url` that says why the browser blocked it, waiting up to two
    /// seconds: Chromium logs it shortly after the promise rejects.
    pub async fn blocked_reason(&self, url: &str) -> Result<Option<String>, String> {
        for _ in 0..40 {
            let blocked = self
                .read_console()
                .await?
                .into_iter()
                .find(|line| line.contains(url) && line.contains("blocked by CORS policy"));
            if blocked.is_some() {
                return Ok(blocked);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(None)
    }

    /// Forgets what the console says so far (between cases).
    pub async fn clear_console(&self) -> Result<(), String> {
        self.read_console().await.map(drop)
    }

    /// The console lines Chromium logged since the last read.
    async fn read_console(&self) -> Result<Vec<String>, String> {
        let entries = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .map_err(|e| format!("reading the console: {e}"))?;
        let lines = entries.as_array().into_iter().flatten();
        Ok(lines
            .filter_map(|entry| entry.get("message")?.as_str().map(str::to_owned))
            .collect())
    }

    /// A PNG of the current page.
    pub async fn screenshot(&self) -> Result<Vec<u8>, String> {
        self.client.screenshot().await.map_err(|e| e.to_string())
    }

    /// Ends the session, stops chromedriver and removes the profile.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// chromedriver's `POST /session/{id}/se/log` for the `browser` (console) log; each call
/// returns the entries since the previous one.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}
