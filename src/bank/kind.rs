//! The question types, in one place: `KINDS` lists each type's name (as written after
//! `type =`) and the keys that belong to it, and `Kind` holds a validated question's answer.
//! The loader, the JSON Schema and the GIFT code all read them from here.

use serde::Serialize;

use crate::util::text::format_quantity;

/// Every question type: its name, and the type-specific keys it may have (the first is
/// required). A new type is added here first.
pub const KINDS: &[(&str, &[&str])] = &[
    ("single", &["choices"]),
    ("multiple", &["choices", "scoring"]),
    ("true_false", &["answer"]),
    ("number", &["answer", "tolerance"]),
    ("text", &["accept"]),
    ("order", &["items"]),
    ("match", &["pairs"]),
];

/// The names of the question types, in `KINDS` order.
pub fn names() -> Vec<&'static str> {
    KINDS.iter().map(|(name, _)| *name).collect()
}

/// The type-specific keys a question of type `name` may have; the first is required.
pub fn keys_of(name: &str) -> &'static [&'static str] {
    KINDS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(&[], |(_, keys)| keys)
}

/// Every key that belongs to some question type, each once, in `KINDS` order.
pub fn all_keys() -> Vec<&'static str> {
    let mut keys = Vec::new();
    for (_, of_kind) in KINDS {
        for key in *of_kind {
            if !keys.contains(key) {
                keys.push(*key);
            }
        }
    }
    keys
}

/// A number question's right answer, phrased the one way it is said everywhere: in the
/// feedback, the handout and GIFT. "190,000 (anything from 180,000 to 200,000 is accepted)".
pub fn number_text(answer: f64, tolerance: f64) -> String {
    if tolerance > 0.0 {
        format!(
            "{} (anything from {} to {} is accepted)",
            format_quantity(answer),
            format_quantity(answer - tolerance),
            format_quantity(answer + tolerance)
        )
    } else {
        format_quantity(answer)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Single {
        choices: Vec<Choice>,
    },
    Multiple {
        choices: Vec<Choice>,
        scoring: Scoring,
    },
    TrueFalse {
        answer: bool,
    },
    Number {
        answer: f64,
        tolerance: f64,
    },
    Text {
        accept: Vec<String>,
    },
    /// Items in the right order.
    Order {
        items: Vec<String>,
    },
    Match {
        pairs: Vec<Pair>,
    },
}

impl Kind {
    /// The name used for `type` in a bank file.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Single { .. } => "single",
            Kind::Multiple { .. } => "multiple",
            Kind::TrueFalse { .. } => "true_false",
            Kind::Number { .. } => "number",
            Kind::Text { .. } => "text",
            Kind::Order { .. } => "order",
            Kind::Match { .. } => "match",
        }
    }

    /// The right answer, said in one line (handouts and GIFT; the feedback says it in
    /// `front::transcript::answers`, with the same words for a number).
    pub fn answer_text(&self) -> String {
        match self {
            Kind::Single { choices } | Kind::Multiple { choices, .. } => choices
                .iter()
                .filter(|c| c.correct)
                .map(|c| c.text.trim_end_matches('.'))
                .collect::<Vec<_>>()
                .join("; "),
            Kind::TrueFalse { answer } => if *answer { "True" } else { "False" }.to_string(),
            Kind::Number { answer, tolerance } => number_text(*answer, *tolerance),
            Kind::Text { accept } => accept.join("; "),
            Kind::Order { items } => items
                .iter()
                .enumerate()
                .map(|(i, t)| format!("{}. {t}", i + 1))
                .collect::<Vec<_>>()
                .join("; "),
            Kind::Match { pairs } => pairs
                .iter()
                .map(|p| format!("{} → {}", p.left, p.right))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub correct: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// A share of the points for each right choice picked, less a share for each wrong one.
    Partial,
    /// All the points for exactly the right set, none otherwise.
    All,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub left: String,
    pub right: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_keys_are_listed_once_each() {
        assert_eq!(
            all_keys(),
            [
                "choices",
                "scoring",
                "answer",
                "tolerance",
                "accept",
                "items",
                "pairs"
            ]
        );
        assert_eq!(keys_of("number"), ["answer", "tolerance"]);
        assert!(keys_of("essay").is_empty());
    }

    #[test]
    fn every_kind_is_named_as_kinds_lists_it() {
        let kinds = [
            Kind::Single { choices: vec![] },
            Kind::Multiple {
                choices: vec![],
                scoring: Scoring::All,
            },
            Kind::TrueFalse { answer: true },
            Kind::Number {
                answer: 1.0,
                tolerance: 0.0,
            },
            Kind::Text { accept: vec![] },
            Kind::Order { items: vec![] },
            Kind::Match { pairs: vec![] },
        ];
        let named: Vec<&str> = kinds.iter().map(Kind::name).collect();
        assert_eq!(named, names());
    }
}
