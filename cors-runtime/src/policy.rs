//! A handler's CORS policy: what it allows, and the header values it answers with.

use http::HeaderValue;

use crate::origin::AllowedOrigins;

/// The request headers a policy allows in a preflight.
#[derive(Debug)]
pub enum AllowedHeaders {
    /// `headers = "*"`: any header except `authorization`, which the Fetch standard never lets
    /// a wildcard cover.
    Any,
    /// Lowercase names, sorted and deduplicated; empty when the policy allows none.
    List(&'static [&'static str]),
}

/// The response headers page script may read.
#[derive(Debug)]
pub enum ExposedHeaders {
    /// `expose = "*"`: every response header (only without credentials).
    Any,
    /// Lowercase names, sorted and deduplicated; empty when the policy exposes none.
    List(&'static [&'static str]),
}

/// Header values of a policy, computed at compile time.
#[doc(hidden)]
#[derive(Debug)]
pub struct HeaderTables {
    pub allow_methods: HeaderValue,
    pub allow_headers: Option<HeaderValue>,
    pub expose_headers: Option<HeaderValue>,
    pub max_age: HeaderValue,
    /// `Vary` of actual responses: `Origin` when the answer depends on it.
    pub vary_actual: Option<HeaderValue>,
    /// `Vary` of preflight responses.
    pub vary_preflight: HeaderValue,
}

/// `Vary` values every policy shares. Generated code names these instead of spelling them out:
/// a `const` is evaluated once per crate, a `HeaderValue::from_static` call in each policy's
/// `static` once per handler, and const evaluation is the largest part of what `#[cors]` costs
/// to compile (BENCHMARKS.md).
#[doc(hidden)]
pub mod shared {
    use http::HeaderValue;

    /// `Vary` of actual responses.
    pub const VARY_ORIGIN: HeaderValue = HeaderValue::from_static("Origin");
    /// `Vary` of preflight responses.
    pub const VARY_PREFLIGHT: HeaderValue = HeaderValue::from_static(
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
    );
    /// `Vary` of preflight responses of a policy answering Private Network Access.
    pub const VARY_PREFLIGHT_PRIVATE_NETWORK: HeaderValue = HeaderValue::from_static(
        "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
    );
}

/// The parts of a [`Policy`], filled in by `#[cors]`'s generated code.
#[doc(hidden)]
#[derive(Debug)]
pub struct PolicyParts {
    pub handler: &'static str,
    pub location: &'static str,
    pub origins: AllowedOrigins,
    pub methods: &'static [&'static str],
    pub headers: AllowedHeaders,
    pub expose: ExposedHeaders,
    pub credentials: bool,
    pub private_network: bool,
    pub max_age: u32,
    pub tables: HeaderTables,
    /// Causes already logged at warn level.
    pub warned: crate::diagnostics::WarnedCauses,
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
}

impl Policy {
    /// Assembles a policy from checked parts. Called by generated code only.
    #[doc(hidden)]
    #[must_use]
    pub const fn from_parts(parts: PolicyParts) -> Self {
        Self { parts }
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
    pub fn methods(&self) -> &'static [&'static str] {
        self.parts.methods
    }

    /// The request headers a preflight may ask for.
    #[must_use]
    pub fn headers(&self) -> &AllowedHeaders {
        &self.parts.headers
    }

    /// The response headers page script may read.
    #[must_use]
    pub fn expose(&self) -> &ExposedHeaders {
        &self.parts.expose
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
    /// `config(path::to::function)`) and checks each by the rules of literal origins.
    ///
    /// Registering the handler (`App::new().service(handler)`) does this and stops the app
    /// with the message if an entry is wrong; call it first, e.g. from `main`, to report the
    /// error your own way. Reading happens once; later calls return `Ok` at once. Policies
    /// without configured origins always return `Ok`.
    ///
    /// # Errors
    /// The source (`environment variable APP_CORS_ORIGINS`), the entry at fault and the fix;
    /// or an unset variable; or a policy left with no origin at all.
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
    /// assert_eq!(error.entry.as_deref(), Some("https://partner.example.net/"));
    /// assert!(error.to_string().contains("write \"https://partner.example.net\""));
    /// ```
    pub fn load_configured(&self) -> Result<(), crate::configured::ConfigError> {
        match &self.parts.origins {
            AllowedOrigins::List(list) => match &list.configured {
                Some(configured) => configured.load(self.parts.handler, !list.entries.is_empty()),
                None => Ok(()),
            },
            AllowedOrigins::Any => Ok(()),
        }
    }

    pub(crate) fn warned(&self) -> &crate::diagnostics::WarnedCauses {
        &self.parts.warned
    }

    pub(crate) fn tables(&self) -> &HeaderTables {
        &self.parts.tables
    }

    pub(crate) fn allows_method(&self, method: &[u8]) -> bool {
        self.parts.methods.iter().any(|m| m.as_bytes() == method)
    }

    /// Whether the policy lets a preflight ask for request header `name` (any case).
    pub(crate) fn allows_header(&self, name: &[u8]) -> bool {
        match self.parts.headers {
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
