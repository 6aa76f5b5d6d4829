//! Syntax errors in a trainer's terms. toml's parser reports where it stopped understanding
//! the file; the slips trainers make (curly quotes pasted from Word, an apostrophe inside
//! single quotes, a quote mark inside double quotes, `80%`, a missing `]`, `[question]` for
//! `[[question]]`, a forgotten `[[question]]`) are recognised here from the text around each
//! error, and said once, with the fix that works. The errors that only follow from such a slip
//! (one missing `]` gives dozens) are left out: fixing the cause clears them.

use std::ops::Range;

use crate::bank::diagnostic::{Diagnostic, LineIndex};
use crate::util::suggest::and_list;
use crate::util::text::sanitize;

/// One syntax error as toml's parser gave it.
struct Raw {
    span: Range<usize>,
    message: String,
}

/// The diagnostics for toml's syntax errors in `source` (see `explain`).
pub(super) fn diagnose(source: &str, errors: &[toml::de::Error]) -> Vec<Diagnostic> {
    explain(
        source,
        errors
            .iter()
            .map(|e| Raw {
                span: e.span().unwrap_or(0..0),
                message: e.message().to_string(),
            })
            .collect(),
    )
}

/// The diagnostics for `errors`, toml's syntax errors in `source`: each recognised slip once,
/// with its fix, and every other error as toml words it.
fn explain(source: &str, mut errors: Vec<Raw>) -> Vec<Diagnostic> {
    errors.sort_by_key(|e| (e.span.start, e.span.end));
    let lines = LineIndex::new(source);
    let mut out = Vec::new();
    // Byte ranges whose errors follow from a slip already reported.
    let mut explained = Covered::default();
    // Quote marks first: one inside a text ends it early, and toml may then see a list
    // missing a comma or never closed.
    for e in &errors {
        let at = e.span.start;
        let line_start = line_start(source, at);
        let text = lines.line(lines.line_col(at).0).unwrap_or("");
        if !explained.covers(at)
            && let Some(d) = quote_slip(text, line_start, at)
        {
            out.push(d);
            explained.add(line_start..line_start + text.len() + 1);
        }
    }
    // Then the slips that cause many errors, so that their knock-on errors, wherever they
    // are, are known before any is reported: a list never closed, then keys given twice.
    for e in errors.iter().filter(|e| e.message.contains("array")) {
        if !explained.covers(e.span.start)
            && let Some((d, knock_on)) = unclosed_array(source, &lines, &errors, e.span.start)
        {
            out.push(d);
            explained.add(knock_on);
        }
    }
    // The table lines (`[quiz]`, `[[question]]`), found once.
    let tables: Vec<usize> = (1..)
        .map_while(|n| lines.line(n).map(|t| (n, t)))
        .filter(|(_, t)| t.trim_start().starts_with('['))
        .map(|(n, _)| n)
        .collect();
    for e in errors
        .iter()
        .filter(|e| e.message.starts_with("duplicate key"))
    {
        if !explained.covers(e.span.start) {
            let (d, knock_on) = duplicate(source, &lines, &tables, e.span.clone());
            out.push(d);
            explained.add(knock_on);
        }
    }
    for e in &errors {
        let at = e.span.start;
        if explained.covers(at) {
            continue;
        }
        let (line_no, _) = lines.line_col(at);
        let text = lines.line(line_no).unwrap_or("");
        let line_start = line_start(source, at);
        if let Some(d) = table_line(text, line_start).or_else(|| on_the_line(text, line_start, at))
        {
            out.push(d);
            explained.add(line_start..line_start + text.len() + 1);
            continue;
        }
        out.push(Diagnostic::error(
            "syntax",
            e.span.clone(),
            sanitize(e.message.trim()),
        ));
    }
    out.sort_by_key(|d| (d.span.start, d.span.end));
    out
}

/// Byte ranges whose errors are explained, kept as disjoint intervals so that asking costs a
/// lookup, not a scan (a file may have thousands).
#[derive(Default)]
struct Covered(std::collections::BTreeMap<usize, usize>);

impl Covered {
    /// Adds `range` (an empty one covers its start).
    fn add(&mut self, range: Range<usize>) {
        let (mut start, mut end) = (range.start, range.end.max(range.start + 1));
        // Merge every interval that overlaps or touches the new one.
        let touching: Vec<(usize, usize)> = self
            .0
            .range(..=end)
            .rev()
            .take_while(|&(_, &e)| e >= start)
            .map(|(&s, &e)| (s, e))
            .collect();
        for (s, e) in touching {
            self.0.remove(&s);
            start = start.min(s);
            end = end.max(e);
        }
        self.0.insert(start, end);
    }

    fn covers(&self, at: usize) -> bool {
        self.0
            .range(..=at)
            .next_back()
            .is_some_and(|(_, &end)| at < end)
    }
}

/// The byte offset where the line holding `at` starts.
fn line_start(source: &str, at: usize) -> usize {
    let at = at.min(source.len());
    source[..floor(source, at)].rfind('\n').map_or(0, |i| i + 1)
}

fn floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A line `key = value`: the key, the value (trimmed, comment kept) and where the value starts
/// in the line.
fn key_value(line: &str) -> Option<(&str, &str, usize)> {
    let eq = line.find('=')?;
    let key = line[..eq].trim();
    let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if key.is_empty() || !key.chars().all(bare) {
        return None;
    }
    let rest = &line[eq + 1..];
    let value = rest.trim_start();
    let value_at = eq + 1 + (rest.len() - value.len());
    Some((key, value.trim_end(), value_at))
}

const CURLY: [char; 4] = ['“', '”', '‘', '’'];

/// The slips that show on the error's own line: those of `quote_slip`, a text never closed,
/// `80%`, True for true, text without quotes.
fn on_the_line(line: &str, line_start: usize, at: usize) -> Option<Diagnostic> {
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
fn table_line(line: &str, line_start: usize) -> Option<Diagnostic> {
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
fn quote_slip(line: &str, line_start: usize, at: usize) -> Option<Diagnostic> {
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
fn early_end(value: &str) -> Option<(usize, usize, usize, char)> {
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
fn closing_quote(value: &str, quote: char) -> Option<usize> {
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
fn quoted(text: &str, was: char) -> String {
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
fn straighten(line: &str) -> String {
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

/// An array opened at a `key = [` line before `at` and never closed: the cause, reported at
/// the `[`, and the range of the errors that follow from it.
fn unclosed_array(
    source: &str,
    lines: &LineIndex,
    errors: &[Raw],
    at: usize,
) -> Option<(Diagnostic, Range<usize>)> {
    let (error_line, _) = lines.line_col(at);
    // The nearest line at or above the error that opens an array as a key's value.
    let (open_line, key, bracket) = (1..=error_line).rev().find_map(|n| {
        let text = lines.line(n)?;
        let (key, value, value_at) = key_value(text)?;
        value.starts_with('[').then_some((n, key, value_at))
    })?;
    let open_text = lines.line(open_line)?;
    let open_at = line_offset(source, lines, open_line) + bracket;
    match bracket_end(source, open_at) {
        // A list that closes (one missing a comma, say) is not this slip.
        Ends::Closed => return None,
        Ends::Mismatched(inner, opened) => {
            let (closer, missing) = if opened == '{' {
                (']', '}')
            } else {
                ('}', ']')
            };
            let (line, _) = lines.line_col(inner);
            let d = Diagnostic::error(
                "unclosed-bracket",
                inner..inner + 1,
                format!("the `{opened}` here is never closed: a `{missing}` is missing"),
            )
            .with_help(format!(
                "add `{missing}` on line {line}, before the `{closer}` that closes `{key}`"
            ));
            return Some((d, inner..knock_on_end(errors, open_at, at)));
        }
        Ends::Never => {}
    }
    // Where the `]` belongs: after the last line, from the opening one, that is not the start
    // of something else (a key, a table, a blank line).
    let mut last = open_line;
    for n in open_line + 1..=error_line {
        let text = lines.line(n).unwrap_or("").trim();
        if text.is_empty() || text.starts_with('[') || key_value(text).is_some() {
            break;
        }
        last = n;
    }
    let end_text = lines.line(last)?.trim_end();
    // Enough of a long line's end to find it by.
    let chars = end_text.trim().chars().count();
    let end_text = if chars > 50 {
        format!(
            "…{}",
            end_text.trim().chars().skip(chars - 49).collect::<String>()
        )
    } else {
        end_text.trim().to_string()
    };
    let until = knock_on_end(errors, open_at, at);
    let help = if last == open_line {
        format!("add `]` at the end of line {last}: {}]", open_text.trim())
    } else {
        format!("add `]` at the end of line {last}, after `{end_text}`")
    };
    let d = Diagnostic::error(
        "unclosed-list",
        open_at..open_at + 1,
        format!("the list `{key}` opened here is never closed: a `]` is missing"),
    )
    .with_help(help);
    Some((d, open_at..until))
}

/// How the bracket at `open` ends.
enum Ends {
    /// It is closed, as it should be.
    Closed,
    /// It is never closed.
    Never,
    /// A bracket inside it (the `{` or `[` at this offset) is closed by the wrong kind.
    Mismatched(usize, char),
}

/// Follows the bracket at `open` to its end; strings and comments are skipped.
fn bracket_end(source: &str, open: usize) -> Ends {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut chars = source[open..].char_indices().map(|(i, c)| (open + i, c));
    while let Some((i, c)) = chars.next() {
        match c {
            '[' | '{' => stack.push((i, c)),
            ']' | '}' => {
                let Some((at, opened)) = stack.pop() else {
                    return Ends::Closed;
                };
                if (opened == '[') != (c == ']') {
                    return Ends::Mismatched(at, opened);
                }
                if stack.is_empty() {
                    return Ends::Closed;
                }
            }
            '#' => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' | '\'' => {
                let mut escaped = false;
                for (_, d) in chars.by_ref() {
                    if d == '\n' || (d == c && !escaped) {
                        break;
                    }
                    escaped = c == '"' && d == '\\' && !escaped;
                }
            }
            _ => {}
        }
    }
    Ends::Never
}

/// The end of the errors caused by a bracket at `open`: the last error from there on that
/// mentions an array or a table.
fn knock_on_end(errors: &[Raw], open: usize, at: usize) -> usize {
    errors
        .iter()
        .filter(|e| {
            e.span.start >= open && (e.message.contains("array") || e.message.contains("table"))
        })
        .map(|e| e.span.end.max(e.span.start + 1))
        .max()
        .unwrap_or(at + 1)
}

fn line_offset(source: &str, lines: &LineIndex, line: usize) -> usize {
    let text = lines.line(line).unwrap_or("");
    // The line's text is a slice of `source`: its address gives its offset.
    (text.as_ptr() as usize).saturating_sub(source.as_ptr() as usize)
}

/// A key or table given twice. The usual cause is a question without its own `[[question]]`
/// line (or written `[question]`), which makes its keys repeat the question above.
/// `tables` is the line number of every table line, in order.
fn duplicate(
    source: &str,
    lines: &LineIndex,
    tables: &[usize],
    span: Range<usize>,
) -> (Diagnostic, Range<usize>) {
    let (line_no, _) = lines.line_col(span.start);
    let text = lines.line(line_no).unwrap_or("").trim();
    let next = tables.partition_point(|&n| n <= line_no);
    // The knock-on errors end at the next table line.
    let next_table = tables
        .get(next)
        .map_or(source.len(), |&n| line_offset(source, lines, n));
    let knock_on = span.start..next_table;
    if text.starts_with('[') {
        let name = text.trim_matches(|c| c == '[' || c == ']').trim();
        if name == "question" {
            let single_lines: Vec<usize> = (1..)
                .map_while(|n| lines.line(n).map(|t| (n, t)))
                .filter(|(_, t)| t.trim() == "[question]")
                .map(|(n, _)| n)
                .collect();
            let singles: Vec<String> = single_lines.iter().map(usize::to_string).collect();
            // Every later `[question]` repeats the table too: one report covers them all.
            let last = single_lines.last().copied().unwrap_or(line_no).max(line_no);
            let end = (last + 1..)
                .map_while(|n| lines.line(n).map(|t| (n, t)))
                .find(|(_, t)| t.trim_start().starts_with('['))
                .map_or(source.len(), |(n, _)| line_offset(source, lines, n));
            let knock_on = span.start..end;
            let d = Diagnostic::error(
                "single-brackets",
                span,
                "each question starts with `[[question]]`, in double brackets; `[question]` in single brackets is read as something else",
            )
            .with_help(format!(
                "write `[[question]]` on line{} {}",
                if singles.len() == 1 { "" } else { "s" },
                and_list(
                    &singles.iter().map(String::as_str).collect::<Vec<_>>()
                )
            ));
            return (d, knock_on);
        }
        let d = Diagnostic::error(
            "duplicate-table",
            span,
            format!("`[{}]` is given twice", sanitize(name)),
        )
        .with_help("keep one, with every key it needs");
        return (d, knock_on);
    }
    let key = text.split('=').next().unwrap_or("").trim();
    // The table the key is in, and the first line of the block of keys holding it.
    let header = tables[..tables.partition_point(|&n| n < line_no)]
        .last()
        .copied();
    let mut block = line_no;
    while block > 1 {
        let above = lines.line(block - 1).unwrap_or("").trim();
        if above.is_empty() || above.starts_with('[') || above.starts_with('#') {
            break;
        }
        block -= 1;
    }
    let header_text = header.and_then(|n| lines.line(n)).unwrap_or("").trim();
    let in_questions = header_text == "[[question]]" || header_text == "[question]";
    let after_header = header.map_or(1, |n| n + 1);
    if in_questions && block > after_header {
        // This question's keys end at the next blank line; a later block with repeated keys
        // is another question without its line, and is reported too.
        let block_end = (line_no + 1..)
            .map_while(|n| lines.line(n).map(|t| (n, t)))
            .find(|(_, t)| t.trim().is_empty() || t.trim_start().starts_with('['))
            .map_or(source.len(), |(n, _)| line_offset(source, lines, n));
        let d = Diagnostic::error(
            "missing-question-line",
            span.clone(),
            format!(
                "`{}` is given twice in one question: the question from line {block} has no `[[question]]` line of its own",
                sanitize(key)
            ),
        )
        .with_help(format!("add a line `[[question]]` above line {block}"));
        return (d, span.start..block_end);
    }
    let table = if header_text.is_empty() {
        "the top of the bank".to_string()
    } else {
        format!("`{}`", sanitize(header_text))
    };
    let d = Diagnostic::error(
        "duplicate-key",
        span.clone(),
        format!("`{}` is given twice in {table}", sanitize(key)),
    )
    .with_help("keep one of them");
    (d, span.start..span.end.max(span.start + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_quotes_are_made_straight() {
        assert_eq!(straighten("prompt = “Is it?”"), "prompt = \"Is it?\"");
        assert_eq!(straighten("accept = [“a”, ‘b’]"), "accept = [\"a\", \"b\"]");
        assert_eq!(
            straighten("prompt = \"It’s “fine”\""),
            "prompt = \"It’s “fine”\""
        );
    }

    #[test]
    fn slips_on_one_line_are_named_with_the_fix() {
        let named = |line: &str, col: usize| {
            let d = on_the_line(line, 0, col).expect(line);
            (d.code, d.help.unwrap())
        };
        assert_eq!(
            named("answer = True", 9),
            ("capital-true-false", "write it as: answer = true".into())
        );
        assert_eq!(
            named("type = single", 7),
            ("unquoted-text", "write it as: type = \"single\"".into())
        );
        assert_eq!(
            named("accept = [“CSAM”, “child abuse images”]", 10),
            (
                "curly-quotes",
                "type straight quotes instead: accept = [\"CSAM\", \"child abuse images\"]".into()
            )
        );
        assert_eq!(
            named("pass_mark = 75.5 %", 12).1,
            "write it as: pass_mark = 75.5"
        );
        assert!(on_the_line("answer = 12", 0, 9).is_none());
    }

    #[test]
    fn a_quote_mark_ending_text_early_is_found_in_a_value_or_a_list() {
        assert_eq!(early_end("\"Is \"it\" so?\""), Some((0, 4, 12, '"')));
        assert_eq!(early_end("['a', 'b's', \"c\"]"), Some((6, 8, 10, '\'')));
        assert_eq!(early_end("[\"a\", \"b\"] # it's"), None);
        assert_eq!(early_end("\"\"\"x\"\"\""), None);
        assert_eq!(early_end("\"say \\\"no\\\"\""), None);
    }

    #[test]
    fn covered_ranges_merge() {
        let mut c = Covered::default();
        c.add(10..20);
        c.add(30..30);
        c.add(15..25);
        assert!(!c.covers(9) && c.covers(10) && c.covers(24) && !c.covers(25));
        assert!(c.covers(30) && !c.covers(31));
        c.add(0..100);
        assert!(c.covers(50) && c.covers(0) && !c.covers(100));
        assert_eq!(c.0.len(), 1);
    }

    #[test]
    fn text_is_quoted_the_way_that_reads_back() {
        assert_eq!(quoted("the child's", '\''), "\"the child's\"");
        assert_eq!(quoted("say \"no\"", '"'), "'say \"no\"'");
        assert_eq!(quoted("it's \"no\"", '\''), "\"it's \\\"no\\\"\"");
    }
}
