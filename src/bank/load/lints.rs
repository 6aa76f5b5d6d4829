//! The lints: what makes a bank weaker but not invalid (an id not in kebab-case, a question
//! with no reference, an explanation that only restates the answer), and the item-writing lints
//! that catch questions a test-wise trainee can answer without knowing the subject. Each is a
//! warning with a stable code (`WARNINGS`); the bank still loads. One warning needs a rule's
//! count of right choices, so `rules` raises it: every choice of a multiple question marked right;
//! `rules` calls `gift_shares` with it too.
//!
//! A question switches a warning off with `allow = ["code", ...]`, and `[quiz]` with the same
//! key switches it off for the whole bank; an unknown code is an error. Two warnings are made
//! across files by `authoring::check`: near-duplicate prompts and a review date over 12 months
//! old (it needs today's date, which a bank's own check does not).

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::walk::{Table, Walker};
use crate::bank::diagnostic::Diagnostic;
use crate::bank::{Choice, Kind};
use crate::util::suggest::{is_kebab_case, nearest, to_kebab};
use crate::util::text::{contact_details, format_number, normalize_term, sanitize};

/// Every warning `check` can give: its code, whether `allow` may switch it off, and what it
/// means. The README lists the same codes.
pub const WARNINGS: &[(&str, bool, &str)] = &[
    (
        "longest-right",
        true,
        "the right choice is the longest by a wide margin (in a multiple question: every right choice is longer than every wrong one)",
    ),
    (
        "of-the-above",
        true,
        "a choice is \"all of the above\" or \"none of the above\"",
    ),
    (
        "same-true-false-key",
        true,
        "three or more true/false questions, all with the same answer",
    ),
    (
        "right-same-position",
        true,
        "with `shuffle = false`, the right choice stands in the same place in three or more single questions, all of them",
    ),
    (
        "near-duplicate-prompt",
        true,
        "two questions in the files checked together ask nearly the same thing",
    ),
    (
        "all-choices-right",
        true,
        "every choice of a multiple question is marked right",
    ),
    (
        "points-not-positive",
        true,
        "`points = 0`: the question cannot add to the score",
    ),
    ("no-reference", true, "the question has no `reference`"),
    (
        "case-duplicate-answer",
        true,
        "two accepted answers differ only by case",
    ),
    ("id-not-kebab", true, "an id is not in kebab-case"),
    (
        "gift-share",
        true,
        "more than ten right choices in a multiple question: Moodle cannot give each an equal share",
    ),
    (
        "weak-explanation",
        true,
        "the explanation is very short or only restates the answer",
    ),
    (
        "support-brief-incomplete",
        true,
        "`support_brief` leaves out a phone number or web address that `support` gives",
    ),
    ("reviewed-missing", false, "the quiz has no `reviewed` date"),
    (
        "reviewed-old",
        false,
        "the quiz was last reviewed more than 12 months ago",
    ),
];

/// How much longer than the longest wrong choice a right one may be before `longest-right`.
const LONGEST_RATIO: f64 = 1.5;
/// ... and by how many characters at least, so that "Yes" against "No" is not flagged.
const LONGEST_MARGIN: usize = 12;
/// How many questions it takes before a shared key or position is a pattern, not chance.
const PATTERN_AT: usize = 3;

/// What the bank-wide lints need to know of each question, gathered as the questions are read.
#[derive(Default)]
pub(super) struct Patterns {
    /// Each counted true/false question's answer, and where it stands.
    keys: Vec<(bool, Range<usize>)>,
    /// Each counted single question's right position, and where its choices stand.
    positions: Vec<(usize, Range<usize>)>,
}

impl Patterns {
    /// Notes `kind`, unless the question's `allow` switches the lint off.
    pub(super) fn note(&mut self, t: &Table, kind: &Kind, allow: &[String]) {
        let allows = |code: &str| allow.iter().any(|a| a == code);
        match kind {
            Kind::TrueFalse { answer } if !allows("same-true-false-key") => {
                if let Some(v) = t.get("answer") {
                    self.keys.push((*answer, v.span()));
                }
            }
            Kind::Single { choices } if !allows("right-same-position") => {
                if let (Some(i), Some(v)) =
                    (choices.iter().position(|c| c.correct), t.get("choices"))
                {
                    self.positions.push((i, v.span()));
                }
            }
            _ => {}
        }
    }
}

impl Walker {
    /// `allow = ["code", ...]`: the warnings this table switches off. Unknown codes, and codes
    /// that cannot be switched off, are errors.
    pub(super) fn allow_list(&mut self, t: &Table) -> Vec<String> {
        let Some((list, _)) = self.array(t, "allow") else {
            return Vec::new();
        };
        let codes: Vec<&str> = WARNINGS.iter().filter(|w| w.1).map(|w| w.0).collect();
        let mut out = Vec::new();
        for v in list.iter() {
            let Some(code) = v.get_ref().as_str() else {
                self.wrong_type(v, "allow", "a list of warning codes");
                continue;
            };
            if codes.contains(&code) {
                out.push(code.to_string());
                continue;
            }
            let d = if WARNINGS.iter().any(|w| w.0 == code) {
                Diagnostic::error(
                    "unknown-lint",
                    v.span(),
                    format!("`{code}` cannot be switched off"),
                )
                .with_help(
                    "review the content against current guidance and set `reviewed` to that day",
                )
            } else {
                let d = Diagnostic::error(
                    "unknown-lint",
                    v.span(),
                    format!("`allow` names an unknown warning `{}`", sanitize(code)),
                );
                match nearest(code, &codes) {
                    Some(near) => d.with_help(format!("did you mean `{near}`?")),
                    None => d.with_help(format!("the warnings are: {}", codes.join(", "))),
                }
            };
            self.diagnostics.push(d);
        }
        out
    }

    /// Drops the warnings found since `first` that `allow` switches off.
    pub(super) fn drop_allowed(&mut self, first: usize, allow: &[String]) {
        if allow.is_empty() {
            return;
        }
        let mut n = 0;
        self.diagnostics.retain(|d| {
            n += 1;
            n <= first || d.is_error() || !allow.iter().any(|a| a == d.code)
        });
    }

    /// `[quiz]` has no `reviewed` date.
    pub(super) fn no_reviewed(&mut self, t: &Table) {
        self.diagnostics.push(
            Diagnostic::warning(
                "reviewed-missing",
                t.get("id").map_or(t.span.clone(), Spanned::span),
                "[quiz] has no `reviewed` date",
            )
            .with_help(
                "check the content against current guidance, then add the day: `reviewed = 2026-11-15`",
            ),
        );
    }

    /// The lints on one question's choices: a right choice that stands out by its length, and
    /// "all/none of the above".
    pub(super) fn item_lints(&mut self, t: &Table, kind: &Kind) {
        let (Kind::Single { choices } | Kind::Multiple { choices, .. }) = kind else {
            return;
        };
        let span = t.get("choices").map_or(t.span.clone(), Spanned::span);
        let len = |c: &Choice| c.text.chars().count();
        let shortest_right = choices.iter().filter(|c| c.correct).map(len).min();
        let longest_wrong = choices.iter().filter(|c| !c.correct).map(len).max();
        if let (Some(right), Some(wrong)) = (shortest_right, longest_wrong)
            && right as f64 >= wrong as f64 * LONGEST_RATIO
            && right >= wrong + LONGEST_MARGIN
        {
            let which = if matches!(kind, Kind::Single { .. }) {
                "the right choice"
            } else {
                "every right choice"
            };
            self.diagnostics.push(
                Diagnostic::warning(
                    "longest-right",
                    span.clone(),
                    format!(
                        "{which} is much longer than the wrong ones ({right} characters against at most {wrong})"
                    ),
                )
                .with_help("a test-wise trainee picks the longest choice: shorten the right one or give the wrong ones the same care"),
            );
        }
        for (n, c) in choices.iter().enumerate() {
            if is_of_the_above(&c.text) {
                let at = list_item(t, "choices", n).unwrap_or(span.clone());
                self.diagnostics.push(
                    Diagnostic::warning(
                        "of-the-above",
                        at,
                        format!("\"{}\" as a choice", c.text),
                    )
                    .with_help("it can be picked by spotting two right choices, and makes no sense once choices are shuffled; use a multiple question instead"),
                );
            }
        }
    }

    /// The bank-wide lints: every true/false keyed the same, and, in a bank that is not
    /// shuffled, every right choice in the same place.
    pub(super) fn pattern_lints(&mut self, patterns: &Patterns, shuffle: bool) {
        let keys = &patterns.keys;
        if keys.len() >= PATTERN_AT && keys.iter().all(|(k, _)| *k == keys[0].0) {
            let key = keys[0].0;
            let span = keys[keys.len() - 1].1.clone();
            self.diagnostics.push(
                Diagnostic::warning(
                    "same-true-false-key",
                    span,
                    format!(
                        "all {} true/false questions in this bank are answered {key}: answering {key} to every one gets them all right",
                        keys.len()
                    ),
                )
                .with_help(format!(
                    "make some of the statements {}; or, if one must stay as it is, leave it out of the count with `allow = [\"same-true-false-key\"]`",
                    !key
                )),
            );
        }
        let places = &patterns.positions;
        if !shuffle && places.len() >= PATTERN_AT && places.iter().all(|(p, _)| *p == places[0].0) {
            let span = places[places.len() - 1].1.clone();
            self.diagnostics.push(
                Diagnostic::warning(
                    "right-same-position",
                    span,
                    format!(
                        "with `shuffle = false`, the right choice is choice {} in all {} single questions",
                        places[0].0 + 1,
                        places.len()
                    ),
                )
                .with_help("vary where the right choice stands, or let the quiz shuffle its choices"),
            );
        }
    }

    /// `points = 0`: allowed, but the question cannot count.
    pub(super) fn zero_points(&mut self, points: f64, span: Range<usize>) {
        if points == 0.0 {
            self.warn(
                "points-not-positive",
                span,
                "`points = 0`: this question cannot add to the score",
            );
        }
    }

    /// `support_brief` is all a trainee sees of the contacts at the start on a small screen:
    /// it must keep every phone number and web address of `support`.
    pub(super) fn brief_names_every_contact(
        &mut self,
        support: &str,
        brief: &str,
        span: Range<usize>,
    ) {
        let missing: Vec<String> = contact_details(support)
            .into_iter()
            .filter(|c| !brief.contains(c.as_str()))
            .collect();
        if !missing.is_empty() {
            self.diagnostics.push(
                Diagnostic::warning(
                    "support-brief-incomplete",
                    span,
                    format!(
                        "`support_brief` leaves out {}, which `support` gives",
                        missing.join(", ")
                    ),
                )
                .with_help(
                    "give every contact of `support` in the brief, one line each: on a small \
                     screen it is all a trainee sees of them before starting",
                ),
            );
        }
    }

    /// A question should say where its answer comes from.
    pub(super) fn no_reference(&mut self, t: &Table, reference: Option<&str>) {
        if reference.is_none() && t.get("reference").is_none() {
            self.diagnostics.push(
                Diagnostic::warning(
                    "no-reference",
                    t.get("id").map_or(t.span.clone(), Spanned::span),
                    format!("{} has no `reference`", t.name),
                )
                .with_help("say where the answer comes from, so a trainee can check it"),
            );
        }
    }

    /// Accepted answers that differ only by case: one is enough, as case never matters.
    pub(super) fn case_duplicates(&mut self, t: &Table) {
        let Some(list) = t.get("accept").and_then(|v| v.get_ref().as_array()) else {
            return;
        };
        let mut seen: HashMap<String, &str> = HashMap::new();
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

    pub(super) fn check_kebab(&mut self, t: &Table, key: &str, id: &str, what: &str) {
        if !is_kebab_case(id) {
            let span = t.get(key).map_or(t.span.clone(), Spanned::span);
            self.diagnostics.push(
                Diagnostic::warning(
                    "id-not-kebab",
                    span,
                    format!("the {what} id `{id}` is not in kebab-case"),
                )
                .with_help(format!("write it like `{}`", to_kebab(id))),
            );
        }
    }

    pub(super) fn weak_explanation(&mut self, explanation: &str, kind: &Kind, span: Range<usize>) {
        let words = explanation.split_whitespace().count();
        let said = normalize_term(explanation);
        let restates = right_answers(kind).iter().any(|a| {
            said == normalize_term(a) || said == format!("the answer is {}", normalize_term(a))
        });
        if restates || words < 6 {
            self.diagnostics.push(
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

    /// Moodle's grades give an equal share to at most ten right choices (10% each), so a
    /// multiple question with more cannot go to Moodle as it is.
    pub(super) fn gift_shares(&mut self, right: usize, span: Range<usize>) {
        if right > 10 {
            self.diagnostics.push(
                Diagnostic::warning(
                    "gift-share",
                    span,
                    format!(
                        "{right} right choices: Moodle cannot give each an equal share, so an export to GIFT gives each 10%"
                    ),
                )
                .with_help("keep to ten right choices or fewer if the bank goes to Moodle"),
            );
        }
    }
}

/// "All of the above", "none of these" and the like.
fn is_of_the_above(text: &str) -> bool {
    let t = normalize_term(text);
    let t = t.trim_end_matches(['.', '!']);
    t.contains("of the above")
        || t.starts_with("all the above")
        || [
            "all of these",
            "none of these",
            "all of them",
            "none of them",
        ]
        .contains(&t)
}

/// Where entry `n` of the array `key` stands.
fn list_item(t: &Table, key: &str, n: usize) -> Option<Range<usize>> {
    t.get(key)?.get_ref().as_array()?.get(n).map(Spanned::span)
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
