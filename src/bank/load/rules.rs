//! The rules that make a bank invalid: what the bank, the quiz and each question must have, and
//! what each question type needs (one right choice for a single question, two pairs for a
//! match, and so on). Each broken rule is an error; the bank is not loaded.

mod kinds;

use std::collections::HashMap;
use std::ops::Range;

use toml::de::DeTable;

use super::lints::Patterns;
use super::walk::{Table, Value, Walker, integer};
use crate::bank::diagnostic::Diagnostic;
use crate::bank::kind;
use crate::bank::setting::{Contact, SettingQuestion};
use crate::bank::{
    Bank, DEFAULT_CONTENT_NOTE, DEFAULT_SUPPORT, DEFAULT_SUPPORT_BRIEF, FORMAT_VERSION, Question,
    QuizInfo,
};
use crate::util::suggest::{self, nearest};
use crate::util::text::{format_number, sanitize};

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
    "support_brief",
    "reviewed",
    "allow",
];
const COMMON_KEYS: &[&str] = &[
    "id",
    "type",
    "topic",
    "points",
    "prompt",
    "explanation",
    "reference",
    "allow",
    "setting",
];

/// The most points one question may be worth: far more than any bank needs, and small enough
/// that no bank's total can overflow.
pub const MAX_POINTS: f64 = 1000.0;

impl Walker {
    pub(super) fn bank(&mut self, root: &DeTable) -> Option<Bank> {
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
                Some(n) => self.diagnostics.push(
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
        let mut bank_allow = Vec::new();
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
                .and_then(|t| {
                    bank_allow = self.allow_list(&t);
                    self.quiz(&t)
                }),
        };
        let mut patterns = Patterns::default();
        let mut setting_questions = Vec::new();
        let mut questions = Vec::new();
        match root.get("question") {
            None => self.error("missing-key", 0..0, "the bank has no `[[question]]` tables"),
            Some(list) => match list.get_ref().as_array() {
                None if list.get_ref().as_table().is_some() => self.diagnostics.push(
                    Diagnostic::error(
                        "single-brackets",
                        list.span(),
                        "each question starts with `[[question]]`, in double brackets; \
                         `[question]` in single brackets is read as something else",
                    )
                    .with_help("write `[[question]]`"),
                ),
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
                        let first = self.diagnostics.len();
                        let question = self.question(&table);
                        let allow = self.allow_list(&table);
                        self.drop_allowed(first, &allow);
                        match question {
                            Some((q, Some(asks))) => setting_questions.push(SettingQuestion {
                                at: questions.len() + setting_questions.len(),
                                asks,
                                question: q,
                            }),
                            Some((q, None)) => {
                                patterns.note(&table, &q.kind, &allow);
                                questions.push(q);
                            }
                            None => {}
                        }
                    }
                }
            },
        }
        let shuffle = quiz.as_ref().is_none_or(|q| q.shuffle);
        self.pattern_lints(&patterns, shuffle);
        self.drop_allowed(0, &bank_allow);
        Some(Bank {
            format: FORMAT_VERSION,
            quiz: quiz?,
            questions,
            setting_questions,
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
        let support = self.optional_text(t, "support");
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
            support_brief: self.support_brief(t, support.as_deref()),
            support: support.unwrap_or_else(|| DEFAULT_SUPPORT.to_string()),
            reviewed: self.reviewed(t),
        })
    }

    /// The support contacts one line each: as given, or the default's when the bank gives no
    /// `support` of its own (a brief of some other bank's contacts would not match them).
    fn support_brief(&mut self, t: &Table, support: Option<&str>) -> Option<String> {
        let brief = self.optional_text(t, "support_brief");
        let given = support.is_some();
        let support = support.unwrap_or(DEFAULT_SUPPORT);
        if let (Some(brief), Some(v)) = (&brief, t.get("support_brief")) {
            self.brief_names_every_contact(support, brief, v.span());
        }
        if given {
            brief
        } else {
            brief.or_else(|| Some(DEFAULT_SUPPORT_BRIEF.to_string()))
        }
    }

    /// `reviewed = 2026-11-15`: a TOML date, no time. Missing is a warning (`lints`).
    fn reviewed(&mut self, t: &Table) -> Option<jiff::civil::Date> {
        let Some(v) = t.get("reviewed") else {
            self.no_reviewed(t);
            return None;
        };
        let date = v
            .get_ref()
            .as_datetime()
            .filter(|d| d.time.is_none() && d.offset.is_none())
            .and_then(|d| d.date)
            .and_then(|d| jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).ok());
        if date.is_none() {
            let d = Diagnostic::error(
                "wrong-type",
                v.span(),
                format!(
                    "`reviewed` must be a date, found {}",
                    super::walk::article(v.get_ref().type_str())
                ),
            );
            self.diagnostics.push(
                d.with_help("write the day the content was last checked, without quotes: `reviewed = 2026-11-15`"),
            );
        }
        date
    }

    /// A question and, for a question about the setting's own contacts, the contact it asks.
    fn question(&mut self, t: &Table) -> Option<(Question, Option<Contact>)> {
        let type_name = t
            .get("type")
            .and_then(|v| v.get_ref().as_str())
            .and_then(|name| kind::names().into_iter().find(|k| *k == name));
        self.question_keys(t, type_name);
        let asks = self.asks_setting(t);
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
            Some((n, span)) if n > MAX_POINTS => {
                // With this cap, no bank's total (at most 16 MiB of questions) can overflow.
                self.error(
                    "too-many-points",
                    span,
                    format!("`points` must be at most {MAX_POINTS}; give the question fewer"),
                );
                1.0
            }
            Some((n, span)) => {
                self.zero_points(n, span);
                n
            }
            None => 1.0,
        };
        let reference = self.optional_text(t, "reference");
        self.no_reference(t, reference.as_deref());
        let kind = match t.get("type") {
            None => {
                self.missing(
                    t,
                    "type",
                    &format!(" (one of {})", kind::names().join(", ")),
                );
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
        if let Some(kind) = &kind {
            self.item_lints(t, kind);
        }
        if let (Some(kind), Some(explanation)) = (&kind, &explanation)
            && let Some(v) = t.get("explanation")
        {
            self.weak_explanation(explanation, kind, v.span());
        }
        let question = Question {
            id: id?,
            topic,
            points,
            prompt: prompt?,
            explanation: explanation?,
            reference,
            kind: kind?,
        };
        Some((question, asks))
    }

    /// `setting = "dsl"`: a single question whose right choice is the setting file's `dsl`.
    fn asks_setting(&mut self, t: &Table) -> Option<Contact> {
        let (key, span) = self.string(t, "setting")?;
        let Some(contact) = Contact::of_key(&key) else {
            let keys = Contact::keys();
            let d = Diagnostic::error(
                "unknown-contact",
                span,
                format!("the setting file has no contact `{}`", sanitize(&key)),
            );
            self.diagnostics.push(match nearest(&key, &keys) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help(format!("the contacts are: {}", keys.join(", "))),
            });
            return None;
        };
        if let Some(v) = t.get("type")
            && v.get_ref().as_str().is_some_and(|k| k != "single")
        {
            self.diagnostics.push(
                Diagnostic::error(
                    "setting-not-single",
                    span,
                    "`setting` is for single questions: the right choice is taken from the setting file",
                )
                .with_help("use type = \"single\" and write only the wrong choices"),
            );
            return None;
        }
        Some(contact)
    }

    /// Reports every key of a question that no question type has, with the key most likely
    /// meant, searched among every key of every type, and which types have it. `type_name` is
    /// the question's type, when it is a known one.
    fn question_keys(&mut self, t: &Table, type_name: Option<&str>) {
        let type_keys = kind::all_keys();
        let mut known: Vec<&str> = COMMON_KEYS.to_vec();
        known.extend(&type_keys);
        for (key, _) in t.entries.iter() {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                continue;
            }
            let help = match (suggest::meant(name, &known, kind::KEY_ALIASES), type_name) {
                (Some("answer"), Some(this @ ("single" | "multiple")))
                    if name.eq_ignore_ascii_case("correct") =>
                {
                    format!(
                        "a {this} question marks its right answer on the choice: \
                         choices = [{{ text = \"...\", correct = true }}, {{ text = \"...\" }}]"
                    )
                }
                (Some(meant), this) => {
                    let having = kind::kinds_with(meant);
                    let whose = match this {
                        _ if having.is_empty() => String::new(),
                        Some(this) if having.contains(&this) => {
                            format!(" ({} {this} question has `{meant}`)", a_or_an(this))
                        }
                        Some(this) => format!(
                            " (only {} questions have `{meant}`; this is {} {this} question)",
                            suggest::and_list(&having),
                            a_or_an(this)
                        ),
                        None => format!(" ({} questions have it)", suggest::and_list(&having)),
                    };
                    format!("did you mean `{meant}`?{whose}")
                }
                (None, Some(this)) => {
                    let mut allowed = COMMON_KEYS.to_vec();
                    allowed.extend(kind::keys_of(this));
                    format!(
                        "the keys of {} {this} question are: {}",
                        a_or_an(this),
                        allowed.join(", ")
                    )
                }
                (None, None) => format!(
                    "the keys of every question are: {}; and each type adds its own: {}",
                    COMMON_KEYS.join(", "),
                    type_keys
                        .iter()
                        .map(|k| format!("{k} ({})", suggest::and_list(&kind::kinds_with(k))))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.diagnostics.push(
                Diagnostic::error(
                    "unknown-key",
                    key.span(),
                    format!("unknown key `{}` in {}", sanitize(name), t.name),
                )
                .with_help(help),
            );
        }
    }
}

/// "an" before a type name that starts with a vowel, else "a".
fn a_or_an(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
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
