//! Reading a bank file: parse the TOML into loose "raw" types that remember where each value
//! stood, then validate them into a `Bank`, collecting every problem found on the way.
//!
//! Every field of the raw types is optional and spanned, so that one missing or misplaced key
//! does not hide the others and each problem can point at its line and column. Keys that are not
//! part of the format are refused by serde (`deny_unknown_fields`); keys that are part of the
//! format but do not fit the question's type are refused here.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::{Spanned, Value};

use crate::bank::{
    Bank, Choice, DEFAULT_CONTENT_NOTE, DEFAULT_SUPPORT, FORMAT_VERSION, Kind, Pair, Question,
    QuizInfo, Scoring,
};
use crate::diagnostic::Diagnostic;
use crate::text::sanitize;

/// Files larger than this are refused before they are read: no real bank comes close.
pub const MAX_BANK_BYTES: u64 = 16 * 1024 * 1024;

const TYPES: &[&str] = &[
    "single",
    "multiple",
    "true_false",
    "number",
    "text",
    "order",
    "match",
];

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
    #[error("{}", render_all(.file, .source_text, .diagnostics))]
    Invalid {
        file: String,
        source_text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

fn render_all(file: &str, source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render(file, source).to_string());
    }
    let n = diagnostics.len();
    out.push_str(&format!(
        "{file}: {n} error{} found; the bank was not loaded",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// Reads and validates the bank at `path`.
pub fn load_path(path: &Path) -> Result<Bank, LoadError> {
    let text = read_path(path)?;
    load_str(&path.display().to_string(), &text)
}

/// Reads the text of the bank file at `path`, refusing files too large or not UTF-8.
pub fn read_path(path: &Path) -> Result<String, LoadError> {
    let file = path.display().to_string();
    let io = |source| LoadError::Io {
        file: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_BANK_BYTES {
        return Err(LoadError::TooLarge { file, size });
    }
    let bytes = std::fs::read(path).map_err(io)?;
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

/// Parses and validates; on failure, every error found.
pub fn validate_source(source: &str) -> Result<Bank, Vec<Diagnostic>> {
    let raw: RawBank = toml::from_str(source).map_err(|e| vec![from_toml_error(&e)])?;
    let mut v = Validator::default();
    let bank = v.bank(raw);
    match bank {
        Some(bank) if v.errors.is_empty() => Ok(bank),
        _ => {
            v.errors.sort_by_key(|d| d.span.start);
            Err(v.errors)
        }
    }
}

fn from_toml_error(e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let message = e.message().trim().to_string();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        let known: Vec<&str> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|k| !k.is_empty())
            .collect();
        let d = Diagnostic::error(span, format!("unknown key `{}`", sanitize(key)));
        return match nearest(key, &known) {
            Some(near) => d.with_help(format!("did you mean `{near}`?")),
            None if !known.is_empty() => {
                d.with_help(format!("the keys allowed here are: {}", known.join(", ")))
            }
            None => d,
        };
    }
    Diagnostic::error(span, sanitize(&message))
}

/// The known word closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&word, k), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    format: Option<Spanned<Value>>,
    quiz: Option<Spanned<RawQuiz>>,
    question: Option<Spanned<Vec<Spanned<RawQuestion>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    audience: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    pass_mark: Option<Spanned<Value>>,
    shuffle: Option<Spanned<bool>>,
    content_note: Option<Spanned<String>>,
    support: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Option<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    topic: Option<Spanned<String>>,
    points: Option<Spanned<Value>>,
    prompt: Option<Spanned<String>>,
    explanation: Option<Spanned<String>>,
    reference: Option<Spanned<String>>,
    choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    scoring: Option<Spanned<String>>,
    answer: Option<Spanned<Value>>,
    tolerance: Option<Spanned<Value>>,
    accept: Option<Spanned<Vec<Spanned<String>>>>,
    items: Option<Spanned<Vec<Spanned<String>>>>,
    pairs: Option<Spanned<Vec<Spanned<RawPair>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    text: Option<Spanned<String>>,
    correct: Option<Spanned<bool>>,
    feedback: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    left: Option<Spanned<String>>,
    right: Option<Spanned<String>>,
}

#[derive(Default)]
struct Validator {
    errors: Vec<Diagnostic>,
}

impl Validator {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(span, message));
    }

    fn bank(&mut self, raw: RawBank) -> Option<Bank> {
        match &raw.format {
            None => self.error(0..0, "missing `format = 1` at the top of the bank"),
            Some(f) => match f.get_ref() {
                Value::Integer(FORMAT_VERSION) => {}
                Value::Integer(n) => {
                    let d = Diagnostic::error(f.span(), format!("unknown format version {n}"))
                        .with_help(format!(
                            "this version of sgquiz reads `format = {FORMAT_VERSION}`"
                        ));
                    self.errors.push(d);
                }
                other => self.error(
                    f.span(),
                    format!(
                        "`format` must be a whole number, found {}",
                        other.type_str()
                    ),
                ),
            },
        }
        let quiz = match raw.quiz {
            Some(q) => {
                let span = q.span();
                self.quiz(q.into_inner(), span)
            }
            None => {
                self.error(0..0, "missing the `[quiz]` table (id, title, ...)");
                None
            }
        };
        let mut questions = Vec::new();
        match raw.question {
            Some(list) if !list.get_ref().is_empty() => {
                let mut ids = HashSet::new();
                for q in list.into_inner() {
                    let span = q.span();
                    if let Some(id) = &q.get_ref().id
                        && !ids.insert(id.get_ref().clone())
                    {
                        self.error(
                            id.span(),
                            format!(
                                "question id `{}` is used twice in this bank",
                                sanitize(id.get_ref())
                            ),
                        );
                    }
                    if let Some(question) = self.question(q.into_inner(), span) {
                        questions.push(question);
                    }
                }
            }
            Some(list) => self.error(list.span(), "the bank has no questions"),
            None => self.error(0..0, "the bank has no `[[question]]` tables"),
        }
        Some(Bank {
            format: FORMAT_VERSION,
            quiz: quiz?,
            questions,
        })
    }

    fn quiz(&mut self, raw: RawQuiz, span: Range<usize>) -> Option<QuizInfo> {
        let id = self.required_text(raw.id, "id", "[quiz]", &span);
        let title = self.required_text(raw.title, "title", "[quiz]", &span);
        let pass_mark = match raw.pass_mark {
            None => 80.0,
            Some(p) => match number(p.get_ref()) {
                Some(n) if (0.0..=100.0).contains(&n) => n,
                Some(n) => {
                    self.error(
                        p.span(),
                        format!(
                            "`pass_mark` is a percentage from 0 to 100, found {}",
                            crate::text::format_number(n)
                        ),
                    );
                    80.0
                }
                None => {
                    self.error(p.span(), "`pass_mark` must be a number from 0 to 100");
                    80.0
                }
            },
        };
        Some(QuizInfo {
            id: id?,
            title: title?,
            summary: optional_text(raw.summary),
            audience: optional_text(raw.audience).unwrap_or_else(|| "All staff".to_string()),
            source: optional_text(raw.source),
            pass_mark,
            shuffle: raw.shuffle.is_none_or(|s| *s.get_ref()),
            content_note: optional_text(raw.content_note)
                .unwrap_or_else(|| DEFAULT_CONTENT_NOTE.to_string()),
            support: optional_text(raw.support).unwrap_or_else(|| DEFAULT_SUPPORT.to_string()),
        })
    }

    /// A required, non-empty string field.
    fn required_text(
        &mut self,
        field: Option<Spanned<String>>,
        key: &str,
        table: &str,
        table_span: &Range<usize>,
    ) -> Option<String> {
        match field {
            None => {
                self.error(table_span.clone(), format!("{table} is missing `{key}`"));
                None
            }
            Some(s) if s.get_ref().trim().is_empty() => {
                self.error(s.span(), format!("`{key}` must not be empty"));
                None
            }
            Some(s) => Some(sanitize(s.get_ref().trim())),
        }
    }

    fn question(&mut self, raw: RawQuestion, span: Range<usize>) -> Option<Question> {
        let label = match &raw.id {
            Some(id) => format!("question `{}`", sanitize(id.get_ref())),
            None => "this question".to_string(),
        };
        let id = self.required_text(raw.id.clone(), "id", &label, &span);
        let prompt = self.required_text(raw.prompt.clone(), "prompt", &label, &span);
        let explanation = self.required_text(raw.explanation.clone(), "explanation", &label, &span);
        let topic = optional_text(raw.topic.clone()).unwrap_or_else(|| "general".to_string());
        let points = match &raw.points {
            None => 1.0,
            Some(p) => match number(p.get_ref()) {
                Some(n) if n >= 0.0 => n,
                _ => {
                    self.error(p.span(), "`points` must be a number, 0 or more");
                    1.0
                }
            },
        };
        let kind = match &raw.kind {
            None => {
                self.error(
                    span.clone(),
                    format!("{label} is missing `type` (one of {})", TYPES.join(", ")),
                );
                None
            }
            Some(t) => self.kind(t, &raw, &label),
        };
        Some(Question {
            id: id?,
            topic,
            points,
            prompt: prompt?,
            explanation: explanation?,
            reference: optional_text(raw.reference),
            kind: kind?,
        })
    }

    fn kind(&mut self, t: &Spanned<String>, raw: &RawQuestion, label: &str) -> Option<Kind> {
        let name = t.get_ref().as_str();
        let Some(&name) = TYPES.iter().find(|k| **k == name) else {
            let d = Diagnostic::error(
                t.span(),
                format!("unknown question type `{}`", sanitize(name)),
            );
            let d = match nearest(name, TYPES) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help(format!("the types are: {}", TYPES.join(", "))),
            };
            self.errors.push(d);
            return None;
        };
        let allowed: &[&str] = match name {
            "single" => &["choices"],
            "multiple" => &["choices", "scoring"],
            "true_false" => &["answer"],
            "number" => &["answer", "tolerance"],
            "text" => &["accept"],
            "order" => &["items"],
            _ => &["pairs"],
        };
        let present = [
            ("choices", raw.choices.as_ref().map(Spanned::span)),
            ("scoring", raw.scoring.as_ref().map(Spanned::span)),
            ("answer", raw.answer.as_ref().map(Spanned::span)),
            ("tolerance", raw.tolerance.as_ref().map(Spanned::span)),
            ("accept", raw.accept.as_ref().map(Spanned::span)),
            ("items", raw.items.as_ref().map(Spanned::span)),
            ("pairs", raw.pairs.as_ref().map(Spanned::span)),
        ];
        for (key, span) in present {
            if let Some(span) = span
                && !allowed.contains(&key)
            {
                self.error(
                    span,
                    format!("`{key}` is not used by a {name} question ({label})"),
                );
            }
        }
        let type_span = t.span();
        match name {
            "single" | "multiple" => {
                let choices = self.choices(raw.choices.as_ref(), name, label, &type_span)?;
                if name == "single" {
                    Some(Kind::Single { choices })
                } else {
                    let scoring = match &raw.scoring {
                        None => Scoring::Partial,
                        Some(s) if s.get_ref() == "partial" => Scoring::Partial,
                        Some(s) if s.get_ref() == "all" => Scoring::All,
                        Some(s) => {
                            self.error(
                                s.span(),
                                format!(
                                    "`scoring` is \"partial\" or \"all\", found \"{}\"",
                                    sanitize(s.get_ref())
                                ),
                            );
                            return None;
                        }
                    };
                    Some(Kind::Multiple { choices, scoring })
                }
            }
            "true_false" => match &raw.answer {
                Some(a) => match a.get_ref() {
                    Value::Boolean(b) => Some(Kind::TrueFalse { answer: *b }),
                    other => {
                        self.error(
                            a.span(),
                            format!(
                                "a true_false `answer` is true or false, found {}",
                                other.type_str()
                            ),
                        );
                        None
                    }
                },
                None => {
                    self.error(
                        type_span,
                        format!("{label} is missing `answer = true` or `answer = false`"),
                    );
                    None
                }
            },
            "number" => {
                let answer = match &raw.answer {
                    Some(a) => match number(a.get_ref()) {
                        Some(n) => Some(n),
                        None => {
                            self.error(
                                a.span(),
                                format!(
                                    "a number question's `answer` is a number, found {}",
                                    a.get_ref().type_str()
                                ),
                            );
                            None
                        }
                    },
                    None => {
                        self.error(type_span, format!("{label} is missing `answer`"));
                        None
                    }
                };
                let tolerance = match &raw.tolerance {
                    None => 0.0,
                    Some(t) => match number(t.get_ref()) {
                        Some(n) if n >= 0.0 => n,
                        Some(_) => {
                            self.error(t.span(), "`tolerance` must not be negative");
                            0.0
                        }
                        None => {
                            self.error(t.span(), "`tolerance` must be a number");
                            0.0
                        }
                    },
                };
                Some(Kind::Number {
                    answer: answer?,
                    tolerance,
                })
            }
            "text" => {
                let accept = self.strings(raw.accept.as_ref(), "accept", 1, label, &type_span)?;
                Some(Kind::Text { accept })
            }
            "order" => {
                let items = self.strings(raw.items.as_ref(), "items", 2, label, &type_span)?;
                let mut seen = HashSet::new();
                if let Some(list) = &raw.items {
                    for item in list.get_ref() {
                        if !seen.insert(item.get_ref().trim()) {
                            self.error(item.span(), "this item is listed twice");
                        }
                    }
                }
                Some(Kind::Order { items })
            }
            _ => self.pairs(raw.pairs.as_ref(), label, &type_span),
        }
    }

    fn choices(
        &mut self,
        raw: Option<&Spanned<Vec<Spanned<RawChoice>>>>,
        name: &str,
        label: &str,
        type_span: &Range<usize>,
    ) -> Option<Vec<Choice>> {
        let Some(list) = raw else {
            self.error(type_span.clone(), format!("{label} is missing `choices`"));
            return None;
        };
        if list.get_ref().len() < 2 {
            self.error(list.span(), "give at least two choices");
            return None;
        }
        let mut choices = Vec::new();
        let mut texts = HashSet::new();
        for c in list.get_ref() {
            let c_span = c.span();
            let c = c.get_ref();
            let Some(text) = &c.text else {
                self.error(c_span, "this choice has no `text`");
                continue;
            };
            if text.get_ref().trim().is_empty() {
                self.error(text.span(), "a choice's `text` must not be empty");
                continue;
            }
            if !texts.insert(text.get_ref().trim().to_lowercase()) {
                self.error(text.span(), "two choices have the same text");
            }
            choices.push(Choice {
                text: sanitize(text.get_ref().trim()),
                correct: c.correct.as_ref().is_some_and(|b| *b.get_ref()),
                feedback: optional_text(c.feedback.clone()),
            });
        }
        let right = choices.iter().filter(|c| c.correct).count();
        if name == "single" && right != 1 {
            self.errors.push(
                Diagnostic::error(
                    list.span(),
                    format!(
                        "a single question needs exactly one right choice; this one has {right}"
                    ),
                )
                .with_help(
                    "mark the right choice with `correct = true`, or use type = \"multiple\"",
                ),
            );
        }
        if name == "multiple" && right == 0 {
            self.errors.push(
                Diagnostic::error(
                    list.span(),
                    "a multiple question needs at least one right choice",
                )
                .with_help("mark the right choices with `correct = true`"),
            );
        }
        Some(choices)
    }

    fn strings(
        &mut self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        key: &str,
        at_least: usize,
        label: &str,
        type_span: &Range<usize>,
    ) -> Option<Vec<String>> {
        let Some(list) = raw else {
            self.error(type_span.clone(), format!("{label} is missing `{key}`"));
            return None;
        };
        let mut out = Vec::new();
        for s in list.get_ref() {
            if s.get_ref().trim().is_empty() {
                self.error(s.span(), format!("an entry of `{key}` is empty"));
            } else {
                out.push(sanitize(s.get_ref().trim()));
            }
        }
        if list.get_ref().len() < at_least {
            let what = if at_least == 1 {
                "at least one entry".to_string()
            } else {
                format!("at least {at_least} entries")
            };
            self.error(list.span(), format!("`{key}` needs {what}"));
            return None;
        }
        Some(out)
    }

    fn pairs(
        &mut self,
        raw: Option<&Spanned<Vec<Spanned<RawPair>>>>,
        label: &str,
        type_span: &Range<usize>,
    ) -> Option<Kind> {
        let Some(list) = raw else {
            self.error(type_span.clone(), format!("{label} is missing `pairs`"));
            return None;
        };
        if list.get_ref().len() < 2 {
            self.error(list.span(), "a match question needs at least two pairs");
            return None;
        }
        let mut pairs = Vec::new();
        let mut lefts = HashSet::new();
        for p in list.get_ref() {
            let p_span = p.span();
            let p = p.get_ref();
            let (Some(left), Some(right)) = (&p.left, &p.right) else {
                self.error(p_span, "each pair needs a `left` and a `right`");
                continue;
            };
            if left.get_ref().trim().is_empty() || right.get_ref().trim().is_empty() {
                self.error(p_span, "a pair's `left` and `right` must not be empty");
                continue;
            }
            if !lefts.insert(left.get_ref().trim().to_string()) {
                self.error(left.span(), "this `left` is used twice");
            }
            pairs.push(Pair {
                left: sanitize(left.get_ref().trim()),
                right: sanitize(right.get_ref().trim()),
            });
        }
        let rights: HashSet<&str> = pairs.iter().map(|p| p.right.as_str()).collect();
        if rights.len() < 2 && pairs.len() >= 2 {
            self.error(
                list.span(),
                "every pair has the same `right`, so there is nothing to match",
            );
        }
        Some(Kind::Match { pairs })
    }
}

fn optional_text(field: Option<Spanned<String>>) -> Option<String> {
    field
        .map(|s| s.into_inner())
        .filter(|s| !s.trim().is_empty())
        .map(|s| sanitize(s.trim()))
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::line_col;

    const HEAD: &str = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\n";

    /// The errors for `src` as `line:col: message`.
    fn errors(src: &str) -> Vec<String> {
        match validate_source(src) {
            Ok(_) => Vec::new(),
            Err(ds) => ds
                .iter()
                .map(|d| {
                    let (l, c) = line_col(src, d.span.start);
                    format!("{l}:{c}: {}", d.message)
                })
                .collect(),
        }
    }

    #[test]
    fn a_minimal_bank_loads_with_defaults() {
        let src = format!(
            "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplanation = \"E\"\n"
        );
        let bank = validate_source(&src).expect("valid");
        assert_eq!(bank.quiz.pass_mark, 80.0);
        assert!(bank.quiz.shuffle);
        assert_eq!(bank.quiz.support, DEFAULT_SUPPORT);
        assert_eq!(bank.questions[0].topic, "general");
        assert_eq!(bank.questions[0].points, 1.0);
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let src = format!(
            "{HEAD}pass_mark = 101\n\
             [[question]]\nid = \"q\"\ntype = \"single\"\nprompt = \"P\"\nexplanation = \"E\"\n\
             choices = [{{ text = \"a\" }}, {{ text = \"b\" }}]\n\
             [[question]]\nid = \"q\"\ntype = \"matching\"\nprompt = \"\"\nexplanation = \"E\"\n"
        );
        assert_eq!(
            errors(&src),
            [
                "5:13: `pass_mark` is a percentage from 0 to 100, found 101",
                "11:11: a single question needs exactly one right choice; this one has 0",
                "13:6: question id `q` is used twice in this bank",
                "14:8: unknown question type `matching`",
                "15:10: `prompt` must not be empty",
            ]
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let src = format!(
            "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplenation = \"E\"\n"
        );
        let ds = validate_source(&src).unwrap_err();
        assert_eq!(ds[0].message, "unknown key `explenation`");
        assert_eq!(ds[0].help.as_deref(), Some("did you mean `explanation`?"));
        assert_eq!(line_col(&src, ds[0].span.start), (10, 1));
    }

    #[test]
    fn keys_of_another_type_are_refused() {
        let src = format!(
            "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\ntolerance = 1\nprompt = \"P\"\nexplanation = \"E\"\n"
        );
        assert_eq!(
            errors(&src),
            ["9:13: `tolerance` is not used by a true_false question (question `q`)"]
        );
    }

    #[test]
    fn type_rules_are_checked() {
        let q = |body: &str| {
            format!("{HEAD}[[question]]\nid = \"q\"\nprompt = \"P\"\nexplanation = \"E\"\n{body}\n")
        };
        let cases = [
            (
                "type = \"multiple\"\nchoices = [{ text = \"a\" }, { text = \"b\" }]",
                "at least one right choice",
            ),
            (
                "type = \"single\"\nchoices = [{ text = \"a\", correct = true }]",
                "at least two choices",
            ),
            (
                "type = \"single\"\nchoices = [{ text = \"a\", correct = true }, { text = \"A\" }]",
                "same text",
            ),
            (
                "type = \"number\"\nanswer = 5\ntolerance = -1",
                "must not be negative",
            ),
            (
                "type = \"number\"\nanswer = \"five\"",
                "is a number, found string",
            ),
            ("type = \"text\"\naccept = []", "at least one entry"),
            ("type = \"order\"\nitems = [\"a\"]", "at least 2 entries"),
            (
                "type = \"match\"\npairs = [{ left = \"a\", right = \"x\" }]",
                "at least two pairs",
            ),
            (
                "type = \"match\"\npairs = [{ left = \"a\", right = \"x\" }, { left = \"a\", right = \"y\" }]",
                "used twice",
            ),
            ("type = \"true_false\"\nanswer = \"yes\"", "true or false"),
            (
                "type = \"multiple\"\nscoring = \"some\"\nchoices = [{ text = \"a\", correct = true }, { text = \"b\" }]",
                "\"partial\" or \"all\"",
            ),
        ];
        for (body, expected) in cases {
            let found = errors(&q(body));
            assert!(
                found.iter().any(|e| e.contains(expected)),
                "{body}\n=> {found:?}"
            );
        }
    }

    #[test]
    fn format_version_is_required_and_known() {
        assert!(
            errors("[quiz]\nid = \"t\"\ntitle = \"T\"\n")
                .iter()
                .any(|e| e.contains("missing `format = 1`"))
        );
        let src = HEAD.replace("format = 1", "format = 2");
        assert!(
            errors(&src)
                .iter()
                .any(|e| e == "1:10: unknown format version 2")
        );
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let found = errors("format = 1\n[quiz\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("2:"), "{found:?}");
    }

    #[test]
    fn bank_text_is_made_safe_for_the_terminal() {
        let src = format!(
            "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\\u001b[2J\"\nexplanation = \"E\\u0007\"\n"
        );
        let bank = validate_source(&src).expect("valid");
        assert_eq!(bank.questions[0].prompt, "P\\x1b[2J");
        assert_eq!(bank.questions[0].explanation, "E\\x07");
    }

    #[test]
    fn oversized_banks_are_refused_before_parsing() {
        let big = "#".repeat(MAX_BANK_BYTES as usize + 1);
        let err = load_str("big.toml", &big).unwrap_err();
        assert!(err.to_string().contains("at most 16 MiB"), "{err}");
    }
}
