//! The one path generated code reaches the runtime through.

use proc_macro2::{Span, TokenStream};
use quote::quote_spanned;

/// `::static_cors::__private_0_1`: the facade's hidden module, versioned with the facade, so
/// that code a macro of one version generates never resolves against another version's
/// runtime (the facade also pins both crates with `=`).
pub fn private() -> TokenStream {
    private_at(Span::call_site())
}

/// [`private`], spanned on a user's token, so that an error in the call it starts is reported
/// there.
pub fn private_at(span: Span) -> TokenStream {
    quote_spanned!(span=> ::static_cors::__private_0_1)
}
