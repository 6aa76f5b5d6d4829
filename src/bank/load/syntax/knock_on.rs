//! The slips that cause many errors: a list never closed (every line after it is then an
//! error) and a key or table given twice (a question missing its `[[question]]` line). Each
//! is reported once, at its cause, with the range of the errors that follow from it.

use std::ops::Range;

use crate::bank::diagnostic::{Diagnostic, LineIndex};
use crate::util::suggest::and_list;
use crate::util::text::sanitize;

use super::{Raw, key_value};

/// An array opened at a `key = [` line before `at` and never closed: the cause, reported at
/// the `[`, and the range of the errors that follow from it.
pub(super) fn unclosed_array(
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
pub(super) enum Ends {
    /// It is closed, as it should be.
    Closed,
    /// It is never closed.
    Never,
    /// A bracket inside it (the `{` or `[` at this offset) is closed by the wrong kind.
    Mismatched(usize, char),
}

/// Follows the bracket at `open` to its end; strings and comments are skipped.
pub(super) fn bracket_end(source: &str, open: usize) -> Ends {
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
pub(super) fn knock_on_end(errors: &[Raw], open: usize, at: usize) -> usize {
    errors
        .iter()
        .filter(|e| {
            e.span.start >= open && (e.message.contains("array") || e.message.contains("table"))
        })
        .map(|e| e.span.end.max(e.span.start + 1))
        .max()
        .unwrap_or(at + 1)
}

pub(super) fn line_offset(source: &str, lines: &LineIndex, line: usize) -> usize {
    let text = lines.line(line).unwrap_or("");
    // The line's text is a slice of `source`: its address gives its offset.
    (text.as_ptr() as usize).saturating_sub(source.as_ptr() as usize)
}

/// A key or table given twice. The usual cause is a question without its own `[[question]]`
/// line (or written `[question]`), which makes its keys repeat the question above.
/// `tables` is the line number of every table line, in order.
pub(super) fn duplicate(
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
