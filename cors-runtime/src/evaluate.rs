//! The decision core: a policy judges an actual request or a preflight. Works on header bytes
//! only, so any framework can be bound to it.

use crate::header_list::{every_name_listed, ListElements, MalformedList};
use crate::origin::{AllowedOrigins, ListGrant};
use crate::policy::{AllowedHeaders, Policy};
use crate::token::is_token;
use crate::verdict::{ActualVerdict, AllowOrigin, OriginHeader, PreflightVerdict, Refusal};

impl Policy {
    /// Judges an actual request: its `Origin` and its method.
    ///
    /// ```
    /// use static_cors::{cors, ActualVerdict, OriginHeader};
    /// #[cors(origins = ["https://app.example.com"], methods = [GET, PUT])]
    /// #[actix_web::route("/items/{id}", method = "GET", method = "PUT", method = "DELETE")]
    /// async fn item() -> &'static str { "item" }
    ///
    /// let policy = item::cors_policy();
    /// let origin = OriginHeader::One(b"https://app.example.com");
    /// let ActualVerdict::Allowed(allow_origin) = policy.evaluate_actual(origin, b"GET") else {
    ///     panic!("GET from app.example.com is granted")
    /// };
    /// assert_eq!(allow_origin.as_bytes(), b"https://app.example.com");
    /// assert!(matches!(policy.evaluate_actual(origin, b"DELETE"), ActualVerdict::Refused(_)));
    /// assert_eq!(policy.evaluate_actual(OriginHeader::Absent, b"GET"), ActualVerdict::NotCors);
    /// ```
    #[must_use]
    pub fn evaluate_actual<'r>(
        &'static self,
        origin: OriginHeader<'r>,
        method: &'r [u8],
    ) -> ActualVerdict<'r> {
        let origin = match self.grant_origin(origin) {
            Ok(Some(origin)) => origin,
            Ok(None) => return ActualVerdict::NotCors,
            Err(refusal) => return ActualVerdict::Refused(refusal),
        };
        if self.allows_method(method) {
            ActualVerdict::Allowed(origin)
        } else {
            ActualVerdict::Refused(Refusal::MethodNotAllowed(method))
        }
    }

    /// Judges a preflight: its `Origin`, `Access-Control-Request-Method` and the field lines
    /// of `Access-Control-Request-Headers`.
    ///
    /// `private_network_requested` is whether the request carried
    /// `Access-Control-Request-Private-Network: true`.
    #[must_use]
    pub fn evaluate_preflight<'r>(
        &'static self,
        origin: OriginHeader<'r>,
        method: &'r [u8],
        headers: impl IntoIterator<Item = &'r [u8]>,
        private_network_requested: bool,
    ) -> PreflightVerdict<'r> {
        let origin = match self.grant_origin(origin) {
            Ok(Some(origin)) => origin,
            Ok(None) => return refused(Refusal::OriginNotAllowed(b""), None),
            Err(refusal) => return refused(refusal, None),
        };
        if !is_token(method) {
            return refused(Refusal::MalformedMethod(method), None);
        }
        if !self.allows_method(method) {
            return refused(Refusal::MethodNotAllowed(method), Some(origin));
        }
        if let Some(refusal) = self.refuse_headers(headers) {
            let origin = matches!(refusal, Refusal::HeaderNotAllowed(_)).then_some(origin);
            return refused(refusal, origin);
        }
        PreflightVerdict::Allowed {
            origin,
            private_network: private_network_requested && self.private_network(),
        }
    }

    /// Why the field lines of `Access-Control-Request-Headers` are refused, if they are: the
    /// first malformed element or name the policy does not allow, in list order.
    fn refuse_headers<'r>(
        &'static self,
        headers: impl IntoIterator<Item = &'r [u8]>,
    ) -> Option<Refusal<'r>> {
        let listed = match self.headers() {
            AllowedHeaders::List(names) => Some(names),
            AllowedHeaders::Any => None,
        };
        let mut lines = headers.into_iter();
        // Lines in the form browsers send, every name a listed one, need no parsing.
        let first_other = loop {
            let line = lines.next()?;
            if !listed.is_some_and(|names| every_name_listed(line, names)) {
                break line;
            }
        };
        for name in ListElements::new(std::iter::once(first_other).chain(lines)) {
            let name = match name {
                Ok(name) => name,
                Err(malformed) => return Some(Refusal::MalformedHeaders(malformed)),
            };
            let allowed = self.allows_header(name);
            // A name equal to a listed one is a token: only the others need the token check.
            if allowed && listed.is_some() {
                continue;
            }
            if !is_token(name) {
                return Some(Refusal::MalformedHeaders(MalformedList::NotAToken(name)));
            }
            if !allowed {
                return Some(Refusal::HeaderNotAllowed(name));
            }
        }
        None
    }

    /// Judges a preflight given as strings — for unit tests of a policy, without a server.
    ///
    /// ```
    /// use static_cors::cors;
    /// #[cors(origins = ["https://app.example.com"], headers = ["content-type", "x-token"])]
    /// #[actix_web::put("/items/{id}")]
    /// async fn update_item() -> &'static str { "updated" }
    ///
    /// let policy = update_item::cors_policy();
    /// assert!(policy.preflight("https://app.example.com", "PUT", &["x-token"]).is_allowed());
    /// let verdict = policy.preflight("https://app.example.com", "PUT", &["x-trace"]);
    /// assert_eq!(verdict.refusal().unwrap().to_string(), r#"header "x-trace" is not in headers"#);
    /// ```
    #[must_use]
    pub fn preflight<'r>(
        &'static self,
        origin: &'r str,
        method: &'r str,
        headers: &[&'r str],
    ) -> PreflightVerdict<'r> {
        let headers = headers.iter().map(|h| h.as_bytes());
        self.evaluate_preflight(
            OriginHeader::One(origin.as_bytes()),
            method.as_bytes(),
            headers,
            false,
        )
    }

    /// Judges an actual request given as strings — for unit tests of a policy.
    #[must_use]
    pub fn actual<'r>(
        &'static self,
        origin: Option<&'r str>,
        method: &'r str,
    ) -> ActualVerdict<'r> {
        let origin = origin.map_or(OriginHeader::Absent, |o| OriginHeader::One(o.as_bytes()));
        self.evaluate_actual(origin, method.as_bytes())
    }

    /// `Ok(None)` for no `Origin`, the granted `Access-Control-Allow-Origin` or the refusal.
    fn grant_origin<'r>(
        &'static self,
        origin: OriginHeader<'r>,
    ) -> Result<Option<AllowOrigin<'r>>, Refusal<'r>> {
        match origin {
            OriginHeader::Absent => Ok(None),
            OriginHeader::Several => Err(Refusal::SeveralOrigins),
            OriginHeader::One(origin) => match self.origins() {
                AllowedOrigins::Any => Ok(Some(AllowOrigin::Any)),
                AllowedOrigins::List(list) => match list.grant(origin) {
                    // The table holds a value for every exact entry; the echo is the same
                    // bytes.
                    Some(ListGrant::Exact(position)) => Ok(Some(
                        self.tables()
                            .exact_origins
                            .get(position)
                            .map_or(AllowOrigin::Echo(origin), AllowOrigin::Listed),
                    )),
                    Some(ListGrant::Echo(origin)) => Ok(Some(AllowOrigin::Echo(origin))),
                    None => Err(Refusal::OriginNotAllowed(origin)),
                },
            },
        }
    }
}

fn refused<'r>(refusal: Refusal<'r>, origin: Option<AllowOrigin<'r>>) -> PreflightVerdict<'r> {
    PreflightVerdict::Refused { refusal, origin }
}
