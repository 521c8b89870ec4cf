//! "Did you mean" for unknown attribute keys.

/// Names users bring from other CORS libraries, and the key they mean.
const ALIASES: [(&str, &str); 16] = [
    ("origin", "origins"),
    ("allowed_origins", "origins"),
    ("allow_origins", "origins"),
    ("allow_origin", "origins"),
    ("method", "methods"),
    ("allowed_methods", "methods"),
    ("allow_methods", "methods"),
    ("header", "headers"),
    ("allowed_headers", "headers"),
    ("allow_headers", "headers"),
    ("expose_headers", "expose"),
    ("exposed_headers", "expose"),
    ("maxage", "max_age"),
    ("allow_credentials", "credentials"),
    ("supports_credentials", "credentials"),
    ("allow_private_network", "private_network"),
];

/// The known key `unknown` most likely means, if any.
pub fn did_you_mean(unknown: &str, known: &[&'static str]) -> Option<&'static str> {
    let lower = unknown.to_ascii_lowercase().replace('-', "_");
    if let Some((_, key)) = ALIASES.iter().find(|(alias, _)| *alias == lower) {
        return Some(key);
    }
    known
        .iter()
        .map(|key| (edit_distance(&lower, key), *key))
        .filter(|&(distance, key)| distance <= 2.max(key.len() / 3))
        .min()
        .map(|(_, key)| key)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 3] = ["origins", "headers", "max_age"];

    #[test]
    fn aliases_and_typos_are_recognised() {
        assert_eq!(did_you_mean("origin", &KEYS), Some("origins"));
        assert_eq!(did_you_mean("allowed_headers", &KEYS), Some("headers"));
        assert_eq!(did_you_mean("max_ag", &KEYS), Some("max_age"));
        assert_eq!(did_you_mean("colour", &KEYS), None);
    }
}
