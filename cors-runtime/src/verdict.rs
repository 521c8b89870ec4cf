//! What a policy decides about a request, and why.

use std::fmt;

use http::HeaderValue;

use crate::header_list::MalformedList;

/// The `Origin` header(s) of a request, as read by a framework binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginHeader<'r> {
    /// No `Origin`: not a CORS request.
    Absent,
    /// Exactly one `Origin` value, as raw bytes.
    One(&'r [u8]),
    /// More than one `Origin` line; a browser never sends that.
    Several,
}

impl<'r> OriginHeader<'r> {
    /// Reads the `Origin` field lines of a request.
    ///
    /// ```
    /// use cors_runtime::OriginHeader;
    /// assert_eq!(OriginHeader::from_values(Vec::<&[u8]>::new()), OriginHeader::Absent);
    /// assert_eq!(OriginHeader::from_values([&b"https://a.test"[..]]), OriginHeader::One(b"https://a.test"));
    /// assert_eq!(OriginHeader::from_values([&b"https://a.test"[..], b"https://b.test"]), OriginHeader::Several);
    /// ```
    pub fn from_values(values: impl IntoIterator<Item = &'r [u8]>) -> Self {
        let mut values = values.into_iter();
        match (values.next(), values.next()) {
            (None, _) => Self::Absent,
            (Some(one), None) => Self::One(one),
            (Some(_), Some(_)) => Self::Several,
        }
    }
}

/// The `Access-Control-Allow-Origin` a granted request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowOrigin<'r> {
    /// `*`, for `origins = "*"`.
    Any,
    /// An exact entry of the policy, equal to the request's origin, as its static value.
    Listed(&'static HeaderValue),
    /// The request's own origin, echoed byte for byte (it matched a subdomain pattern).
    Echo(&'r [u8]),
}

impl AllowOrigin<'_> {
    /// The header value's bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Any => b"*",
            Self::Listed(value) => value.as_bytes(),
            Self::Echo(origin) => origin,
        }
    }
}

/// Why a policy refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal<'r> {
    /// The request carried several `Origin` lines.
    SeveralOrigins,
    /// The origin is not in `origins` (this includes `null` and malformed values).
    OriginNotAllowed(&'r [u8]),
    /// The method (or `Access-Control-Request-Method`) is not in `methods`.
    MethodNotAllowed(&'r [u8]),
    /// `Access-Control-Request-Method` is not an RFC 9110 token.
    MalformedMethod(&'r [u8]),
    /// A requested header is not in `headers`.
    HeaderNotAllowed(&'r [u8]),
    /// `Access-Control-Request-Headers` is not a list of header names.
    MalformedHeaders(MalformedList<'r>),
}

/// The broad cause of a [`Refusal`], which decides how a preflight refusal is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Cause {
    /// The origin is not granted: answered `403` without any CORS header, so the browser
    /// reports a missing `Access-Control-Allow-Origin`.
    Origin,
    /// The method is not granted: answered `200` with the policy's allow lists, so the
    /// browser reports the method missing from `Access-Control-Allow-Methods`.
    Method,
    /// A header is not granted: answered `200` with the policy's allow lists, so the browser
    /// reports the header missing from `Access-Control-Allow-Headers`.
    Header,
    /// The request is not one a browser sends: answered `400` without CORS headers.
    Malformed,
}

impl Refusal<'_> {
    /// The broad cause of this refusal.
    #[must_use]
    pub fn cause(&self) -> Cause {
        match self {
            Self::OriginNotAllowed(_) => Cause::Origin,
            Self::MethodNotAllowed(_) => Cause::Method,
            Self::HeaderNotAllowed(_) => Cause::Header,
            Self::SeveralOrigins | Self::MalformedMethod(_) | Self::MalformedHeaders(_) => {
                Cause::Malformed
            }
        }
    }
}

impl fmt::Display for Refusal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SeveralOrigins => f.write_str("the request has more than one Origin header"),
            Self::OriginNotAllowed(origin) => {
                write!(f, "origin \"{}\" is not in origins", Raw(origin))
            }
            Self::MethodNotAllowed(method) => {
                write!(f, "method \"{}\" is not in methods", Raw(method))
            }
            Self::MalformedMethod(method) => write!(
                f,
                "Access-Control-Request-Method \"{}\" is not a method token",
                Raw(method)
            ),
            Self::HeaderNotAllowed(name) => {
                write!(f, "header \"{}\" is not in headers", Raw(name))
            }
            Self::MalformedHeaders(MalformedList::NotAToken(element)) => write!(
                f,
                "Access-Control-Request-Headers element \"{}\" is not a header name",
                Raw(element)
            ),
            Self::MalformedHeaders(MalformedList::TooManyEmptyElements) => {
                f.write_str("Access-Control-Request-Headers has too many empty elements")
            }
        }
    }
}

/// The verdict on an actual (non-preflight) request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActualVerdict<'r> {
    /// No `Origin`: not a CORS request; only `Vary` may be added.
    NotCors,
    /// Granted: the response gets `Access-Control-Allow-Origin` and the policy's other headers.
    Allowed(AllowOrigin<'r>),
    /// Refused: the handler still runs, the response gets no `Access-Control-Allow-*` header.
    Refused(Refusal<'r>),
}

/// The verdict on a preflight request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreflightVerdict<'r> {
    /// Granted.
    Allowed {
        /// The `Access-Control-Allow-Origin` to send.
        origin: AllowOrigin<'r>,
        /// Whether to answer `Access-Control-Allow-Private-Network: true`.
        private_network: bool,
    },
    /// Refused. `origin` is set when the origin itself was granted, so the answer can carry
    /// the allow lists that let a browser name the missing method or header.
    Refused {
        /// Why.
        refusal: Refusal<'r>,
        /// The granted origin, if the refusal is about a method or header.
        origin: Option<AllowOrigin<'r>>,
    },
}

impl PreflightVerdict<'_> {
    /// Whether the preflight was granted.
    #[must_use]
    pub fn is_allowed(&self) -> bool {
        matches!(self, Self::Allowed { .. })
    }

    /// The refusal, if the preflight was refused.
    #[must_use]
    pub fn refusal(&self) -> Option<&Refusal<'_>> {
        match self {
            Self::Allowed { .. } => None,
            Self::Refused { refusal, .. } => Some(refusal),
        }
    }
}

/// Request bytes in a log line: printable ASCII as is, the rest escaped, cut at 200 bytes so a
/// hostile 10 KB header cannot flood the log.
pub(crate) struct Raw<'a>(pub(crate) &'a [u8]);

impl fmt::Display for Raw<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 200;
        let shown = self.0.get(..SHOWN).unwrap_or(self.0);
        write!(f, "{}", shown.escape_ascii())?;
        if self.0.len() > SHOWN {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}
