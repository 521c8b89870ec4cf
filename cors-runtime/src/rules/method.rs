//! Rules for `methods = [...]`.

use crate::error::RuleError;
use crate::token::is_token;

/// Methods whose lowercase spelling `fetch()` uppercases before sending.
const NORMALIZED: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Checks one entry of `methods`, returning it unchanged when it is valid.
///
/// `OPTIONS` is valid: a page may call `fetch(url, {method: "OPTIONS"})`, which the browser
/// preflights with `Access-Control-Request-Method: OPTIONS`.
///
/// ```
/// use cors_runtime::rules::check_method;
/// assert!(check_method("PROPFIND").is_ok());
/// assert!(check_method("OPTIONS").is_ok());
/// assert!(check_method("put").unwrap_err().help.unwrap().contains("PUT"));
/// assert!(check_method("options").unwrap_err().help.unwrap().contains("OPTIONS"));
/// assert!(check_method("TRACE").is_err());
/// ```
pub fn check_method(method: &str) -> Result<&str, RuleError> {
    if method.is_empty() {
        return Err(
            RuleError::new("empty method name").help("write the method in capitals, e.g. `GET`")
        );
    }
    if !is_token(method.as_bytes()) {
        return Err(
            RuleError::new(format!("`{method}` is not an HTTP method token")).help(
                "a method is one RFC 9110 token: letters, digits and `!#$%&'*+-.^_`|~`, no spaces",
            ),
        );
    }
    let upper = method.to_ascii_uppercase();
    if ["CONNECT", "TRACE", "TRACK"].contains(&upper.as_str()) {
        return Err(RuleError::new(format!(
            "`{method}` is a forbidden method: browsers never send it"
        ))
        .help(format!(
            "remove `{method}`: `fetch()` throws on CONNECT, TRACE and TRACK"
        )));
    }
    if method != upper && NORMALIZED.contains(&upper.as_str()) {
        return Err(RuleError::new(format!("method `{method}` must be written `{upper}`"))
            .help(format!("browsers send `{upper}` (fetch uppercases it) and methods compare case-sensitively: write `{upper}`")));
    }
    if method != upper && upper == "PATCH" {
        return Err(RuleError::new(format!("method `{method}` must be written `PATCH`")).help(
            "write `PATCH`: fetch() does not uppercase `patch`, so a page that writes `patch` sends \
             it lowercase and it matches no route; have the page send `PATCH`",
        ));
    }
    Ok(method)
}
