//! The lints: what makes a bank weaker but not invalid (an id not in kebab-case, a question
//! with no reference, an explanation that only restates the answer). Each is a warning; the
//! bank still loads. One warning needs a rule's count of right choices, so `rules` raises it:
//! every choice of a multiple question marked right; `rules` calls `gift_shares` with it too.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::walk::{Table, Walker};
use crate::bank::Kind;
use crate::bank::diagnostic::Diagnostic;
use crate::util::suggest::{is_kebab_case, to_kebab};
use crate::util::text::{format_number, normalize_term, sanitize};

impl Walker {
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
