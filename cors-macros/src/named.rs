//! `cors_policy!`: a policy declared once under a name, checked where it is declared, and
//! applied with `#[cors(policy = NAME)]`.
//!
//! A proc macro cannot read another item, so the declaration becomes a `macro_rules!` macro
//! that carries the policy's keys: `#[cors(policy = API, ...)]` calls it, and it hands the item
//! back to `#[cors]` with the keys in place (`@policy [...]`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Token, Visibility};

use crate::diagnostic::{error, Errors};
use crate::parse::Attr;
use crate::validate;

/// One `#[doc] vis NAME = (keys…);`.
struct Declaration {
    attrs: Vec<Attribute>,
    vis: Visibility,
    name: Ident,
    keys: TokenStream,
}

struct Declarations(Vec<Declaration>);

impl Parse for Declarations {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut all = Vec::new();
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            let vis = input.parse()?;
            let name = input.parse()?;
            input.parse::<Token![=]>()?;
            let content;
            syn::parenthesized!(content in input);
            let keys = content.parse()?;
            input.parse::<Option<Token![;]>>()?;
            all.push(Declaration {
                attrs,
                vis,
                name,
                keys,
            });
        }
        Ok(Self(all))
    }
}

pub fn cors_policy(input: TokenStream) -> syn::Result<TokenStream> {
    let Declarations(declarations) = syn::parse2(input)?;
    let mut errors = Errors::default();
    let mut out = TokenStream::new();
    for Declaration {
        attrs,
        vis,
        name,
        keys,
    } in declarations
    {
        if let Visibility::Public(public) = &vis {
            errors.push(error(
                public,
                "a named policy cannot be `pub`: it is a macro, visible within its crate",
                Some("write `pub(crate)`"),
            ));
            continue;
        }
        let (attr, attr_errors) = Attr::parse(keys.clone());
        if let Err(e) = validate::validate_declaration(&attr, attr_errors) {
            errors.push(e);
            continue;
        }
        let carrier = format_ident!("__static_cors_policy_{}", name);
        out.extend(quote! {
            #[doc(hidden)]
            #[allow(unused_macros)]
            macro_rules! #carrier {
                (@apply [$($overrides:tt)*] $($item:tt)*) => {
                    #[::static_cors::cors(@policy [#keys] $($overrides)*)]
                    $($item)*
                };
            }
            #(#attrs)*
            #[allow(unused_imports)]
            #vis use #carrier as #name;
        });
    }
    errors.finish(out)
}
