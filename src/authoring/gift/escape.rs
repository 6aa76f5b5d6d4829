//! GIFT's escapes, both ways, and the few other things that change a text's meaning in GIFT.
//!
//! Reading follows Moodle's `qformat_gift`: `\\` is a backslash, `\:` `\#` `\=` `\{` `\}` `\~`
//! are those characters taken literally, `\n` is a line break, and any other backslash is kept
//! as it is. While a question is being split into its parts, each escaped character stands as a
//! private-use character, so that searching for `{`, `~` or `#` never finds an escaped one.

/// Characters GIFT gives a meaning, with the private-use character that stands for each while
/// a question is read.
const ESCAPED: [(char, char); 7] = [
    (':', '\u{E03A}'),
    ('#', '\u{E023}'),
    ('=', '\u{E03D}'),
    ('{', '\u{E07B}'),
    ('}', '\u{E07D}'),
    ('~', '\u{E07E}'),
    ('n', '\u{E00A}'),
];

/// Replaces every escape in `s` with its stand-in (Moodle's `escapedchar_pre`).
pub(super) fn hide_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('\\') => {
                chars.next();
                out.push('\\');
            }
            Some(&next) => match ESCAPED.iter().find(|(plain, _)| *plain == next) {
                Some((_, stand_in)) => {
                    chars.next();
                    out.push(*stand_in);
                }
                None => out.push('\\'),
            },
            None => out.push('\\'),
        }
    }
    out
}

/// Turns the stand-ins back into the characters they escaped (Moodle's `escapedchar_post`).
pub(super) fn restore(s: &str) -> String {
    s.chars()
        .map(
            |c| match ESCAPED.iter().find(|(_, stand_in)| *stand_in == c) {
                Some(('n', _)) => '\n',
                Some((plain, _)) => *plain,
                None => c,
            },
        )
        .collect()
}

/// Escapes GIFT's special characters and line breaks (Moodle's `repchar`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Escapes a text that Moodle reads for a format marker (`[html]`, `[plain]`...). One that
/// starts with `[`, or with what GIFT would take for a grade (`%50%`), gets Moodle's own default
/// marker first, `[moodle]`, so that what follows is read as text.
pub fn escape_text(s: &str) -> String {
    let s = s.trim();
    if s.starts_with('[') || weight_len(s).is_some() {
        format!("[moodle]{}", escape(s))
    } else {
        escape(s)
    }
}

/// The length of a grade such as `%50%` or `%-33.33333%` at the start of `s`, matched exactly as
/// Moodle's pattern `^%\-*([0-9]{1,2})\.?([0-9]*)%` matches it.
pub(super) fn weight_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first() != Some(&b'%') {
        return None;
    }
    let mut i = 1;
    while b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    for k in (1..=digits.min(2)).rev() {
        for dot in [true, false] {
            let mut m = i + k;
            if dot {
                if b.get(m) != Some(&b'.') {
                    continue;
                }
                m += 1;
            }
            while b.get(m).is_some_and(u8::is_ascii_digit) {
                m += 1;
            }
            if b.get(m) == Some(&b'%') {
                return Some(m + 1);
            }
        }
    }
    None
}

/// Moodle's grade for a weight such as `%-50%`: the number between the signs, over 100.
pub(super) fn weight_value(s: &str) -> f64 {
    let inner = s.trim_start_matches('%');
    let inner = &inner[..inner.find('%').unwrap_or(inner.len())];
    inner.parse::<f64>().map_or(0.0, |w| w / 100.0)
}

/// Moodle's accepted grades, in percent (and their negatives).
pub const MOODLE_GRADES: [f64; 21] = [
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333, 30.0, 25.0,
    20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
];

/// The grade Moodle accepts nearest to `percent` (0 to 100), and whether it is that share.
pub fn nearest_grade(percent: f64) -> (f64, bool) {
    let nearest = MOODLE_GRADES
        .iter()
        .copied()
        .min_by(|a, b| (a - percent).abs().total_cmp(&(b - percent).abs()))
        .unwrap_or(100.0);
    (nearest, (nearest - percent).abs() < 1e-4)
}

/// A grade as GIFT writes it: `33.33333`, `50`, `-12.5`.
pub fn grade_text(percent: f64) -> String {
    let s = format!("{percent:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip_through_moodles_reading() {
        let text = "a:b #c =d {e} ~f \\g\nh";
        assert_eq!(escape(text), "a\\:b \\#c \\=d \\{e\\} \\~f \\\\g\\nh");
        assert_eq!(restore(&hide_escapes(&escape(text))), text);
    }

    #[test]
    fn a_backslash_before_an_ordinary_character_is_kept() {
        assert_eq!(restore(&hide_escapes("C:\\temp \\\\n")), "C:\\temp \\n");
        assert!(!hide_escapes("\\{").contains('{'));
    }

    #[test]
    fn weights_match_moodles_pattern_exactly() {
        assert_eq!(weight_len("%50%rest"), Some(4));
        assert_eq!(weight_len("%-33.33333%x"), Some(11));
        assert_eq!(weight_len("%100%"), Some(5));
        assert_eq!(weight_len("%100.5%"), None);
        assert_eq!(weight_len("%.5%"), None);
        assert_eq!(weight_len("50%"), None);
        assert_eq!(weight_value("%-50%"), -0.5);
    }

    #[test]
    fn texts_that_start_like_a_marker_or_a_grade_keep_it() {
        assert_eq!(
            escape_text("[html] is a marker"),
            "[moodle][html] is a marker"
        );
        assert_eq!(escape_text("%50% of cases"), "[moodle]%50% of cases");
        assert_eq!(escape_text("50% of cases"), "50% of cases");
        assert_eq!(escape_text("plain"), "plain");
    }

    #[test]
    fn only_moodles_grades_are_written() {
        assert_eq!(nearest_grade(100.0 / 3.0), (33.33333, true));
        assert_eq!(nearest_grade(100.0 / 11.0), (10.0, false));
        assert_eq!(grade_text(-100.0 / 7.0), "-14.28571");
        assert_eq!(grade_text(50.0), "50");
    }
}
