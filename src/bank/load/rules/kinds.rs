//! The rules of each question type: the type itself, then what it needs (one right choice
//! for a single question, a list of accepted answers, two pairs for a match, and so on). The
//! rules every question and the quiz share are in `rules`.

use std::collections::HashSet;
use std::ops::Range;

use toml::Spanned;

use super::super::walk::{Table, Walker};
use crate::bank::diagnostic::Diagnostic;
use crate::bank::kind::{self, KINDS};
use crate::bank::{Choice, Kind, Pair, Scoring};
use crate::util::suggest::nearest;
use crate::util::text::sanitize;

const CHOICE_KEYS: &[&str] = &["text", "correct", "feedback"];
const PAIR_KEYS: &[&str] = &["left", "right"];

impl Walker {
    pub(super) fn kind(&mut self, t: &Table, name: &str, type_span: Range<usize>) -> Option<Kind> {
        let Some(&(name, allowed)) = KINDS.iter().find(|(k, _)| *k == name) else {
            let d = Diagnostic::error(
                "unknown-type",
                type_span,
                format!("unknown question type `{}`", sanitize(name)),
            );
            let d = match nearest(name, &kind::names()) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help(format!("the types are: {}", kind::names().join(", "))),
            };
            self.diagnostics.push(d);
            return None;
        };
        let type_keys = kind::all_keys();
        for (key, _) in t.entries.iter() {
            let key_name: &str = key.get_ref();
            if type_keys.contains(&key_name) && !allowed.contains(&key_name) {
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
                self.case_duplicates(t);
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

    pub(super) fn choice_kind(&mut self, t: &Table, name: &str) -> Option<Kind> {
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
        if name == "single" && t.get("setting").is_some() {
            if right != 0 {
                self.diagnostics.push(
                    Diagnostic::error(
                        "setting-right-choice",
                        span,
                        format!("this question takes its right choice from the setting file, but {right} of its choices {} marked right", if right == 1 { "is" } else { "are" }),
                    )
                    .with_help("write only wrong choices: the setting file's answer is added as the right one"),
                );
            }
            return Some(Kind::Single { choices });
        }
        if name == "single" {
            if right != 1 {
                self.diagnostics.push(
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
        self.gift_shares(right, span.clone());
        if right == 0 {
            self.diagnostics.push(
                Diagnostic::error(
                    "multiple-no-right",
                    span.clone(),
                    "a multiple question needs at least one right choice",
                )
                .with_help("mark the right choices with `correct = true`"),
            );
        } else if right == choices.len() {
            self.diagnostics.push(
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
    pub(super) fn strings(&mut self, t: &Table, key: &str, at_least: usize) -> Option<Vec<String>> {
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

    pub(super) fn pairs(&mut self, t: &Table) -> Option<Kind> {
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
