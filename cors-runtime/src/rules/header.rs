//! Rules for `headers = [...]` and `expose = [...]`.

use crate::error::RuleError;
use crate::token::is_token;

/// Request headers script can never set (the Fetch standard's forbidden request-headers).
const FORBIDDEN_REQUEST: [&str; 22] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "access-control-request-private-network",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

fn token(name: &str, list: &str) -> Result<String, RuleError> {
    if name.is_empty() {
        return Err(
            RuleError::new(format!("empty header name in `{list}`")).help("remove the empty entry")
        );
    }
    if !is_token(name.as_bytes()) {
        let pieces: Vec<&str> = name.split(',').map(str::trim).collect();
        let help = match name.split_once(':') {
            Some((n, _)) if is_token(n.trim().as_bytes()) => {
                format!("list the header's name only: \"{}\"", n.trim().to_ascii_lowercase())
            }
            _ if pieces.len() > 1 && pieces.iter().all(|p| is_token(p.as_bytes())) => format!(
                "write each name as its own string: `{list} = [{}]`",
                pieces.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ")
            ),
            _ if name.trim() != name && is_token(name.trim().as_bytes()) => {
                format!("remove the spaces: \"{}\"", name.trim())
            }
            _ if is_token(name.trim().replace(' ', "-").as_bytes()) => format!(
                "a header name has no spaces; did you mean \"{}\"?",
                name.trim().replace(' ', "-")
            ),
            _ => "a header name is one RFC 9110 token: letters, digits and `!#$%&'*+-.^_`|~`, no spaces or colons".into(),
        };
        return Err(RuleError::new(format!("\"{name}\" is not a header name")).help(help));
    }
    Ok(name.to_ascii_lowercase())
}

/// Checks one entry of `headers`, returning its lowercase form.
///
/// ```
/// use cors_runtime::rules::check_request_header;
/// assert_eq!(check_request_header("X-Token").unwrap(), "x-token");
/// assert!(check_request_header("cookie").is_err());
/// assert!(check_request_header("access-control-allow-origin").is_err());
/// ```
pub fn check_request_header(name: &str) -> Result<String, RuleError> {
    let lower = token(name, "headers")?;
    if FORBIDDEN_REQUEST.contains(&lower.as_str())
        || lower.starts_with("sec-")
        || lower.starts_with("proxy-")
    {
        return Err(RuleError::new(format!(
            "\"{name}\" is a forbidden request header: page script can never set it"
        ))
        .help("remove it: the browser sets it itself and never asks permission for it"));
    }
    if lower.starts_with("access-control-") {
        return Err(RuleError::new(format!("\"{name}\" is a response header, not a request header"))
            .help("remove it: the server sends `Access-Control-*` headers; setting them on the request does nothing but trigger a preflight"));
    }
    Ok(lower)
}

/// Checks one entry of `expose`, returning its lowercase form.
///
/// ```
/// use cors_runtime::rules::check_exposed_header;
/// assert_eq!(check_exposed_header("X-Request-Id").unwrap(), "x-request-id");
/// assert!(check_exposed_header("set-cookie").is_err());
/// ```
pub fn check_exposed_header(name: &str) -> Result<String, RuleError> {
    let lower = token(name, "expose")?;
    if lower == "set-cookie" || lower == "set-cookie2" {
        return Err(
            RuleError::new(format!("\"{name}\" can never be exposed to page script"))
                .help("remove it: browsers filter `Set-Cookie` out of every response script sees"),
        );
    }
    Ok(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(name: &str) -> String {
        check_request_header(name)
            .unwrap_err()
            .help
            .unwrap_or_default()
    }

    #[test]
    fn names_that_are_not_tokens_get_the_name_meant() {
        assert_eq!(
            help("content-type: json"),
            "list the header's name only: \"content-type\""
        );
        assert_eq!(
            help("x-a, x-b"),
            "write each name as its own string: `headers = [\"x-a\", \"x-b\"]`"
        );
        assert_eq!(help(" x-token"), "remove the spaces: \"x-token\"");
        assert_eq!(
            help("x token"),
            "a header name has no spaces; did you mean \"x-token\"?"
        );
        assert!(help("x\"y").contains("RFC 9110"));
    }

    #[test]
    fn forbidden_and_response_headers_are_refused() {
        for name in [
            "Cookie",
            "host",
            "sec-fetch-mode",
            "proxy-authorization",
            "origin",
        ] {
            assert!(help(name).starts_with("remove it"), "{name}");
        }
        assert!(check_request_header("access-control-allow-origin")
            .unwrap_err()
            .message
            .contains("response header"));
        assert_eq!(
            check_request_header("X-B3-TraceId").unwrap(),
            "x-b3-traceid"
        );
    }
}
