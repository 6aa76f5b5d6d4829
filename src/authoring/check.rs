//! `sgquiz check`: every problem in every bank file named, in one run.
//!
//! Folders are searched for `*.toml` files. Each file is checked on its own (see `load`), then
//! across files: quiz ids used twice, and prompts that nearly repeat one another; and each
//! `reviewed` date against today. Output is for people (rustc-style, with a summary line)
//! or, with `--format json`, for editors and CI.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use serde::Serialize;

use crate::util::text::sanitize;

use crate::bank::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::bank::load::{self, LoadError, PromptAt};

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
        for f in &self.files {
            let lines = LineIndex::new(&f.source);
            for d in &f.diagnostics {
                out.push_str(&d.render(&f.file, &lines).to_string());
            }
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
        let mut problems = Vec::new();
        for f in &self.files {
            let lines = LineIndex::new(&f.source);
            problems.extend(f.diagnostics.iter().map(|d| {
                let (line, column) = lines.line_col(d.span.start);
                Problem {
                    file: &f.file,
                    line,
                    column,
                    severity: d.severity,
                    code: d.code,
                    message: &d.message,
                    help: d.help.as_deref(),
                }
            }));
        }
        problems
    }
}

fn s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Checks every bank file at or below `paths`, as of today.
pub fn check_paths(paths: &[PathBuf]) -> CheckRun {
    check_paths_on(paths, today())
}

/// Today's date in UTC.
pub fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// Checks every bank file at or below `paths`, with `today` for the age of review dates.
pub fn check_paths_on(paths: &[PathBuf], today: Date) -> CheckRun {
    let mut files = Vec::new();
    let mut prompts: Vec<Vec<PromptAt>> = Vec::new();
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
                prompts.push(Vec::new());
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
        if let Some((date, span)) = checked.reviewed
            && let Some(d) = review_age(date, today, span)
        {
            diagnostics.push(d);
        }
        prompts.push(checked.prompts);
        files.push(FileCheck {
            file,
            source,
            diagnostics,
            questions: checked.questions,
        });
    }
    for (file, d) in near_duplicates(&prompts, &files) {
        files[file].diagnostics.push(d);
    }
    for f in &mut files {
        f.diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    }
    CheckRun { files }
}

/// `reviewed-old`: the content was last reviewed more than 12 months before `today`.
fn review_age(reviewed: Date, today: Date, span: Range<usize>) -> Option<Diagnostic> {
    let due = reviewed.checked_add(jiff::Span::new().months(12)).ok()?;
    (due < today).then(|| {
        Diagnostic::warning(
            "reviewed-old",
            span,
            format!(
                "the content was last reviewed on {reviewed}, more than 12 months ago: safeguarding guidance usually changes each September"
            ),
        )
        .with_help(
            "check every question against the current guidance, then set `reviewed` to the day you did",
        )
    })
}

/// How alike two prompts must be (1 - edit distance / length) to count as near duplicates.
const SIMILAR: f64 = 0.9;
/// How many prompts of about the same length each is compared with, so that checking a large
/// collection stays fast: near duplicates have about the same length.
const NEIGHBOURS: usize = 64;

/// One prompt made comparable: lower case, letters and digits, single spaces.
struct Comparable {
    file: usize,
    n: usize,
    chars: Vec<char>,
    /// How many of each of a-z, 0-9 and everything else (space and other letters) it has.
    counts: [i32; 37],
}

impl Comparable {
    fn new(file: usize, n: usize, prompt: &str) -> Comparable {
        let chars: Vec<char> = normalize_prompt(prompt).chars().collect();
        let mut counts = [0; 37];
        for c in &chars {
            let bin = match c {
                'a'..='z' => *c as usize - 'a' as usize,
                '0'..='9' => 26 + (*c as usize - '0' as usize),
                _ => 36,
            };
            counts[bin] += 1;
        }
        Comparable {
            file,
            n,
            chars,
            counts,
        }
    }
}

/// `near-duplicate-prompt`: each prompt nearly the same as an earlier one (in the order the
/// files were checked), as (file, warning). Prompts are compared only with those of
/// about the same length (at most `NEIGHBOURS` of them), and only when a cheap lower bound on
/// their edit distance (the difference in letter counts) leaves them close enough.
fn near_duplicates(prompts: &[Vec<PromptAt>], files: &[FileCheck]) -> Vec<(usize, Diagnostic)> {
    const CODE: &str = "near-duplicate-prompt";
    let mut all: Vec<Comparable> = Vec::new();
    for (file, list) in prompts.iter().enumerate() {
        for (n, p) in list.iter().enumerate() {
            if p.allow.iter().any(|a| a == CODE) {
                continue;
            }
            all.push(Comparable::new(file, n, &p.prompt));
        }
    }
    all.sort_by_key(|c| c.chars.len());
    // For each prompt, the earliest prompt (in checking order) it nearly repeats.
    let mut earlier: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    let mut exact: HashMap<&[char], (usize, usize)> = HashMap::new();
    for c in &all {
        let here = (c.file, c.n);
        match exact.get(c.chars.as_slice()) {
            Some(&first) => {
                let (a, b) = (first.min(here), first.max(here));
                earlier.entry(b).or_insert(a);
            }
            None => {
                exact.insert(&c.chars, here);
            }
        }
    }
    for (i, a) in all.iter().enumerate() {
        for b in all[i + 1..].iter().take(NEIGHBOURS) {
            let longer = b.chars.len().max(1) as f64;
            if (a.chars.len() as f64) < longer * SIMILAR {
                break;
            }
            if 1.0 - bag_distance(a, b) as f64 / longer < SIMILAR {
                continue;
            }
            let distance = strsim::generic_levenshtein(&a.chars, &b.chars);
            if 1.0 - distance as f64 / longer >= SIMILAR {
                let (x, y) = (
                    (a.file, a.n).min((b.file, b.n)),
                    (a.file, a.n).max((b.file, b.n)),
                );
                let entry = earlier.entry(y).or_insert(x);
                *entry = (*entry).min(x);
                // One near duplicate is enough to report; a cluster of them is still reported
                // prompt by prompt, as each finds its next.
                break;
            }
        }
    }
    let mut found: Vec<_> = earlier.into_iter().collect();
    found.sort();
    let lines: Vec<LineIndex> = files.iter().map(|f| LineIndex::new(&f.source)).collect();
    found
        .into_iter()
        .map(|((file, n), (other_file, other_n))| {
            let p = &prompts[file][n];
            let other = &prompts[other_file][other_n];
            let (line, _) = lines[other_file].line_col(other.span.start);
            let whose = if other.id.is_empty() {
                "another question's".to_string()
            } else {
                format!("that of question `{}`", other.id)
            };
            let d = Diagnostic::warning(
                CODE,
                p.span.clone(),
                format!(
                    "this prompt is nearly the same as {whose} ({}:{line})",
                    files[other_file].file
                ),
            )
            .with_help("two questions that ask the same thing count one piece of knowledge twice: merge them, or make each ask something of its own");
            (file, d)
        })
        .collect()
}

/// A lower bound on the edit distance of two prompts, from their letter counts alone.
/// (Counting several characters in one bin only lowers it, so it stays a lower bound.)
fn bag_distance(a: &Comparable, b: &Comparable) -> usize {
    let (mut more, mut fewer) = (0, 0);
    for (x, y) in a.counts.iter().zip(&b.counts) {
        if x > y {
            more += x - y;
        } else {
            fewer += y - x;
        }
    }
    more.max(fewer) as usize
}

fn normalize_prompt(prompt: &str) -> String {
    prompt
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_review_is_old_the_day_after_its_first_anniversary() {
        let reviewed = date("2025-11-15");
        for (today, old) in [
            ("2025-11-15", false),
            ("2026-09-30", false),
            ("2026-11-15", false),
            ("2026-11-16", true),
            ("2030-01-01", true),
        ] {
            let d = review_age(reviewed, date(today), 0..0);
            assert_eq!(d.is_some(), old, "reviewed 2025-11-15, checked {today}");
        }
        // A leap day's anniversary is the last day of February.
        assert!(review_age(date("2024-02-29"), date("2025-02-28"), 0..0).is_none());
        assert!(review_age(date("2024-02-29"), date("2025-03-01"), 0..0).is_some());
    }

    fn comparable(text: &str) -> Comparable {
        Comparable::new(0, 0, text)
    }

    #[test]
    fn the_letter_count_bound_never_exceeds_the_edit_distance() {
        let texts = [
            "Who is the DSL here?",
            "Who is the LADO here?",
            "Put these events in order, from earliest to latest.",
            "Put these developments in order, from earliest to latest.",
            "",
            "abc",
            "cab",
            "Où est le café ? Ça va, l'élève.",
            "Ou est le cafe ? Ca va, l'eleve.",
        ];
        for a in texts {
            for b in texts {
                let (a, b) = (comparable(a), comparable(b));
                let lev = strsim::generic_levenshtein(&a.chars, &b.chars);
                assert!(bag_distance(&a, &b) <= lev);
            }
        }
        assert_eq!(
            normalize_prompt("  Who is the DSL, here?!"),
            "who is the dsl here"
        );
    }
}
