//! Every policy rule applied to an attribute: a policy that passes is one browsers will honour
//! as written; every mistake becomes an error on the token at fault, all reported together.
//!
//! The rules of single values (an origin, a method, a header name) live in the runtime's
//! `rules`, which the start-up check of configured origins calls too; this stage applies them
//! to the attribute's tokens and adds the rules about the policy as a whole.

use std::collections::BTreeSet;

use cors_runtime::lowering::Names;
use cors_runtime::rules::{self, check_credentials, CredentialsRule, OriginEntry};
use proc_macro2::Span;
use syn::LitStr;

use crate::diagnostic::{error, error_at, Errors};
use crate::parse::{Arg, Attr, Methods, Source, StarOrList};

/// Seconds a browser may cache a preflight when the policy does not say: Chromium's cap.
pub const DEFAULT_MAX_AGE: u32 = 7200;
/// The largest `max_age` any browser honours (Firefox); Chromium caps at 7200, Safari at 600.
pub const MAX_MAX_AGE: u32 = 86400;

/// A checked policy, in canonical form.
pub struct Policy {
    pub origins: Origins,
    pub methods: Vec<String>,
    pub headers: Names,
    pub expose: Names,
    pub credentials: bool,
    pub allow_insecure_http: bool,
    pub private_network: bool,
    pub max_age: u32,
}

pub enum Origins {
    Any,
    List {
        /// Each entry as written, and checked.
        entries: Vec<(String, OriginEntry)>,
        /// Read when the app is built, checked then by the same rules.
        configured: Vec<Configured>,
        /// `set(NAME)`: sets that change at run time, checked entry by entry.
        live: Vec<syn::Path>,
    },
}

/// What the route below the attribute serves: its methods, and the attribute's name for
/// messages.
pub struct Served {
    pub methods: Vec<String>,
    pub attribute: String,
}

/// A checked configuration source of `origins`.
pub enum Configured {
    Env(String),
    Function(syn::Path),
}

/// Checks a policy; `served` is what the route below serves, or `None` where the policy is
/// declared apart from a route (named and scope-wide policies: the methods are checked where
/// it is applied).
pub fn validate(attr: &Attr, served: Option<&Served>, mut errors: Errors) -> syn::Result<Policy> {
    let credentials = attr.credentials.as_ref().is_some_and(|c| c.value.value);
    let private_network = attr.private_network.as_ref().is_some_and(|p| p.value.value);
    let allow_insecure_http = attr
        .allow_insecure_http
        .as_ref()
        .is_some_and(|a| a.value.value);

    let origins = match &attr.origins {
        None if attr.malformed || attr.unreadable.iter().any(|k| k == "origins") => Origins::Any,
        None => {
            errors.push(error_at(
                Span::call_site(),
                "missing `origins`: which origins may call this handler?",
                Some("add e.g. `origins = [\"https://app.example.com\"]`, or `origins = \"*\"` for any origin"),
            ));
            Origins::Any
        }
        Some(arg) => origins(
            arg,
            credentials,
            private_network,
            allow_insecure_http,
            &mut errors,
        ),
    };
    let methods = methods(attr, served, &mut errors);
    let headers = names(
        attr.headers.as_ref(),
        credentials,
        &mut errors,
        rules::check_request_header,
        "headers",
    );
    let expose = names(
        attr.expose.as_ref(),
        credentials,
        &mut errors,
        rules::check_exposed_header,
        "expose",
    );
    let max_age = match &attr.max_age {
        None => DEFAULT_MAX_AGE,
        Some(arg) => match arg.value.base10_parse::<u32>() {
            Ok(seconds) if seconds <= MAX_MAX_AGE => seconds,
            _ => {
                errors.push(error(
                    &arg.value,
                    format!("`max_age = {}` is above 86400: browsers cap it (Firefox at 86400, Chromium at 7200)", arg.value.base10_digits()),
                    Some("write at most `max_age = 86400` (24 h); Chromium still stops at 7200 and Safari at 600"),
                ));
                DEFAULT_MAX_AGE
            }
        },
    };
    if let (Some(insecure), false) = (&attr.allow_insecure_http, credentials) {
        if insecure.value.value {
            errors.push(error(
                &insecure.key,
                "`allow_insecure_http` only matters with `credentials = true`",
                Some("remove it"),
            ));
        }
    }
    errors.finish(Policy {
        origins,
        methods,
        headers,
        expose,
        credentials,
        allow_insecure_http,
        private_network,
        max_age,
    })
}

fn origins(
    arg: &Arg<StarOrList>,
    credentials: bool,
    private_network: bool,
    allow_insecure_http: bool,
    errors: &mut Errors,
) -> Origins {
    let (items, sources) = match &arg.value {
        StarOrList::Star(star) => return any_origin(star, credentials, private_network, errors),
        StarOrList::List {
            items,
            sources,
            written,
        } if items.is_empty() && sources.is_empty() => {
            errors.push(error(
                written,
                "`origins` is empty: no origin could call this handler",
                Some("list the origins, e.g. `origins = [\"https://app.example.com\"]`"),
            ));
            return Origins::Any;
        }
        StarOrList::List { items, sources, .. } => (items, sources),
    };
    if let ([only], []) = (items.as_slice(), sources.as_slice()) {
        if only.value() == "*" {
            return any_origin(only, credentials, private_network, errors);
        }
    }
    let (configured, live) = configured(sources, errors);
    let rule = CredentialsRule {
        credentials,
        allow_insecure_http,
    };
    let mut entries = Vec::new();
    let mut seen = BTreeSet::new();
    for lit in items {
        let value = lit.value();
        if value == "*" {
            errors.push(error(
                lit,
                "`*` cannot be mixed with other origins",
                Some("write `origins = \"*\"` alone to allow any origin, or remove `*`"),
            ));
            continue;
        }
        let entry = match rules::parse_origin(&value) {
            Ok(entry) => entry,
            Err(rule) => {
                let help = match rule.message.contains("not ASCII") {
                    true => punycode_help(&value).or(rule.help),
                    false => rule.help,
                };
                errors.push(error(lit, &rule.message, help.as_deref()));
                continue;
            }
        };
        if !seen.insert(value.clone()) {
            errors.push(error(
                lit,
                format!("duplicate origin \"{value}\""),
                Some("remove this entry"),
            ));
            continue;
        }
        if let Err(rule) = check_credentials(&entry, &value, rule) {
            errors.push(error(lit, &rule.message, rule.help.as_deref()));
        }
        entries.push((value, entry));
    }
    Origins::List {
        entries,
        configured,
        live,
    }
}

/// Checks the configuration sources and live sets of `origins`; their entries are checked when
/// read, or when they enter the set.
fn configured(sources: &[Source], errors: &mut Errors) -> (Vec<Configured>, Vec<syn::Path>) {
    let mut checked = Vec::new();
    let mut live = Vec::new();
    let mut seen = BTreeSet::new();
    for source in sources {
        let call = source.call();
        let (key, entry) = match source {
            Source::Env { name, .. } => {
                let value = name.value();
                if let Err(problem) = env_name_problem(&value) {
                    errors.push(error(
                        name,
                        format!("`{value}` is not a usable environment variable name: {problem}"),
                        Some("name the variable with letters, digits and `_`, e.g. `env(\"APP_CORS_ORIGINS\")`"),
                    ));
                    continue;
                }
                (format!("env({value})"), Configured::Env(value))
            }
            Source::Function { path, .. } => {
                let written = path_text(path);
                (
                    format!("config({written})"),
                    Configured::Function(path.clone()),
                )
            }
            Source::Set { path, .. } => {
                let key = format!("set({})", path_text(path));
                if seen.insert(key.clone()) {
                    live.push(path.clone());
                } else {
                    errors.push(error(
                        call,
                        format!("duplicate origin source `{key}`"),
                        Some("remove this entry"),
                    ));
                }
                continue;
            }
        };
        if !seen.insert(key.clone()) {
            errors.push(error(
                call,
                format!("duplicate origin source `{key}`"),
                Some("remove this entry"),
            ));
            continue;
        }
        checked.push(entry);
    }
    (checked, live)
}

/// Why `name` cannot name an environment variable portably, if it cannot.
fn env_name_problem(name: &str) -> Result<(), &'static str> {
    match name.as_bytes() {
        [] => Err("it is empty"),
        [first, ..] if first.is_ascii_digit() => Err("it starts with a digit"),
        bytes
            if bytes
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            Ok(())
        }
        _ => Err("only ASCII letters, digits and `_` are portable"),
    }
}

fn any_origin(
    star: &LitStr,
    credentials: bool,
    private_network: bool,
    errors: &mut Errors,
) -> Origins {
    if credentials {
        errors.push(error(star, "`origins = \"*\"` cannot be combined with `credentials = true`", Some("browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the origins explicitly")));
    }
    if private_network {
        errors.push(error(star, "`origins = \"*\"` cannot be combined with `private_network = true`", Some("letting any website reach a private-network server defeats Private Network Access; list the origins explicitly")));
    }
    Origins::Any
}

fn punycode_help(origin: &str) -> Option<String> {
    let (scheme, rest) = origin.split_once("://")?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, format!(":{p}")),
        _ => (rest, String::new()),
    };
    let ascii = idna::domain_to_ascii(host).ok()?;
    Some(format!("write \"{scheme}://{ascii}{port}\""))
}

/// The methods cross-origin pages may use: those listed (each served by the route), or by
/// default those the route serves, but `OPTIONS`.
fn methods(attr: &Attr, served: Option<&Served>, errors: &mut Errors) -> Vec<String> {
    let Some(arg) = &attr.methods else {
        // `OPTIONS` stays same-origin unless listed: routes serve it for their own clients far
        // more often than for other sites.
        return served
            .map(|served| served.methods.clone())
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m != "OPTIONS" && rules::check_method(m).is_ok())
            .collect();
    };
    let Methods { written, items } = &arg.value;
    if items.is_empty() {
        errors.push(error(
            written,
            "`methods` is empty: the route would allow no cross-origin method",
            Some("list at least one method, or remove `methods` to allow every method the route serves"),
        ));
    }
    let mut methods = Vec::new();
    for method in items {
        if let Err(rule) = rules::check_method(&method.name) {
            errors.push(error(&method.tokens, &rule.message, rule.help.as_deref()));
        } else if methods.contains(&method.name) {
            errors.push(error(
                &method.tokens,
                format!("duplicate method `{}`", method.name),
                Some("remove this entry"),
            ));
        } else if let Some(served) = served.filter(|s| !s.methods.contains(&method.name)) {
            let served_list = served
                .methods
                .iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(error(
                &method.tokens,
                format!("`{}` is not served by the route below", method.name),
                Some(&format!(
                    "`#[{}]` serves only {served_list}; remove `{}`, or add it to the route",
                    served.attribute, method.name
                )),
            ));
        } else {
            methods.push(method.name.clone());
        }
    }
    methods
}

fn names(
    arg: Option<&Arg<StarOrList>>,
    credentials: bool,
    errors: &mut Errors,
    check: fn(&str) -> Result<String, rules::RuleError>,
    key: &str,
) -> Names {
    let Some(arg) = arg else {
        return Names::List(Vec::new());
    };
    let items = match &arg.value {
        StarOrList::Star(star) => return star_names(star, credentials, errors, key),
        StarOrList::List { items, written, .. } if items.is_empty() => {
            errors.push(error(
                written,
                format!("`{key}` is empty"),
                Some(&format!("list at least one header, or remove `{key}`")),
            ));
            return Names::List(Vec::new());
        }
        StarOrList::List { items, .. } => items,
    };
    if let [only] = items.as_slice() {
        if only.value() == "*" {
            return star_names(only, credentials, errors, key);
        }
    }
    let mut names = BTreeSet::new();
    for lit in items {
        let value = lit.value();
        if value == "*" {
            errors.push(error(
                lit,
                format!("`*` cannot be mixed with header names in `{key}`"),
                Some(&format!("write `{key} = \"*\"` alone, or remove `*`")),
            ));
            continue;
        }
        match check(&value) {
            Err(rule) => errors.push(error(lit, &rule.message, rule.help.as_deref())),
            Ok(lower) if names.contains(&lower) => {
                errors.push(error(
                    lit,
                    format!("duplicate header \"{value}\" (header names ignore case)"),
                    Some("remove this entry"),
                ));
            }
            Ok(lower) => {
                names.insert(lower);
            }
        }
    }
    Names::List(names.into_iter().collect())
}

fn star_names(star: &LitStr, credentials: bool, errors: &mut Errors, key: &str) -> Names {
    if credentials {
        let what = if key == "headers" {
            "request headers"
        } else {
            "exposed headers"
        };
        errors.push(error(
            star,
            format!("`{key} = \"*\"` does not work with `credentials = true`"),
            Some(&format!("on credentialed requests browsers read `*` as a header literally named `*`, not as all {what}; list the names")),
        ));
    }
    Names::Any
}

/// Checks a named or scope-wide policy where it is declared: every rule but the one that needs
/// the route (methods it serves), which is checked where the policy is applied.
pub fn validate_declaration(attr: &Attr, errors: Errors) -> syn::Result<()> {
    validate(attr, None, errors).map(drop)
}

/// A path as the user wrote it, without the spaces token printing adds: `settings::origins`.
pub fn path_text(path: &syn::Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}
