//! `sgquiz check`: every problem in every bank file named, in one run.
//!
//! Folders are searched for `*.toml` files. Each file is checked on its own (see `load`), then
//! across files for quiz ids used twice. Output is for people (rustc-style, with a summary line)
//! or, with `--format json`, for editors and CI.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::util::text::sanitize;

use crate::bank::diagnostic::{Diagnostic, Severity, line_col};
use crate::bank::load::{self, LoadError};

/// One file's results.
pub struct FileCheck {
    pub file: String,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    pub questions: usize,
}

/// The results of a whole run.
pub struct CheckRun {
    pub files: Vec<FileCheck>,
}

#[derive(Serialize)]
pub struct Problem<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
}

impl CheckRun {
    pub fn errors(&self) -> usize {
        self.diagnostics().filter(|(_, d)| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics().filter(|(_, d)| !d.is_error()).count()
    }

    pub fn questions(&self) -> usize {
        self.files.iter().map(|f| f.questions).sum()
    }

    fn diagnostics(&self) -> impl Iterator<Item = (&FileCheck, &Diagnostic)> {
        self.files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
    }

    /// Did the run pass? Warnings count only when `deny_warnings`.
    pub fn passed(&self, deny_warnings: bool) -> bool {
        self.errors() == 0 && (!deny_warnings || self.warnings() == 0)
    }

    /// Every problem, rendered for a person, then the summary line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (f, d) in self.diagnostics() {
            out.push_str(&d.render(&f.file, &f.source).to_string());
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    pub fn summary(&self) -> String {
        let files = self.files.len();
        let questions = self.questions();
        let (errors, warnings) = (self.errors(), self.warnings());
        format!(
            "checked {files} file{}, {questions} question{}: {errors} error{}, {warnings} warning{}",
            s(files),
            s(questions),
            s(errors),
            s(warnings)
        )
    }

    pub fn problems(&self) -> Vec<Problem<'_>> {
        self.diagnostics()
            .map(|(f, d)| {
                let (line, column) = line_col(&f.source, d.span.start);
                Problem {
                    file: &f.file,
                    line,
                    column,
                    severity: d.severity,
                    code: d.code,
                    message: &d.message,
                    help: d.help.as_deref(),
                }
            })
            .collect()
    }
}

fn s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Checks every bank file at or below `paths`.
pub fn check_paths(paths: &[PathBuf]) -> CheckRun {
    let mut files = Vec::new();
    let mut ids: Vec<(String, String)> = Vec::new();
    for path in expand(paths) {
        // A file's name is untrusted text too: one found by walking a folder can hold anything.
        let file = crate::util::files::shown(&path);
        let source = match load::read_path(&path) {
            Ok(text) => text,
            Err(e) => {
                let message = match e {
                    LoadError::Io { source, .. } => format!("cannot read the file: {source}"),
                    other => other.to_string(),
                };
                files.push(FileCheck {
                    file,
                    source: String::new(),
                    diagnostics: vec![Diagnostic::error("io", 0..0, message)],
                    questions: 0,
                });
                continue;
            }
        };
        let checked = load::check_source(&source);
        let mut diagnostics = checked.diagnostics;
        if let Some((id, span)) = checked.quiz_id {
            if let Some((_, other)) = ids.iter().find(|(seen, _)| *seen == id) {
                diagnostics.push(Diagnostic::error(
                    "duplicate-quiz-id",
                    span,
                    format!("quiz id `{}` is also used by {other}", sanitize(&id)),
                ));
                diagnostics.sort_by_key(|d| d.span.start);
            } else {
                ids.push((id, file.clone()));
            }
        }
        files.push(FileCheck {
            file,
            source,
            diagnostics,
            questions: checked.questions,
        });
    }
    CheckRun { files }
}

/// Files as given, and every `*.toml` below the folders given, each folder's in name order.
fn expand(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
}
