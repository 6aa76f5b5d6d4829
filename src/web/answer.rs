//! A question's form, read into an `Answer`. Each kind of control gives its values as the plain
//! front end's typed line would, and that front end's parser (`front::plain::parse_answer`)
//! decides what is a usable answer, so the two front ends accept exactly the same answers.

use crate::engine::marking::Answer;
use crate::engine::plan::Form;
use crate::front::plain::parse_answer;

/// The longest typed answer taken, in characters: the same limit as the terminal's, so a
/// trainee meets one rule whichever front end they use.
pub const MAX_ANSWER_CHARS: usize = crate::util::text::MAX_TYPED_CHARS;

/// The name of each control of `form`'s fields: one `answer` for choices, true or false, a
/// number or text; one `item1`, `item2`… per item of an order or match question.
pub fn field(i: usize) -> String {
    format!("item{}", i + 1)
}

/// Reads the submitted fields (`name`, `value` pairs) as an answer to `form`, or says why not,
/// in a sentence fit to show above the question.
pub fn read(form: &Form, fields: &[(String, String)]) -> Result<Answer, String> {
    let all = |name: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let one = |name: &str| all(name).first().map(|v| v.trim().to_string());
    let line = match form {
        Form::Single(_) | Form::TrueFalse => match one("answer") {
            Some(v) if !v.is_empty() => v,
            _ => return Err("Choose an answer.".to_string()),
        },
        Form::Multiple(_) => {
            let picked = all("answer");
            if picked.is_empty() {
                return Err("Choose at least one answer.".to_string());
            }
            picked.join(",")
        }
        Form::Number | Form::Text => {
            let typed = one("answer").unwrap_or_default();
            if typed.chars().count() > MAX_ANSWER_CHARS {
                return Err(format!(
                    "The answer is longer than {MAX_ANSWER_CHARS} characters."
                ));
            }
            if typed.is_empty() {
                return Err("Type an answer.".to_string());
            }
            typed
        }
        Form::Order(items) => {
            // Each item's select gives its position; the plain line lists the items first to
            // last.
            let mut at: Vec<Option<usize>> = vec![None; items.len()];
            for i in 0..items.len() {
                let Some(pos) = one(&field(i)).and_then(|v| v.parse::<usize>().ok()) else {
                    return Err("Choose a position for every item.".to_string());
                };
                match at.get_mut(pos.wrapping_sub(1)) {
                    Some(slot @ None) => *slot = Some(i + 1),
                    _ => return Err("Give each item a different position.".to_string()),
                }
            }
            at.iter()
                .map(|i| i.unwrap_or_default().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        }
        Form::Match { lefts, .. } => {
            let mut chosen = Vec::new();
            for i in 0..lefts.len() {
                match one(&field(i)) {
                    Some(v) if !v.is_empty() => chosen.push(v),
                    _ => return Err("Choose an option for every item.".to_string()),
                }
            }
            chosen.join(" ")
        }
    };
    parse_answer(form, &line).map_err(|why| {
        let mut why = why;
        if let Some(first) = why.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        format!("{why}.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_kind_of_control_reads_as_the_plain_line_would() {
        let abc = vec!["a", "b", "c"];
        assert_eq!(
            read(&Form::Single(abc.clone()), &fields(&[("answer", "2")])),
            Ok(Answer::Choice(1))
        );
        assert_eq!(
            read(
                &Form::Multiple(abc.clone()),
                &fields(&[("answer", "3"), ("answer", "1")])
            ),
            Ok(Answer::Choices(vec![0, 2]))
        );
        assert_eq!(
            read(&Form::TrueFalse, &fields(&[("answer", "false")])),
            Ok(Answer::Bool(false))
        );
        assert_eq!(
            read(&Form::Number, &fields(&[("answer", " 70,000 ")])),
            Ok(Answer::Number(70000.0))
        );
        assert_eq!(
            read(&Form::Text, &fields(&[("answer", "CSAM")])),
            Ok(Answer::Text("CSAM".to_string()))
        );
        // Item 1 goes third, item 2 first, item 3 second.
        assert_eq!(
            read(
                &Form::Order(abc.clone()),
                &fields(&[("item1", "3"), ("item2", "1"), ("item3", "2")])
            ),
            Ok(Answer::Order(vec![1, 2, 0]))
        );
        let m = Form::Match {
            lefts: vec!["l1", "l2"],
            rights: vec!["r1", "r2"],
        };
        assert_eq!(
            read(&m, &fields(&[("item1", "2"), ("item2", "2")])),
            Ok(Answer::Match(vec![1, 1]))
        );
    }

    #[test]
    fn what_cannot_be_read_is_said_plainly() {
        let abc = vec!["a", "b", "c"];
        assert_eq!(
            read(&Form::Single(abc.clone()), &[]),
            Err("Choose an answer.".to_string())
        );
        assert_eq!(
            read(&Form::Single(abc.clone()), &fields(&[("answer", "9")])),
            Err("\"9\" is not a number from 1 to 3.".to_string())
        );
        assert_eq!(
            read(&Form::Number, &fields(&[("answer", "lots")])),
            Err("\"lots\" is not a number; type digits, such as 58 or 70,000.".to_string())
        );
        let long = "x".repeat(MAX_ANSWER_CHARS + 1);
        assert!(read(&Form::Text, &fields(&[("answer", &long)])).is_err());
        assert_eq!(
            read(
                &Form::Order(abc.clone()),
                &fields(&[("item1", "1"), ("item2", "1"), ("item3", "2")])
            ),
            Err("Give each item a different position.".to_string())
        );
        assert_eq!(
            read(
                &Form::Order(abc),
                &fields(&[("item1", "1"), ("item2", "4"), ("item3", "2")])
            ),
            Err("Give each item a different position.".to_string())
        );
    }
}
