//! Writing a bank as GIFT that Moodle accepts and reads back as the bank says: numbers exactly,
//! only Moodle's own grades, and every text escaped where GIFT would read it differently.

use super::Note;
use super::escape::{escape, escape_text, grade_text, nearest_grade};
use super::parse::{ID_COMMENT, TITLE_COMMENT};
use crate::bank::{Bank, Choice, Kind, Question, Scoring};
use crate::util::text::{format_exact, format_number, reflow};

pub(super) const SOURCE_LABEL: &str = "Source: ";

/// Writes `bank` as GIFT, with notes on what GIFT could not carry.
pub fn export(bank: &Bank) -> (String, Vec<Note>) {
    let mut out = String::new();
    let mut notes = Vec::new();
    out.push_str(&format!("{TITLE_COMMENT}{}\n", one_line(&bank.quiz.title)));
    out.push_str(&format!("{ID_COMMENT}{}\n", bank.quiz.id));
    if let Some(reviewed) = bank.quiz.reviewed {
        out.push_str(&format!("// Content last reviewed: {reviewed}\n"));
    }
    out.push_str("// Exported by sgquiz. Import into Moodle's question bank as GIFT.\n");
    notes.push(Note(
        "the quiz settings (pass mark, shuffle, audience, content note, support) do not travel in GIFT; \
         set them in Moodle's quiz, and show the support contacts there too"
            .to_string(),
    ));
    let mut topic: Option<&str> = None;
    for q in &bank.questions {
        if let Kind::Order { .. } = q.kind {
            notes.push(Note(format!(
                "question `{}` was skipped: GIFT has no ordering question",
                q.id
            )));
            continue;
        }
        if q.points != 1.0 {
            notes.push(Note(format!(
                "question `{}` is worth {} points; GIFT cannot say so, so set its mark in Moodle",
                q.id,
                format_number(q.points)
            )));
        }
        if topic != Some(q.topic.as_str()) {
            out.push_str(&format!("\n$CATEGORY: {}\n", one_line(&q.topic)));
            topic = Some(&q.topic);
        }
        out.push_str(&question(q, &mut notes));
    }
    (out, notes)
}

/// One question, ending with its `}` line.
pub(super) fn question(q: &Question, notes: &mut Vec<Note>) -> String {
    let mut out = format!("\n::{}::{}{{\n", escape(&q.id), text(&q.prompt));
    let mut warn = |what: String| notes.push(Note(format!("question `{}`: {what}", q.id)));
    match &q.kind {
        Kind::Single { choices } => {
            for c in choices {
                let mark = if c.correct { "=" } else { "~" };
                out.push_str(&format!("\t{mark}{}{}\n", text(&c.text), feedback(c)));
            }
        }
        Kind::Multiple { choices, scoring } => {
            let right = choices.iter().filter(|c| c.correct).count().max(1);
            let (share, exact) = nearest_grade(100.0 / right as f64);
            if !exact {
                warn(format!(
                    "Moodle cannot give each of its {right} right choices an equal share ({}%), so each earns {}% in GIFT",
                    format_number(100.0 / right as f64),
                    grade_text(share)
                ));
            }
            let penalty = match scoring {
                Scoring::Partial => -share,
                Scoring::All => {
                    warn(
                        "scores all or nothing; in GIFT each wrong choice takes away 100% instead"
                            .to_string(),
                    );
                    -100.0
                }
            };
            for c in choices {
                let weight = grade_text(if c.correct { share } else { penalty });
                out.push_str(&format!("\t~%{weight}%{}{}\n", text(&c.text), feedback(c)));
            }
        }
        Kind::TrueFalse { answer } => out.push_str(if *answer { "\tTRUE\n" } else { "\tFALSE\n" }),
        Kind::Number { answer, tolerance } => out.push_str(&format!(
            "\t#{}:{}\n",
            format_exact(*answer),
            format_exact(*tolerance)
        )),
        Kind::Text { accept } => out.push_str(&short_answers(accept, &mut warn)),
        Kind::Match { pairs } => {
            for p in pairs {
                let mut left = reflow(&p.left);
                if left.contains("->") {
                    warn(format!(
                        "GIFT ends a pair's question at `->`, so \"{}\" is written with → instead",
                        p.left
                    ));
                    left = left.replace("->", "→");
                }
                out.push_str(&format!(
                    "\t={} -> {}\n",
                    escape_text(&left),
                    escape(reflow(&p.right).trim())
                ));
            }
        }
        Kind::Order { .. } => {}
    }
    let mut general = reflow(&q.explanation);
    if let Some(r) = &q.reference {
        general.push_str(&format!("\n\n{SOURCE_LABEL}{}", one_line(r)));
    }
    out.push_str(&format!("\t####{}\n}}\n", text(&general)));
    out
}

/// Short answers. Moodle reads answers that hold `=` and `->` as a matching question, so an
/// answer with `->` can only be written alone, without its `=`.
fn short_answers(accept: &[String], warn: &mut impl FnMut(String)) -> String {
    let answers: Vec<String> = accept
        .iter()
        .map(|a| one_line(a).trim().to_string())
        .collect();
    let (arrows, plain): (Vec<&String>, Vec<&String>) =
        answers.iter().partition(|a| a.contains("->"));
    match (arrows.first(), plain.is_empty()) {
        (Some(only), true) => {
            for dropped in &arrows[1..] {
                warn(format!(
                    "GIFT can hold only one accepted answer with `->`, so \"{dropped}\" was left out"
                ));
            }
            format!("\t{}\n", escape_text(only))
        }
        _ => {
            for dropped in &arrows {
                warn(format!(
                    "Moodle would read an accepted answer with `->` as a matching question, so \"{dropped}\" was left out"
                ));
            }
            plain
                .iter()
                .map(|a| format!("\t={}\n", escape_text(a)))
                .collect()
        }
    }
}

/// A text as GIFT writes it: soft line breaks joined (as the quiz shows them), and escaped.
fn text(s: &str) -> String {
    escape_text(&reflow(s))
}

fn feedback(c: &Choice) -> String {
    c.feedback
        .as_deref()
        .map_or(String::new(), |f| format!("#{}", text(f)))
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Pair;

    fn q(kind: Kind) -> Question {
        Question {
            id: "q".into(),
            topic: "t".into(),
            points: 1.0,
            prompt: "Prompt\nwrapped.".into(),
            explanation: "Why.".into(),
            reference: Some("Ref".into()),
            kind,
        }
    }

    fn written(kind: Kind) -> (String, Vec<String>) {
        let mut notes = Vec::new();
        let text = question(&q(kind), &mut notes);
        (text, notes.into_iter().map(|n| n.0).collect())
    }

    #[test]
    fn numbers_are_written_exactly() {
        let (text, _) = written(Kind::Number {
            answer: 6.0221,
            tolerance: 0.0005,
        });
        assert_eq!(
            text,
            "\n::q::Prompt wrapped.{\n\t#6.0221:0.0005\n\t####Why.\\n\\nSource\\: Ref\n}\n"
        );
        assert!(
            written(Kind::Number {
                answer: 0.001,
                tolerance: 0.0
            })
            .0
            .contains("#0.001:0\n")
        );
    }

    #[test]
    fn eleven_right_choices_get_moodles_nearest_grade_with_a_warning() {
        let choices = (0..12)
            .map(|i| Choice {
                text: format!("c{i}"),
                correct: i < 11,
                feedback: None,
            })
            .collect();
        let (text, notes) = written(Kind::Multiple {
            choices,
            scoring: Scoring::Partial,
        });
        assert!(text.contains("\t~%10%c0\n"), "{text}");
        assert!(text.contains("\t~%-10%c11\n"), "{text}");
        assert_eq!(
            notes,
            [
                "question `q`: Moodle cannot give each of its 11 right choices an equal share (9.09%), so each earns 10% in GIFT"
            ]
        );
    }

    #[test]
    fn texts_that_mean_something_else_in_gift_are_escaped() {
        let (text, notes) = written(Kind::Single {
            choices: vec![
                Choice {
                    text: "[html] right".into(),
                    correct: true,
                    feedback: None,
                },
                Choice {
                    text: "%50% of cases".into(),
                    correct: false,
                    feedback: None,
                },
            ],
        });
        assert!(text.contains("\t=[moodle][html] right\n"), "{text}");
        assert!(text.contains("\t~[moodle]%50% of cases\n"), "{text}");
        assert!(notes.is_empty());
        let (text, _) = written(Kind::Text {
            accept: vec!["a -> b".into()],
        });
        assert!(text.contains("{\n\ta -> b\n"), "{text}");
        let (text, notes) = written(Kind::Text {
            accept: vec!["x".into(), "a -> b".into()],
        });
        assert!(
            text.contains("\t=x\n") && !text.contains("a -> b"),
            "{text}"
        );
        assert_eq!(notes.len(), 1);
        let (text, _) = written(Kind::Match {
            pairs: vec![
                Pair {
                    left: "[plain]".into(),
                    right: "a -> b".into(),
                },
                Pair {
                    left: "c".into(),
                    right: "d".into(),
                },
            ],
        });
        assert!(text.contains("\t=[moodle][plain] -> a -> b\n"), "{text}");
    }
}
