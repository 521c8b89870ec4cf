//! The rules of an `origins` entry: exactly what a browser sends in `Origin`, or a subdomain
//! pattern `scheme://*.domain[:port]`; and, with credentials, one a network attacker cannot
//! impersonate. The macro checks literals with them, the start-up path configured entries.

use std::net::Ipv6Addr;

use crate::error::RuleError;

/// The scheme of an allowed origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `http`
    Http,
    /// `https`
    Https,
}

/// A checked entry of `origins`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginEntry {
    /// A serialized origin, matched byte for byte.
    Exact {
        /// The origin, e.g. `https://app.example.com`.
        origin: String,
        /// Its scheme.
        scheme: Scheme,
        /// Its host, e.g. `app.example.com` or `[::1]`.
        host: String,
    },
    /// `scheme://*.suffix`: every subdomain of `suffix`, at any depth.
    Subdomains {
        /// The scheme.
        scheme: Scheme,
        /// The domain after `*.`, e.g. `example.org`.
        domain: String,
        /// What follows `*.` in a matching origin: the domain and the port, if any.
        suffix: String,
    },
}

impl OriginEntry {
    /// Whether the browser can only reach this origin over a secure channel (https) or on
    /// the local machine — i.e. a network attacker cannot impersonate it.
    #[must_use]
    pub fn is_potentially_trustworthy(&self) -> bool {
        match self {
            Self::Exact {
                scheme: Scheme::Https,
                ..
            }
            | Self::Subdomains {
                scheme: Scheme::Https,
                ..
            } => true,
            // Loopback names and addresses only: `127.attacker.example` is a domain like any.
            Self::Exact { host, .. } => {
                host == "localhost"
                    || host.ends_with(".localhost")
                    || host == "[::1]"
                    || host
                        .parse::<std::net::Ipv4Addr>()
                        .is_ok_and(|ip| ip.is_loopback())
            }
            Self::Subdomains { domain, .. } => {
                domain == "localhost" || domain.ends_with(".localhost")
            }
        }
    }
}

/// What a policy's credentials setting demands of its origins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialsRule {
    /// `credentials = true`.
    pub credentials: bool,
    /// `allow_insecure_http = true`: the user accepts plain-http origins with credentials.
    pub allow_insecure_http: bool,
}

/// Checks `entry` (written as `written`) against the policy's credentials rule: with
/// credentials, an origin a network attacker can impersonate (plain http, not loopback) is
/// refused unless the policy allows insecure http.
///
/// ```
/// use cors_runtime::origin::{check_credentials, parse_origin, CredentialsRule};
/// let rule = CredentialsRule { credentials: true, allow_insecure_http: false };
/// let intranet = parse_origin("http://intranet.example.com").unwrap();
/// let error = check_credentials(&intranet, "http://intranet.example.com", rule).unwrap_err();
/// assert!(error.message.starts_with("plain-http origin"));
/// let local = parse_origin("http://localhost:3000").unwrap();
/// assert!(check_credentials(&local, "http://localhost:3000", rule).is_ok());
/// ```
///
/// # Errors
/// The rule broken, with the fix.
pub fn check_credentials(
    entry: &OriginEntry,
    written: &str,
    rule: CredentialsRule,
) -> Result<(), RuleError> {
    if rule.credentials && !rule.allow_insecure_http && !entry.is_potentially_trustworthy() {
        return Err(RuleError::new(format!(
            "plain-http origin \"{written}\" with `credentials = true`: a network attacker can impersonate it"
        ))
        .help("use its https origin; if you accept the risk (e.g. a trusted internal network), add `allow_insecure_http = true`"));
    }
    Ok(())
}

/// Checks one entry of `origins` (other than `"*"`).
///
/// ```
/// use cors_runtime::origin::{parse_origin, OriginEntry};
/// assert!(matches!(parse_origin("https://app.example.com"), Ok(OriginEntry::Exact { .. })));
/// assert!(matches!(parse_origin("https://*.example.org"), Ok(OriginEntry::Subdomains { .. })));
/// let error = parse_origin("https://app.example.com/").unwrap_err();
/// assert_eq!(error.help.unwrap(), "write \"https://app.example.com\"");
/// ```
pub fn parse_origin(entry: &str) -> Result<OriginEntry, RuleError> {
    if entry == "null" {
        return Err(RuleError::new("`null` cannot be allowed: it is not one origin but every opaque one")
            .help("sandboxed iframes, `data:` URLs, `file:` pages and cross-origin redirects all send `Origin: null`, so allowing it allows every one of them; list the real origins"));
    }
    if entry.is_empty() {
        return Err(RuleError::new("empty origin")
            .help("write a serialized origin, e.g. \"https://app.example.com\""));
    }
    if entry.chars().any(char::is_whitespace) {
        let fixed: String = entry.chars().filter(|c| !c.is_whitespace()).collect();
        return Err(RuleError::new("origin contains whitespace").help(write(&fixed)));
    }
    let Some((scheme, rest)) = entry.split_once("://") else {
        let host = entry.trim_start_matches('/');
        let guess = if host.starts_with("localhost") || host.starts_with("127.") {
            "http"
        } else {
            "https"
        };
        let what = if host.starts_with('*') {
            "wildcard origin has no scheme"
        } else {
            "origin has no scheme"
        };
        return Err(RuleError::new(what).help(write(&format!("{guess}://{host}"))));
    };
    let scheme = parse_scheme(scheme, rest)?;
    let scheme_str = match scheme {
        Scheme::Http => "http",
        Scheme::Https => "https",
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let base = format!("{scheme_str}://{authority}");
    match tail.as_bytes().first() {
        None => {}
        Some(_) if tail == "/" => {
            return Err(
                RuleError::new("origin ends with a slash: browsers never send one")
                    .help(write(&base)),
            )
        }
        Some(b'/') => {
            return Err(RuleError::new(format!("origin has a path `{tail}`")).help(write(&base)))
        }
        Some(b'?') => {
            return Err(RuleError::new(format!("origin has a query `{tail}`")).help(write(&base)))
        }
        Some(_) => {
            return Err(RuleError::new(format!("origin has a fragment `{tail}`")).help(write(&base)))
        }
    }
    if let Some((_, host)) = authority.rsplit_once('@') {
        return Err(
            RuleError::new("origin has userinfo (`user@`): browsers never send it")
                .help(write(&format!("{scheme_str}://{host}"))),
        );
    }
    let (host, port) = split_host_port(authority, scheme_str)?;
    if host.is_empty() {
        return Err(RuleError::new("origin has no host")
            .help("write a host, e.g. \"https://app.example.com\""));
    }
    let port_suffix = match port {
        Some(port) => format!(":{}", check_port(port, scheme, scheme_str, host)?),
        None => String::new(),
    };
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let canonical = check_ipv6(inner, scheme_str, &port_suffix)?;
        debug_assert_eq!(canonical, inner);
        return Ok(OriginEntry::Exact {
            origin: entry.to_owned(),
            scheme,
            host: host.to_owned(),
        });
    }
    if !host.is_ascii() {
        return Err(RuleError::new(format!("host `{host}` is not ASCII: browsers send the punycode form"))
            .help("write the host in its punycode (IDNA) form, e.g. `xn--bcher-kva.example` for `bücher.example`"));
    }
    if host.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(
            RuleError::new("origin host must be lowercase: browsers lowercase it").help(write(
                &format!("{scheme_str}://{}{port_suffix}", host.to_ascii_lowercase()),
            )),
        );
    }
    if host.contains('*') {
        return parse_wildcard(host, scheme, scheme_str, &port_suffix);
    }
    check_domain(host, scheme_str, &port_suffix)?;
    Ok(OriginEntry::Exact {
        origin: entry.to_owned(),
        scheme,
        host: host.to_owned(),
    })
}

/// Whether `b` may stand in a label of a serialized domain host: lowercase LDH, plus `_`,
/// which browsers keep. Shared by the entry check and the request-side matcher.
pub(crate) fn is_label_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

fn write(origin: &str) -> String {
    format!("write \"{origin}\"")
}

fn parse_scheme(scheme: &str, rest: &str) -> Result<Scheme, RuleError> {
    match scheme {
        "https" => return Ok(Scheme::Https),
        "http" => return Ok(Scheme::Http),
        _ => {}
    }
    let lower = scheme.to_ascii_lowercase();
    if lower == "http" || lower == "https" {
        return Err(
            RuleError::new("origin scheme must be lowercase: browsers lowercase it")
                .help(write(&format!("{lower}://{rest}"))),
        );
    }
    if scheme.contains('*') {
        return Err(RuleError::new("`*` cannot stand for the scheme")
            .help(format!("list each scheme: \"https://{rest}\"")));
    }
    Err(RuleError::new(format!("scheme `{scheme}` is not http or https"))
        .help("CORS origins a policy can grant are http(s) origins; other schemes (`file:`, `data:`, extensions) are not supported"))
}

fn split_host_port<'a>(
    authority: &'a str,
    scheme: &str,
) -> Result<(&'a str, Option<&'a str>), RuleError> {
    if authority.starts_with('[') {
        let Some(close) = authority.find(']') else {
            return Err(RuleError::new("IPv6 host has no closing `]`"));
        };
        let (host, after) = authority.split_at(close + 1);
        return match after.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if after.is_empty() => Ok((host, None)),
            None => Err(RuleError::new(format!(
                "unexpected `{after}` after the IPv6 host"
            ))),
        };
    }
    if authority.matches(':').count() > 1 {
        let help = match authority.parse::<Ipv6Addr>() {
            Ok(addr) => write(&format!("{scheme}://[{}]", serialize_ipv6(addr))),
            Err(_) => "put an IPv6 address in brackets: \"http://[::1]:8080\"".into(),
        };
        return Err(RuleError::new("IPv6 host must be in brackets").help(help));
    }
    Ok(match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn check_port<'a>(
    port: &'a str,
    scheme: Scheme,
    scheme_str: &str,
    host: &str,
) -> Result<&'a str, RuleError> {
    let without = write(&format!("{scheme_str}://{host}"));
    if port.is_empty() {
        return Err(RuleError::new("origin has an empty port after `:`").help(without));
    }
    if port == "*" {
        return Err(RuleError::new("`*` cannot stand for the port")
            .help("list each port as its own origin"));
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RuleError::new(format!("invalid port `{port}`"))
            .help("a port is a number from 1 to 65535"));
    }
    let value: u64 = port.trim_start_matches('0').parse().unwrap_or(0);
    if port.len() > 5 || value > 65535 {
        return Err(RuleError::new(format!("port {port} is out of range"))
            .help("a port is a number from 1 to 65535"));
    }
    if port.starts_with('0') {
        return Err(RuleError::new(format!(
            "port `{port}` has leading zeros: browsers never send them"
        ))
        .help(write(&format!("{scheme_str}://{host}:{value}"))));
    }
    let default = match scheme {
        Scheme::Http => 80,
        Scheme::Https => 443,
    };
    if value == default {
        return Err(RuleError::new(format!(
            "origin writes out the default port {default}: browsers omit it"
        ))
        .help(without));
    }
    Ok(port)
}

fn check_ipv6(inner: &str, scheme: &str, port: &str) -> Result<String, RuleError> {
    let addr: Ipv6Addr = inner
        .parse()
        .map_err(|_| RuleError::new(format!("`[{inner}]` is not an IPv6 address")))?;
    let canonical = serialize_ipv6(addr);
    if canonical != inner {
        return Err(RuleError::new("IPv6 host is not in the form browsers send")
            .help(write(&format!("{scheme}://[{canonical}]{port}"))));
    }
    Ok(canonical)
}

/// The URL standard's IPv6 serialization: lowercase hex, no leading zeros, the first longest
/// run of two or more zero pieces compressed to `::`, never a dotted IPv4 tail.
fn serialize_ipv6(addr: Ipv6Addr) -> String {
    let pieces = addr.segments();
    let mut best = (0, 0);
    let mut i = 0;
    while i < 8 {
        let start = i;
        while i < 8 && pieces[i] == 0 {
            i += 1;
        }
        if i - start > best.1 - best.0 && i - start >= 2 {
            best = (start, i);
        }
        i = i.max(start + 1);
    }
    let hex = |range: &[u16]| {
        range
            .iter()
            .map(|p| format!("{p:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    if best.1 > best.0 {
        format!("{}::{}", hex(&pieces[..best.0]), hex(&pieces[best.1..]))
    } else {
        hex(&pieces)
    }
}

/// The longest DNS name, and the longest label of one.
pub(crate) const MAX_HOST: usize = 253;
const MAX_LABEL: usize = 63;

fn check_domain(host: &str, scheme: &str, port: &str) -> Result<(), RuleError> {
    if host.ends_with('.') {
        return Err(RuleError::new(
            "host ends with a dot: that is a different origin from the one without",
        )
        .help(write(&format!(
            "{scheme}://{}{port}",
            host.trim_end_matches('.')
        ))));
    }
    if host.split('.').any(str::is_empty) {
        return Err(RuleError::new(format!("host `{host}` has an empty label")));
    }
    // DNS's limits: no browser can reach a longer name, and matching stops at them.
    if host.len() > MAX_HOST {
        return Err(RuleError::new(format!(
            "host is {} bytes long: a DNS name has at most {MAX_HOST}",
            host.len()
        )));
    }
    if let Some(label) = host.split('.').find(|label| label.len() > MAX_LABEL) {
        return Err(RuleError::new(format!(
            "label `{label}` is {} bytes long: a DNS label has at most {MAX_LABEL}",
            label.len()
        )));
    }
    if let Some(bad) = host
        .chars()
        .find(|&c| c != '.' && !u8::try_from(c).is_ok_and(is_label_byte))
    {
        let help = if bad == '%' {
            "browsers never percent-encode a host; write international names in punycode"
        } else {
            "a host is letters, digits, `-` and `.`"
        };
        return Err(
            RuleError::new(format!("invalid character `{bad}` in host `{host}`")).help(help),
        );
    }
    let numeric_tail = host
        .rsplit('.')
        .next()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
    if numeric_tail {
        let octets: Vec<&str> = host.split('.').collect();
        let canonical = octets.len() == 4
            && octets
                .iter()
                .all(|o| o.parse::<u8>().is_ok() && (o.len() == 1 || !o.starts_with('0')));
        if !canonical {
            return Err(RuleError::new(format!(
                "`{host}` is not an IPv4 address in the form browsers send"
            ))
            .help("write the four-part dotted decimal form, e.g. \"http://127.0.0.1:8080\""));
        }
    }
    Ok(())
}

/// The error for a `*` that is not the whole leftmost label, with the pattern meant if any.
fn misplaced_wildcard(host: &str, scheme: &str, port: &str) -> RuleError {
    let labels: Vec<&str> = host.split('.').collect();
    let last = labels.iter().rposition(|l| l.contains('*')).unwrap_or(0);
    let domain = labels[last + 1..].join(".");
    // `a*.example.com`, `*a.example.com`, `*.*.example.com`: every label up to the last `*`
    // holds one, so what is meant is "any subdomain of the rest", which `*.` already matches
    // at any depth.
    let only_leading = labels[..=last].iter().all(|l| l.contains('*'));
    if only_leading && domain.contains('.') {
        return RuleError::new("`*` must be the whole leftmost label of the host").help(format!(
            "write \"{scheme}://*.{domain}{port}\": it allows every subdomain of `{domain}`, at any depth"
        ));
    }
    if only_leading {
        return RuleError::new("`*` must be followed by a domain you own").help(format!(
            "write e.g. \"{scheme}://*.example.com{port}\"; for any origin at all write `origins = \"*\"`"
        ));
    }
    RuleError::new("`*` must be the leftmost label of the host, not a middle one")
        .help("list each origin in full, or allow every subdomain of a domain you own, e.g. \"https://*.example.com\"")
}

fn parse_wildcard(
    host: &str,
    scheme: Scheme,
    scheme_str: &str,
    port: &str,
) -> Result<OriginEntry, RuleError> {
    let domain = host.strip_prefix("*.").filter(|d| !d.contains('*'));
    let Some(domain) = domain else {
        return Err(misplaced_wildcard(host, scheme_str, port));
    };
    check_domain(domain, scheme_str, port)?;
    if !domain.contains('.') && domain != "localhost" {
        return Err(
            RuleError::new(format!("`*.{domain}` covers a whole top-level domain")).help(format!(
                "anyone can register a name under `{domain}`; name a domain you own: \"{scheme_str}://*.example.{domain}{port}\""
            )),
        );
    }
    if domain.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(RuleError::new("`*` cannot stand for part of an IP address"));
    }
    if is_public_suffix(domain) {
        return Err(RuleError::new(format!(
            "`*.{domain}` covers the public suffix `{domain}`: anyone can register a name under it"
        ))
        .help(format!(
            "allow subdomains of a domain you own, e.g. \"{scheme_str}://*.example.{domain}{port}\""
        )));
    }
    Ok(OriginEntry::Subdomains {
        scheme,
        domain: domain.to_owned(),
        suffix: format!("{domain}{port}"),
    })
}

/// Whether `domain` is itself a public suffix (`co.uk`, `github.io`), where anyone can
/// register a name. `localhost` and its subdomains never are.
fn is_public_suffix(domain: &str) -> bool {
    if domain == "localhost" || domain.ends_with(".localhost") {
        return false;
    }
    psl::suffix(domain.as_bytes())
        .is_some_and(|suffix| suffix.is_known() && suffix.as_bytes() == domain.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(entry: &str) -> String {
        parse_origin(entry).unwrap_err().help.unwrap_or_default()
    }

    #[test]
    fn canonical_origins_are_accepted() {
        for ok in [
            "https://app.example.com",
            "http://localhost:3000",
            "http://127.0.0.1:8080",
            "http://[::1]:8080",
            "https://[2001:db8::1]",
            "https://xn--bcher-kva.example",
            "https://a_b.example.com",
        ] {
            assert!(parse_origin(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn hosts_longer_than_dns_allows_are_refused() {
        let label = "a".repeat(63);
        let long = [label.as_str(); 4].join(".");
        assert!(
            parse_origin(&format!("https://{long}")).is_err(),
            "255 bytes"
        );
        assert!(
            parse_origin(&format!("https://{}", &long[2..])).is_ok(),
            "253 bytes"
        );
        assert!(
            parse_origin(&format!("https://a{label}.example")).is_err(),
            "a 64-byte label"
        );
        assert!(parse_origin(&format!("https://*.{}", &long[2..])).is_ok());
    }

    #[test]
    fn only_loopback_names_and_addresses_are_trustworthy_over_plain_http() {
        let trustworthy = |origin| parse_origin(origin).unwrap().is_potentially_trustworthy();
        assert!(trustworthy("http://127.0.0.1:8080"));
        assert!(trustworthy("http://127.1.2.3"));
        assert!(trustworthy("http://localhost:3000"));
        assert!(trustworthy("http://app.localhost"));
        assert!(trustworthy("http://[::1]:8080"));
        assert!(!trustworthy("http://127.attacker.example"));
        assert!(!trustworthy("http://127.0.0.1.nip.io"));
        assert!(!trustworthy("http://intranet.example"));
    }

    #[test]
    fn non_canonical_forms_get_the_canonical_one_as_help() {
        assert_eq!(help("https://a.com:443"), "write \"https://a.com\"");
        assert_eq!(help("HTTPS://a.com"), "write \"https://a.com\"");
        assert_eq!(help("https://A.com"), "write \"https://a.com\"");
        assert_eq!(help("http://::1"), "write \"http://[::1]\"");
        assert_eq!(help("http://[0:0::1]"), "write \"http://[::1]\"");
        assert_eq!(help("example.com"), "write \"https://example.com\"");
        assert_eq!(help("https://a.com/x?y"), "write \"https://a.com\"");
        assert_eq!(help("https://a.com:08080"), "write \"https://a.com:8080\"");
    }

    #[test]
    fn ipv6_serialization_follows_the_url_standard() {
        let s = |a: &str| serialize_ipv6(a.parse().unwrap());
        assert_eq!(s("::1"), "::1");
        assert_eq!(s("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(s("::ffff:1.2.3.4"), "::ffff:102:304");
        assert_eq!(s("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");
    }

    #[test]
    fn wildcards_must_be_a_whole_leftmost_label_over_a_registrable_domain() {
        assert!(parse_origin("https://a*.example.com").is_err());
        assert!(parse_origin("https://a.*.com").is_err());
        assert!(parse_origin("https://*.com").is_err());
        assert!(parse_origin("http://*.localhost:8080").is_ok());
        assert_eq!(
            help("https://a*.example.com"),
            "write \"https://*.example.com\": it allows every subdomain of `example.com`, at any depth"
        );
        assert_eq!(
            help("http://*.*.example.com:8080"),
            "write \"http://*.example.com:8080\": it allows every subdomain of `example.com`, at any depth"
        );
        assert!(!help("https://a.*.com").contains("https://*.com"));
        assert!(help("https://*").contains("origins = \"*\""));
        assert!(help("https://*.com").contains("\"https://*.example.com\""));
        assert_eq!(
            parse_origin("https://*.example.org:8443"),
            Ok(OriginEntry::Subdomains {
                scheme: Scheme::Https,
                domain: "example.org".into(),
                suffix: "example.org:8443".into()
            })
        );
    }
}
