//! `export --format markdown`: a printable handout for paper sessions. With answers it is the
//! trainer's copy (right answers, explanations, sources); without, a blank sheet for trainees.
//! The content note and the support contacts are on both, as they are on screen.

use crate::bank::{Bank, Kind};

pub fn markdown(bank: &Bank, with_answers: bool) -> String {
    let q = &bank.quiz;
    let mut out = format!("# {}\n\n", q.title);
    if let Some(summary) = &q.summary {
        out.push_str(&format!("{summary}\n\n"));
    }
    out.push_str(&format!(
        "{} · {} questions · pass mark {}%{}\n\n",
        q.audience,
        bank.questions.len(),
        crate::util::text::format_number(q.pass_mark),
        if with_answers {
            " · trainer's copy with answers"
        } else {
            ""
        }
    ));
    out.push_str("## Before you start\n\n");
    out.push_str(&quote(&q.content_note));
    out.push_str("\nName: ______________________   Date: ____________\n\n");
    out.push_str("## Questions\n\n");
    for (n, question) in bank.questions.iter().enumerate() {
        out.push_str(&format!("### {}. {}\n\n", n + 1, question.prompt));
        out.push_str(&sheet(&question.kind));
        out.push('\n');
    }
    if with_answers {
        out.push_str("## Answers\n\n");
        for (n, question) in bank.questions.iter().enumerate() {
            out.push_str(&format!("### {}. {}\n\n", n + 1, question.topic));
            out.push_str(&format!("**Answer:** {}\n\n", question.kind.answer_text()));
            out.push_str(&format!("**Why:** {}\n\n", question.explanation));
            if let Some(r) = &question.reference {
                out.push_str(&format!("*Source: {r}*\n\n"));
            }
        }
    }
    out.push_str("## Support\n\n");
    out.push_str(&quote(&q.support));
    out
}

fn quote(text: &str) -> String {
    let mut out: String = text.lines().map(|l| format!("> {l}  \n")).collect();
    out.push('\n');
    out
}

fn letter(i: usize) -> char {
    char::from(b'A' + (i % 26) as u8)
}

/// How a question is answered on paper.
fn sheet(kind: &Kind) -> String {
    match kind {
        Kind::Single { choices } => {
            let mut s = String::from("Tick one.\n\n");
            for (i, c) in choices.iter().enumerate() {
                s.push_str(&format!("- [ ] {}. {}\n", letter(i), c.text));
            }
            s
        }
        Kind::Multiple { choices, .. } => {
            let mut s = String::from("Tick all that apply.\n\n");
            for (i, c) in choices.iter().enumerate() {
                s.push_str(&format!("- [ ] {}. {}\n", letter(i), c.text));
            }
            s
        }
        Kind::TrueFalse { .. } => "- [ ] True\n- [ ] False\n".to_string(),
        Kind::Number { .. } | Kind::Text { .. } => "Answer: ______________________\n".to_string(),
        Kind::Order { items } => {
            // On paper the items are listed in a fixed shuffle: reversed, never the right order.
            let mut s = String::from("Number these from 1 (first) onwards.\n\n");
            for item in items.iter().rev() {
                s.push_str(&format!("- ( ) {item}\n"));
            }
            s
        }
        Kind::Match { pairs } => {
            let mut rights: Vec<&str> = Vec::new();
            for p in pairs {
                if !rights.contains(&p.right.as_str()) {
                    rights.push(&p.right);
                }
            }
            rights.sort_unstable();
            let mut s =
                String::from("Write the letter of the matching option beside each item.\n\n");
            for p in pairs {
                s.push_str(&format!("- {} → ____\n", p.left));
            }
            s.push_str("\nOptions:\n\n");
            for (i, r) in rights.iter().enumerate() {
                s.push_str(&format!("- {}. {r}\n", letter(i)));
            }
            s
        }
    }
}
