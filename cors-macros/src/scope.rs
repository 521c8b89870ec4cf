//! `#[cors_scope(...)]`: one policy for every handler of a module, with per-handler `#[cors]`
//! overriding single keys and `#[cors(disable)]` opting a handler out.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{parse_quote, Attribute, Item, ItemMod};

use crate::diagnostic::error;
use crate::merge::{is_disable, Args};
use crate::parse::Attr;
use crate::route::{attribute_name, first_route_attribute};
use crate::validate;

pub fn cors_scope(args: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    let mut module: ItemMod = syn::parse2(input).map_err(|e| {
        error(
            e.to_compile_error(),
            "`#[cors_scope]` applies to an inline module",
            Some("put it on `mod api { ... }`"),
        )
    })?;
    let base = match Args::split(args.clone())? {
        Args::Inline(keys) => {
            let (attr, errors) = Attr::parse(keys.clone());
            validate::validate_declaration(&attr, errors)?;
            Base::Keys(keys)
        }
        Args::Named { path, overrides } if overrides.is_empty() => Base::Named(path),
        Args::Named { overrides, .. } => {
            return Err(error(
                overrides,
                "a scope either names a policy or lists keys",
                Some("declare the combination with `cors_policy!` and name it here"),
            ))
        }
        Args::Resolved { .. } | Args::Disable(_) => {
            return Err(error(
                args,
                "expected the scope's policy keys or `policy = NAME`",
                None,
            ))
        }
    };
    let Some((_, items)) = &mut module.content else {
        return Err(error(
            &module.ident,
            "`#[cors_scope]` needs the module's items inline",
            Some("write `mod api { ... }` instead of `mod api;`"),
        ));
    };
    for item in items {
        if let Item::Fn(func) = item {
            apply(&mut func.attrs, &base);
        }
    }
    Ok(quote!(#module))
}

enum Base {
    Keys(TokenStream),
    Named(syn::Path),
}

/// Gives one handler the scope's policy, unless it opts out or names its own.
fn apply(attrs: &mut Vec<Attribute>, base: &Base) {
    let Some(route) = first_route_attribute(attrs) else {
        return;
    };
    let own = attrs
        .iter()
        .position(|a| attribute_name(a).as_deref() == Some("cors"));
    let Some(own) = own else {
        let attr: Attribute = match base {
            Base::Keys(keys) => parse_quote!(#[::static_cors::cors(#keys)]),
            Base::Named(path) => parse_quote!(#[::static_cors::cors(policy = #path)]),
        };
        attrs.insert(route, attr);
        return;
    };
    let tokens = match &attrs[own].meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => TokenStream::new(),
    };
    if is_disable(&tokens) {
        attrs.remove(own);
        return;
    }
    let names_its_own = matches!(
        Args::split(tokens.clone()),
        Ok(Args::Named { .. } | Args::Resolved { .. })
    );
    if names_its_own {
        return;
    }
    let path = attrs[own].path().clone();
    attrs[own] = match base {
        Base::Keys(keys) => parse_quote!(#[#path(@policy [#keys] #tokens)]),
        Base::Named(policy) => parse_quote!(#[#path(policy = #policy, #tokens)]),
    };
}
