//! Combining policies: a named or scope-wide policy, and the keys a handler overrides.
//!
//! Arguments are merged as `key = value` lists before parsing: a key the handler writes replaces
//! the same key of the base policy; every other base key stays. The merged list is then parsed
//! and checked like any attribute, so a named policy obeys every rule an inline one does.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Meta, Token};

/// The attribute's arguments, split into the forms `#[cors]` accepts.
pub enum Args {
    /// `policy = PATH, overrides…`: apply a named policy.
    Named {
        path: syn::Path,
        overrides: TokenStream,
    },
    /// `@policy [base…] overrides…`: a named or scope policy, already resolved to its keys.
    Resolved {
        base: TokenStream,
        overrides: TokenStream,
    },
    /// `disable`: opt a handler out of its scope's policy.
    Disable(TokenStream),
    /// Plain keys.
    Inline(TokenStream),
}

impl Args {
    pub fn split(tokens: TokenStream) -> syn::Result<Self> {
        let mut iter = tokens.clone().into_iter();
        if let (
            Some(TokenTree::Punct(at)),
            Some(TokenTree::Ident(kw)),
            Some(TokenTree::Group(group)),
        ) = (iter.next(), iter.next(), iter.next())
        {
            if at.as_char() == '@' && kw == "policy" && group.delimiter() == Delimiter::Bracket {
                return Ok(Self::Resolved {
                    base: group.stream(),
                    overrides: iter.collect(),
                });
            }
        }
        if is_disable(&tokens) {
            return Ok(Self::Disable(tokens));
        }
        let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens.clone())?;
        let mut path = None;
        let mut overrides = Punctuated::<Meta, Token![,]>::new();
        for meta in metas {
            match &meta {
                Meta::NameValue(nv) if nv.path.is_ident("policy") => match &nv.value {
                    syn::Expr::Path(p) if path.is_none() => path = Some(p.path.clone()),
                    other => {
                        let message = if path.is_some() {
                            "duplicate key `policy`"
                        } else {
                            "`policy` names a policy declared with `cors_policy!`"
                        };
                        return Err(crate::diagnostic::error(other, message, Some("write `policy = API` where `cors_policy! { pub(crate) API = (...); }` declares it")));
                    }
                },
                _ => overrides.push(meta),
            }
        }
        Ok(match path {
            Some(path) => Self::Named {
                path,
                overrides: overrides.into_token_stream(),
            },
            None => Self::Inline(tokens),
        })
    }
}

/// Whether the arguments are exactly `disable`.
pub fn is_disable(tokens: &TokenStream) -> bool {
    let mut iter = tokens.clone().into_iter();
    matches!((iter.next(), iter.next()), (Some(TokenTree::Ident(i)), None) if i == "disable")
}

/// `base` with every key that `overrides` writes replaced by the override.
pub fn merge(base: TokenStream, overrides: TokenStream) -> syn::Result<TokenStream> {
    let parse = Punctuated::<Meta, Token![,]>::parse_terminated;
    let overrides = parse.parse2(overrides)?;
    let key = |meta: &Meta| meta.path().get_ident().map(ToString::to_string);
    let written: Vec<Option<String>> = overrides.iter().map(key).collect();
    let kept = parse
        .parse2(base)?
        .into_iter()
        .filter(|meta| !written.contains(&key(meta)));
    let all = kept.chain(overrides);
    Ok(quote!(#(#all),*))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_keys_and_keep_the_rest() {
        let merged = merge(
            quote!(origins = ["https://a.test"], methods = [GET, PUT]),
            quote!(methods = [GET]),
        )
        .unwrap();
        assert_eq!(
            merged.to_string(),
            quote!(origins = ["https://a.test"], methods = [GET]).to_string()
        );
    }

    #[test]
    fn the_argument_forms_are_told_apart() {
        assert!(matches!(
            Args::split(quote!(policy = API, methods = [GET])).unwrap(),
            Args::Named { .. }
        ));
        assert!(matches!(
            Args::split(quote!(@policy [origins = "*"] max_age = 5)).unwrap(),
            Args::Resolved { .. }
        ));
        assert!(matches!(
            Args::split(quote!(disable)).unwrap(),
            Args::Disable(_)
        ));
        assert!(matches!(
            Args::split(quote!(origins = "*")).unwrap(),
            Args::Inline(_)
        ));
    }
}
