//! The `#[cors(...)]` attribute of [static-cors](https://docs.rs/static-cors).
//!
//! Use it through the `static-cors` crate, which documents it; this crate only holds the
//! macro. The stages are one file each: `parse` turns the attribute into a typed model that
//! keeps every original token, `route` reads the actix-web route attribute below it,
//! `validate` applies the policy rules to the attribute and collects all mistakes (the rules
//! of single values live in the runtime's `rules`, shared with the start-up check of
//! configured origins), `expand` lowers the checked policy through the runtime's `lowering`
//! and writes the policy `static` (with `key_set`'s origin sets) and the registration code,
//! all through the one path `private` names.

mod diagnostic;
mod expand;
mod key_set;
mod merge;
mod named;
mod parse;
mod placement;
mod private;
mod route;
mod scope;
mod suggest;
mod validate;

use proc_macro::TokenStream;

/// Declares the CORS policy of an actix-web handler. See the `static-cors` crate.
#[proc_macro_attribute]
pub fn cors(args: TokenStream, input: TokenStream) -> TokenStream {
    or_keep_item(expand::cors(args.into(), input.clone().into()), input)
}

/// Declares named CORS policies, checked here, applied with `#[cors(policy = NAME)]`. See the
/// `static-cors` crate.
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    named::cors_policy(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Applies one CORS policy to every handler of a module. See the `static-cors` crate.
#[proc_macro_attribute]
pub fn cors_scope(args: TokenStream, input: TokenStream) -> TokenStream {
    or_keep_item(scope::cors_scope(args.into(), input.clone().into()), input)
}

/// The expansion, or the errors followed by the item unchanged: its route attribute still
/// defines the handler, so the user sees only the policy's errors, not "cannot find `item`".
fn or_keep_item(
    expansion: syn::Result<proc_macro2::TokenStream>,
    item: TokenStream,
) -> TokenStream {
    match expansion {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let mut tokens = error.to_compile_error();
            tokens.extend(proc_macro2::TokenStream::from(item));
            tokens.into()
        }
    }
}
