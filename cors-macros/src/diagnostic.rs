//! Building and collecting compile errors that say what is wrong and how to fix it.

use proc_macro2::Span;
use quote::ToTokens;

/// An error on `tokens` with a one-line message and, when there is one, the fix.
pub fn error(
    tokens: impl ToTokens,
    message: impl std::fmt::Display,
    help: Option<&str>,
) -> syn::Error {
    syn::Error::new_spanned(tokens, render(message, help))
}

/// An error at `span`.
pub fn error_at(span: Span, message: impl std::fmt::Display, help: Option<&str>) -> syn::Error {
    syn::Error::new(span, render(message, help))
}

fn render(message: impl std::fmt::Display, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("{message}\n= help: {help}"),
        None => message.to_string(),
    }
}

/// Every error of one attribute, reported together so one compile shows them all.
#[derive(Default)]
pub struct Errors {
    errors: Vec<syn::Error>,
}

impl Errors {
    pub fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    /// `Ok(value)` if no error was pushed, else all errors combined.
    pub fn finish<T>(self, value: T) -> syn::Result<T> {
        let mut errors = self.errors.into_iter();
        match errors.next() {
            None => Ok(value),
            Some(mut first) => {
                first.extend(errors);
                Err(first)
            }
        }
    }
}
