//! Finding out, for a better message, whether `#[cors]` was written below a route attribute.
//!
//! Then the route attribute expands first and `#[cors]` receives a function without one; the
//! tokens no longer tell, so we look at the source lines just above `#[cors]`.

use crate::route::is_route_attribute_name;

/// The route attribute written above `#[cors]` on the same item, if any (e.g. `get`).
pub fn route_attribute_above() -> Option<String> {
    let call_site = proc_macro::Span::call_site();
    let source = std::fs::read_to_string(call_site.local_file()?).ok()?;
    let line = call_site.line();
    let lines: Vec<&str> = source.lines().collect();
    for text in lines.get(..line.checked_sub(1)?)?.iter().rev().take(32) {
        let text = text.trim();
        if text.is_empty() || text.ends_with('}') || text.ends_with(';') {
            return None;
        }
        if let Some(name) = attribute_path_name(text) {
            if is_route_attribute_name(&name) {
                return Some(name);
            }
        }
    }
    None
}

/// `get` for a line starting `#[actix_web::get(`.
fn attribute_path_name(line: &str) -> Option<String> {
    let path = line.strip_prefix("#[")?;
    let end = path
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(path.len());
    path[..end].rsplit("::").next().map(str::to_owned)
}
