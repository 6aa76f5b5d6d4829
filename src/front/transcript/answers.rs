//! How an answer is said: the outcome's word, what the trainee answered, the right answer, each
//! part of a match, order or multiple-choice answer marked in words, and how the points of a
//! partly right answer were worked out. Marking gives the data; these are the only words for it.

use crate::bank::kind::number_text;
use crate::bank::{Kind, Scoring};
use crate::engine::marking::{Given, Outcome};
use crate::util::text::{format_number, format_quantity};

/// The word for an outcome. With `symbols` (the interactive mode) a symbol goes before it, so
/// that the outcome never rests on colour alone; the plain mode says the word only, since a
/// screen reader reads a symbol as noise.
pub fn outcome_label(outcome: Outcome, symbols: bool) -> &'static str {
    match (outcome, symbols) {
        (Outcome::Correct, true) => "✓ Correct",
        (Outcome::Partial, true) => "◐ Partly correct",
        (Outcome::Incorrect, true) => "✗ Incorrect",
        (Outcome::Correct, false) => "Correct",
        (Outcome::Partial, false) => "Partly correct",
        (Outcome::Incorrect, false) => "Incorrect",
    }
}

/// "1 point", "0.5 of 2 points": a number of points, said as a person would.
pub fn points(n: f64) -> String {
    format!(
        "{} point{}",
        format_number(n),
        if n == 1.0 { "" } else { "s" }
    )
}

/// "0.5 of 1 point", "0 of 2 points".
pub fn points_of(got: f64, max: f64) -> String {
    format!("{} of {}", format_number(got), points(max))
}

/// Whether the answer to a question of this kind is said part by part (`parts`) rather than
/// as "You answered" and "The right answer".
pub fn said_in_parts(kind: &Kind, given: &Given) -> bool {
    matches!(
        (kind, given),
        (Kind::Multiple { .. }, Given::Choices(_))
            | (Kind::Order { .. }, Given::Order(_))
            | (Kind::Match { .. }, Given::Match(_))
    )
}

/// The heading over the parts of an answer.
pub fn parts_heading(kind: &Kind) -> &'static str {
    match kind {
        Kind::Multiple { .. } => "Each choice:",
        Kind::Order { .. } => "Each position:",
        _ => "Each item:",
    }
}

/// Each part of a multiple-choice, order or match answer marked in words, one per line:
/// "a) Level 1: you chose Category C, right"; "- you left it out, but it is a right answer: B".
/// Empty for other kinds.
pub fn parts(kind: &Kind, given: &Given) -> Vec<String> {
    match (kind, given) {
        (Kind::Multiple { choices, .. }, Given::Choices(picked)) => choices
            .iter()
            .map(|c| {
                let chose = picked.contains(&c.text);
                // The verdict first: a choice's text can be a long sentence.
                let verdict = match (chose, c.correct) {
                    (true, true) => "you chose it, right",
                    (true, false) => "you chose it, but it is not a right answer",
                    (false, true) => "you left it out, but it is a right answer",
                    (false, false) => "you left it out, right",
                };
                format!("- {verdict}: {}", c.text)
            })
            .collect(),
        (Kind::Order { items }, Given::Order(put)) => put
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let belongs = items.iter().position(|t| t == item).map(|j| j + 1);
                match belongs {
                    Some(j) if j == i + 1 => {
                        format!("- position {}: you put {item}, right", i + 1)
                    }
                    Some(j) => format!(
                        "- position {}: you put {item}, it belongs in position {j}",
                        i + 1
                    ),
                    None => format!("- position {}: you put {item}", i + 1),
                }
            })
            .collect(),
        (Kind::Match { pairs }, Given::Match(chosen)) => pairs
            .iter()
            .enumerate()
            .map(|(i, pair)| {
                let chose = chosen
                    .iter()
                    .find(|(l, _)| *l == pair.left)
                    .map_or("", |(_, r)| r.as_str());
                let marker = letter(i);
                if chose.is_empty() {
                    format!(
                        "{marker}) {}: you chose nothing, it is {}",
                        pair.left, pair.right
                    )
                } else if chose == pair.right {
                    format!("{marker}) {}: you chose {chose}, right", pair.left)
                } else {
                    format!(
                        "{marker}) {}: you chose {chose}, wrong: it is {}",
                        pair.left, pair.right
                    )
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The letter the plain mode gives the `i`th item of a match question ("a", "b", ...).
pub fn letter(i: usize) -> String {
    char::from_u32(u32::from(b'a') + i as u32)
        .filter(|c| c.is_ascii_lowercase())
        .map_or_else(|| format!("item {}", i + 1), String::from)
}

/// How the points of a partly right answer were worked out, for the answer given:
/// "You matched 1 of 3 items correctly; each is worth an equal share, so 0.33 of 1 point."
pub fn partial_credit(kind: &Kind, given: &Given, got: f64, max: f64) -> Option<String> {
    let earned = points_of(got, max);
    match (kind, given) {
        (
            Kind::Multiple {
                choices,
                scoring: Scoring::Partial,
            },
            Given::Choices(picked),
        ) => {
            let right = choices.iter().filter(|c| c.correct).count();
            let hits = choices
                .iter()
                .filter(|c| c.correct && picked.contains(&c.text))
                .count();
            let wrong = choices
                .iter()
                .filter(|c| !c.correct && picked.contains(&c.text))
                .count();
            let taken = match wrong {
                0 => "none of the wrong ones".to_string(),
                1 => "1 wrong one, which took a share away".to_string(),
                n => format!("{n} wrong ones, which each took a share away"),
            };
            Some(format!(
                "You chose {hits} of the {right} right answers, each worth an equal share, and \
                 {taken}: {earned}."
            ))
        }
        (Kind::Order { items }, Given::Order(put)) => {
            let placed = put.iter().zip(items).filter(|(a, b)| a == b).count();
            Some(format!(
                "You put {placed} of the {} items in their right place; each is worth an equal \
                 share: {earned}.",
                items.len()
            ))
        }
        (Kind::Match { pairs }, Given::Match(chosen)) => {
            let matched = pairs
                .iter()
                .filter(|p| chosen.iter().any(|(l, r)| *l == p.left && *r == p.right))
                .count();
            Some(format!(
                "You matched {matched} of the {} items correctly; each is worth an equal share: \
                 {earned}.",
                pairs.len()
            ))
        }
        _ => None,
    }
}

/// The answer the trainee gave, as a sentence fragment to show back.
pub fn given(kind: &Kind, given: &Given) -> String {
    match (kind, given) {
        (Kind::Multiple { .. }, Given::Choices(texts)) if texts.is_empty() => {
            "(nothing chosen)".to_string()
        }
        (Kind::Multiple { .. }, Given::Choices(texts)) => bullets(texts),
        (_, Given::Choices(texts)) => texts.first().cloned().unwrap_or_default(),
        (_, Given::Bool(b)) => true_false(*b).to_string(),
        (_, Given::Number(n)) => format_quantity(*n),
        (_, Given::Text(typed)) => typed.clone(),
        (_, Given::Order(items)) => numbered(items),
        (_, Given::Match(chosen)) => pairs(chosen.iter().map(|(l, r)| (l.as_str(), r.as_str()))),
        (_, Given::Unfit) => "(no answer)".to_string(),
    }
}

/// The right answer, said plainly; shown when the trainee missed it.
pub fn right_answer(kind: &Kind, given: &Given) -> String {
    if *given == Given::Unfit {
        return format!("(an answer to a {} question)", kind_words(kind));
    }
    match kind {
        Kind::Single { choices } => choices
            .iter()
            .find(|c| c.correct)
            .map_or(String::new(), |c| c.text.clone()),
        Kind::Multiple { choices, .. } => {
            let right: Vec<&str> = choices
                .iter()
                .filter(|c| c.correct)
                .map(|c| c.text.as_str())
                .collect();
            bullets(&right)
        }
        Kind::TrueFalse { answer } => true_false(*answer).to_string(),
        Kind::Number { answer, tolerance } => number_text(*answer, *tolerance),
        Kind::Text { accept } => match accept.as_slice() {
            [one] => one.clone(),
            // A long list of variants buries the answer; a few show the idea.
            [first, rest @ ..] if rest.len() > 3 => format!(
                "{first} (also accepted: {} and {} more)",
                rest[..3].join("; "),
                rest.len() - 3
            ),
            [first, rest @ ..] => format!("{first} (also accepted: {})", rest.join("; ")),
            [] => String::new(),
        },
        Kind::Order { items } => numbered(items),
        Kind::Match { pairs: p } => pairs(p.iter().map(|p| (p.left.as_str(), p.right.as_str()))),
    }
}

/// A kind of question in words: "true or false", not `true_false`.
fn kind_words(kind: &Kind) -> &'static str {
    match kind {
        Kind::Single { .. } => "single-choice",
        Kind::Multiple { .. } => "multiple-choice",
        Kind::TrueFalse { .. } => "true or false",
        Kind::Number { .. } => "number",
        Kind::Text { .. } => "typed-answer",
        Kind::Order { .. } => "put-in-order",
        Kind::Match { .. } => "matching",
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

/// Match pairs in words, one per line: "- Level 1: Category C".
fn pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(l, r)| {
            if r.is_empty() {
                format!("- {l}: (nothing chosen)")
            } else {
                format!("- {l}: {r}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::validate_source;

    /// The kind of a bank's one question with the given body.
    fn kind(body: &str) -> Kind {
        let src = format!(
            "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\n\
             [[question]]\nid = \"q\"\nprompt = \"P\"\nexplanation = \"E\"\n{body}"
        );
        let bank = validate_source(&src).unwrap_or_else(|e| panic!("{body}: {e:?}"));
        bank.questions[0].kind.clone()
    }

    fn texts(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_number_is_said_with_the_range_accepted_the_same_way_as_in_a_handout() {
        let k = kind("type = \"number\"\nanswer = 190000\ntolerance = 10000");
        assert_eq!(
            right_answer(&k, &Given::Number(1.0)),
            "190,000 (anything from 180,000 to 200,000 is accepted)"
        );
        assert_eq!(right_answer(&k, &Given::Number(1.0)), k.answer_text());
        assert_eq!(given(&k, &Given::Number(2120.0)), "2120");
        let k = kind("type = \"number\"\nanswer = 58");
        assert_eq!(right_answer(&k, &Given::Number(57.0)), "58");
    }

    #[test]
    fn points_are_singular_only_for_one() {
        assert_eq!(points_of(0.5, 1.0), "0.5 of 1 point");
        assert_eq!(points_of(1.0, 2.0), "1 of 2 points");
        assert_eq!(points(1.0), "1 point");
    }

    #[test]
    fn a_long_list_of_accepted_answers_is_shortened_when_shown() {
        let k = kind("type = \"text\"\naccept = [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]");
        let typed = Given::Text("z".to_string());
        assert_eq!(
            right_answer(&k, &typed),
            "a (also accepted: b; c; d and 2 more)"
        );
        let k = kind("type = \"text\"\naccept = [\"a\", \"b\"]");
        assert_eq!(right_answer(&k, &typed), "a (also accepted: b)");
        assert_eq!(given(&k, &typed), "z");
    }

    #[test]
    fn each_choice_of_a_multiple_choice_answer_is_marked_in_words() {
        let multiple = kind(
            "type = \"multiple\"\nchoices = [{ text = \"A\", correct = true }, \
             { text = \"B\", correct = true }, { text = \"C\" }, { text = \"D\" }]",
        );
        let picked = Given::Choices(texts(&["A", "C"]));
        assert_eq!(
            parts(&multiple, &picked),
            [
                "- you chose it, right: A",
                "- you left it out, but it is a right answer: B",
                "- you chose it, but it is not a right answer: C",
                "- you left it out, right: D",
            ]
        );
        assert_eq!(
            partial_credit(&multiple, &Given::Choices(texts(&["A"])), 0.5, 1.0).unwrap(),
            "You chose 1 of the 2 right answers, each worth an equal share, and none of the \
             wrong ones: 0.5 of 1 point."
        );
        assert_eq!(
            partial_credit(
                &multiple,
                &Given::Choices(texts(&["A", "B", "C"])),
                0.5,
                1.0
            )
            .unwrap(),
            "You chose 2 of the 2 right answers, each worth an equal share, and 1 wrong one, \
             which took a share away: 0.5 of 1 point."
        );
        assert_eq!(
            given(&multiple, &Given::Choices(Vec::new())),
            "(nothing chosen)"
        );
        let single = kind(
            "type = \"single\"\nchoices = [{ text = \"A\" }, { text = \"B\", correct = true }]",
        );
        assert_eq!(right_answer(&single, &Given::Choices(texts(&["A"]))), "B");
        assert_eq!(given(&single, &Given::Choices(texts(&["A"]))), "A");
        assert!(parts(&single, &Given::Choices(texts(&["A"]))).is_empty());
        assert_eq!(
            partial_credit(&single, &Given::Choices(Vec::new()), 0.0, 1.0),
            None
        );
    }

    #[test]
    fn each_position_of_an_order_answer_is_marked_in_words() {
        let k = kind("type = \"order\"\nitems = [\"one\", \"two\", \"three\"]");
        let put = Given::Order(texts(&["two", "one", "three"]));
        assert_eq!(
            parts(&k, &put),
            [
                "- position 1: you put two, it belongs in position 2",
                "- position 2: you put one, it belongs in position 1",
                "- position 3: you put three, right",
            ]
        );
        assert_eq!(
            partial_credit(&k, &put, 1.0 / 3.0, 1.0).unwrap(),
            "You put 1 of the 3 items in their right place; each is worth an equal share: \
             0.33 of 1 point."
        );
        assert_eq!(right_answer(&k, &put), "1. one\n2. two\n3. three");
    }

    #[test]
    fn each_item_of_a_match_answer_is_marked_in_words() {
        let k = kind(
            "type = \"match\"\npairs = [{ left = \"Level 1\", right = \"Category C\" }, \
             { left = \"Level 4\", right = \"Category A\" }, { left = \"Level 2\", right = \"Category B\" }]",
        );
        let chosen = Given::Match(vec![
            ("Level 1".to_string(), "Category C".to_string()),
            ("Level 4".to_string(), "Category B".to_string()),
            ("Level 2".to_string(), String::new()),
        ]);
        assert_eq!(
            parts(&k, &chosen),
            [
                "a) Level 1: you chose Category C, right",
                "b) Level 4: you chose Category B, wrong: it is Category A",
                "c) Level 2: you chose nothing, it is Category B",
            ]
        );
        assert_eq!(
            partial_credit(&k, &chosen, 1.0 / 3.0, 2.0).unwrap(),
            "You matched 1 of the 3 items correctly; each is worth an equal share: 0.33 of 2 \
             points."
        );
        assert_eq!(
            given(&k, &chosen),
            "- Level 1: Category C\n- Level 4: Category B\n- Level 2: (nothing chosen)"
        );
    }

    #[test]
    fn an_answer_of_the_wrong_shape_is_said_as_none() {
        let k = kind("type = \"true_false\"\nanswer = true");
        assert_eq!(given(&k, &Given::Unfit), "(no answer)");
        assert_eq!(
            right_answer(&k, &Given::Unfit),
            "(an answer to a true or false question)"
        );
    }

    #[test]
    fn the_plain_mode_says_outcomes_without_symbols() {
        assert_eq!(outcome_label(Outcome::Partial, false), "Partly correct");
        assert_eq!(outcome_label(Outcome::Partial, true), "◐ Partly correct");
    }
}
