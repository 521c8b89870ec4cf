//! The actix-web route attribute(s) below `#[cors]`, read the way actix-web reads them: which
//! paths and methods the handler serves, and the resource name, guards and middleware of each.
//! `#[cors]` registers those resources itself (see `expand`), so anything actix-web would
//! reject is left to actix-web to report.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, MetaNameValue, Token};

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

/// One path the handler is routed on: one resource, as actix-web's attribute would register it.
pub struct Mount {
    pub path: LitStr,
    /// The methods served on it, upper case, each once.
    pub methods: Vec<String>,
    /// `name = ".."`: the resource name, for `url_for`.
    pub name: Option<LitStr>,
    /// `guard = ".."`: functions of `&GuardContext` the request must pass.
    pub guards: Vec<syn::Path>,
    /// `wrap = ".."`: middleware, innermost first.
    pub wraps: Vec<Expr>,
}

/// The routing of a handler.
pub struct Routing {
    /// The route attribute right below `#[cors]` (`get`, `route`, `routes`…), for messages.
    pub attribute: Attribute,
    /// Indices of the route attributes in the function's attributes, ascending (`#[cors]`
    /// takes them over from actix-web).
    pub attr_indices: Vec<usize>,
    pub mounts: Vec<Mount>,
}

impl Routing {
    /// What the handler serves, for validation.
    pub fn served(&self) -> crate::validate::Served {
        let attribute = self
            .attribute
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect::<Vec<_>>()
            .join("::");
        crate::validate::Served {
            methods: self.methods(),
            attribute,
        }
    }

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

/// The position of the first actix-web route attribute among `attrs`.
pub fn first_route_attribute(attrs: &[Attribute]) -> Option<usize> {
    attrs.iter().position(|a| {
        attribute_name(a)
            .as_deref()
            .is_some_and(is_route_attribute_name)
    })
}

pub fn is_route_attribute_name(name: &str) -> bool {
    name == "route" || name == "routes" || METHOD_ATTRIBUTES.iter().any(|(n, _)| *n == name)
}

/// Finds the route attribute(s) of a handler. `Ok(None)` if it has none; `Err` if actix-web
/// would reject them (it then reports them in its own words).
pub fn find(attrs: &[Attribute]) -> Result<Option<Routing>, ()> {
    let Some(first) = first_route_attribute(attrs) else {
        return Ok(None);
    };
    let attribute = attrs[first].clone();
    let mut attr_indices = vec![first];
    let mut mounts = Vec::new();
    match attribute_name(&attribute).as_deref() {
        Some("routes") => {
            if !matches!(attribute.meta, syn::Meta::Path(_)) {
                return Err(());
            }
            for (index, attr) in attrs.iter().enumerate().skip(first + 1) {
                if let Some(method) = single_method(attr) {
                    mounts.push(mount(attr, Some(method))?);
                    attr_indices.push(index);
                }
            }
            if mounts.is_empty() {
                return Err(());
            }
        }
        Some("route") => mounts.push(mount(&attribute, None)?),
        _ => mounts.push(mount(&attribute, single_method(&attribute))?),
    }
    Ok(Some(Routing {
        attribute,
        attr_indices,
        mounts,
    }))
}

fn single_method(attr: &Attribute) -> Option<&'static str> {
    let name = attribute_name(attr)?;
    METHOD_ATTRIBUTES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
}

/// One route attribute, with actix-web's rules: `name`, `guard` and `wrap` take string
/// literals, `method` only in `#[route]` (upper case, each once, at least one).
fn mount(attr: &Attribute, method: Option<&str>) -> Result<Mount, ()> {
    let args: RouteArgs = attr.parse_args().map_err(drop)?;
    let mut mount = Mount {
        path: args.path,
        methods: method.map(str::to_owned).into_iter().collect(),
        name: None,
        guards: Vec::new(),
        wraps: Vec::new(),
    };
    for option in args.options {
        let Expr::Lit(ExprLit {
            lit: Lit::Str(value),
            ..
        }) = option.value
        else {
            return Err(());
        };
        let key = option.path.get_ident().map(ToString::to_string);
        match key.as_deref() {
            Some("name") => mount.name = Some(value),
            Some("guard") => mount.guards.push(value.parse().map_err(drop)?),
            Some("wrap") => mount.wraps.push(value.parse().map_err(drop)?),
            Some("method") if method.is_none() => {
                let name = value.value();
                let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase());
                if !valid || mount.methods.contains(&name) {
                    return Err(());
                }
                mount.methods.push(name);
            }
            _ => return Err(()),
        }
    }
    if mount.methods.is_empty() {
        return Err(());
    }
    Ok(mount)
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
