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

/// [`is_tchar`] by byte value: one load per byte instead of a chain of range comparisons, for
/// the request path (header names and methods of every preflight).
static TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = is_tchar(byte as u8);
        byte += 1;
    }
    table
};

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
    !bytes.is_empty() && bytes.iter().all(|&b| TCHAR[usize::from(b)])
}

#[cfg(test)]
mod tests {
    use super::{is_tchar, is_token};

    #[test]
    fn the_table_agrees_with_the_grammar() {
        for byte in 0..=u8::MAX {
            assert_eq!(is_token(&[byte]), is_tchar(byte), "{byte}");
        }
        assert!(!is_token(b""));
    }
}
