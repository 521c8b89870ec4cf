//! Tokens out: the handler's unit struct, its policy `static`, and its registration — one
//! resource per route attribute, built as actix-web builds it from the same attribute, whose
//! guard also admits the route's preflights and whose outermost middleware applies the policy.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Item, ItemFn};

use cors_runtime::lowering::{Names, OriginListPlan, OriginsPlan, PolicyPlan};

use crate::diagnostic::{error, error_at};
use crate::key_set::key_set;
use crate::merge::{merge, Args};
use crate::parse::Attr;
use crate::placement;
use crate::private::{private, private_at};
use crate::route::{self, attribute_name, Mount, Routing};
use crate::validate::{self, Configured, Origins, Policy};

pub fn cors(args: TokenStream, input: TokenStream) -> syn::Result<TokenStream> {
    let func = handler(input.clone())?;
    if let Some(second) = func
        .attrs
        .iter()
        .find(|a| attribute_name(a).as_deref() == Some("cors"))
    {
        return Err(error(
            second,
            "`#[cors]` is applied twice to this handler",
            Some("merge both into one `#[cors(...)]`"),
        ));
    }
    let keys =
        match Args::split(args)? {
            Args::Inline(keys) => keys,
            Args::Resolved { base, overrides } => merge(base, overrides)?,
            // The named policy's macro hands the item back to `#[cors]` with its keys in place.
            Args::Named { path, overrides } => {
                return Ok(quote!(#path! { @apply [#overrides] #input }))
            }
            Args::Disable(tokens) => return Err(error(
                tokens,
                "`#[cors(disable)]` opts a handler out of its `#[cors_scope]`; there is none here",
                Some("remove the attribute: a handler without `#[cors]` has no CORS policy"),
            )),
        };
    let (attr, mut errors) = Attr::parse(keys);
    let routing = match route::find(&func.attrs) {
        // actix-web rejects a handler without a return type in its own words, too.
        Ok(Some(_)) if matches!(func.sig.output, syn::ReturnType::Default) => {
            return errors.finish(input)
        }
        Ok(Some(routing)) => routing,
        // actix-web reports an unreadable route attribute in its own words.
        Err(()) => return errors.finish(input),
        Ok(None) => {
            errors.push(missing_route(&func));
            return errors.finish(TokenStream::new());
        }
    };
    let policy = validate::validate(&attr, Some(&routing.served()), errors)?;
    Ok(generate(func, &routing, &policy))
}

fn handler(input: TokenStream) -> syn::Result<ItemFn> {
    match syn::parse2::<Item>(input)? {
        Item::Fn(func) => Ok(func),
        other => Err(error(
            item_head(&other),
            "`#[cors]` applies to actix-web handler functions",
            Some("put `#[cors(...)]` directly above the route attribute of an `async fn`, e.g. `#[get(\"/items\")]`"),
        )),
    }
}

/// The tokens naming an item (`struct Foo`), so the error underlines its head, not its body.
fn item_head(item: &Item) -> TokenStream {
    match item {
        Item::Struct(s) => {
            let (k, i) = (&s.struct_token, &s.ident);
            quote!(#k #i)
        }
        Item::Enum(e) => {
            let (k, i) = (&e.enum_token, &e.ident);
            quote!(#k #i)
        }
        Item::Mod(m) => {
            let (k, i) = (&m.mod_token, &m.ident);
            quote!(#k #i)
        }
        Item::Static(s) => {
            let (k, i) = (&s.static_token, &s.ident);
            quote!(#k #i)
        }
        Item::Const(c) => {
            let (k, i) = (&c.const_token, &c.ident);
            quote!(#k #i)
        }
        Item::Impl(i) => {
            let k = &i.impl_token;
            quote!(#k)
        }
        other => quote!(#other),
    }
}

fn missing_route(func: &ItemFn) -> syn::Error {
    let name = &func.sig.ident;
    match placement::route_attribute_above() {
        Some(route) => error_at(
            name.span(),
            format!("`#[cors]` is below `#[{route}]`: it must be above it"),
            Some(&format!("move `#[cors(...)]` above `#[{route}(...)]`, so it can register the route and its preflight together")),
        ),
        None => error_at(
            name.span(),
            format!("`{name}` has no actix-web route attribute below `#[cors]`"),
            Some("add one directly below `#[cors(...)]`, e.g. `#[get(\"/items\")]`, `#[route(\"/items\", method = \"GET\", method = \"PUT\")]` or `#[routes]`"),
        ),
    }
}

fn generate(mut func: ItemFn, routing: &Routing, policy: &Policy) -> TokenStream {
    let name = func.sig.ident.clone();
    let vis = func.vis.clone();
    let policy_static = format_ident!("__STATIC_CORS_POLICY_{}", name);
    // `#[cors]` registers the routes itself; the function keeps every other attribute. The
    // route attribute's path stays referenced, so the user's `use actix_web::get;` is still
    // used (the method attributes below `#[routes]` are markers, never imported).
    let route_path = routing.attribute.path();
    for &index in routing.attr_indices.iter().rev() {
        func.attrs.remove(index);
    }
    let docs = func.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let cfgs: Vec<_> = func
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .collect();
    let resources = routing
        .mounts
        .iter()
        .map(|mount| resource(mount, &name, &policy_static));
    let parts = policy_parts(&name, policy);
    let private = private();
    quote! {
        #(#docs)*
        #(#cfgs)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        #(#cfgs)*
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        static #policy_static: #private::Policy = #private::Policy::from_parts(#parts);

        #(#cfgs)*
        impl #name {
            /// The CORS policy `#[cors]` declared for this handler: inspect it, or judge a
            /// request with it in a unit test.
            #[allow(dead_code)]
            #vis fn cors_policy() -> &'static ::static_cors::Policy {
                &#policy_static
            }
        }

        #(#cfgs)*
        impl #private::actix_web::dev::HttpServiceFactory for #name {
            fn register(self, __config: &mut #private::actix_web::dev::AppService) {
                #[allow(unused_imports)]
                use #route_path as _;
                #func
                #(#resources)*
            }
        }
    }
}

/// One mount's resource, as actix-web's route attribute would build it, with two differences:
/// its method guard (first, as actix-web puts its own) also lets the route's preflights in,
/// and the runtime's `register` adds an outermost middleware applying the policy (answering
/// those preflights before any inner middleware of the user's sees them). The user's guards
/// are wrapped so that they judge actual requests only.
fn resource(mount: &Mount, handler: &syn::Ident, policy_static: &syn::Ident) -> TokenStream {
    let p = private();
    let Mount {
        path,
        methods,
        name,
        guards,
        wraps,
    } = mount;
    let name = name
        .as_ref()
        .map_or_else(|| handler.to_string(), syn::LitStr::value);
    // Spanned on the user's own paths, so a wrong guard or middleware is reported there.
    let guards = guards
        .iter()
        .map(|guard| quote_spanned!(guard.span()=> #guard));
    let register = if wraps.is_empty() {
        quote!(#p::register)
    } else {
        quote!(#p::register_wrapped)
    };
    let wraps = wraps
        .iter()
        .map(|wrap| quote_spanned!(wrap.span()=> .wrap(#wrap)));
    quote! {
        {
            const __ROUTE: #p::RouteSpec = #p::RouteSpec {
                path: #path,
                methods: &[#(#methods),*],
                policy: &#policy_static,
                guards: &[#(#guards),*],
            };
            let __resource = #p::resource(__ROUTE, #name)
                #(#wraps)*
                .to(#handler);
            #register(__resource, __config, __ROUTE);
        }
    }
}
/// `Some(ConfiguredOrigins)` reading the policy's sources when the app is built, or `None`.
fn configured_origins(sources: &[Configured], policy: &Policy) -> TokenStream {
    let p = private();
    if sources.is_empty() {
        return quote!(None);
    }
    let sources = sources.iter().map(|source| match source {
        Configured::Env(name) => quote!(#p::OriginSource::Env(#name)),
        Configured::Function(path) => {
            let written = validate::path_text(path);
            // Spanned on the path, so a function of the wrong type is reported there.
            let p = private_at(path.span());
            let call = quote_spanned!(path.span()=> #p::collect_origins(#path()));
            quote!(#p::OriginSource::Function(
                {
                    fn read() -> ::std::vec::Vec<::std::string::String> {
                        #call
                    }
                    read
                },
                #written,
            ))
        }
    });
    let (credentials, insecure) = (policy.credentials, policy.allow_insecure_http);
    quote!(Some(#p::ConfiguredOrigins::new(&[#(#sources),*], #credentials, #insecure)))
}

/// The policy's parts, through the runtime's lowering (the one tests and fuzz targets use).
fn policy_parts(name: &syn::Ident, policy: &Policy) -> TokenStream {
    let p = private();
    let handler = name.to_string();
    let location = quote_spanned!(name.span()=> concat!(file!(), ":", line!()));
    let plan = PolicyPlan {
        origins: match &policy.origins {
            Origins::Any => OriginsPlan::Any,
            Origins::List { entries, .. } => {
                OriginsPlan::List(OriginListPlan::new(entries.iter().cloned()))
            }
        },
        methods: policy.methods.clone(),
        headers: policy.headers.clone(),
        expose: policy.expose.clone(),
        credentials: policy.credentials,
        private_network: policy.private_network,
        max_age: policy.max_age,
    };
    let origins = match (&plan.origins, &policy.origins) {
        (
            OriginsPlan::List(list),
            Origins::List {
                configured, live, ..
            },
        ) => {
            let written = list.written.join(" ");
            let exact = key_set(&list.exact);
            let https = key_set(&list.https_subdomains);
            let http = key_set(&list.http_subdomains);
            let configured = configured_origins(configured, policy);
            let live = live.iter().map(|path| {
                let name = validate::path_text(path);
                // Spanned on the path, so a path that is not a `static` `OriginSet` is
                // reported there.
                let p = private_at(path.span());
                let requires_secure = policy.credentials && !policy.allow_insecure_http;
                quote_spanned!(path.span()=> #p::LiveSet::new(&#path, #name, #requires_secure))
            });
            quote!(#p::AllowedOrigins::List(#p::OriginList::new(
                #written, #exact, #https, #http, #configured, &[#(#live),*],
            )))
        }
        _ => quote!(#p::AllowedOrigins::Any),
    };
    let header_list = |names: &Names| match names.text() {
        None => quote!(#p::HeaderList::Any),
        Some(text) => quote!(#p::HeaderList::Names(#text)),
    };
    let methods = plan.methods_text();
    let headers = header_list(&plan.headers);
    let expose = header_list(&plan.expose);
    let PolicyPlan {
        credentials,
        private_network,
        max_age,
        ..
    } = plan;
    quote!(#p::PolicyParts {
        handler: #handler,
        location: #location,
        origins: #origins,
        methods: #methods,
        headers: #headers,
        expose: #expose,
        credentials: #credentials,
        private_network: #private_network,
        max_age: #max_age,
    })
}
