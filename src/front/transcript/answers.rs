//! How an answer is said: the outcome's word, what the trainee answered, the right answer, and
//! how partial credit was worked out. Marking gives the data; these are the only words for it.

use crate::bank::Kind;
use crate::engine::marking::{Given, Outcome};
use crate::util::text::format_quantity;

const MULTIPLE_RULE: &str = "Each right choice you picked earned a share of the points; each wrong \
choice picked took a share away.";
const ORDER_RULE: &str = "Each item in its right place earned an equal share of the points.";
const MATCH_RULE: &str = "Each item matched correctly earned an equal share of the points.";

/// The word shown for an outcome, always with a symbol: never colour alone.
pub fn outcome_label(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Correct => "✓ Correct",
        Outcome::Partial => "◐ Partly correct",
        Outcome::Incorrect => "✗ Incorrect",
    }
}

/// How partial credit is worked out for a question of this kind, for a partly right answer.
pub fn partial_rule(kind: &Kind) -> Option<&'static str> {
    match kind {
        Kind::Multiple { .. } => Some(MULTIPLE_RULE),
        Kind::Order { .. } => Some(ORDER_RULE),
        Kind::Match { .. } => Some(MATCH_RULE),
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
        (_, Given::Match(chosen)) => arrows(chosen.iter().map(|(l, r)| (l.as_str(), r.as_str()))),
        (_, Given::Unfit) => "(no answer)".to_string(),
    }
}

/// The right answer, said plainly; shown when the trainee missed it.
pub fn right_answer(kind: &Kind, given: &Given) -> String {
    if *given == Given::Unfit {
        return format!("(an answer to a {} question)", kind.name());
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
        Kind::Number { answer, tolerance } if *tolerance > 0.0 => format!(
            "{} (anything from {} to {} was accepted)",
            format_quantity(*answer),
            format_quantity(answer - tolerance),
            format_quantity(answer + tolerance)
        ),
        Kind::Number { answer, .. } => format_quantity(*answer),
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
        Kind::Match { pairs } => arrows(pairs.iter().map(|p| (p.left.as_str(), p.right.as_str()))),
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

fn arrows<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(l, r)| format!("- {l} → {r}"))
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
    fn a_number_is_said_with_the_range_accepted() {
        let k = kind("type = \"number\"\nanswer = 190000\ntolerance = 10000");
        assert_eq!(
            right_answer(&k, &Given::Number(1.0)),
            "190,000 (anything from 180,000 to 200,000 was accepted)"
        );
        assert_eq!(given(&k, &Given::Number(2120.0)), "2120");
        let k = kind("type = \"number\"\nanswer = 58");
        assert_eq!(right_answer(&k, &Given::Number(57.0)), "58");
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
    fn choices_are_one_line_alone_and_a_list_together() {
        let single = kind(
            "type = \"single\"\nchoices = [{ text = \"A\" }, { text = \"B\", correct = true }]",
        );
        assert_eq!(right_answer(&single, &Given::Choices(texts(&["A"]))), "B");
        assert_eq!(given(&single, &Given::Choices(texts(&["A"]))), "A");
        assert_eq!(given(&single, &Given::Choices(Vec::new())), "");
        let multiple = kind(
            "type = \"multiple\"\nchoices = [{ text = \"A\", correct = true }, \
             { text = \"B\", correct = true }, { text = \"C\" }]",
        );
        assert_eq!(
            right_answer(&multiple, &Given::Choices(Vec::new())),
            "- A\n- B"
        );
        assert_eq!(
            given(&multiple, &Given::Choices(Vec::new())),
            "(nothing chosen)"
        );
        assert_eq!(given(&multiple, &Given::Choices(texts(&["C"]))), "C");
        assert_eq!(partial_rule(&multiple), Some(MULTIPLE_RULE));
        assert_eq!(partial_rule(&single), None);
    }

    #[test]
    fn true_false_order_and_match_answers() {
        let k = kind("type = \"true_false\"\nanswer = false");
        assert_eq!(right_answer(&k, &Given::Bool(true)), "False");
        assert_eq!(given(&k, &Given::Bool(true)), "True");
        let k = kind("type = \"order\"\nitems = [\"one\", \"two\"]");
        assert_eq!(
            right_answer(&k, &Given::Order(Vec::new())),
            "1. one\n2. two"
        );
        assert_eq!(
            given(&k, &Given::Order(texts(&["two", "one"]))),
            "1. two\n2. one"
        );
        let k = kind(
            "type = \"match\"\npairs = [{ left = \"Level 1\", right = \"Category C\" }, \
             { left = \"Level 4\", right = \"Category A\" }]",
        );
        let chosen = Given::Match(vec![
            ("Level 1".to_string(), "Category A".to_string()),
            ("Level 4".to_string(), String::new()),
        ]);
        assert_eq!(
            right_answer(&k, &chosen),
            "- Level 1 → Category C\n- Level 4 → Category A"
        );
        assert_eq!(given(&k, &chosen), "- Level 1 → Category A\n- Level 4 → ");
    }

    #[test]
    fn an_answer_of_the_wrong_shape_is_said_as_none() {
        let k = kind("type = \"true_false\"\nanswer = true");
        assert_eq!(given(&k, &Given::Unfit), "(no answer)");
        assert_eq!(
            right_answer(&k, &Given::Unfit),
            "(an answer to a true_false question)"
        );
    }
}
