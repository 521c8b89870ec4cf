//! The runtime of [static-cors](https://docs.rs/static-cors): origin matching, preflight
//! evaluation and header application over the policies `#[cors]` generates.
//!
//! Users depend on `static-cors`, which re-exports what they name from here. The crate is
//! split in two:
//!
//! - a framework-free decision core that works on header bytes and the `http` crate's
//!   vocabulary: [`Policy`] judges an actual request ([`Policy::evaluate_actual`]) or a
//!   preflight ([`Policy::evaluate_preflight`]) and returns a verdict with its reason, and
//!   [`Policy::actual_headers`] / [`Policy::preflight_headers`] say which of the policy's
//!   header values answer it;
//! - the actix-web binding (module `actix`, feature `actix-web`, on by default), the one file
//!   that knows actix-web's types.
//!
//! Nothing on the request path allocates: header values wrap the `'static` texts the macro
//! checked (built into `HeaderValue`s once, when the handler is registered, so putting one on
//! a response copies a pointer), an echoed origin is the request's own header value or a
//! listed entry's, and request header lists are parsed in place.
//!
//! [`rules`] holds the policy rules the macro checks at compile time, so the same rules can
//! check origins read at start-up.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "actix-web")]
pub mod actix;
pub mod configured;
mod describe;
pub mod diagnostics;
mod evaluate;
pub mod header_list;
pub mod key_set;
pub mod origin;
mod policy;
pub mod response;
pub mod rules;
mod tables;
pub mod token;
mod verdict;

pub use origin::{AllowedOrigins, OriginList};
pub use policy::{AllowedHeaders, ExposedHeaders, Policy, PolicyParts};
pub use verdict::{ActualVerdict, AllowOrigin, Cause, OriginHeader, PreflightVerdict, Refusal};

#[doc(hidden)]
pub use phf;
