//! Small text helpers shared by the loader, the engine and the front ends.
//!
//! Bank files are untrusted: `sanitize` makes their text safe to write to a terminal (no escape
//! sequences, no control characters). The other helpers read what a trainee types: normalising a
//! typed term and reading a typed number the way a person would write it ("70,000", "70%").

/// The most characters a typed answer or a session title may have: enough for any real one,
/// and a bound on what a record keeps.
pub const MAX_TYPED_CHARS: usize = 2_000;

/// Returns `s` with every control character (and every bidirectional override, which can make text
/// read differently from how it is stored) replaced by a visible escape such as `\x1b`.
/// Newlines are kept; a tab becomes a space.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\r' => {}
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// The bidirectional controls: embeddings and overrides, isolates, and the marks (left-to-right,
/// right-to-left and the Arabic letter mark).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// The form in which typed terms are compared: case, surrounding spaces, repeated spaces and
/// trailing punctuation never matter.
pub fn normalize_term(s: &str) -> String {
    let lowered = s.to_lowercase();
    let collapsed = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c == '…')
        .to_string()
}

/// Reads a number as a person types it: surrounding spaces, a trailing `%`, and commas between
/// groups of three digits ("70,000") are allowed. Returns `None` for anything else, including a
/// decimal comma ("6,8"), which would otherwise be misread as sixty-eight.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let s = s.strip_suffix('%').unwrap_or(s).trim_end();
    if s.is_empty() {
        return None;
    }
    let digits = if s.contains(',') {
        if !commas_group_thousands(s) {
            return None;
        }
        s.replace(',', "")
    } else {
        s.to_string()
    };
    if !digits
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    digits.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn commas_group_thousands(s: &str) -> bool {
    let unsigned = s.trim_start_matches(['-', '+']);
    let whole = unsigned.split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// Formats a number without a pointless ".0" and with at most two decimals: 58, 6.8, 0.33.
pub fn format_number(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        let s = format!("{rounded:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// A count with thousands separators: 2000 -> "2,000".
pub fn format_count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Formats a number exactly as written (to 12 significant figures, so that arithmetic such as
/// 3.1416 - 0.0005 shows as 3.1411): 0.001, 3.1416, 58.
pub fn format_exact(n: f64) -> String {
    if n == 0.0 || !n.is_finite() {
        return if n.is_finite() {
            "0".to_string()
        } else {
            n.to_string()
        };
    }
    let rounded: f64 = format!("{n:.11e}").parse().unwrap_or(n);
    format!("{rounded}")
}

/// Formats an answer or a typed number: exactly, with thousands separators when it is a whole
/// number of five digits or more: 70000 -> "70,000", 0.001 -> "0.001".
pub fn format_quantity(n: f64) -> String {
    if n.fract() != 0.0 || n.abs() < 10_000.0 {
        return format_exact(n);
    }
    let whole = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 { format!("-{out}") } else { out }
}

/// Wraps `text` to `width` display columns (wide characters count two, combining marks none),
/// keeping the line breaks it already has. Words are never split unless one is wider than the
/// line, and never at a hyphen. A line that starts as a list item ("- ", "1. ", "a) ") continues
/// under its text rather than under the marker: a hanging indent.
pub fn wrap(text: &str, width: usize) -> String {
    let width = width.max(1);
    text.lines()
        .map(|line| {
            let indent = line.len() - line.trim_start_matches(' ').len();
            let hang = " ".repeat(list_marker_width(line).max(indent));
            let options = textwrap::Options::new(width)
                .initial_indent(&line[..indent])
                .subsequent_indent(&hang)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .break_words(true);
            textwrap::fill(&line[indent..], options)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A topic id as a person reads it: "sentencing scale", not `sentencing-scale`.
pub fn topic_words(topic: &str) -> String {
    topic.replace(['-', '_'], " ")
}

/// How many columns `s` takes on a terminal: wide characters count two, combining marks none,
/// and colour escapes nothing.
pub fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// Joins lines that continue a paragraph or a list item, as Markdown does: a line break inside a
/// paragraph is a space. A blank line, or a line that starts a list item ("- ", "1. "), begins a
/// new line. Bank authors can then break their lines anywhere, and text is wrapped to the
/// reader's terminal, or not at all for a screen reader, instead of at the author's width.
pub fn reflow(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut joinable = false;
    for line in text.lines() {
        let trimmed = line.trim();
        match lines.last_mut() {
            _ if trimmed.is_empty() => {
                lines.push(String::new());
                joinable = false;
            }
            Some(last) if joinable && list_marker_width(trimmed) == 0 => {
                last.push(' ');
                last.push_str(trimmed);
            }
            _ => {
                lines.push(line.trim_end().to_string());
                joinable = true;
            }
        }
    }
    lines.join("\n")
}

/// Width of a leading list marker such as "- ", "12. ", "3) " or "a) ", or 0.
pub fn list_marker_width(line: &str) -> usize {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if trimmed.starts_with("- ") {
        return indent + 2;
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && (trimmed[digits..].starts_with(". ") || trimmed[digits..].starts_with(") ")) {
        return indent + digits + 2;
    }
    let mut chars = trimmed.chars();
    if chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.as_str().starts_with(") ") {
        return indent + 3;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_escapes_terminal_sequences() {
        assert_eq!(sanitize("a\u{1b}[31mred"), "a\\x1b[31mred");
        assert_eq!(sanitize("bell\u{7}"), "bell\\x07");
        assert_eq!(sanitize("line\nnext\ttab\r"), "line\nnext tab");
        assert_eq!(sanitize("csi\u{9b}2J"), "csi\\x9b2J");
        assert_eq!(sanitize("rlo\u{202e}txt"), "rlo\\x202etxt");
        assert_eq!(sanitize("alm\u{61c}txt"), "alm\\x61ctxt");
    }

    #[test]
    fn terms_ignore_case_spaces_and_trailing_punctuation() {
        assert_eq!(
            normalize_term("  Child   Abuse Images. "),
            "child abuse images"
        );
        assert_eq!(normalize_term("CSAM!?"), "csam");
        assert_ne!(normalize_term("child-abuse images"), "child abuse images");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(parse_number("58"), Some(58.0));
        assert_eq!(parse_number(" 70,000 "), Some(70000.0));
        assert_eq!(parse_number("1,145"), Some(1145.0));
        assert_eq!(parse_number("6.8%"), Some(6.8));
        assert_eq!(parse_number("70 %"), Some(70.0));
        assert_eq!(parse_number("6,8"), None);
        assert_eq!(parse_number("7,0000"), None);
        assert_eq!(parse_number("fifty"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn numbers_format_plainly() {
        assert_eq!(format_number(58.0), "58");
        assert_eq!(format_number(6.8), "6.8");
        assert_eq!(format_number(2.0 / 3.0), "0.67");
        assert_eq!(format_quantity(190000.0), "190,000");
        assert_eq!(format_quantity(2120.0), "2120");
        assert_eq!(format_count(2000), "2,000");
        assert_eq!(format_count(65536), "65,536");
        assert_eq!(format_count(7), "7");
    }

    #[test]
    fn quantities_are_shown_exactly() {
        assert_eq!(format_quantity(0.001), "0.001");
        assert_eq!(format_quantity(6.0221 - 0.0005), "6.0216");
        assert_eq!(format_quantity(70000.0), "70,000");
        assert_eq!(format_exact(-0.0), "0");
        assert_eq!(format_exact(1.0 / 3.0), "0.333333333333");
        assert_eq!(format_number(0.001), "0");
    }

    #[test]
    fn reflow_joins_soft_breaks_but_keeps_paragraphs_and_list_items() {
        assert_eq!(reflow("one\ntwo\n\nthree"), "one two\n\nthree");
        assert_eq!(
            reflow("Intro line\n- item one\n  continues\n- item two\n1. numbered\nmore"),
            "Intro line\n- item one continues\n- item two\n1. numbered more"
        );
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("one two three four", 9), "one two\nthree\nfour");
        assert_eq!(wrap("a\nb c", 80), "a\nb c");
        assert_eq!(wrap("- one two three", 9), "- one two\n  three");
        assert_eq!(wrap("12. one two three", 12), "12. one two\n    three");
        assert_eq!(wrap("  one two three", 9), "  one two\n  three");
        assert_eq!(wrap("3) one two three", 9), "3) one\n   two\n   three");
        assert_eq!(wrap("b) one two three", 9), "b) one\n   two\n   three");
    }

    #[test]
    fn wrap_breaks_neither_at_hyphens_nor_inside_words_that_fit() {
        assert_eq!(
            wrap("the sentencing-scale safeguarding", 19),
            "the\nsentencing-scale\nsafeguarding"
        );
        // Only a word wider than the line is broken.
        assert_eq!(wrap("abcdefghij", 4), "abcd\nefgh\nij");
    }

    #[test]
    fn wrap_counts_display_columns() {
        // Each of these takes two columns; the combining accent takes none.
        assert_eq!(wrap("日本 語の 文字", 5), "日本\n語の\n文字");
        assert_eq!(display_width("cafe\u{301}"), 4);
        assert_eq!(
            wrap("cafe\u{301} cafe\u{301}", 9),
            "cafe\u{301} cafe\u{301}"
        );
    }
}
