//! Scoring one answer: the outcome, the points, and what was answered, as data. What the
//! trainee is told about it is written by the transcript (`front::transcript`).
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
use crate::util::text::{normalize_term, sanitize};

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

/// The verdict on one answer, as data: the words for it are the transcript's.
#[derive(Debug, Clone)]
pub struct Mark {
    pub outcome: Outcome,
    pub points: f64,
    pub max_points: f64,
    /// The answer in the bank's own terms (choice texts, not positions), for records and JSON.
    pub response: Value,
    /// The answer the trainee gave, in the bank's terms, to show back.
    pub given: Given,
    /// Feedback the bank gives for the wrong choices the trainee picked.
    pub feedback: Vec<String>,
}

/// What the trainee answered, in the bank's terms and the order it was shown or given.
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    /// single or multiple: the texts of the choices picked (none, for a position not shown).
    Choices(Vec<String>),
    Bool(bool),
    Number(f64),
    /// text: what was typed, trimmed and sanitised.
    Text(String),
    /// order: the items in the order the trainee put them.
    Order(Vec<String>),
    /// match: each left item with the right option chosen for it (empty if none).
    Match(Vec<(String, String)>),
    /// An answer of the wrong shape for the question: it scores nothing.
    Unfit,
}

/// Marks `answer` to the question `asked` (of `question`). An answer of the wrong shape, or with
/// positions that were not shown, scores nothing rather than failing.
pub fn mark(question: &Question, asked: &Asked, answer: &Answer) -> Mark {
    let (fraction, response, given, feedback) = match (&question.kind, &asked.layout, answer) {
        (Kind::Single { choices }, Layout::Choices(order), Answer::Choice(pos)) => {
            let picked = order.get(*pos).map(|&i| &choices[i]);
            let fraction = f64::from(u8::from(picked.is_some_and(|c| c.correct)));
            let feedback = picked
                .filter(|c| !c.correct)
                .and_then(|c| c.feedback.clone())
                .into_iter()
                .collect();
            let text = picked.map_or(String::new(), |c| c.text.clone());
            let given = Given::Choices(picked.map(|c| c.text.clone()).into_iter().collect());
            (fraction, json!(text), given, feedback)
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
            (fraction, json!(texts), Given::Choices(texts), feedback)
        }
        (Kind::TrueFalse { answer: right }, _, Answer::Bool(b)) => (
            f64::from(u8::from(b == right)),
            json!(b),
            Given::Bool(*b),
            Vec::new(),
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
            (
                f64::from(u8::from(ok)),
                json!(n),
                Given::Number(*n),
                Vec::new(),
            )
        }
        (Kind::Text { accept }, _, Answer::Text(typed)) => {
            let typed_n = normalize_term(typed);
            let ok = accept.iter().any(|a| normalize_term(a) == typed_n);
            (
                f64::from(u8::from(ok)),
                json!(typed.trim()),
                Given::Text(sanitize(typed.trim())),
                Vec::new(),
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
            (fraction, json!(texts), Given::Order(texts), Vec::new())
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
            (
                fraction,
                Value::Array(response),
                Given::Match(chosen),
                Vec::new(),
            )
        }
        _ => (0.0, Value::Null, Given::Unfit, Vec::new()),
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
        given,
        feedback,
    }
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
        assert_eq!(wrong.given, Given::Choices(vec!["C".to_string()]));
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
        let m = mark_one(&bank, &plan, Answer::Choices(vec![2, 0]));
        assert_eq!(
            m.given,
            Given::Choices(vec!["A".to_string(), "C".to_string()]),
            "the picks in shown order"
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
            (m.outcome, m.given),
            (Outcome::Incorrect, Given::Bool(true))
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
        let one_wrong_right = one_wrong[0];
        let m = mark_one(&bank, &plan, Answer::Match(one_wrong));
        assert_eq!((m.outcome, m.points), (Outcome::Partial, 1.5));
        assert_eq!(
            m.given,
            Given::Match(vec![
                ("Level 1".to_string(), rights[one_wrong_right].clone()),
                ("Level 2".to_string(), "Category B".to_string()),
                ("Level 3".to_string(), "Category B".to_string()),
                ("Level 4".to_string(), "Category A".to_string()),
            ])
        );
    }
}
