//! A handler's CORS policy: what it allows, and the header values it answers with.
//!
//! This file holds the type, its keys and its state. What a policy does is one stage a file,
//! each adding to `impl Policy` without this file depending on it: `evaluate.rs` judges
//! requests, `response.rs` picks the headers that answer a verdict, `describe.rs` prints it.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use crate::origin::configured::{ConfigError, ConfigProblem};
use crate::origin::AllowedOrigins;
use crate::parts::{HeaderList, PolicyParts};
use crate::tables::HeaderTables;
use crate::verdict::Cause;

/// The request headers a policy allows in a preflight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowedHeaders<'p> {
    /// `headers = "*"`: any header except `authorization`, which the Fetch standard never lets
    /// a wildcard cover.
    Any,
    /// Lowercase names, sorted and deduplicated; empty when the policy allows none.
    List(&'p [&'static str]),
}

/// The response headers page script may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExposedHeaders<'p> {
    /// `expose = "*"`: every response header (only without credentials).
    Any,
    /// Lowercase names, sorted and deduplicated; empty when the policy exposes none.
    List(&'p [&'static str]),
}

/// The CORS policy of one handler, as `#[cors(...)]` declared it.
///
/// Every value is fixed at compile time; the generated code stores the policy in a `static`
/// and the handler's `cors_policy()` returns it. Read its keys, judge requests with it
/// ([`Policy::preflight`], [`Policy::actual`]) or print it as the headers it sends:
///
/// ```
/// use actix_web::{put, HttpResponse, Responder};
/// use static_cors::{cors, AllowedHeaders, AllowedOrigins, ExposedHeaders};
///
/// #[cors(
///     origins = ["https://app.example.com", "https://*.example.org"],
///     headers = ["X-Token", "content-type"],
///     expose = ["x-request-id"],
///     credentials = true,
///     max_age = 600,
/// )]
/// #[put("/items/{id}")]
/// async fn update_item() -> impl Responder {
///     HttpResponse::Ok()
/// }
///
/// let policy = update_item::cors_policy();
/// assert_eq!(policy.handler(), "update_item");
/// assert!(policy.location().ends_with(".rs:14"), "{}", policy.location()); // file:line of the fn
/// assert!(matches!(policy.origins(), AllowedOrigins::List(_)));
/// assert!(policy.origins().allows(b"https://eu.example.org"));
/// assert_eq!(policy.methods(), ["PUT"]); // the route's methods
/// assert!(matches!(policy.headers(), AllowedHeaders::List(["content-type", "x-token"])));
/// assert!(matches!(policy.expose(), ExposedHeaders::List(["x-request-id"])));
/// assert!(policy.credentials());
/// assert!(!policy.private_network());
/// assert_eq!(policy.max_age(), 600);
/// assert!(policy.to_string().contains("access-control-max-age: 600"));
/// ```
#[derive(Debug)]
pub struct Policy {
    parts: PolicyParts,
    /// The lists and header values, built from `parts` on first use (the handler's
    /// registration).
    tables: OnceLock<HeaderTables>,
    /// Causes already logged at warn level.
    warned: WarnedCauses,
}

/// One bit per [`Cause`], set once that cause has been logged at warn level, so a
/// misconfiguration shows in default logs without letting hostile traffic flood them.
#[derive(Debug, Default)]
struct WarnedCauses(AtomicU8);

impl WarnedCauses {
    const fn new() -> Self {
        Self(AtomicU8::new(0))
    }

    /// Marks `cause` as warned; true if it was not before.
    fn first(&self, cause: Cause) -> bool {
        let bit = 1 << (cause as u8);
        self.0.fetch_or(bit, Ordering::Relaxed) & bit == 0
    }
}

impl Policy {
    /// Assembles a policy from checked parts. Called by generated code only.
    #[doc(hidden)]
    #[must_use]
    pub const fn from_parts(parts: PolicyParts) -> Self {
        Self {
            parts,
            tables: OnceLock::new(),
            warned: WarnedCauses::new(),
        }
    }

    /// The name of the handler this policy belongs to.
    #[must_use]
    pub fn handler(&self) -> &'static str {
        self.parts.handler
    }

    /// Where the handler is defined, as `file:line`.
    #[must_use]
    pub fn location(&self) -> &'static str {
        self.parts.location
    }

    /// The origins the policy grants.
    #[must_use]
    pub fn origins(&self) -> &AllowedOrigins {
        &self.parts.origins
    }

    /// The methods cross-origin pages may use, in the exact case browsers send.
    #[must_use]
    pub fn methods(&self) -> &[&'static str] {
        &self.tables().methods
    }

    /// The request headers a preflight may ask for.
    #[must_use]
    pub fn headers(&self) -> AllowedHeaders<'_> {
        match self.parts.headers {
            HeaderList::Any => AllowedHeaders::Any,
            HeaderList::Names(_) => AllowedHeaders::List(&self.tables().headers),
        }
    }

    /// The response headers page script may read.
    #[must_use]
    pub fn expose(&self) -> ExposedHeaders<'_> {
        match self.parts.expose {
            HeaderList::Any => ExposedHeaders::Any,
            HeaderList::Names(_) => ExposedHeaders::List(&self.tables().expose),
        }
    }

    /// Whether credentialed requests (cookies, HTTP auth) are allowed.
    #[must_use]
    pub fn credentials(&self) -> bool {
        self.parts.credentials
    }

    /// Whether Private Network Access preflights are answered.
    #[must_use]
    pub fn private_network(&self) -> bool {
        self.parts.private_network
    }

    /// Seconds a browser may cache a successful preflight.
    #[must_use]
    pub fn max_age(&self) -> u32 {
        self.parts.max_age
    }

    /// Reads the origins the policy takes from configuration (`env("VAR")`,
    /// `config(path::to::function)`) and checks each by the rules of literal origins; checks
    /// that each live set (`set(NAME)`) is as strict as the policy.
    ///
    /// Registering the handler (`App::new().service(handler)`) does this and stops the app
    /// with the message if an entry is wrong; call it first, e.g. from `main`, to report the
    /// error your own way. Once configuration has been read without error, later calls do not
    /// read it again.
    /// Policies with neither configured origins nor live sets always return `Ok`.
    ///
    /// # Errors
    /// The source (`environment variable APP_CORS_ORIGINS`), the entry at fault and the fix;
    /// or an unset variable; or a policy left with no origin at all; or, in a policy with
    /// credentials, a live set made with [`OriginSet::allowing_insecure_http`](crate::OriginSet::allowing_insecure_http)
    /// when the policy does not allow insecure http ([`ConfigProblem::InsecureSet`]).
    ///
    /// ```
    /// use actix_web::{get, HttpResponse, Responder};
    /// use static_cors::cors;
    ///
    /// #[cors(origins = ["https://app.example.com", env("DOCTEST_PARTNER_ORIGINS")])]
    /// #[get("/partners")]
    /// async fn partners() -> impl Responder {
    ///     HttpResponse::Ok()
    /// }
    ///
    /// std::env::set_var("DOCTEST_PARTNER_ORIGINS", "https://partner.example.net/");
    /// let error = partners::cors_policy().load_configured().unwrap_err();
    /// assert_eq!(error.entry(), Some("https://partner.example.net/"));
    /// assert!(error.to_string().contains("write \"https://partner.example.net\""));
    /// ```
    pub fn load_configured(&'static self) -> Result<(), ConfigError> {
        let AllowedOrigins::List(list) = &self.parts.origins else {
            return Ok(());
        };
        if let Some(live) = list
            .live_sets()
            .iter()
            .find(|live| live.weaker_than_policy())
        {
            return Err(ConfigError::new(
                self.parts.handler,
                live.source(),
                ConfigProblem::InsecureSet,
            ));
        }
        match list.configured() {
            Some(configured) => configured.load(self.parts.handler, list.has_literals()),
            None => Ok(()),
        }
    }

    /// Marks `cause` as logged at warn level for this policy; true the first time.
    pub(crate) fn first_refusal(&self, cause: Cause) -> bool {
        self.warned.first(cause)
    }

    /// The policy's header values; the first call builds them.
    pub(crate) fn tables(&self) -> &HeaderTables {
        self.tables.get_or_init(|| HeaderTables::build(&self.parts))
    }

    pub(crate) fn allows_method(&self, method: &[u8]) -> bool {
        self.methods().iter().any(|m| m.as_bytes() == method)
    }

    /// Whether the policy lets a preflight ask for request header `name` (any case).
    pub(crate) fn allows_header(&self, name: &[u8]) -> bool {
        match self.headers() {
            AllowedHeaders::Any => !name.eq_ignore_ascii_case(b"authorization"),
            // Browsers send the names lowercased, as the list is: most are found by a plain
            // comparison before any is compared case-insensitively.
            AllowedHeaders::List(list) => {
                list.iter().any(|h| h.as_bytes() == name)
                    || list.iter().any(|h| h.as_bytes().eq_ignore_ascii_case(name))
            }
        }
    }
}
