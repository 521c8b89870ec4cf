//! Allocation-free parsing of `Access-Control-Request-Headers`.
//!
//! Browsers send the requested names lowercased, sorted, deduplicated and joined with `,` and
//! no space. Intermediaries may add optional whitespace, empty elements or split the list over
//! several field lines, so the parser accepts an RFC 9110 list — but bounds the empty elements,
//! so a header of nothing but commas is refused instead of walked forever.

use crate::token::is_token;

/// The most empty list elements tolerated; one more makes the list malformed.
///
/// Every empty element counts: a field line with `n` commas holds `n + 1` elements, so `a,,b`
/// has one empty element, `a,` one (after the comma), `,` two, and an empty field line one.
pub const MAX_EMPTY_ELEMENTS: usize = 16;

/// Why a request-header list was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MalformedList<'r> {
    /// An element is not an RFC 9110 token (it holds a space, a colon, a non-ASCII byte…).
    NotAToken(&'r [u8]),
    /// More than [`MAX_EMPTY_ELEMENTS`] empty elements.
    TooManyEmptyElements,
}

/// Iterates the header names of one or more `Access-Control-Request-Headers` field lines.
///
/// Yields each name as the request wrote it (compare case-insensitively), skipping empty
/// elements, or one `Err` after which the iteration ends.
///
/// ```
/// use cors_runtime::header_list::RequestedHeaders;
/// let lines: [&[u8]; 2] = [b"content-type,x-token", b" , X-Trace "];
/// let names: Vec<_> = RequestedHeaders::new(lines).collect::<Result<_, _>>().unwrap();
/// assert_eq!(names, [&b"content-type"[..], b"x-token", b"X-Trace"]);
/// ```
#[derive(Debug, Clone)]
pub struct RequestedHeaders<'r, I> {
    elements: ListElements<'r, I>,
    failed: bool,
}

impl<'r, I: Iterator<Item = &'r [u8]>> RequestedHeaders<'r, I> {
    /// Parses the given field lines as one list.
    pub fn new(lines: impl IntoIterator<IntoIter = I>) -> Self {
        Self {
            elements: ListElements::new(lines),
            failed: false,
        }
    }
}

impl<'r, I: Iterator<Item = &'r [u8]>> Iterator for RequestedHeaders<'r, I> {
    type Item = Result<&'r [u8], MalformedList<'r>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let element = self.elements.next()?;
        let checked = element.and_then(|element| match is_token(element) {
            true => Ok(element),
            false => Err(MalformedList::NotAToken(element)),
        });
        self.failed = checked.is_err();
        Some(checked)
    }
}

/// The non-empty elements of one or more field lines, trimmed of whitespace, in order, or one
/// [`MalformedList::TooManyEmptyElements`] after which the iteration ends. Elements are not
/// checked to be tokens: [`RequestedHeaders`] does that, and a caller that compares an
/// element with a known token first (a policy's listed header names) need only check the
/// elements that compare unequal.
#[derive(Debug, Clone)]
pub(crate) struct ListElements<'r, I> {
    lines: I,
    /// The current line past its last comma, one element still (even when empty, as after a
    /// trailing comma); `None` once that element is taken.
    current: Option<&'r [u8]>,
    empty_elements: usize,
}

impl<'r, I: Iterator<Item = &'r [u8]>> ListElements<'r, I> {
    /// Splits the given field lines as one list.
    pub(crate) fn new(lines: impl IntoIterator<IntoIter = I>) -> Self {
        let mut lines = lines.into_iter();
        let current = lines.next();
        Self {
            lines,
            current,
            empty_elements: 0,
        }
    }

    /// The next element, empty ones included, so that each is counted.
    fn next_element(&mut self) -> Option<&'r [u8]> {
        let line = match self.current.take() {
            Some(line) => line,
            None => self.lines.next()?,
        };
        match line.iter().position(|&b| b == b',') {
            Some(comma) => {
                let (element, rest) = line.split_at(comma);
                self.current = rest.get(1..);
                Some(element)
            }
            None => Some(line),
        }
    }
}

impl<'r, I: Iterator<Item = &'r [u8]>> Iterator for ListElements<'r, I> {
    type Item = Result<&'r [u8], MalformedList<'r>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.empty_elements > MAX_EMPTY_ELEMENTS {
            return None;
        }
        loop {
            let element = trim_ows(self.next_element()?);
            if !element.is_empty() {
                return Some(Ok(element));
            }
            self.empty_elements += 1;
            if self.empty_elements > MAX_EMPTY_ELEMENTS {
                return Some(Err(MalformedList::TooManyEmptyElements));
            }
        }
    }
}

/// Whether `line` is a list in the form browsers send — names joined by `,`, nothing else —
/// and each name is byte for byte one of `names` (the policy's, lowercase, as browsers send
/// them). Such a line needs no parsing: a `false` only means the line must be parsed.
pub(crate) fn every_name_listed(line: &[u8], names: &[&str]) -> bool {
    let mut rest = line;
    loop {
        // The listed name this element is: the bytes up to the next `,` or the end.
        let found = names.iter().map(|name| name.as_bytes()).find(|name| {
            matches!(rest.get(name.len()), None | Some(b','))
                && rest.get(..name.len()) == Some(*name)
        });
        let Some(name) = found else {
            return false;
        };
        match rest.get(name.len() + 1..) {
            Some(next) => rest = next,
            None => return true,
        }
    }
}

fn trim_ows(mut bytes: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(lines: &[&'static [u8]]) -> Vec<Result<&'static [u8], MalformedList<'static>>> {
        RequestedHeaders::new(lines.iter().copied()).collect()
    }

    #[test]
    fn a_browser_form_line_of_listed_names_needs_no_parsing() {
        let names = ["content-type", "x-token"];
        assert!(every_name_listed(b"content-type,x-token", &names));
        assert!(every_name_listed(b"x-token,content-type", &names));
        assert!(every_name_listed(b"x-token", &names));
    }

    #[test]
    fn any_other_line_is_left_to_the_parser() {
        let names = ["content-type", "x-token"];
        for line in [
            &b"content-type, x-token"[..],
            b"content-type,",
            b",x-token",
            b"",
            b"x-trace",
            b"x-token-2",
            b"x-tok",
            b"X-Token",
            b"content-type,,x-token",
        ] {
            assert!(!every_name_listed(line, &names), "{}", line.escape_ascii());
        }
    }

    #[test]
    fn browser_form_is_split_on_commas() {
        assert_eq!(parse(&[b"a,b,c"]), [Ok(&b"a"[..]), Ok(b"b"), Ok(b"c")]);
    }

    #[test]
    fn whitespace_and_empty_elements_are_skipped() {
        assert_eq!(parse(&[b" a ,\t, b,"]), [Ok(&b"a"[..]), Ok(b"b")]);
    }

    #[test]
    fn several_lines_form_one_list() {
        assert_eq!(
            parse(&[b"a", b"", b"b,c"]),
            [Ok(&b"a"[..]), Ok(b"b"), Ok(b"c")]
        );
    }

    #[test]
    fn no_lines_is_an_empty_list() {
        assert!(parse(&[]).is_empty());
    }

    #[test]
    fn element_with_inner_space_is_malformed() {
        assert_eq!(
            parse(&[b"a, x y ,b"]),
            [Ok(&b"a"[..]), Err(MalformedList::NotAToken(b"x y"))]
        );
    }

    /// `n` bare commas: `n + 1` empty elements.
    fn commas(n: usize) -> &'static [u8] {
        Vec::leak(vec![b','; n])
    }

    /// `a` then `n` commas: `n` empty elements, the last one after the final comma.
    fn name_then_commas(n: usize) -> &'static [u8] {
        Vec::leak([&b"a"[..], commas(n)].concat())
    }

    #[test]
    fn sixteen_empty_elements_of_bare_commas_are_tolerated() {
        assert!(parse(&[commas(15)]).is_empty());
    }

    #[test]
    fn seventeen_empty_elements_of_bare_commas_are_refused() {
        assert_eq!(
            parse(&[commas(16)]),
            [Err(MalformedList::TooManyEmptyElements)]
        );
    }

    #[test]
    fn sixteen_empty_elements_ending_in_a_trailing_comma_are_tolerated() {
        assert_eq!(parse(&[name_then_commas(16)]), [Ok(&b"a"[..])]);
    }

    #[test]
    fn seventeen_empty_elements_ending_in_a_trailing_comma_are_refused() {
        assert_eq!(
            parse(&[name_then_commas(17)]),
            [Ok(&b"a"[..]), Err(MalformedList::TooManyEmptyElements)]
        );
    }

    #[test]
    fn sixteen_empty_field_lines_are_tolerated() {
        assert_eq!(parse(&[&b""[..]; 16]), []);
        let mut lines = vec![&b""[..]; 16];
        lines.push(b"a");
        assert_eq!(parse(&lines), [Ok(&b"a"[..])]);
    }

    #[test]
    fn seventeen_empty_field_lines_are_refused() {
        assert_eq!(
            parse(&[&b""[..]; 17]),
            [Err(MalformedList::TooManyEmptyElements)]
        );
    }

    #[test]
    fn seventeen_empty_elements_across_lines_and_trailing_commas_are_refused() {
        // Eight lines of `a,` (one empty element each), one `,` (two) and seven empty lines.
        let mut lines = vec![&b"a,"[..]; 8];
        lines.push(b",");
        lines.extend([&b""[..]; 7]);
        assert_eq!(
            parse(&lines).last(),
            Some(&Err(MalformedList::TooManyEmptyElements))
        );
        lines.pop();
        assert!(parse(&lines).iter().all(Result::is_ok));
    }

    #[test]
    fn whitespace_only_elements_count_as_empty() {
        assert!(parse(&[b" ,\t,"]).is_empty());
        let sixteen_blanks = [&b" "[..]; 16];
        assert!(parse(&sixteen_blanks).is_empty());
        let mut seventeen = sixteen_blanks.to_vec();
        seventeen.push(b"\t");
        assert_eq!(
            parse(&seventeen),
            [Err(MalformedList::TooManyEmptyElements)]
        );
    }

    #[test]
    fn a_list_of_commas_is_refused_after_the_bound() {
        let commas = [b','; 1024];
        let parsed: Vec<_> = RequestedHeaders::new([&commas[..]]).collect();
        assert_eq!(parsed, [Err(MalformedList::TooManyEmptyElements)]);
    }
}
