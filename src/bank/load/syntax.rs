//! Syntax errors in a trainer's terms. toml's parser reports where it stopped understanding
//! the file; the slips trainers make (curly quotes pasted from Word, an apostrophe inside
//! single quotes, a quote mark inside double quotes, `80%`, a missing `]`, `[question]` for
//! `[[question]]`, a forgotten `[[question]]`) are recognised here from the text around each
//! error, and said once, with the fix that works. The errors that only follow from such a slip
//! (one missing `]` gives dozens) are left out: fixing the cause clears them.

mod knock_on;
mod line;
#[cfg(test)]
mod tests;

use std::ops::Range;

use crate::bank::diagnostic::{Diagnostic, LineIndex};
use crate::util::text::sanitize;
use knock_on::{duplicate, unclosed_array};
use line::{on_the_line, quote_slip, table_line};

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
