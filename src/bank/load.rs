//! Reading a bank file: parse the TOML into a tree that remembers where every key and value
//! stood, then walk it into a `Bank`, collecting every problem found on the way.
//!
//! The walk is written by hand rather than left to serde so that one wrong key or type does not
//! hide the rest: a trainer fixing a bank sees every error and warning in one run, each pointing
//! at its line and column. Syntax errors come from toml's recoverable parser, all of them too.

//!
//! This file is the entry points (`load_path`, `load_str`, `check_source`) and the error type;
//! `walk` reads the spanned tree, `rules` holds what makes a bank invalid (errors), and `lints`
//! what only makes it weaker (warnings).

mod lints;
pub use lints::WARNINGS;
mod rules;
pub mod setting;
mod syntax;
mod walk;

use std::ops::Range;
use std::path::Path;

use toml::de::DeTable;

use crate::bank::Bank;
use crate::bank::diagnostic::{Diagnostic, render_all};
use crate::util::text::sanitize;
use walk::Walker;

/// Files larger than this are refused before they are read: no real bank comes close.
pub const MAX_BANK_BYTES: u64 = 16 * 1024 * 1024;

/// A bank file that could not be loaded: every problem found, with the text they point into.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: the file is {size} bytes; a bank may be at most 16 MiB")]
    TooLarge { file: String, size: u64 },
    #[error("{}", render_all(.file, .source_text, .diagnostics, "the bank was not loaded"))]
    Invalid {
        file: String,
        source_text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// Reads a bank file's text, refusing files that are too large, not UTF-8, or not regular
/// files at all (a FIFO or a device such as `/dev/zero` is refused before anything is read, so
/// nothing waits for ever or fills memory).
pub fn read_path(path: &Path) -> Result<String, LoadError> {
    use crate::util::files::{ReadError, read_bounded};
    let file = crate::util::files::shown(path);
    let io = |source| LoadError::Io {
        file: file.clone(),
        source,
    };
    let bytes = match read_bounded(path, MAX_BANK_BYTES) {
        Ok(bytes) => bytes,
        Err(ReadError::Io(e)) => return Err(io(e)),
        Err(ReadError::NotRegular) => {
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "it is not a regular file (it may be a folder, a pipe or a device)",
            )));
        }
        Err(ReadError::TooLarge(size)) => return Err(LoadError::TooLarge { file, size }),
    };
    String::from_utf8(bytes).map_err(|e| {
        io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

/// Reads and validates the bank at `path`.
pub fn load_path(path: &Path) -> Result<Bank, LoadError> {
    let text = read_path(path)?;
    load_str(&path.display().to_string(), &text)
}

/// Validates the bank text `source`; `file` names it in messages.
pub fn load_str(file: &str, source: &str) -> Result<Bank, LoadError> {
    if source.len() as u64 > MAX_BANK_BYTES {
        return Err(LoadError::TooLarge {
            file: file.to_string(),
            size: source.len() as u64,
        });
    }
    validate_source(source).map_err(|diagnostics| LoadError::Invalid {
        file: file.to_string(),
        source_text: source.to_string(),
        diagnostics,
    })
}

/// Parses and validates; on failure, every error found (warnings are left out).
pub fn validate_source(source: &str) -> Result<Bank, Vec<Diagnostic>> {
    let checked = check_source(source);
    match checked.bank {
        Some(bank) => Ok(bank),
        None => Err(checked
            .diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect()),
    }
}

/// Everything known about a bank's text: the bank, when it has no errors, and every error and
/// warning in source order.
#[derive(Debug)]
pub struct Checked {
    pub bank: Option<Bank>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many `[[question]]` tables the file has, valid or not.
    pub questions: usize,
    /// The quiz id and where it stands, when the file has one.
    pub quiz_id: Option<(String, Range<usize>)>,
    /// The `reviewed` date and where it stands, when the file has a valid one.
    pub reviewed: Option<(jiff::civil::Date, Range<usize>)>,
    /// Every question's prompt, for the lints that compare files (`authoring::check`).
    pub prompts: Vec<PromptAt>,
}

/// A question's prompt as written, and where it stands.
#[derive(Debug, Clone)]
pub struct PromptAt {
    pub id: String,
    pub prompt: String,
    pub span: Range<usize>,
    /// The question (or the whole bank) switches off the warning `code`.
    pub allow: Vec<String>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Parses and checks `source`, reporting every syntax error, error and warning.
pub fn check_source(source: &str) -> Checked {
    let (root, syntax) = DeTable::parse_recoverable(source);
    let mut w = Walker {
        diagnostics: syntax::diagnose(source, &syntax),
    };
    let bank = if syntax.is_empty() {
        w.bank(root.get_ref())
    } else {
        None
    };
    let mut diagnostics = w.diagnostics;
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    let bank = bank.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
    let root = root.get_ref();
    let questions = root
        .get("question")
        .and_then(|q| q.get_ref().as_array())
        .map_or(0, |a| a.len());
    let quiz_id = root
        .get("quiz")
        .and_then(|q| q.get_ref().as_table())
        .and_then(|q| q.get("id"))
        .and_then(|id| id.get_ref().as_str().map(|s| (s.to_string(), id.span())));
    let quiz = root.get("quiz").and_then(|q| q.get_ref().as_table());
    let reviewed = quiz.and_then(|q| q.get("reviewed")).and_then(|v| {
        let date = v.get_ref().as_datetime()?;
        let d = date.date.filter(|_| date.time.is_none())?;
        let date = jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok()?;
        Some((date, v.span()))
    });
    let bank_allow = quiz.map(allow_of).unwrap_or_default();
    let prompts = root
        .get("question")
        .and_then(|q| q.get_ref().as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|item| {
                    let t = item.get_ref().as_table()?;
                    let prompt = t.get("prompt")?;
                    let mut allow = allow_of(t);
                    allow.extend(bank_allow.iter().cloned());
                    Some(PromptAt {
                        id: t
                            .get("id")
                            .and_then(|id| id.get_ref().as_str())
                            .map(sanitize)
                            .unwrap_or_default(),
                        prompt: sanitize(prompt.get_ref().as_str()?),
                        span: prompt.span(),
                        allow,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Checked {
        bank,
        diagnostics,
        questions,
        quiz_id,
        reviewed,
        prompts,
    }
}

/// The codes in a table's `allow` list (already checked by the walk).
fn allow_of(t: &DeTable) -> Vec<String> {
    t.get("allow")
        .and_then(|a| a.get_ref().as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.get_ref().as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
