//! `export --format markdown`: a printable handout for paper sessions. With answers it is the
//! trainer's copy (an answer key, explanations, sources); without, a blank sheet for trainees.
//! The content note and the support contacts are on both, as they are on screen.
//!
//! A sheet must not give its answers away, so the questions, their choices and order items are
//! laid out by the engine's `Plan` with a seed, shuffled as a quiz on screen is. The seed is
//! printed on the sheet; the trainer's copy made with the same seed lays everything out the same
//! way, so its answer key gives the letters the trainees see.

use crate::bank::{Bank, Kind, Question};
use crate::engine::plan::{Asked, Layout, Plan, PlanOptions};
use crate::util::text::format_number;

pub fn markdown(bank: &Bank, with_answers: bool, seed: u64) -> String {
    let q = &bank.quiz;
    let plan = Plan::new(
        bank,
        &PlanOptions {
            seed,
            shuffle: Some(true),
            ..PlanOptions::default()
        },
    )
    .expect("a plan of the whole bank, with no topic or count, always exists");
    let mut out = format!("# {}\n\n", q.title);
    if let Some(summary) = &q.summary {
        out.push_str(&format!("{summary}\n\n"));
    }
    out.push_str(&format!(
        "{} · {} questions · pass mark {}%{}\n\n",
        q.audience,
        bank.questions.len(),
        format_number(q.pass_mark),
        if with_answers {
            " · trainer's copy with answers"
        } else {
            ""
        }
    ));
    if let Some(line) = q.reviewed_line() {
        out.push_str(&format!("{line}\n\n"));
    }
    out.push_str(&format!("Sheet {seed}\n\n"));
    out.push_str("## Before you start\n\n");
    out.push_str(&quote(&q.content_note));
    out.push_str("\nName: ______________________   Date: ____________\n\n");
    out.push_str("## Questions\n\n");
    for (n, asked) in plan.asked.iter().enumerate() {
        let question = &bank.questions[asked.question];
        out.push_str(&format!("### {}. {}\n\n", n + 1, question.prompt));
        out.push_str(&sheet(question, asked));
        out.push('\n');
    }
    if with_answers {
        out.push_str(&format!(
            "## Answers\n\nFor sheet {seed}: the letters are those on the sheet made with `--seed {seed}`.\n\n"
        ));
        for (n, asked) in plan.asked.iter().enumerate() {
            let question = &bank.questions[asked.question];
            out.push_str(&format!(
                "### {}. {}\n\n",
                n + 1,
                crate::util::text::topic_words(&question.topic)
            ));
            out.push_str(&format!("**Answer:** {}\n\n", key(question, asked)));
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

/// How a question is answered on paper, laid out as the plan shows it.
fn sheet(question: &Question, asked: &Asked) -> String {
    match (&question.kind, &asked.layout) {
        (Kind::Single { choices }, Layout::Choices(order))
        | (Kind::Multiple { choices, .. }, Layout::Choices(order)) => {
            let mut s = String::from(match question.kind {
                Kind::Single { .. } => "Tick one.\n\n",
                _ => "Tick all that apply.\n\n",
            });
            for (i, &c) in order.iter().enumerate() {
                s.push_str(&format!("- [ ] {}. {}\n", letter(i), choices[c].text));
            }
            s
        }
        (Kind::TrueFalse { .. }, _) => "- [ ] True\n- [ ] False\n".to_string(),
        (Kind::Number { .. } | Kind::Text { .. }, _) => {
            "Answer: ______________________\n".to_string()
        }
        (Kind::Order { items }, Layout::Order(order)) => {
            let mut s = String::from("Number these from 1 (first) onwards.\n\n");
            for (i, &item) in order.iter().enumerate() {
                s.push_str(&format!("- ( ) {}. {}\n", letter(i), items[item]));
            }
            s
        }
        (Kind::Match { pairs }, Layout::Match { rights }) => {
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
        _ => unreachable!("a plan's layout is made from the same question's kind"),
    }
}

/// The right answer in the sheet's own letters.
fn key(question: &Question, asked: &Asked) -> String {
    match (&question.kind, &asked.layout) {
        (Kind::Single { choices }, Layout::Choices(order))
        | (Kind::Multiple { choices, .. }, Layout::Choices(order)) => order
            .iter()
            .enumerate()
            .filter(|(_, c)| choices[**c].correct)
            .map(|(i, &c)| format!("{}. {}", letter(i), choices[c].text))
            .collect::<Vec<_>>()
            .join("; "),
        (Kind::Order { items }, Layout::Order(order)) => {
            let places: Vec<String> = order
                .iter()
                .enumerate()
                .map(|(i, &item)| format!("{} {}", letter(i), item + 1))
                .collect();
            let right: Vec<String> = (0..items.len())
                .map(|item| {
                    let shown = order.iter().position(|&o| o == item).unwrap_or(item);
                    format!("{}. {}", letter(shown), items[item])
                })
                .collect();
            format!(
                "{} (first to last: {})",
                places.join(", "),
                right.join("; ")
            )
        }
        (Kind::Match { pairs }, Layout::Match { rights }) => pairs
            .iter()
            .map(|p| {
                let shown = rights.iter().position(|r| *r == p.right).unwrap_or(0);
                format!("{} → {}. {}", p.left, letter(shown), p.right)
            })
            .collect::<Vec<_>>()
            .join("; "),
        (kind, _) => kind.answer_text(),
    }
}
