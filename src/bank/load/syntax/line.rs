//! The slips that show on the error's own line: curly quotes, a quote mark inside text that
//! ends it early, a text never closed, `80%`, True for true, text without quotes, a table line
//! not closed as it was opened. Each is named with the line rewritten the way that works.

use crate::bank::diagnostic::Diagnostic;
use crate::util::text::sanitize;

use super::key_value;

pub(super) const CURLY: [char; 4] = ['“', '”', '‘', '’'];

/// The slips that show on the error's own line: those of `quote_slip`, a text never closed,
/// `80%`, True for true, text without quotes.
pub(super) fn on_the_line(line: &str, line_start: usize, at: usize) -> Option<Diagnostic> {
    if let Some(d) = quote_slip(line, line_start, at) {
        return Some(d);
    }
    let (key, value, value_at) = key_value(line)?;
    let value_span = line_start + value_at..line_start + value_at + value.len();
    if let Some(number) = value.strip_suffix('%')
        && number.trim().parse::<f64>().is_ok()
    {
        let number = number.trim();
        return Some(
            Diagnostic::error(
                "percent-sign",
                value_span,
                format!("`{key}` is a plain number: write it without the % sign"),
            )
            .with_help(format!("write it as: {key} = {number}")),
        );
    }
    for quote in ['\'', '"'] {
        let triple: String = [quote; 3].iter().collect();
        if !value.starts_with(quote) || value.starts_with(&triple) {
            continue;
        }
        if closing_quote(value, quote).is_none() {
            // Opened straight and closed curly, as when a closing quote is pasted from Word.
            if let Some(inner) = value[1..].strip_suffix(CURLY) {
                return Some(
                    Diagnostic::error(
                        "curly-quotes",
                        value_span,
                        "this text ends with a curly quote (”), as Word types it, which does not close it",
                    )
                    .with_help(format!(
                        "end it with a straight quote: {key} = {}",
                        quoted(inner, quote)
                    )),
                );
            }
            return Some(
                Diagnostic::error(
                    "no-closing-quote",
                    value_span,
                    format!("this text has no closing quote mark ({quote})"),
                )
                .with_help(format!(
                    "end it on the same line: {key} = {}; for text over several lines, use three quote marks (\"\"\") at each end",
                    quoted(&value[1..], quote)
                )),
            );
        }
    }
    if value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false") {
        return Some(
            Diagnostic::error(
                "capital-true-false",
                value_span,
                "true and false are written in small letters",
            )
            .with_help(format!("write it as: {key} = {}", value.to_lowercase())),
        );
    }
    if value.starts_with(|c: char| c.is_alphabetic())
        && !matches!(value, "true" | "false" | "inf" | "nan")
        && !value.contains(['"', '\'', '[', '{', '#'])
    {
        return Some(
            Diagnostic::error("unquoted-text", value_span, "text must be in quotes")
                .with_help(format!("write it as: {key} = \"{value}\"")),
        );
    }
    None
}

/// A table line not closed as it was opened: `[[question]`, `[quiz`.
pub(super) fn table_line(line: &str, line_start: usize) -> Option<Diagnostic> {
    let trimmed = line.trim();
    if !trimmed.starts_with('[') || key_value(line).is_some() {
        return None;
    }
    let name = trimmed.trim_matches(|c| c == '[' || c == ']').trim();
    let double = trimmed.starts_with("[[");
    let written = if double {
        format!("[[{name}]]")
    } else {
        format!("[{name}]")
    };
    if trimmed == written || name.is_empty() {
        return None;
    }
    let at = line_start + (line.len() - line.trim_start().len());
    Some(
        Diagnostic::error(
            "table-line",
            at..at + trimmed.len(),
            format!(
                "this line is not closed as it was opened: `{}` needs `{}` at the end",
                sanitize(trimmed),
                if double { "]]" } else { "]" }
            ),
        )
        .with_help(format!("write it as: {written}")),
    )
}

/// A slip with quote marks on the error's line: curly quotes, or a quote mark inside text that
/// ends it early (in a value or in a list).
pub(super) fn quote_slip(line: &str, line_start: usize, at: usize) -> Option<Diagnostic> {
    let col = at - line_start;
    let (key, value, value_at) = key_value(line)?;
    let here = line.get(col..).and_then(|s| s.chars().next());
    if here.is_some_and(|c| CURLY.contains(&c)) || (col <= value_at && value.starts_with(CURLY)) {
        let fixed = straighten(line);
        return Some(
            Diagnostic::error(
                "curly-quotes",
                at..at + here.map_or(1, char::len_utf8),
                "this text is in curly quotes (“ ”), as Word types them; a bank needs straight quotes (\")",
            )
            .with_help(format!("type straight quotes instead: {}", fixed.trim())),
        );
    }
    let (open, end, real_end, quote) = early_end(value)?;
    let inner = &value[open + 1..real_end];
    let fixed = format!(
        "{}{}{}",
        &value[..open],
        quoted(inner, quote),
        &value[real_end + 1..]
    );
    let (what, message) = if quote == '\'' {
        (
            "apostrophe-in-single-quotes",
            "the apostrophe ends this text early: text in single quotes (') cannot contain one",
        )
    } else {
        (
            "quote-in-double-quotes",
            "the quote mark (\") inside this text ends it early",
        )
    };
    let end_at = line_start + value_at + end;
    Some(
        Diagnostic::error(what, end_at..end_at + 1, message)
            .with_help(format!("write it as: {key} = {fixed}")),
    )
}

/// A text in `value` ended early by a quote mark inside it: where it opens, where it seems to
/// end, where it really ends (the next same quote mark followed by the end of the value or a
/// `,`, `]`, `}` or `#`), and its quote mark.
pub(super) fn early_end(value: &str) -> Option<(usize, usize, usize, char)> {
    let bytes = value.as_bytes();
    let ends_here = |from: usize| {
        let rest = value[from..].trim_start();
        rest.is_empty() || rest.starts_with([',', ']', '}', '#'])
    };
    let mut i = 0;
    while i < bytes.len() {
        let c = char::from(bytes[i]);
        if c == '#' {
            return None;
        }
        if c == '"' || c == '\'' {
            if value[i..].starts_with(&[c; 3].iter().collect::<String>()) {
                return None;
            }
            let close = i + closing_quote(&value[i..], c)?;
            if ends_here(close + 1) {
                i = close + 1;
                continue;
            }
            let mut from = close + 1;
            while let Some(k) = value[from..].find(c).map(|k| from + k) {
                if ends_here(k + 1) {
                    return Some((i, close, k, c));
                }
                from = k + 1;
            }
            return None;
        }
        i += 1;
    }
    None
}

/// Where the string opening `value` (with `quote`) ends: the next unescaped `quote`.
pub(super) fn closing_quote(value: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in value.char_indices().skip(1) {
        if quote == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == quote && !escaped {
            return Some(i);
        }
        escaped = false;
    }
    None
}

/// `text` written so that TOML reads it back exactly: in double quotes when it has no `"`, in
/// single quotes when it has `"` but no `'`, else in double quotes with `\"`.
pub(super) fn quoted(text: &str, was: char) -> String {
    let unescaped = if was == '"' {
        text.replace("\\\"", "\"")
    } else {
        text.to_string()
    };
    if !unescaped.contains('"') && !unescaped.contains('\\') {
        format!("\"{unescaped}\"")
    } else if !unescaped.contains('\'') {
        format!("'{unescaped}'")
    } else {
        format!(
            "\"{}\"",
            unescaped.replace('\\', "\\\\").replace('"', "\\\"")
        )
    }
}

/// `line` with each curly quote outside straight-quoted text made straight; text that then
/// holds a straight quote mark is written the way `quoted` would.
pub(super) fn straighten(line: &str) -> String {
    let mut out = String::new();
    let mut in_string: Option<char> = None;
    let mut curly = String::new();
    let mut in_curly = false;
    for c in line.chars() {
        if in_curly {
            if matches!(c, '”' | '’' | '“') {
                out.push_str(&quoted(&curly, '\''));
                curly.clear();
                in_curly = false;
            } else {
                curly.push(c);
            }
            continue;
        }
        match (in_string, c) {
            (None, '"' | '\'') => in_string = Some(c),
            (Some(q), _) if c == q => in_string = None,
            (None, '“' | '‘') => {
                in_curly = true;
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    if in_curly {
        out.push_str(&quoted(&curly, '\''));
    }
    out
}
