//! The actix-web route attribute(s) below `#[cors]`: which paths and methods the handler
//! serves, and the hook to add our middleware to each of them.

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta, MetaNameValue, Token};

/// actix-web's single-method route attributes, and the method each serves.
const METHOD_ATTRIBUTES: [(&str, &str); 10] = [
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("delete", "DELETE"),
    ("patch", "PATCH"),
    ("head", "HEAD"),
    ("options", "OPTIONS"),
    ("connect", "CONNECT"),
    ("trace", "TRACE"),
    ("query", "QUERY"),
];

/// One path the handler is routed on, with the methods it serves there.
pub struct Mount {
    /// Index of the attribute in the function's attributes.
    pub attr_index: usize,
    pub path: LitStr,
    pub methods: Vec<String>,
}

/// The routing of a handler.
pub struct Routing {
    /// The route attribute right below `#[cors]` (`get`, `route`, `routes`…), for messages.
    pub attribute: Attribute,
    pub mounts: Vec<Mount>,
}

impl Routing {
    /// Every method the handler serves, on any path, in first-seen order.
    pub fn methods(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for method in self.mounts.iter().flat_map(|m| &m.methods) {
            if !all.contains(method) {
                all.push(method.clone());
            }
        }
        all
    }
}

/// The last segment of an attribute's path: `get` for `#[actix_web::get(..)]`.
pub fn attribute_name(attr: &Attribute) -> Option<String> {
    attr.path().segments.last().map(|s| s.ident.to_string())
}

pub fn is_route_attribute_name(name: &str) -> bool {
    name == "route" || name == "routes" || METHOD_ATTRIBUTES.iter().any(|(n, _)| *n == name)
}

/// Finds the route attribute(s) of a handler. `Ok(None)` if it has none; `Err` if one cannot
/// be read (actix-web then reports it in its own words).
pub fn find(attrs: &[Attribute]) -> Result<Option<Routing>, ()> {
    let Some(first) = attrs.iter().position(|a| {
        attribute_name(a)
            .as_deref()
            .is_some_and(is_route_attribute_name)
    }) else {
        return Ok(None);
    };
    let attribute = attrs[first].clone();
    let mut mounts = Vec::new();
    match attribute_name(&attribute).as_deref() {
        Some("routes") => {
            for (index, attr) in attrs.iter().enumerate().skip(first + 1) {
                if let Some(method) = single_method(attr) {
                    mounts.push(mount(index, attr, Some(method))?);
                }
            }
        }
        Some("route") => mounts.push(mount(first, &attribute, None)?),
        _ => mounts.push(mount(first, &attribute, single_method(&attribute))?),
    }
    Ok(Some(Routing { attribute, mounts }))
}

fn single_method(attr: &Attribute) -> Option<&'static str> {
    let name = attribute_name(attr)?;
    METHOD_ATTRIBUTES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
}

fn mount(attr_index: usize, attr: &Attribute, method: Option<&str>) -> Result<Mount, ()> {
    let args: RouteArgs = attr.parse_args().map_err(drop)?;
    let mut methods: Vec<String> = method.map(str::to_owned).into_iter().collect();
    for option in &args.options {
        if option.path.is_ident("method") {
            if let Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) = &option.value
            {
                methods.push(s.value());
            }
        }
    }
    Ok(Mount {
        attr_index,
        path: args.path,
        methods,
    })
}

/// The arguments of a route attribute, as actix-web reads them.
struct RouteArgs {
    path: LitStr,
    options: Punctuated<MetaNameValue, Token![,]>,
}

impl Parse for RouteArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path = input.parse()?;
        let options = if input.parse::<Option<Token![,]>>()?.is_some() {
            Punctuated::parse_terminated(input)?
        } else {
            Punctuated::new()
        };
        Ok(Self { path, options })
    }
}

/// Adds `wrap = "<middleware>"` after the attribute's own arguments, so it is the outermost
/// middleware: its headers reach even responses that inner middleware produced.
pub fn add_wrap(attr: &mut Attribute, middleware: &str) {
    if let Meta::List(list) = &mut attr.meta {
        let tokens = &list.tokens;
        let ends_with_comma = matches!(tokens.clone().into_iter().last(), Some(TokenTree::Punct(p)) if p.as_char() == ',');
        let comma: TokenStream = if ends_with_comma {
            TokenStream::new()
        } else {
            quote!(,)
        };
        list.tokens = quote!(#tokens #comma wrap = #middleware);
    }
}
