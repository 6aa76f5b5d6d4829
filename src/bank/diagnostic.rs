//! A problem found in a bank file, pointing at the line and column where it is.
//!
//! The first line of every rendered diagnostic is `FILE:LINE:COL: error: MESSAGE`, so it can be
//! grepped and jumped to by editors; below it the source line with a caret under the spot, and a
//! `help:` line where the fix is known.

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem, for tools (`check --format json`).
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// Byte range in the source; an empty range at 0 when nothing better is known.
    pub span: Range<usize>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            span,
        }
    }

    pub fn warning(code: &'static str, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic against the file it was found in, through that file's `LineIndex`
    /// (built once per file, so rendering many diagnostics stays linear).
    pub fn render<'a>(&'a self, file: &'a str, lines: &'a LineIndex<'a>) -> Rendered<'a> {
        Rendered {
            diagnostic: self,
            file,
            lines,
        }
    }
}

/// Where each line of a text starts, found once, so that a byte offset's line and column cost
/// a binary search rather than a scan from the top (a file with 10,000 problems would
/// otherwise be read 10,000 times).
pub struct LineIndex<'a> {
    source: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(source: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { source, starts }
    }

    pub fn source(&self) -> &'a str {
        self.source
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let col = self.source[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// The text of 1-based line `line`, without its line ending; `None` past the end (as
    /// `str::lines` counts them: an empty last line is not one).
    pub fn line(&self, line: usize) -> Option<&'a str> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self
            .starts
            .get(line)
            .map_or(self.source.len(), |next| next - 1);
        if start >= self.source.len() {
            return None;
        }
        Some(self.source[start..end].trim_end_matches('\r'))
    }
}

/// 1-based line and column (in characters) of a byte offset. For one lookup; many lookups in
/// the same text go through a `LineIndex`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(offset)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    file: &'a str,
    lines: &'a LineIndex<'a>,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let source = self.lines.source();
        let (line, col) = self.lines.line_col(d.span.start);
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{}:{line}:{col}: {kind}: {}", self.file, d.message)?;
        let gutter = " ".repeat(line.to_string().len());
        if let Some(text) = self.lines.line(line) {
            let text = crate::util::text::sanitize(text);
            let start = floor_char_boundary(source, d.span.start.min(source.len()));
            let end = floor_char_boundary(source, d.span.end.min(source.len()));
            let on_line = source[start..end.max(start)]
                .split('\n')
                .next()
                .unwrap_or("");
            let width = on_line.chars().count().max(1);
            writeln!(f, "{gutter} |")?;
            writeln!(f, "{line} | {text}")?;
            writeln!(f, "{gutter} | {}{}", " ".repeat(col - 1), "^".repeat(width))?;
        }
        if let Some(help) = &d.help {
            writeln!(f, "{gutter} = help: {help}")?;
        }
        Ok(())
    }
}

/// Every diagnostic of one file, rendered, then a closing line: "FILE: N errors found; " and
/// what came of it (`outcome`, such as "the bank was not loaded").
pub fn render_all(file: &str, source: &str, diagnostics: &[Diagnostic], outcome: &str) -> String {
    let mut out = String::new();
    let lines = LineIndex::new(source);
    for d in diagnostics {
        out.push_str(&d.render(file, &lines).to_string());
    }
    let n = diagnostics.len();
    out.push_str(&format!(
        "{file}: {n} error{} found; {outcome}",
        if n == 1 { "" } else { "s" }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 10), (2, 4));
        assert_eq!(line_col(src, 999), (3, 1));
        let lines = LineIndex::new(src);
        assert_eq!(lines.line(1), Some("a = 1"));
        assert_eq!(lines.line(2), Some("bé = 2"));
        assert_eq!(lines.line(3), None);
        assert_eq!(LineIndex::new("a\r\nb").line(1), Some("a"));
        assert_eq!(LineIndex::new("a\r\nb").line(2), Some("b"));
        assert_eq!(LineIndex::new("").line(1), None);
    }

    #[test]
    fn renders_location_caret_and_help() {
        let src = "format = 1\nexplenation = \"x\"\n";
        let d = Diagnostic::error("unknown-key", 11..22, "unknown key `explenation`")
            .with_help("did you mean `explanation`?");
        let shown = d.render("bank.toml", &LineIndex::new(src)).to_string();
        assert_eq!(
            shown,
            "bank.toml:2:1: error: unknown key `explenation`\n  |\n2 | explenation = \"x\"\n  | ^^^^^^^^^^^\n  = help: did you mean `explanation`?\n"
        );
    }
}
