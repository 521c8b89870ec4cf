//! The runtime of [static-cors](https://docs.rs/static-cors): origin matching, preflight
//! evaluation and header application over the policies `#[cors]` generates.
//!
//! Users depend on `static-cors`, which re-exports what they name from here. The modules form
//! one-way layers; each depends only on those above it:
//!
//! 1. leaves: `token` (RFC 9110 tokens), [`header_list`] (parsing
//!    `Access-Control-Request-Headers`), [`key_set`] (the sets of exact origins and pattern
//!    suffixes), `error` ([`rules::RuleError`]);
//! 2. [`origin`]: every origin concept — the rules of an entry, origins read at start-up, and
//!    matching a request's `Origin`; [`rules`]: the method and header rules, and the origin
//!    rules re-exported;
//! 3. `parts` (what `#[cors]` generates), `tables` (the header values built from it once),
//!    `policy` ([`Policy`], its keys and state), `verdict` (what a policy decides, and why);
//! 4. the decision core, `evaluate` (judging requests) and [`response`] (the headers that
//!    answer a verdict), then `describe` (a policy printed as its headers). Nothing down to
//!    here logs or knows a web framework;
//! 5. `diagnostics` (refusals in logs), then [`actix`] (the actix-web binding, feature
//!    `actix-web`, on by default).
//!
//! `lowering` (feature `test-util`, and the macro's) turns a checked policy into what
//! `#[cors]` generates, so tests and fuzz targets build policies as the macro does.
//!
//! Nothing on the request path allocates: header values wrap the `'static` texts the macro
//! checked (built into `HeaderValue`s once, when the handler is registered, so putting one on
//! a response copies a pointer), an echoed origin is the request's own header value or a
//! listed entry's, and request header lists are parsed in place.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "actix-web")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix-web")))]
pub mod actix;
mod describe;
pub mod diagnostics;
mod error;
mod evaluate;
pub mod header_list;
#[doc(hidden)]
pub mod key_set;
#[cfg(feature = "lowering")]
#[doc(hidden)]
pub mod lowering;
pub mod origin;
mod parts;
mod policy;
pub mod response;
pub mod rules;
mod tables;
#[doc(hidden)]
pub mod token;
mod verdict;

pub use origin::configured::{ConfigError, ConfigProblem};
pub use origin::{AllowedOrigins, OriginError, OriginList, OriginSet, ReplaceError};
#[doc(hidden)]
pub use parts::{HeaderList, PolicyParts};
pub use policy::{AllowedHeaders, ExposedHeaders, Policy};
pub use verdict::{ActualVerdict, AllowOrigin, Cause, OriginHeader, PreflightVerdict, Refusal};

#[doc(hidden)]
pub use phf;
