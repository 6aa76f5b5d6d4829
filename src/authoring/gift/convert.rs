//! Fitting questions as Moodle reads them (`parse`) to a bank. Where a bank cannot hold what
//! Moodle would, the nearest faithful form is chosen and a note names the question and says
//! what changed: nothing is changed silently.

use deunicode::deunicode;

use super::Note;
use super::parse::{Answer, Body, Format, NumAnswer, Parsed};
use super::write::SOURCE_LABEL;
use crate::bank::{Choice, Kind, Pair, Question, Scoring};
use crate::util::suggest::to_kebab;
use crate::util::text::{format_exact, format_number};

/// A question id made from a GIFT name: `Вопрос 1` becomes `vopros-1`.
pub fn id_from(name: &str) -> String {
    to_kebab(&deunicode(name))
}

/// A topic made from a category, keeping its letters whatever the script: the last part of
/// `$course$/top/Sécurité des élèves` becomes `sécurité-des-élèves`.
pub fn topic_from(category: &str) -> String {
    let last = category.trim().rsplit('/').next().unwrap_or("").trim();
    let mut out = String::new();
    for c in last.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "general".to_string()
    } else {
        out
    }
}

/// How a question is named in notes: its GIFT name and, where it differs, its id in the bank.
pub fn label(name: &str, id: &str) -> String {
    if name == id {
        format!("question `{id}`")
    } else {
        format!("question \"{name}\" (`{id}`)")
    }
}

fn percent(f: f64) -> String {
    format!("{}%", format_number(f * 100.0))
}

/// Turns a parsed question into a bank question, or says why it cannot be one.
pub fn to_question(p: &Parsed, id: String, topic: &str) -> Result<(Question, Vec<Note>), Note> {
    let who = label(&p.name, &id);
    let mut notes = Vec::new();
    let mut lost = |what: String| notes.push(Note(format!("{who}: {what}")));
    if p.format == Format::Html {
        lost("it is HTML; its tags are kept as text, so tidy them by hand".to_string());
    }
    let kind = match &p.body {
        Body::Description => {
            return Err(Note(format!(
                "{who} is a description (text with no answers), which a bank cannot hold, so it was left out"
            )));
        }
        Body::Essay => {
            return Err(Note(format!(
                "{who} is an essay question, which a bank cannot hold, so it was left out"
            )));
        }
        Body::TrueFalse {
            answer,
            wrong_feedback,
            right_feedback,
        } => {
            if !wrong_feedback.is_empty() || !right_feedback.is_empty() {
                lost("the feedback on its true/false answers was dropped (put it in the explanation)".to_string());
            }
            Kind::TrueFalse { answer: *answer }
        }
        Body::Short { answers } => {
            short(answers, &mut lost).map_err(|e| Note(format!("{who} {e}")))?
        }
        Body::Numerical { answers } => {
            numerical(answers, &mut lost).map_err(|e| Note(format!("{who} {e}")))?
        }
        Body::Match { pairs } => {
            let (kept, extra): (Vec<_>, Vec<_>) = pairs.iter().partition(|(l, _)| !l.is_empty());
            for (_, right) in extra {
                lost(format!(
                    "the extra wrong answer \"{right}\" (a pair with no question) was dropped"
                ));
            }
            Kind::Match {
                pairs: kept
                    .into_iter()
                    .map(|(left, right)| Pair {
                        left: left.clone(),
                        right: right.clone(),
                    })
                    .collect(),
            }
        }
        Body::Choice { single, answers } => {
            choice(*single, answers, &mut lost).map_err(|e| Note(format!("{who} {e}")))?
        }
    };
    if p.text.is_empty() {
        return Err(Note(format!(
            "{who} has no question text, so it was left out"
        )));
    }
    let (explanation, reference) = match p.general.rfind(&format!("\n{SOURCE_LABEL}")) {
        _ if p.general.is_empty() => {
            lost("it has no general feedback; its explanation only gives the answer, so write one that teaches".to_string());
            (
                format!("The right answer is: {}.", kind.answer_text()),
                None,
            )
        }
        Some(i) => (
            p.general[..i].trim().to_string(),
            Some(p.general[i + 1 + SOURCE_LABEL.len()..].trim().to_string()),
        ),
        None => (p.general.clone(), None),
    };
    Ok((
        Question {
            id,
            topic: topic.to_string(),
            points: 1.0,
            prompt: p.text.clone(),
            explanation,
            reference,
            kind,
        },
        notes,
    ))
}

fn short(answers: &[Answer], lost: &mut impl FnMut(String)) -> Result<Kind, String> {
    let best = answers
        .iter()
        .filter(|a| a.text != "*")
        .map(|a| a.fraction)
        .fold(0.0, f64::max);
    if best <= 0.0 {
        return Err("has no right answer, so it was left out".to_string());
    }
    if best < 1.0 {
        lost(format!(
            "its best answers earn {} in Moodle; in the bank they earn full marks",
            percent(best)
        ));
    }
    let mut accept = Vec::new();
    for a in answers {
        if a.text == "*" {
            if a.fraction > 0.0 {
                lost(format!(
                    "its answer `*` (anything else) earns {}; a bank cannot accept any answer, so it was dropped",
                    percent(a.fraction)
                ));
            } else if !a.feedback.is_empty() {
                lost(format!(
                    "the feedback for any other answer was dropped: \"{}\"",
                    a.feedback
                ));
            }
            continue;
        }
        if a.fraction == best {
            accept.push(a.text.clone());
            if !a.feedback.is_empty() {
                lost(format!(
                    "the feedback on the answer \"{}\" was dropped",
                    a.text
                ));
            }
        } else if a.fraction > 0.0 {
            lost(format!(
                "the answer \"{}\" earns {} in Moodle; a bank has no part marks for typed answers, so it was dropped",
                a.text,
                percent(a.fraction)
            ));
        } else if !a.feedback.is_empty() {
            lost(format!(
                "the wrong answer \"{}\" and its feedback were dropped",
                a.text
            ));
        }
    }
    Ok(Kind::Text { accept })
}

fn numerical(answers: &[NumAnswer], lost: &mut impl FnMut(String)) -> Result<Kind, String> {
    let best = answers
        .iter()
        .filter(|a| a.value.is_some())
        .map(|a| a.fraction)
        .fold(0.0, f64::max);
    let Some(right) = answers
        .iter()
        .find(|a| a.value.is_some() && a.fraction == best && best > 0.0)
    else {
        return Err("has no right numeric answer, so it was left out".to_string());
    };
    if best < 1.0 {
        lost(format!(
            "its best answer earns {} in Moodle; in the bank it earns full marks",
            percent(best)
        ));
    }
    for a in answers {
        if std::ptr::eq(a, right) {
            if !a.feedback.is_empty() {
                lost(format!(
                    "the feedback on the right answer was dropped: \"{}\"",
                    a.feedback
                ));
            }
            continue;
        }
        match a.value {
            Some(v) if a.fraction > 0.0 => lost(format!(
                "the answer {} (±{}) earns {} in Moodle; a bank holds one numeric answer, so it was dropped",
                format_exact(v),
                format_exact(a.tolerance),
                percent(a.fraction)
            )),
            _ if !a.feedback.is_empty() => lost(format!(
                "the feedback for a wrong answer was dropped: \"{}\"",
                a.feedback
            )),
            _ => {}
        }
    }
    Ok(Kind::Number {
        answer: right.value.unwrap_or(0.0),
        tolerance: right.tolerance.abs(),
    })
}

fn choice(single: bool, answers: &[Answer], lost: &mut impl FnMut(String)) -> Result<Kind, String> {
    // Moodle saves no empty answer, and a bank has no empty choice.
    let (answers, empty): (Vec<Answer>, Vec<Answer>) =
        answers.iter().cloned().partition(|a| !a.text.is_empty());
    for a in &empty {
        lost(format!(
            "an empty answer (worth {}) was dropped, as Moodle drops it",
            percent(a.fraction)
        ));
    }
    let answers = answers.as_slice();
    let to_choice = |a: &Answer, correct: bool| Choice {
        text: a.text.clone(),
        correct,
        feedback: Some(a.feedback.clone()).filter(|f| !f.is_empty()),
    };
    let best = answers.iter().map(|a| a.fraction).fold(f64::MIN, f64::max);
    if best <= 0.0 {
        return Err("has no right answer, so it was left out".to_string());
    }
    if single {
        // One answer may be picked: a bank's `single` has exactly one right choice.
        let right = answers.iter().position(|a| a.fraction == best).unwrap_or(0);
        for (i, a) in answers.iter().enumerate() {
            if i == right {
                if best < 1.0 {
                    lost(format!(
                        "its best answer \"{}\" earns {} in Moodle; in the bank it earns full marks",
                        a.text,
                        percent(best)
                    ));
                }
            } else if a.fraction != 0.0 {
                lost(format!(
                    "the answer \"{}\" earns {} in Moodle; in the bank it is simply wrong",
                    a.text,
                    percent(a.fraction)
                ));
            }
        }
        return Ok(Kind::Single {
            choices: answers
                .iter()
                .enumerate()
                .map(|(i, a)| to_choice(a, i == right))
                .collect(),
        });
    }
    // Several may be picked: a bank gives each right choice an equal share and takes one share
    // away for each wrong choice picked.
    let right = answers.iter().filter(|a| a.fraction > 0.0).count() as f64;
    let share = 1.0 / right;
    let exact = answers.iter().all(|a| {
        let want = if a.fraction > 0.0 { share } else { -share };
        (a.fraction - want).abs() < 1e-6
    });
    if !exact {
        let weights = answers
            .iter()
            .map(|a| format!("\"{}\" {}", a.text, percent(a.fraction)))
            .collect::<Vec<_>>()
            .join(", ");
        lost(format!(
            "Moodle's grades ({weights}) became equal shares: each right choice earns {} and each wrong one picked takes {} away",
            percent(share),
            percent(share)
        ));
    }
    Ok(Kind::Multiple {
        choices: answers
            .iter()
            .map(|a| to_choice(a, a.fraction > 0.0))
            .collect(),
        scoring: Scoring::Partial,
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse::{Item, read};
    use super::*;

    fn convert(text: &str) -> Result<(Question, Vec<String>), String> {
        let Some(Item::Question(p)) = read(text).into_iter().next() else {
            panic!("not a question")
        };
        let id = id_from(&p.name);
        to_question(&p, id, "t")
            .map(|(q, notes)| (q, notes.into_iter().map(|n| n.0).collect()))
            .map_err(|n| n.0)
    }

    #[test]
    fn ids_and_topics_keep_what_the_name_says() {
        assert_eq!(id_from("Вопрос 1"), "vopros-1");
        assert_eq!(
            topic_from("$course$/top/Sécurité des élèves"),
            "sécurité-des-élèves"
        );
        assert_eq!(topic_from("СТАНДАРТ_1.1"), "стандарт-1-1");
        assert_eq!(topic_from("///"), "general");
    }

    #[test]
    fn a_short_answer_with_a_catch_all_stays_a_short_answer() {
        let (q, notes) =
            convert("::DSL::What does DSL stand for?{=%100%designated safeguarding lead# =%0%*#Ask your DSL.####It is.}")
                .unwrap();
        assert!(
            matches!(&q.kind, Kind::Text { accept } if accept == &["designated safeguarding lead"])
        );
        assert_eq!(
            notes,
            [
                "question \"DSL\" (`dsl`): the feedback for any other answer was dropped: \"Ask your DSL.\""
            ]
        );
    }

    #[test]
    fn part_credit_is_never_changed_silently() {
        let (q, notes) = convert("::Q::Pick{=right ~%50%half ~wrong####Why.}").unwrap();
        assert!(
            matches!(&q.kind, Kind::Single { choices } if choices.iter().filter(|c| c.correct).count() == 1)
        );
        assert_eq!(
            notes,
            [
                "question \"Q\" (`q`): the answer \"half\" earns 50% in Moodle; in the bank it is simply wrong"
            ]
        );
        let (q, notes) = convert("::Q::Pick{~%50%a ~%50%b ~%-100%c####Why.}").unwrap();
        assert!(
            matches!(&q.kind, Kind::Multiple { choices, .. } if choices.iter().filter(|c| c.correct).count() == 2)
        );
        assert!(notes[0].contains("became equal shares"), "{notes:?}");
        let (_, notes) = convert("::Q::Pick{~%50%a ~%50%b ~%-50%c####Why.}").unwrap();
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn what_a_bank_cannot_hold_is_named() {
        assert_eq!(
            convert("::E::Write about it.{}").unwrap_err(),
            "question \"E\" (`e`) is an essay question, which a bank cannot hold, so it was left out"
        );
        let (q, notes) = convert("::N::Three?{#3:2~#Completely wrong####Three.}").unwrap();
        assert!(
            matches!(q.kind, Kind::Number { answer, tolerance } if answer == 3.0 && tolerance == 2.0)
        );
        assert_eq!(
            notes,
            [
                "question \"N\" (`n`): the feedback for a wrong answer was dropped: \"Completely wrong\""
            ]
        );
    }

    #[test]
    fn general_feedback_carries_the_reference() {
        let (q, _) = convert("::R::Sure?{T####Because.\\n\\nSource\\: KCSIE 2024}").unwrap();
        assert_eq!(q.explanation, "Because.");
        assert_eq!(q.reference.as_deref(), Some("KCSIE 2024"));
    }
}
