//! [`PolicyParts`]: a policy as `#[cors]` generates it — the contract between the macro and
//! the runtime, kept to plain values so that a policy `static` is cheap to compile.

use crate::origin::AllowedOrigins;

/// The parts of a [`Policy`](crate::Policy), filled in by `#[cors]`'s generated code (or by
/// the lowering of tests at run time).
///
/// Lists are header values as the policy sends them (`"content-type, x-token"`), which the
/// macro has checked; the policy splits them and builds its `HeaderValue`s once, when it is
/// first used. Plain strings and numbers keep a policy `static` cheap to compile: rustc
/// const-evaluates and validates every slice and every `HeaderValue` of a `static`, which made
/// up most of what `#[cors]` cost to compile.
#[doc(hidden)]
#[derive(Debug)]
pub struct PolicyParts {
    pub handler: &'static str,
    pub location: &'static str,
    pub origins: AllowedOrigins,
    /// `Access-Control-Allow-Methods`: the methods, as browsers send them, joined by `", "`.
    pub methods: &'static str,
    /// `Access-Control-Allow-Headers`.
    pub headers: HeaderList,
    /// `Access-Control-Expose-Headers`.
    pub expose: HeaderList,
    pub credentials: bool,
    pub private_network: bool,
    /// `Access-Control-Max-Age`, in seconds.
    pub max_age: u32,
}

/// A list of header names as a policy sends it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderList {
    /// `*`.
    Any,
    /// Lowercase names, sorted and deduplicated, joined by `", "`; empty for none.
    Names(&'static str),
}
