//! The RFC 9110 `token` grammar, which methods and header names must match.

/// Whether `byte` is a `tchar` (RFC 9110 §5.6.2).
#[must_use]
pub const fn is_tchar(byte: u8) -> bool {
    matches!(
        byte,
        b'!' | b'#'
            | b'$'
            | b'%'
            | b'&'
            | b'\''
            | b'*'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~'
            | b'0'..=b'9'
            | b'a'..=b'z'
            | b'A'..=b'Z'
    )
}

/// Whether `bytes` is a non-empty RFC 9110 `token`.
///
/// ```
/// use cors_runtime::token::is_token;
/// assert!(is_token(b"x-request-id"));
/// assert!(!is_token(b"x request"));
/// assert!(!is_token(b""));
/// ```
#[must_use]
pub fn is_token(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().all(|&b| is_tchar(b))
}
