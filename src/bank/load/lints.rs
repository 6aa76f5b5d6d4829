//! The lints: what makes a bank weaker but not invalid (an id not in kebab-case, a question
//! with no reference, an explanation that only restates the answer). Each is a warning; the
//! bank still loads. A few warnings that need a rule's context are raised beside it in `rules`.

use std::ops::Range;

use toml::Spanned;

use super::walk::{Table, Walker};
use crate::bank::Kind;
use crate::bank::diagnostic::Diagnostic;
use crate::util::suggest::{is_kebab_case, to_kebab};
use crate::util::text::{format_number, normalize_term};

impl Walker {
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
