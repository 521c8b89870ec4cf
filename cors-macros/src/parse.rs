//! The attribute's arguments as a typed model that keeps every original token, so later
//! stages can point at the exact one at fault. Only shapes are checked here (a list where a
//! list belongs, a bool where a bool belongs); policy rules live in `validate`.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Ident, Lit, LitBool, LitInt, LitStr, Token};

use crate::diagnostic::{error, Errors};
use crate::suggest::did_you_mean;

/// The keys `#[cors]` accepts.
pub const KEYS: [&str; 8] = [
    "origins",
    "methods",
    "headers",
    "expose",
    "credentials",
    "max_age",
    "private_network",
    "allow_insecure_http",
];

/// `#[cors(...)]`, one field a key.
#[derive(Default)]
pub struct Attr {
    pub origins: Option<Arg<StarOrList>>,
    pub methods: Option<Arg<Methods>>,
    pub headers: Option<Arg<StarOrList>>,
    pub expose: Option<Arg<StarOrList>>,
    pub credentials: Option<Arg<LitBool>>,
    pub max_age: Option<Arg<LitInt>>,
    pub private_network: Option<Arg<LitBool>>,
    pub allow_insecure_http: Option<Arg<LitBool>>,
    /// Keys that were written but whose value could not be read.
    pub unreadable: Vec<String>,
    /// The arguments could not be read at all.
    pub malformed: bool,
}

/// One `key = value`.
pub struct Arg<T> {
    pub key: Ident,
    pub value: T,
}

/// `"*"`, or a list of string literals (for `origins`, also of configuration sources).
pub enum StarOrList {
    Star(LitStr),
    List {
        /// The value as written, for errors about the list as a whole.
        written: TokenStream,
        items: Vec<LitStr>,
        sources: Vec<Source>,
    },
}

/// Where `origins` reads more entries when the app is built.
pub enum Source {
    /// `env("APP_CORS_ORIGINS")`: a comma-separated list in an environment variable.
    Env { call: syn::ExprCall, name: LitStr },
    /// `config(path::to::function)`: a function returning the list.
    Function {
        call: syn::ExprCall,
        path: syn::Path,
    },
    /// `set(TENANT_ORIGINS)`: a `static` `OriginSet`, changed at run time.
    Set {
        call: syn::ExprCall,
        path: syn::Path,
    },
}

impl Source {
    /// The whole `env(...)` / `config(...)` / `set(...)` call, for errors.
    pub fn call(&self) -> &syn::ExprCall {
        match self {
            Self::Env { call, .. } | Self::Function { call, .. } | Self::Set { call, .. } => call,
        }
    }
}

/// The value of `methods`.
pub struct Methods {
    /// The list as written, for errors about the list as a whole.
    pub written: TokenStream,
    pub items: Vec<Method>,
}

/// An entry of `methods`: an identifier (`GET`) or a string literal (`"PROPFIND"`).
pub struct Method {
    pub name: String,
    pub tokens: TokenStream,
}

/// One argument as written. The value is read as an expression rather than with `syn::Meta`,
/// which folds `-1` into one literal spanned on the `-` alone.
enum Entry {
    /// `key = value`.
    NameValue(NameValue),
    /// Anything else (`key`, `key(...)`), kept whole for the error.
    Other { path: syn::Path, rest: TokenStream },
}

struct NameValue {
    path: syn::Path,
    value: Expr,
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let path = input.call(syn::Path::parse_mod_style)?;
        if input.parse::<Option<Token![=]>>()?.is_some() {
            let value = input.parse()?;
            return Ok(Self::NameValue(NameValue { path, value }));
        }
        let mut rest = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            rest.extend([input.parse::<TokenTree>()?]);
        }
        Ok(Self::Other { path, rest })
    }
}

impl Attr {
    /// Parses the arguments. Keys whose value has the wrong shape are left unset and their
    /// errors returned alongside, so the other keys are still checked in the same compile.
    pub fn parse(tokens: TokenStream) -> (Self, Errors) {
        let mut attr = Attr::default();
        let mut errors = Errors::default();
        match Punctuated::<Entry, Token![,]>::parse_terminated.parse2(tokens) {
            Ok(entries) => {
                for entry in entries {
                    if let Err(e) = attr.take(entry) {
                        errors.push(e);
                    }
                }
            }
            Err(e) => {
                attr.malformed = true;
                errors.push(e);
            }
        }
        (attr, errors)
    }

    fn take(&mut self, entry: Entry) -> syn::Result<()> {
        let nv = match entry {
            Entry::NameValue(nv) => nv,
            Entry::Other { path, rest } => {
                let key = path.get_ident().map(Ident::to_string).unwrap_or_default();
                let help = match example(&key) {
                    Some(value) => format!("write `{key} = {value}`"),
                    None => known_keys(),
                };
                return Err(error(
                    quote::quote!(#path #rest),
                    format!("expected `key = value`, found `{}`", quote::quote!(#path)),
                    Some(&help),
                ));
            }
        };
        let Some(key) = nv.path.get_ident().cloned() else {
            return Err(error(
                &nv.path,
                "expected a key such as `origins`",
                Some(&known_keys()),
            ));
        };
        let value = nv.value;
        self.unreadable.push(key.to_string());
        let result = self.set_value(key, value);
        if result.is_ok() {
            self.unreadable.pop();
        }
        result
    }

    fn set_value(&mut self, key: Ident, value: Expr) -> syn::Result<()> {
        match key.to_string().as_str() {
            "origins" => set(&mut self.origins, key, star_or_list(value, "origins")?),
            "methods" => set(&mut self.methods, key, methods(value)?),
            "headers" => set(&mut self.headers, key, star_or_list(value, "headers")?),
            "expose" => set(&mut self.expose, key, star_or_list(value, "expose")?),
            "credentials" => set(&mut self.credentials, key, boolean(value, "credentials")?),
            "private_network" => set(
                &mut self.private_network,
                key,
                boolean(value, "private_network")?,
            ),
            "allow_insecure_http" => set(
                &mut self.allow_insecure_http,
                key,
                boolean(value, "allow_insecure_http")?,
            ),
            "max_age" => set(&mut self.max_age, key, integer(value)?),
            other => {
                let meant = did_you_mean(other, &KEYS);
                // The key meant was written, just misspelled: do not also report it missing.
                self.unreadable.extend(meant.map(str::to_owned));
                let help = meant.map_or_else(known_keys, |k| format!("did you mean `{k}`?"));
                Err(error(&key, format!("unknown key `{other}`"), Some(&help)))
            }
        }
    }
}

/// A typical value of `key`, for a key written without one.
fn example(key: &str) -> Option<&'static str> {
    Some(match key {
        "origins" => "[\"https://app.example.com\"]",
        "methods" => "[GET, PUT]",
        "headers" => "[\"content-type\"]",
        "expose" => "[\"x-request-id\"]",
        "max_age" => "600",
        "credentials" | "private_network" | "allow_insecure_http" => "true",
        _ => return None,
    })
}

fn known_keys() -> String {
    format!("the keys are {}", KEYS.map(|k| format!("`{k}`")).join(", "))
}

fn set<T>(slot: &mut Option<Arg<T>>, key: Ident, value: T) -> syn::Result<()> {
    if let Some(first) = slot {
        return Err(error(
            &key,
            format!("duplicate key `{key}`"),
            Some(&format!("`{}` is already set above; keep one", first.key)),
        ));
    }
    *slot = Some(Arg { key, value });
    Ok(())
}

fn star_or_list(value: Expr, key: &str) -> syn::Result<StarOrList> {
    let example = match key {
        "origins" => "[\"https://app.example.com\"]",
        "expose" => "[\"x-request-id\"]",
        _ => "[\"content-type\", \"x-token\"]",
    };
    let help = match key {
        "origins" => format!("write `origins = {example}`, `origins = \"*\"`, or read them at start-up with `env(\"VAR\")` / `config(path::to::function)`"),
        _ => format!("write `{key} = {example}` or `{key} = \"*\"`"),
    };
    match value {
        Expr::Call(call) if key == "origins" => Ok(StarOrList::List {
            written: quote::quote!(#call),
            items: Vec::new(),
            sources: vec![source(call)?],
        }),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value() == "*" => Ok(StarOrList::Star(s)),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Err(error(
            &s,
            format!("`{key}` takes a list, or \"*\" alone"),
            Some(&format!("write `{key} = [{}]`", quote::quote!(#s))),
        )),
        Expr::Array(array) => {
            let mut errors = Errors::default();
            let (mut items, mut sources) = (Vec::new(), Vec::new());
            for elem in &array.elems {
                match elem {
                    Expr::Lit(ExprLit {
                        lit: Lit::Str(s), ..
                    }) => items.push(s.clone()),
                    Expr::Call(call) if key == "origins" => match source(call.clone()) {
                        Ok(source) => sources.push(source),
                        Err(e) => errors.push(e),
                    },
                    Expr::Call(call) => errors.push(error(
                        call,
                        format!("`{key}` cannot be read from configuration: only `origins` can"),
                        Some(&format!("list the names in the attribute: {help}")),
                    )),
                    other => errors.push(error(
                        other,
                        format!("`{key}` entries must be string literals"),
                        Some(&help),
                    )),
                }
            }
            errors.finish(StarOrList::List {
                written: quote::quote!(#array),
                items,
                sources,
            })
        }
        other => Err(error(
            &other,
            format!("`{key}` takes a list of string literals"),
            Some(&help),
        )),
    }
}

/// `env("VAR")`, `config(path::to::function)` or `set(STATIC)`.
fn source(call: syn::ExprCall) -> syn::Result<Source> {
    let function = match &*call.func {
        Expr::Path(p) => p.path.get_ident().map(Ident::to_string),
        _ => None,
    };
    let args: Vec<&Expr> = call.args.iter().collect();
    match (function.as_deref(), args.as_slice()) {
        (
            Some("env"),
            [Expr::Lit(ExprLit {
                lit: Lit::Str(name),
                ..
            })],
        ) => {
            let name = name.clone();
            Ok(Source::Env { call, name })
        }
        (Some("env"), _) => Err(error(
            &call,
            "`env` takes the name of one environment variable, as a string",
            Some("write `env(\"APP_CORS_ORIGINS\")`; the variable holds a comma-separated list of origins"),
        )),
        (Some("config"), [Expr::Path(p)]) if p.qself.is_none() => {
            let path = p.path.clone();
            Ok(Source::Function { call, path })
        }
        (Some("config"), _) => Err(error(
            &call,
            "`config` takes the path of a function that returns the origins",
            Some("write `config(crate::settings::cors_origins)`, naming a `fn() -> Vec<String>` (any list of strings works)"),
        )),
        (Some("set"), [Expr::Path(p)]) if p.qself.is_none() => {
            let path = p.path.clone();
            Ok(Source::Set { call, path })
        }
        (Some("set"), _) => Err(error(
            &call,
            "`set` takes the path of a `static` `OriginSet`",
            Some("declare `static TENANT_ORIGINS: OriginSet = OriginSet::new();` and write `set(TENANT_ORIGINS)`"),
        )),
        (other, _) => {
            let written = other.unwrap_or_default();
            let meant = did_you_mean(written, &["env", "config", "set"])
                .or_else(|| written.starts_with("env").then_some("env"))
                .or_else(|| written.starts_with("conf").then_some("config"));
            let help = match meant {
                Some(meant) => format!("did you mean `{meant}`?"),
                None => "origins come from string literals, `env(\"VAR\")`, `config(path::to::function)` or `set(STATIC_ORIGIN_SET)`".to_owned(),
            };
            let func = &call.func;
            Err(error(
                func,
                format!("unknown origin source `{}`", quote::quote!(#func)),
                Some(&help),
            ))
        }
    }
}

fn methods(value: Expr) -> syn::Result<Methods> {
    let help = "write `methods = [GET, PUT]`";
    let Expr::Array(array) = value else {
        return Err(error(
            &value,
            "`methods` takes a list of methods",
            Some(help),
        ));
    };
    let mut errors = Errors::default();
    let mut methods = Vec::new();
    for elem in &array.elems {
        match elem {
            Expr::Path(p) if p.path.get_ident().is_some() => methods.push(Method {
                name: p.path.get_ident().map(Ident::to_string).unwrap_or_default(),
                tokens: quote::quote!(#p),
            }),
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => methods.push(Method {
                name: s.value(),
                tokens: quote::quote!(#s),
            }),
            other => errors.push(error(other, "expected a method such as `GET`", Some(help))),
        }
    }
    errors.finish(Methods {
        written: quote::quote!(#array),
        items: methods,
    })
}

fn boolean(value: Expr, key: &str) -> syn::Result<LitBool> {
    let written = match &value {
        Expr::Lit(ExprLit {
            lit: Lit::Bool(b), ..
        }) => return Ok(b.clone()),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => match s.value().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) => match i.base10_digits() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        _ => None,
    };
    let help = match written {
        Some(b) => format!("write `{key} = {b}`"),
        None => format!("write `{key} = true` or `{key} = false`"),
    };
    Err(error(
        &value,
        format!(
            "`{key}` takes `true` or `false`, not `{}`",
            quote::quote!(#value)
        ),
        Some(&help),
    ))
}

fn integer(value: Expr) -> syn::Result<LitInt> {
    const RANGE: &str = "write a number of seconds from 0 (no caching) to 86400";
    match value {
        Expr::Lit(ExprLit {
            lit: Lit::Int(i), ..
        }) if !i.base10_digits().starts_with('-') => Ok(i),
        // `-1` as two tokens, or as one literal when a named policy's keys were re-emitted.
        negative @ (Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            ..
        })
        | Expr::Lit(ExprLit {
            lit: Lit::Int(_), ..
        })) => Err(error(
            &negative,
            "`max_age` cannot be negative",
            Some(&format!(
                "{RANGE}; browsers treat negative values inconsistently"
            )),
        )),
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) if s.value().trim().parse::<u64>().is_ok() => Err(error(
            &s,
            "`max_age` takes a number, not a string",
            Some(&format!(
                "write `max_age = {}` without quotes",
                s.value().trim()
            )),
        )),
        other => Err(error(
            &other,
            format!(
                "`max_age` takes a whole number of seconds, not `{}`",
                quote::quote!(#other)
            ),
            Some(&format!("{RANGE}, e.g. `max_age = 600`")),
        )),
    }
}
