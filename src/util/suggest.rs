//! Helping people spell: the nearest known word to a typo (for "did you mean"), and kebab-case
//! ids (checking them, and suggesting one).

/// The known word closest to `word`, if it is close enough to be a likely typo: at most a
/// third of the known word's letters wrong (at least one), a swapped pair counting as one.
pub fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let word: Vec<char> = word.to_lowercase().chars().collect();
    let mut best: Option<(usize, &'a str)> = None;
    for k in known {
        let k_len = k.chars().count();
        let limit = (k_len / 3).max(1);
        // Lengths further apart than the limit cannot be within it: skip the work.
        if word.len().abs_diff(k_len) > limit {
            continue;
        }
        let d = edit_distance(&word, k);
        if d <= limit && best.is_none_or(|(nearest, _)| d < nearest) {
            best = Some((d, k));
        }
    }
    best.map(|(_, k)| k)
}

/// The known word `word` most likely stands for: the word an alias names (`aliases` pairs
/// another word for a thing with its known name), else the nearest by spelling.
pub fn meant<'a>(word: &str, known: &[&'a str], aliases: &[(&str, &'a str)]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    aliases
        .iter()
        .find(|(alias, target)| *alias == lower && known.contains(target))
        .map(|(_, target)| *target)
        .or_else(|| nearest(word, known))
}

/// "a, b and c".
pub fn and_list(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Edits (insert, delete, change, or swap two neighbours) that turn `a` into `b`: the
/// optimal string alignment distance.
fn edit_distance(a: &[char], b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[(i - 1) * width + j - 1] + cost)
                .min(rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = d;
        }
    }
    rows[a.len() * width + b.len()]
}

/// True for ids like `words-matter` or `q2`: lowercase letters and digits joined by single hyphens.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// `id` made kebab-case: "Why Not?" becomes "why-not".
pub fn to_kebab(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[&str] = &[
        "type", "prompt", "points", "choices", "answer", "accept", "items", "pairs",
    ];

    #[test]
    fn the_usual_slips_find_the_key_meant() {
        let aliases = [("correct", "answer"), ("score", "points")];
        for (slip, key) in [
            ("choises", "choices"),
            ("acept", "accept"),
            ("item", "items"),
            ("pair", "pairs"),
            ("score", "points"),
            ("correct", "answer"),
            ("Promt", "prompt"),
            ("tpye", "type"),
            ("pionts", "points"),
        ] {
            assert_eq!(meant(slip, KEYS, &aliases), Some(key), "{slip}");
        }
        assert_eq!(meant("colour", KEYS, &aliases), None);
        assert_eq!(meant("correct", &["prompt"], &aliases), None);
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(&[]), "");
        assert_eq!(and_list(&["single"]), "single");
        assert_eq!(and_list(&["single", "multiple"]), "single and multiple");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
