//! Reading a bank file: parse the TOML into a tree that remembers where every key and value
//! stood, then walk it into a `Bank`, collecting every problem found on the way.
//!
//! The walk is written by hand rather than left to serde so that one wrong key or type does not
//! hide the rest: a trainer fixing a bank sees every error and warning in one run, each pointing
//! at its line and column. Syntax errors come from toml's recoverable parser, all of them too.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::bank::{
    Bank, Choice, DEFAULT_CONTENT_NOTE, DEFAULT_SUPPORT, FORMAT_VERSION, Kind, Pair, Question,
    QuizInfo, Scoring,
};
use crate::diagnostic::Diagnostic;
use crate::text::{format_number, normalize_term, sanitize};

/// Files larger than this are refused before they are read: no real bank comes close.
pub const MAX_BANK_BYTES: u64 = 16 * 1024 * 1024;

/// The question types, as written after `type =`.
pub const TYPES: &[&str] = &[
    "single",
    "multiple",
    "true_false",
    "number",
    "text",
    "order",
    "match",
];

const ROOT_KEYS: &[&str] = &["format", "quiz", "question"];
const QUIZ_KEYS: &[&str] = &[
    "id",
    "title",
    "summary",
    "audience",
    "source",
    "pass_mark",
    "shuffle",
    "content_note",
    "support",
];
const COMMON_KEYS: &[&str] = &[
    "id",
    "type",
    "topic",
    "points",
    "prompt",
    "explanation",
    "reference",
];
/// Keys that belong to particular question types.
pub const TYPE_KEYS: &[&str] = &[
    "choices",
    "scoring",
    "answer",
    "tolerance",
    "accept",
    "items",
    "pairs",
];
const CHOICE_KEYS: &[&str] = &["text", "correct", "feedback"];
const PAIR_KEYS: &[&str] = &["left", "right"];

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

/// Reads a bank file's text, refusing files that are too large or not UTF-8.
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
    let mut w = Walker::default();
    for e in &syntax {
        w.errors.push(Diagnostic::error(
            "syntax",
            e.span().unwrap_or(0..0),
            sanitize(e.message().trim()),
        ));
    }
    let bank = if syntax.is_empty() {
        w.bank(root.get_ref())
    } else {
        None
    };
    let mut diagnostics = w.errors;
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
    Checked {
        bank,
        diagnostics,
        questions,
        quiz_id,
    }
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

/// The type-specific keys a question of type `name` may have; the first is required.
pub fn type_keys(name: &str) -> &'static [&'static str] {
    match name {
        "single" => &["choices"],
        "multiple" => &["choices", "scoring"],
        "true_false" => &["answer"],
        "number" => &["answer", "tolerance"],
        "text" => &["accept"],
        "order" => &["items"],
        "match" => &["pairs"],
        _ => &[],
    }
}

/// True for ids like `words-matter` or `q2`: lowercase letters and digits joined by single hyphens.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

type Value<'i> = Spanned<DeValue<'i>>;

/// One table being read: its entries, where it stands, and how to name it in messages.
struct Table<'a, 'i> {
    entries: &'a DeTable<'i>,
    span: Range<usize>,
    name: String,
}

impl<'a, 'i> Table<'a, 'i> {
    fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.entries.get(key)
    }
}

#[derive(Default)]
struct Walker {
    errors: Vec<Diagnostic>,
}

impl Walker {
    fn error(&mut self, code: &'static str, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(Diagnostic::error(code, span, message));
    }

    fn warn(&mut self, code: &'static str, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(Diagnostic::warning(code, span, message));
    }

    /// Reports every key of `table` that is not in `allowed`, with the nearest known key.
    fn unknown_keys(&mut self, table: &Table, allowed: &[&str], known_elsewhere: &[&str]) {
        for (key, _) in table.entries.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) || known_elsewhere.contains(&name) {
                continue;
            }
            let d = Diagnostic::error(
                "unknown-key",
                key.span(),
                format!("unknown key `{}` in {}", sanitize(name), table.name),
            );
            let d = match nearest(name, allowed) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help(format!("the keys allowed here are: {}", allowed.join(", "))),
            };
            self.errors.push(d);
        }
    }

    fn wrong_type(&mut self, value: &Value, key: &str, expected: &str) {
        self.error(
            "wrong-type",
            value.span(),
            format!(
                "`{key}` must be {expected}, found {}",
                article(value.get_ref().type_str())
            ),
        );
    }

    fn missing(&mut self, table: &Table, key: &str, hint: &str) {
        // A misspelt key is already reported with "did you mean"; saying it is missing too is noise.
        let misspelt = table
            .entries
            .iter()
            .any(|(k, _)| k.get_ref().as_ref() != key && nearest(k.get_ref(), &[key]).is_some());
        if misspelt {
            return;
        }
        self.error(
            "missing-key",
            table.span.clone(),
            format!("{} is missing `{key}`{hint}", table.name),
        );
    }

    /// An optional string; `None` if absent or of the wrong type (reported).
    fn string(&mut self, table: &Table, key: &str) -> Option<(String, Range<usize>)> {
        let value = table.get(key)?;
        match value.get_ref().as_str() {
            Some(s) => Some((s.to_string(), value.span())),
            None => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    /// A required, non-empty string, trimmed and sanitised.
    fn required_text(&mut self, table: &Table, key: &str) -> Option<String> {
        if table.get(key).is_none() {
            self.missing(table, key, "");
            return None;
        }
        let (s, span) = self.string(table, key)?;
        if s.trim().is_empty() {
            self.error("empty", span, format!("`{key}` must not be empty"));
            return None;
        }
        Some(sanitize(s.trim()))
    }

    fn optional_text(&mut self, table: &Table, key: &str) -> Option<String> {
        self.string(table, key)
            .map(|(s, _)| s)
            .filter(|s| !s.trim().is_empty())
            .map(|s| sanitize(s.trim()))
    }

    fn bool(&mut self, table: &Table, key: &str) -> Option<bool> {
        let value = table.get(key)?;
        match value.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(value, key, "true or false");
                None
            }
        }
    }

    fn number(&mut self, table: &Table, key: &str) -> Option<(f64, Range<usize>)> {
        let value = table.get(key)?;
        match number(value.get_ref()) {
            Some(n) => Some((n, value.span())),
            None => {
                self.wrong_type(value, key, "a number");
                None
            }
        }
    }

    fn array<'a, 'i>(
        &mut self,
        table: &Table<'a, 'i>,
        key: &str,
    ) -> Option<(&'a DeArray<'i>, Range<usize>)> {
        let value = table.get(key)?;
        match value.get_ref().as_array() {
            Some(a) => Some((a, value.span())),
            None => {
                self.wrong_type(value, key, "an array");
                None
            }
        }
    }

    /// A table inside an array, or `None` (reported) for anything else.
    fn table_in<'a, 'i>(
        &mut self,
        value: &'a Value<'i>,
        key: &str,
        name: String,
    ) -> Option<Table<'a, 'i>> {
        match value.get_ref().as_table() {
            Some(entries) => Some(Table {
                entries,
                span: value.span(),
                name,
            }),
            None => {
                self.wrong_type(value, key, "a table");
                None
            }
        }
    }

    fn bank(&mut self, root: &DeTable) -> Option<Bank> {
        let root = Table {
            entries: root,
            span: 0..0,
            name: "the bank".to_string(),
        };
        self.unknown_keys(&root, ROOT_KEYS, &[]);
        match root.get("format") {
            None => self.error(
                "format-version",
                0..0,
                "missing `format = 1` at the top of the bank",
            ),
            Some(f) => match integer(f.get_ref()) {
                Some(FORMAT_VERSION) => {}
                Some(n) => self.errors.push(
                    Diagnostic::error(
                        "format-version",
                        f.span(),
                        format!("unknown format version {n}"),
                    )
                    .with_help(format!(
                        "this version of sgquiz reads `format = {FORMAT_VERSION}`"
                    )),
                ),
                None => self.wrong_type(f, "format", "a whole number"),
            },
        }
        let quiz = match root.get("quiz") {
            None => {
                self.error(
                    "missing-key",
                    0..0,
                    "missing the `[quiz]` table (id, title, ...)",
                );
                None
            }
            Some(q) => self
                .table_in(q, "quiz", "[quiz]".to_string())
                .and_then(|t| self.quiz(&t)),
        };
        let mut questions = Vec::new();
        match root.get("question") {
            None => self.error("missing-key", 0..0, "the bank has no `[[question]]` tables"),
            Some(list) => match list.get_ref().as_array() {
                None => self.wrong_type(list, "question", "an array of `[[question]]` tables"),
                Some(items) if items.is_empty() => {
                    self.error("missing-key", list.span(), "the bank has no questions")
                }
                Some(items) => {
                    let mut ids: HashMap<String, Range<usize>> = HashMap::new();
                    for (n, item) in items.iter().enumerate() {
                        let label = question_label(item, n);
                        let Some(table) = self.table_in(item, "question", label) else {
                            continue;
                        };
                        if let Some(id) = table.get("id")
                            && let Some(s) = id.get_ref().as_str()
                            && ids.insert(s.to_string(), id.span()).is_some()
                        {
                            self.error(
                                "duplicate-id",
                                id.span(),
                                format!("question id `{}` is used twice in this bank", sanitize(s)),
                            );
                        }
                        if let Some(q) = self.question(&table) {
                            questions.push(q);
                        }
                    }
                }
            },
        }
        Some(Bank {
            format: FORMAT_VERSION,
            quiz: quiz?,
            questions,
        })
    }

    fn quiz(&mut self, t: &Table) -> Option<QuizInfo> {
        self.unknown_keys(t, QUIZ_KEYS, &[]);
        let id = self.required_text(t, "id");
        if let Some(id) = &id {
            self.check_kebab(t, "id", id, "quiz");
        }
        let title = self.required_text(t, "title");
        let pass_mark = match self.number(t, "pass_mark") {
            Some((n, _)) if (0.0..=100.0).contains(&n) => n,
            Some((n, span)) => {
                self.error(
                    "pass-mark-range",
                    span,
                    format!(
                        "`pass_mark` is a percentage from 0 to 100, found {}",
                        format_number(n)
                    ),
                );
                80.0
            }
            None => 80.0,
        };
        Some(QuizInfo {
            id: id?,
            title: title?,
            summary: self.optional_text(t, "summary"),
            audience: self
                .optional_text(t, "audience")
                .unwrap_or_else(|| "All staff".to_string()),
            source: self.optional_text(t, "source"),
            pass_mark,
            shuffle: self.bool(t, "shuffle").unwrap_or(true),
            content_note: self
                .optional_text(t, "content_note")
                .unwrap_or_else(|| DEFAULT_CONTENT_NOTE.to_string()),
            support: self
                .optional_text(t, "support")
                .unwrap_or_else(|| DEFAULT_SUPPORT.to_string()),
        })
    }

    fn check_kebab(&mut self, t: &Table, key: &str, id: &str, what: &str) {
        if !is_kebab_case(id) {
            let span = t.get(key).map_or(t.span.clone(), Spanned::span);
            self.errors.push(
                Diagnostic::warning(
                    "id-not-kebab",
                    span,
                    format!("the {what} id `{id}` is not in kebab-case"),
                )
                .with_help(format!("write it like `{}`", to_kebab(id))),
            );
        }
    }

    fn question(&mut self, t: &Table) -> Option<Question> {
        self.unknown_keys(t, COMMON_KEYS, TYPE_KEYS);
        let id = self.required_text(t, "id");
        if let Some(id) = &id {
            self.check_kebab(t, "id", id, "question");
        }
        let prompt = self.required_text(t, "prompt");
        let explanation = self.required_text(t, "explanation");
        let topic = self
            .optional_text(t, "topic")
            .unwrap_or_else(|| "general".to_string());
        let points = match self.number(t, "points") {
            Some((n, span)) if n < 0.0 => {
                self.error("negative-points", span, "`points` must not be negative");
                1.0
            }
            Some((n, span)) => {
                if n == 0.0 {
                    self.warn(
                        "points-not-positive",
                        span,
                        "`points = 0`: this question cannot add to the score",
                    );
                }
                n
            }
            None => 1.0,
        };
        let reference = self.optional_text(t, "reference");
        if reference.is_none() && t.get("reference").is_none() {
            self.errors.push(
                Diagnostic::warning(
                    "no-reference",
                    t.get("id").map_or(t.span.clone(), Spanned::span),
                    format!("{} has no `reference`", t.name),
                )
                .with_help("say where the answer comes from, so a trainee can check it"),
            );
        }
        let kind = match t.get("type") {
            None => {
                self.missing(t, "type", &format!(" (one of {})", TYPES.join(", ")));
                None
            }
            Some(v) => match v.get_ref().as_str() {
                None => {
                    self.wrong_type(v, "type", "a string");
                    None
                }
                Some(name) => self.kind(t, name, v.span()),
            },
        };
        if let (Some(kind), Some(explanation)) = (&kind, &explanation)
            && let Some(v) = t.get("explanation")
        {
            self.weak_explanation(explanation, kind, v.span());
        }
        Some(Question {
            id: id?,
            topic,
            points,
            prompt: prompt?,
            explanation: explanation?,
            reference,
            kind: kind?,
        })
    }

    fn weak_explanation(&mut self, explanation: &str, kind: &Kind, span: Range<usize>) {
        let words = explanation.split_whitespace().count();
        let said = normalize_term(explanation);
        let restates = right_answers(kind).iter().any(|a| {
            said == normalize_term(a) || said == format!("the answer is {}", normalize_term(a))
        });
        if restates || words < 6 {
            self.errors.push(
                Diagnostic::warning(
                    "weak-explanation",
                    span,
                    if restates {
                        "the explanation only restates the answer"
                    } else {
                        "the explanation is very short"
                    },
                )
                .with_help("say why the answer is right and what the usual mistake gets wrong"),
            );
        }
    }

    fn kind(&mut self, t: &Table, name: &str, type_span: Range<usize>) -> Option<Kind> {
        let Some(&name) = TYPES.iter().find(|k| **k == name) else {
            let d = Diagnostic::error(
                "unknown-type",
                type_span,
                format!("unknown question type `{}`", sanitize(name)),
            );
            let d = match nearest(name, TYPES) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help(format!("the types are: {}", TYPES.join(", "))),
            };
            self.errors.push(d);
            return None;
        };
        let allowed = type_keys(name);
        for (key, _) in t.entries.iter() {
            let key_name: &str = key.get_ref();
            if TYPE_KEYS.contains(&key_name) && !allowed.contains(&key_name) {
                self.error(
                    "not-for-type",
                    key.span(),
                    format!("`{key_name}` is not used by a {name} question ({})", t.name),
                );
            }
        }
        match name {
            "single" | "multiple" => self.choice_kind(t, name),
            "true_false" => match t.get("answer") {
                None => {
                    self.missing(t, "answer", " (`answer = true` or `answer = false`)");
                    None
                }
                Some(_) => self
                    .bool(t, "answer")
                    .map(|answer| Kind::TrueFalse { answer }),
            },
            "number" => {
                if t.get("answer").is_none() {
                    self.missing(t, "answer", "");
                }
                let answer = self.number(t, "answer").map(|(n, _)| n);
                let tolerance = match self.number(t, "tolerance") {
                    Some((n, span)) if n < 0.0 => {
                        self.error(
                            "negative-tolerance",
                            span,
                            "`tolerance` must not be negative",
                        );
                        0.0
                    }
                    Some((n, _)) => n,
                    None => 0.0,
                };
                Some(Kind::Number {
                    answer: answer?,
                    tolerance,
                })
            }
            "text" => {
                let accept = self.strings(t, "accept", 1)?;
                let mut seen: HashMap<String, &str> = HashMap::new();
                if let Some((list, _)) = t
                    .get("accept")
                    .and_then(|v| v.get_ref().as_array().map(|a| (a, v.span())))
                {
                    for v in list.iter() {
                        let Some(s) = v.get_ref().as_str() else {
                            continue;
                        };
                        if let Some(other) = seen.insert(s.trim().to_lowercase(), s)
                            && other != s
                        {
                            self.warn(
                                "case-duplicate-answer",
                                v.span(),
                                format!(
                                    "\"{}\" differs from \"{}\" only by case, and case never matters",
                                    sanitize(s),
                                    sanitize(other)
                                ),
                            );
                        }
                    }
                }
                Some(Kind::Text { accept })
            }
            "order" => {
                let items = self.strings(t, "items", 2)?;
                let mut seen = HashSet::new();
                if let Some((list, _)) = self.array(t, "items") {
                    for v in list.iter() {
                        if let Some(s) = v.get_ref().as_str()
                            && !seen.insert(s.trim())
                        {
                            self.error("duplicate-item", v.span(), "this item is listed twice");
                        }
                    }
                }
                Some(Kind::Order { items })
            }
            _ => self.pairs(t),
        }
    }

    fn choice_kind(&mut self, t: &Table, name: &str) -> Option<Kind> {
        let Some((list, span)) = self.array(t, "choices") else {
            if t.get("choices").is_none() {
                self.missing(t, "choices", "");
            }
            return None;
        };
        if list.len() < 2 {
            self.error("too-few-choices", span.clone(), "give at least two choices");
            return None;
        }
        let mut choices = Vec::new();
        let mut texts = HashSet::new();
        for (n, v) in list.iter().enumerate() {
            let Some(c) = self.table_in(v, "choices", format!("choice {}", n + 1)) else {
                continue;
            };
            self.unknown_keys(&c, CHOICE_KEYS, &[]);
            let Some(text) = self.required_text(&c, "text") else {
                continue;
            };
            if !texts.insert(text.to_lowercase()) {
                let span = c.get("text").map_or(c.span.clone(), Spanned::span);
                self.error("duplicate-choice", span, "two choices have the same text");
            }
            choices.push(Choice {
                text,
                correct: self.bool(&c, "correct").unwrap_or(false),
                feedback: self.optional_text(&c, "feedback"),
            });
        }
        let right = choices.iter().filter(|c| c.correct).count();
        if name == "single" {
            if right != 1 {
                self.errors.push(
                    Diagnostic::error(
                        "single-right-count",
                        span,
                        format!(
                            "a single question needs exactly one right choice; this one has {right}"
                        ),
                    )
                    .with_help(
                        "mark the right choice with `correct = true`, or use type = \"multiple\"",
                    ),
                );
            }
            return Some(Kind::Single { choices });
        }
        // Moodle's grades give an equal share to at most ten right choices (10% each).
        if right > 10 {
            self.errors.push(
                Diagnostic::warning(
                    "gift-share",
                    span.clone(),
                    format!(
                        "{right} right choices: Moodle cannot give each an equal share, so an export to GIFT gives each 10%"
                    ),
                )
                .with_help("keep to ten right choices or fewer if the bank goes to Moodle"),
            );
        }
        if right == 0 {
            self.errors.push(
                Diagnostic::error(
                    "multiple-no-right",
                    span.clone(),
                    "a multiple question needs at least one right choice",
                )
                .with_help("mark the right choices with `correct = true`"),
            );
        } else if right == choices.len() {
            self.errors.push(
                Diagnostic::warning("all-choices-right", span, "every choice is marked right")
                    .with_help(
                        "a trainee who ticks everything scores full marks; add a wrong choice",
                    ),
            );
        }
        let scoring = match self.string(t, "scoring") {
            None => Scoring::Partial,
            Some((s, _)) if s == "partial" => Scoring::Partial,
            Some((s, _)) if s == "all" => Scoring::All,
            Some((s, span)) => {
                self.error(
                    "scoring",
                    span,
                    format!(
                        "`scoring` is \"partial\" or \"all\", found \"{}\"",
                        sanitize(&s)
                    ),
                );
                return None;
            }
        };
        Some(Kind::Multiple { choices, scoring })
    }

    /// A required array of non-empty strings with at least `at_least` entries.
    fn strings(&mut self, t: &Table, key: &str, at_least: usize) -> Option<Vec<String>> {
        let Some((list, span)) = self.array(t, key) else {
            if t.get(key).is_none() {
                self.missing(t, key, "");
            }
            return None;
        };
        let mut out = Vec::new();
        for v in list.iter() {
            match v.get_ref().as_str() {
                Some(s) if s.trim().is_empty() => {
                    self.error("empty", v.span(), format!("an entry of `{key}` is empty"))
                }
                Some(s) => out.push(sanitize(s.trim())),
                None => self.wrong_type(v, key, "a list of strings"),
            }
        }
        if list.len() < at_least {
            let (code, what) = match (key, at_least) {
                ("accept", _) => (
                    "no-accepted-answer",
                    "at least one accepted answer".to_string(),
                ),
                (_, 1) => ("too-few-items", "at least one entry".to_string()),
                (_, n) => ("too-few-items", format!("at least {n} entries")),
            };
            self.error(code, span, format!("`{key}` needs {what}"));
            return None;
        }
        Some(out)
    }

    fn pairs(&mut self, t: &Table) -> Option<Kind> {
        let Some((list, span)) = self.array(t, "pairs") else {
            if t.get("pairs").is_none() {
                self.missing(t, "pairs", "");
            }
            return None;
        };
        if list.len() < 2 {
            self.error(
                "too-few-pairs",
                span,
                "a match question needs at least two pairs",
            );
            return None;
        }
        let mut pairs = Vec::new();
        let mut lefts = HashSet::new();
        for (n, v) in list.iter().enumerate() {
            let Some(p) = self.table_in(v, "pairs", format!("pair {}", n + 1)) else {
                continue;
            };
            self.unknown_keys(&p, PAIR_KEYS, &[]);
            let (Some(left), Some(right)) = (
                self.required_text(&p, "left"),
                self.required_text(&p, "right"),
            ) else {
                continue;
            };
            if !lefts.insert(left.clone()) {
                let span = p.get("left").map_or(p.span.clone(), Spanned::span);
                self.error("duplicate-left", span, "this `left` is used twice");
            }
            pairs.push(Pair { left, right });
        }
        let rights: HashSet<&str> = pairs.iter().map(|p| p.right.as_str()).collect();
        if rights.len() < 2 && pairs.len() >= 2 {
            self.error(
                "same-right",
                span,
                "every pair has the same `right`, so there is nothing to match",
            );
        }
        Some(Kind::Match { pairs })
    }
}

/// "question `id`" when the table has a string id, else "question N".
fn question_label(item: &Value, n: usize) -> String {
    match item
        .get_ref()
        .as_table()
        .and_then(|t| t.get("id"))
        .and_then(|v| v.get_ref().as_str())
    {
        Some(id) => format!("question `{}`", sanitize(id)),
        None => format!("question {}", n + 1),
    }
}

/// The right answers of a question, as text, for spotting explanations that only restate them.
fn right_answers(kind: &Kind) -> Vec<String> {
    match kind {
        Kind::Single { choices } | Kind::Multiple { choices, .. } => choices
            .iter()
            .filter(|c| c.correct)
            .map(|c| c.text.clone())
            .collect(),
        Kind::TrueFalse { answer } => vec![answer.to_string()],
        Kind::Number { answer, .. } => vec![format_number(*answer)],
        Kind::Text { accept } => accept.clone(),
        Kind::Order { items } => vec![items.join(", ")],
        Kind::Match { .. } => Vec::new(),
    }
}

/// `id` made kebab-case: "Why Not?" becomes "why-not".
pub fn to_kebab(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn article(type_str: &str) -> String {
    match type_str {
        "integer" => "an integer".to_string(),
        "array" => "an array".to_string(),
        other => format!("a {other}"),
    }
}

fn integer(v: &DeValue) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

fn number(v: &DeValue) -> Option<f64> {
    match v {
        DeValue::Integer(_) => integer(v).map(|i| i as f64),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite()),
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
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert_eq!(ds[0].message, "unknown key `explenation` in question `q`");
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
            ["9:1: `tolerance` is not used by a true_false question (question `q`)"]
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
                "`answer` must be a number, found a string",
            ),
            (
                "type = \"text\"\naccept = []",
                "at least one accepted answer",
            ),
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
