//! Moodle GIFT, both ways: `export --format gift` writes a bank for Moodle's question bank, and
//! `import` reads a GIFT file back into a bank.
//!
//! Reading (`parse`) follows Moodle's own importer, so that a file reads here as it reads in
//! Moodle; `convert` then fits each question to a bank. Writing (`write`) gives Moodle only what
//! it accepts, and escapes (`escape`) whatever GIFT would read differently.
//!
//! GIFT cannot carry everything a bank can (order questions, points, all-or-nothing scoring,
//! quiz settings), and a bank cannot carry everything GIFT can (essays, part marks, feedback on
//! typed answers). Whatever does not fit is reported as a `Note` naming the question, never
//! dropped silently. The quiz id, the title and each question's reference survive a round trip
//! through comment lines and the general feedback.

mod convert;
mod escape;
mod parse;
mod write;

use std::collections::HashSet;

use crate::bank::{Kind, Question};

pub use convert::{id_from, topic_from};
pub use escape::{MOODLE_GRADES, escape, nearest_grade};
pub use write::export;

/// Something that could not be carried across, named for the trainer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(pub String);

/// A bank read from GIFT, before it is written as TOML.
#[derive(Debug)]
pub struct Imported {
    pub id: Option<String>,
    pub title: Option<String>,
    pub questions: Vec<Question>,
    pub notes: Vec<Note>,
}

/// Reads GIFT text as Moodle reads it. Questions a bank cannot hold are left out with a note
/// naming them; nothing fails, and a broken question never costs the others.
pub fn import(text: &str) -> Imported {
    let mut imported = Imported {
        id: None,
        title: None,
        questions: Vec::new(),
        notes: Vec::new(),
    };
    let mut topic = "general".to_string();
    let mut ids = HashSet::new();
    let mut n = 0;
    for item in parse::read(text) {
        match item {
            parse::Item::Comment(which, value) if which == parse::ID_COMMENT => {
                imported.id = Some(value)
            }
            parse::Item::Comment(_, value) => imported.title = Some(value),
            parse::Item::Category(category) => topic = topic_from(&category),
            parse::Item::Broken { name, problem } => {
                n += 1;
                imported.notes.push(Note(format!(
                    "question \"{name}\" was left out, as Moodle would leave it out: {problem}"
                )));
            }
            parse::Item::Question(p) => {
                n += 1;
                let base = p
                    .title
                    .as_deref()
                    .map(id_from)
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| format!("q{n}"));
                let (mut id, mut k) = (base.clone(), n);
                while ids.contains(&id) {
                    id = format!("{base}-{k}");
                    k += 1;
                }
                match convert::to_question(&p, id, &topic) {
                    Ok((q, notes)) => {
                        ids.insert(q.id.clone());
                        imported.notes.extend(notes);
                        imported.questions.push(q);
                    }
                    Err(note) => imported.notes.push(note),
                }
            }
        }
    }
    imported
}

/// Writes imported questions as a bank file.
pub fn to_toml(id: &str, title: &str, questions: &[Question]) -> String {
    let s = |text: &str| toml::Value::String(text.to_string()).to_string();
    let mut out = format!(
        "# Imported from GIFT by sgquiz. Check it with `sgquiz check`, and add a reference to\n# every question.\nformat = 1\n\n[quiz]\nid = {}\ntitle = {}\n",
        s(id),
        s(title)
    );
    for q in questions {
        out.push_str(&format!(
            "\n[[question]]\nid = {}\ntype = \"{}\"\ntopic = {}\nprompt = {}\n",
            s(&q.id),
            q.kind.name(),
            s(&q.topic),
            s(&q.prompt)
        ));
        match &q.kind {
            Kind::Single { choices } | Kind::Multiple { choices, .. } => {
                out.push_str("choices = [\n");
                for c in choices {
                    let mut fields = vec![format!("text = {}", s(&c.text))];
                    if c.correct {
                        fields.push("correct = true".to_string());
                    }
                    if let Some(f) = &c.feedback {
                        fields.push(format!("feedback = {}", s(f)));
                    }
                    out.push_str(&format!("  {{ {} }},\n", fields.join(", ")));
                }
                out.push_str("]\n");
            }
            Kind::TrueFalse { answer } => out.push_str(&format!("answer = {answer}\n")),
            Kind::Number { answer, tolerance } => out.push_str(&format!(
                "answer = {}\ntolerance = {}\n",
                toml_number(*answer),
                toml_number(*tolerance)
            )),
            Kind::Text { accept } => out.push_str(&format!(
                "accept = [{}]\n",
                accept.iter().map(|a| s(a)).collect::<Vec<_>>().join(", ")
            )),
            Kind::Order { items } => out.push_str(&format!(
                "items = [{}]\n",
                items.iter().map(|a| s(a)).collect::<Vec<_>>().join(", ")
            )),
            Kind::Match { pairs } => {
                out.push_str("pairs = [\n");
                for p in pairs {
                    out.push_str(&format!(
                        "  {{ left = {}, right = {} }},\n",
                        s(&p.left),
                        s(&p.right)
                    ));
                }
                out.push_str("]\n");
            }
        }
        out.push_str(&format!("explanation = {}\n", s(&q.explanation)));
        if let Some(r) = &q.reference {
            out.push_str(&format!("reference = {}\n", s(r)));
        }
    }
    out
}

fn toml_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::bank::{Choice, Pair, Scoring};
    use crate::util::text::reflow;

    /// Text with every character GIFT gives a meaning, and the starts that change one.
    fn text() -> impl Strategy<Value = String> {
        "(\\[html\\]|%50%|=|~|#|->|)[a-z~=#{}:\\\\%\\[\\] ->\n]{0,12}[a-z]"
    }

    fn question(kind: Kind, prompt: String, explanation: String) -> Question {
        Question {
            id: "q".to_string(),
            topic: "t".to_string(),
            points: 1.0,
            prompt,
            explanation,
            reference: Some("R".to_string()),
            kind,
        }
    }

    /// Writes `q` and reads it back as Moodle would.
    fn round_trip(q: &Question) -> Question {
        let text = write::question(q, &mut Vec::new());
        let mut back = import(&text).questions;
        assert_eq!(back.len(), 1, "{text}");
        back.remove(0)
    }

    fn shown(s: &str) -> String {
        reflow(s).trim().to_string()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn choices_read_back_as_written(
            prompt in text(), right in text(), wrong in text(), fb in text(), why in text(), multiple: bool,
        ) {
            prop_assume!(shown(&right) != shown(&wrong));
            let choices = vec![
                Choice { text: right.clone(), correct: true, feedback: None },
                Choice { text: wrong.clone(), correct: false, feedback: Some(fb.clone()) },
            ];
            let kind = if multiple {
                Kind::Multiple { choices, scoring: Scoring::Partial }
            } else {
                Kind::Single { choices }
            };
            let back = round_trip(&question(kind, prompt.clone(), why.clone()));
            prop_assert_eq!(&back.prompt, &shown(&prompt));
            prop_assert_eq!(&back.explanation, &shown(&why));
            prop_assert_eq!(back.reference.as_deref(), Some("R"));
            let (Kind::Single { choices } | Kind::Multiple { choices, .. }) = &back.kind else {
                panic!("not a choice question: {:?}", back.kind)
            };
            prop_assert_eq!(back.kind.name(), if multiple { "multiple" } else { "single" });
            prop_assert_eq!(&choices[0].text, &shown(&right));
            prop_assert!(choices[0].correct && !choices[1].correct);
            prop_assert_eq!(&choices[1].text, &shown(&wrong));
            prop_assert_eq!(choices[1].feedback.clone(), Some(shown(&fb)));
        }

        #[test]
        fn short_answers_and_pairs_read_back_as_written(answer in text(), left in text(), right in text()) {
            let accept = vec![answer.replace('\n', " ").trim().to_string()];
            let back = round_trip(&question(Kind::Text { accept: accept.clone() }, "P".into(), "W".into()));
            match &back.kind {
                Kind::Text { accept: got } => prop_assert_eq!(got, &accept),
                other => prop_assert!(false, "{:?}", other),
            }
            prop_assume!(!left.contains("->"));
            let pairs = vec![
                Pair { left: left.clone(), right: right.clone() },
                Pair { left: "b".into(), right: "c".into() },
            ];
            let back = round_trip(&question(Kind::Match { pairs }, "P".into(), "W".into()));
            match &back.kind {
                Kind::Match { pairs } => {
                    prop_assert_eq!(&pairs[0].left, &shown(&left));
                    prop_assert_eq!(&pairs[0].right, &shown(&right));
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }

        #[test]
        fn numbers_read_back_exactly(answer in -1.0e9f64..1.0e9, tolerance in 0.0f64..1.0e3) {
            let back = round_trip(&question(Kind::Number { answer, tolerance }, "P".into(), "W".into()));
            match back.kind {
                Kind::Number { answer: a, tolerance: t } => {
                    prop_assert!((a - answer).abs() <= 1e-11 * answer.abs().max(1.0));
                    prop_assert!((t - tolerance).abs() <= 1e-11 * tolerance.max(1.0));
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
}
