//! Scoring one answer: the outcome, the points, and what the trainee should be told.
//!
//! Partial credit (the README's format section says the same to trainers):
//! - multiple, `scoring = "partial"`: each right choice picked earns an equal share of the points
//!   and each wrong choice picked takes one share away, never below zero. `scoring = "all"`: all
//!   the points for exactly the right set, none otherwise.
//! - order: each item in its right place earns an equal share.
//! - match: each left item matched to its right partner earns an equal share.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::bank::{Kind, Question, Scoring};
use crate::engine::plan::{Asked, Layout};
use crate::util::text::{format_quantity, normalize_term};

/// A trainee's answer, in the positions the question was shown in (0-based). Records keep it as
/// it was given, so that a resumed attempt can replay it against the same plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// single: the shown position picked.
    Choice(usize),
    /// multiple: the shown positions picked.
    Choices(Vec<usize>),
    Bool(bool),
    Number(f64),
    Text(String),
    /// order: shown positions, in the order the trainee puts them.
    Order(Vec<usize>),
    /// match: for each left item in shown order, the shown position of the right option chosen.
    Match(Vec<usize>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Correct,
    Partial,
    Incorrect,
}

impl Outcome {
    /// The word shown to the trainee, always with a symbol: never colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Correct => "✓ Correct",
            Outcome::Partial => "◐ Partly correct",
            Outcome::Incorrect => "✗ Incorrect",
        }
    }
}

/// The verdict on one answer, with everything needed to explain it.
#[derive(Debug, Clone)]
pub struct Mark {
    pub outcome: Outcome,
    pub points: f64,
    pub max_points: f64,
    /// The answer in the bank's own terms (choice texts, not positions), for records and JSON.
    pub response: Value,
    /// The answer the trainee gave, as a sentence fragment to show back.
    pub response_text: String,
    /// The right answer, said plainly; shown when the trainee missed it.
    pub right_answer: String,
    /// Feedback the bank gives for the wrong choices the trainee picked.
    pub feedback: Vec<String>,
    /// How partial credit was worked out, when it was given.
    pub partial_rule: Option<&'static str>,
}

const MULTIPLE_RULE: &str = "Each right choice you picked earned a share of the points; each wrong \
choice picked took a share away.";
const ORDER_RULE: &str = "Each item in its right place earned an equal share of the points.";
const MATCH_RULE: &str = "Each item matched correctly earned an equal share of the points.";

/// Marks `answer` to the question `asked` (of `question`). An answer of the wrong shape, or with
/// positions that were not shown, scores nothing rather than failing.
pub fn mark(question: &Question, asked: &Asked, answer: &Answer) -> Mark {
    let (fraction, response, response_text, right_answer, feedback, rule) =
        match (&question.kind, &asked.layout, answer) {
            (Kind::Single { choices }, Layout::Choices(order), Answer::Choice(pos)) => {
                let picked = order.get(*pos).map(|&i| &choices[i]);
                let fraction = f64::from(u8::from(picked.is_some_and(|c| c.correct)));
                let feedback = picked
                    .filter(|c| !c.correct)
                    .and_then(|c| c.feedback.clone())
                    .into_iter()
                    .collect();
                let text = picked.map_or(String::new(), |c| c.text.clone());
                let right = choices
                    .iter()
                    .find(|c| c.correct)
                    .map_or(String::new(), |c| c.text.clone());
                (fraction, json!(text), text, right, feedback, None)
            }
            (Kind::Multiple { choices, scoring }, Layout::Choices(order), Answer::Choices(pos)) => {
                let mut picked: Vec<usize> =
                    pos.iter().filter_map(|p| order.get(*p).copied()).collect();
                picked.sort_unstable();
                picked.dedup();
                let right_total = choices.iter().filter(|c| c.correct).count();
                let hits = picked.iter().filter(|&&i| choices[i].correct).count();
                let wrong = picked.len() - hits;
                let exact = hits == right_total && wrong == 0;
                let fraction = match scoring {
                    Scoring::All => f64::from(u8::from(exact)),
                    Scoring::Partial => {
                        (hits as f64 - wrong as f64).max(0.0) / right_total.max(1) as f64
                    }
                };
                let texts: Vec<String> = order
                    .iter()
                    .filter(|i| picked.contains(i))
                    .map(|&i| choices[i].text.clone())
                    .collect();
                let feedback = picked
                    .iter()
                    .filter(|&&i| !choices[i].correct)
                    .filter_map(|&i| choices[i].feedback.clone())
                    .collect();
                let right: Vec<&str> = choices
                    .iter()
                    .filter(|c| c.correct)
                    .map(|c| c.text.as_str())
                    .collect();
                let shown = if texts.is_empty() {
                    "(nothing chosen)".to_string()
                } else {
                    bullets(&texts)
                };
                (
                    fraction,
                    json!(texts),
                    shown,
                    bullets(&right),
                    feedback,
                    Some(MULTIPLE_RULE),
                )
            }
            (Kind::TrueFalse { answer: right }, _, Answer::Bool(b)) => (
                f64::from(u8::from(b == right)),
                json!(b),
                true_false(*b).to_string(),
                true_false(*right).to_string(),
                Vec::new(),
                None,
            ),
            (
                Kind::Number {
                    answer: right,
                    tolerance,
                },
                _,
                Answer::Number(n),
            ) => {
                let ok = (n - right).abs() <= tolerance + 1e-9 * right.abs().max(1.0);
                let right_text = if *tolerance > 0.0 {
                    format!(
                        "{} (anything from {} to {} was accepted)",
                        format_quantity(*right),
                        format_quantity(right - tolerance),
                        format_quantity(right + tolerance)
                    )
                } else {
                    format_quantity(*right)
                };
                (
                    f64::from(u8::from(ok)),
                    json!(n),
                    format_quantity(*n),
                    right_text,
                    Vec::new(),
                    None,
                )
            }
            (Kind::Text { accept }, _, Answer::Text(typed)) => {
                let typed_n = normalize_term(typed);
                let ok = accept.iter().any(|a| normalize_term(a) == typed_n);
                let right = match accept.as_slice() {
                    [one] => one.clone(),
                    // A long list of variants buries the answer; a few show the idea.
                    [first, rest @ ..] if rest.len() > 3 => format!(
                        "{first} (also accepted: {} and {} more)",
                        rest[..3].join("; "),
                        rest.len() - 3
                    ),
                    [first, rest @ ..] => format!("{first} (also accepted: {})", rest.join("; ")),
                    [] => String::new(),
                };
                let shown = crate::util::text::sanitize(typed.trim());
                (
                    f64::from(u8::from(ok)),
                    json!(typed.trim()),
                    shown,
                    right,
                    Vec::new(),
                    None,
                )
            }
            (Kind::Order { items }, Layout::Order(order), Answer::Order(pos)) => {
                let given: Vec<usize> = pos.iter().filter_map(|p| order.get(*p).copied()).collect();
                let placed = given.iter().enumerate().filter(|(i, j)| i == *j).count();
                let fraction = if given.len() == items.len() {
                    placed as f64 / items.len() as f64
                } else {
                    0.0
                };
                let texts: Vec<String> = given.iter().map(|&i| items[i].clone()).collect();
                (
                    fraction,
                    json!(texts),
                    numbered(&texts),
                    numbered(items),
                    Vec::new(),
                    Some(ORDER_RULE),
                )
            }
            (Kind::Match { pairs }, Layout::Match { rights }, Answer::Match(pos)) => {
                let mut right_count = 0;
                let mut chosen = Vec::new();
                for (i, pair) in pairs.iter().enumerate() {
                    let right = pos.get(i).and_then(|&r| rights.get(r));
                    if right == Some(&pair.right) {
                        right_count += 1;
                    }
                    chosen.push((pair.left.clone(), right.cloned().unwrap_or_default()));
                }
                let fraction = right_count as f64 / pairs.len() as f64;
                let response: Vec<Value> = chosen
                    .iter()
                    .map(|(l, r)| json!({ "left": l, "right": r }))
                    .collect();
                let shown = chosen
                    .iter()
                    .map(|(l, r)| format!("- {l} → {r}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                let right = pairs
                    .iter()
                    .map(|p| format!("- {} → {}", p.left, p.right))
                    .collect::<Vec<_>>()
                    .join("\n");
                (
                    fraction,
                    Value::Array(response),
                    shown,
                    right,
                    Vec::new(),
                    Some(MATCH_RULE),
                )
            }
            (kind, _, _) => (
                0.0,
                Value::Null,
                "(no answer)".to_string(),
                format!("(an answer to a {} question)", kind.name()),
                Vec::new(),
                None,
            ),
        };
    let outcome = if fraction >= 1.0 - 1e-9 {
        Outcome::Correct
    } else if fraction > 0.0 {
        Outcome::Partial
    } else {
        Outcome::Incorrect
    };
    Mark {
        outcome,
        points: question.points * fraction,
        max_points: question.points,
        response,
        response_text,
        right_answer,
        feedback,
        partial_rule: rule.filter(|_| outcome == Outcome::Partial),
    }
}

/// One choice on its own; several as a list, one per line.
fn bullets<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [one] => one.as_ref().to_string(),
        many => many
            .iter()
            .map(|s| format!("- {}", s.as_ref()))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn true_false(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn numbered(items: &[String]) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}. {t}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::Bank;
    use crate::bank::load::validate_source;
    use crate::engine::plan::{Plan, PlanOptions};

    /// A bank with one question of the given body, laid out in bank order.
    fn one(body: &str) -> (Bank, Plan) {
        let src = format!(
            "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\nshuffle = false\n\
             [[question]]\nid = \"q\"\nprompt = \"P\"\nexplanation = \"E\"\npoints = 2\n{body}"
        );
        let bank = validate_source(&src).unwrap_or_else(|e| panic!("{body}: {e:?}"));
        let plan = Plan::new(&bank, &PlanOptions::default()).unwrap();
        (bank, plan)
    }

    fn mark_one(bank: &Bank, plan: &Plan, answer: Answer) -> Mark {
        mark(&bank.questions[0], &plan.asked[0], &answer)
    }

    const SINGLE: &str = r#"type = "single"
choices = [{ text = "A" }, { text = "B", correct = true }, { text = "C", feedback = "Not C." }]"#;

    #[test]
    fn single_right_and_wrong_with_feedback() {
        let (bank, plan) = one(SINGLE);
        let right = mark_one(&bank, &plan, Answer::Choice(1));
        assert_eq!((right.outcome, right.points), (Outcome::Correct, 2.0));
        let wrong = mark_one(&bank, &plan, Answer::Choice(2));
        assert_eq!((wrong.outcome, wrong.points), (Outcome::Incorrect, 0.0));
        assert_eq!(wrong.feedback, vec!["Not C.".to_string()]);
        assert_eq!(wrong.right_answer, "B");
        assert_eq!(wrong.response, json!("C"));
    }

    #[test]
    fn answers_that_do_not_fit_score_nothing() {
        let (bank, plan) = one(SINGLE);
        assert_eq!(mark_one(&bank, &plan, Answer::Choice(9)).points, 0.0);
        assert_eq!(mark_one(&bank, &plan, Answer::Bool(true)).points, 0.0);
    }

    const MULTIPLE: &str = r#"type = "multiple"
choices = [{ text = "A", correct = true }, { text = "B", correct = true },
           { text = "C", feedback = "Not C." }, { text = "D" }]"#;

    #[test]
    fn multiple_partial_credit_takes_a_share_per_wrong_pick() {
        let (bank, plan) = one(MULTIPLE);
        let cases = [
            (vec![0, 1], Outcome::Correct, 2.0),
            (vec![0], Outcome::Partial, 1.0),
            (vec![0, 1, 2], Outcome::Partial, 1.0),
            (vec![0, 2], Outcome::Incorrect, 0.0),
            (vec![2, 3], Outcome::Incorrect, 0.0),
            (vec![], Outcome::Incorrect, 0.0),
        ];
        for (picked, outcome, points) in cases {
            let m = mark_one(&bank, &plan, Answer::Choices(picked.clone()));
            assert_eq!(
                (m.outcome, m.points),
                (outcome, points),
                "picked {picked:?}"
            );
        }
        let m = mark_one(&bank, &plan, Answer::Choices(vec![0, 2]));
        assert_eq!(m.feedback, vec!["Not C.".to_string()]);
        let m = mark_one(&bank, &plan, Answer::Choices(vec![0]));
        assert!(
            m.partial_rule.is_some(),
            "the trainee is told how partial credit works"
        );
    }

    #[test]
    fn multiple_all_or_nothing() {
        let (bank, plan) = one(&format!("{MULTIPLE}\nscoring = \"all\""));
        assert_eq!(
            mark_one(&bank, &plan, Answer::Choices(vec![0])).outcome,
            Outcome::Incorrect
        );
        assert_eq!(
            mark_one(&bank, &plan, Answer::Choices(vec![1, 0])).points,
            2.0
        );
    }

    #[test]
    fn true_false() {
        let (bank, plan) = one("type = \"true_false\"\nanswer = false");
        assert_eq!(
            mark_one(&bank, &plan, Answer::Bool(false)).outcome,
            Outcome::Correct
        );
        let m = mark_one(&bank, &plan, Answer::Bool(true));
        assert_eq!(
            (m.outcome, m.right_answer.as_str()),
            (Outcome::Incorrect, "False")
        );
    }

    #[test]
    fn number_with_and_without_tolerance() {
        let (bank, plan) = one("type = \"number\"\nanswer = 58");
        assert_eq!(
            mark_one(&bank, &plan, Answer::Number(58.0)).outcome,
            Outcome::Correct
        );
        assert_eq!(
            mark_one(&bank, &plan, Answer::Number(57.0)).outcome,
            Outcome::Incorrect
        );
        let (bank, plan) = one("type = \"number\"\nanswer = 190000\ntolerance = 10000");
        for (n, ok) in [
            (180000.0, true),
            (200000.0, true),
            (179999.0, false),
            (200001.0, false),
        ] {
            let m = mark_one(&bank, &plan, Answer::Number(n));
            assert_eq!(m.outcome == Outcome::Correct, ok, "{n}");
        }
        let m = mark_one(&bank, &plan, Answer::Number(1.0));
        assert_eq!(
            m.right_answer,
            "190,000 (anything from 180,000 to 200,000 was accepted)"
        );
        let (bank, plan) = one("type = \"number\"\nanswer = 6.8");
        assert_eq!(
            mark_one(&bank, &plan, Answer::Number(6.8)).outcome,
            Outcome::Correct
        );
    }

    #[test]
    fn text_ignores_case_spacing_and_trailing_punctuation() {
        let (bank, plan) = one(r#"type = "text"
accept = ["child sexual abuse material", "CSAM"]"#);
        for typed in [
            "CSAM",
            " csam. ",
            "Child  Sexual abuse MATERIAL!",
            "child sexual abuse material",
        ] {
            let m = mark_one(&bank, &plan, Answer::Text(typed.to_string()));
            assert_eq!(m.outcome, Outcome::Correct, "{typed:?}");
        }
        for typed in ["child pornography", "CSA M", "child-sexual-abuse material"] {
            let m = mark_one(&bank, &plan, Answer::Text(typed.to_string()));
            assert_eq!(m.outcome, Outcome::Incorrect, "{typed:?}");
        }
    }

    #[test]
    fn a_long_list_of_accepted_answers_is_shortened_when_shown() {
        let (bank, plan) = one(r#"type = "text"
accept = ["a", "b", "c", "d", "e", "f"]"#);
        let m = mark_one(&bank, &plan, Answer::Text("z".to_string()));
        assert_eq!(m.right_answer, "a (also accepted: b; c; d and 2 more)");
        let (bank, plan) = one(r#"type = "text"
accept = ["a", "b"]"#);
        let m = mark_one(&bank, &plan, Answer::Text("z".to_string()));
        assert_eq!(m.right_answer, "a (also accepted: b)");
    }

    #[test]
    fn order_earns_a_share_per_item_in_place() {
        let (bank, plan) = one(r#"type = "order"
items = ["one", "two", "three", "four"]"#);
        let crate::engine::plan::Layout::Order(shown) = &plan.asked[0].layout else {
            panic!("order layout")
        };
        // Shown positions of the items in the right order.
        let pos = |item: usize| shown.iter().position(|&i| i == item).unwrap();
        let right: Vec<usize> = (0..4).map(pos).collect();
        let m = mark_one(&bank, &plan, Answer::Order(right.clone()));
        assert_eq!((m.outcome, m.points), (Outcome::Correct, 2.0));
        let swapped = vec![right[1], right[0], right[2], right[3]];
        let m = mark_one(&bank, &plan, Answer::Order(swapped));
        assert_eq!((m.outcome, m.points), (Outcome::Partial, 1.0));
        let rotated = vec![right[1], right[2], right[3], right[0]];
        assert_eq!(mark_one(&bank, &plan, Answer::Order(rotated)).points, 0.0);
        assert_eq!(mark_one(&bank, &plan, Answer::Order(vec![0])).points, 0.0);
    }

    #[test]
    fn match_earns_a_share_per_pair() {
        let (bank, plan) = one(r#"type = "match"
pairs = [{ left = "Level 1", right = "Category C" }, { left = "Level 2", right = "Category B" },
         { left = "Level 3", right = "Category B" }, { left = "Level 4", right = "Category A" }]"#);
        let crate::engine::plan::Layout::Match { rights } = &plan.asked[0].layout else {
            panic!("match layout")
        };
        let Kind::Match { pairs } = &bank.questions[0].kind else {
            panic!()
        };
        let right: Vec<usize> = pairs
            .iter()
            .map(|p| rights.iter().position(|r| *r == p.right).unwrap())
            .collect();
        let m = mark_one(&bank, &plan, Answer::Match(right.clone()));
        assert_eq!((m.outcome, m.points), (Outcome::Correct, 2.0));
        let mut one_wrong = right.clone();
        one_wrong[0] = (right[0] + 1) % rights.len();
        let m = mark_one(&bank, &plan, Answer::Match(one_wrong));
        assert_eq!((m.outcome, m.points), (Outcome::Partial, 1.5));
        assert!(
            m.right_answer.contains("Level 1 → Category C"),
            "{}",
            m.right_answer
        );
    }
}
