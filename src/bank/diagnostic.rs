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

    /// Renders the diagnostic against the file it was found in.
    pub fn render<'a>(&'a self, file: &'a str, source: &'a str) -> Rendered<'a> {
        Rendered {
            diagnostic: self,
            file,
            source,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
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
    source: &'a str,
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let (line, col) = line_col(self.source, d.span.start);
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{}:{line}:{col}: {kind}: {}", self.file, d.message)?;
        let gutter = " ".repeat(line.to_string().len());
        if let Some(text) = self.source.lines().nth(line - 1) {
            let text = crate::util::text::sanitize(text);
            let start = floor_char_boundary(self.source, d.span.start.min(self.source.len()));
            let end = floor_char_boundary(self.source, d.span.end.min(self.source.len()));
            let on_line = self.source[start..end].split('\n').next().unwrap_or("");
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
    }

    #[test]
    fn renders_location_caret_and_help() {
        let src = "format = 1\nexplenation = \"x\"\n";
        let d = Diagnostic::error("unknown-key", 11..22, "unknown key `explenation`")
            .with_help("did you mean `explanation`?");
        let shown = d.render("bank.toml", src).to_string();
        assert_eq!(
            shown,
            "bank.toml:2:1: error: unknown key `explenation`\n  |\n2 | explenation = \"x\"\n  | ^^^^^^^^^^^\n  = help: did you mean `explanation`?\n"
        );
    }
}
