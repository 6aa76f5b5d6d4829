//! Each question's heading and hint, the key to go on after it, and the feedback on an
//! answer, as words for any front end (`feedback_of`) or laid out for a terminal (`feedback`).

use super::answers::{self, outcome_label, points_of};
use super::{Look, labelled};
use crate::bank::Question;
use crate::engine::marking::{Mark, Outcome};

/// Said under the feedback in the interactive mode: what the next key does.
pub fn carry_on(next: usize, total: usize) -> String {
    if next > total {
        "Press any key to see your result (Esc to stop the quiz).".to_string()
    } else {
        format!("Press any key for question {next} of {total} (Esc to stop the quiz).")
    }
}

/// Said under one question's review, when more follow.
pub fn carry_on_review(next: usize, total: usize) -> String {
    if next > total {
        "Press any key to see your result.".to_string()
    } else {
        format!("Press any key for the review of question {next} of {total}.")
    }
}

/// Said under the result in the interactive mode, before the support block.
pub const CARRY_ON_SUPPORT: &str = "Press any key to see where to find support.";

/// Said under the last feedback (or the last question's review) on a kiosk, where the support
/// comes before the result, so that the result is on screen when the next person is called.
pub const CARRY_ON_SUPPORT_FIRST: &str =
    "Press any key for support contacts, then your result (Esc to stop the quiz).";
pub const CARRY_ON_REVIEW_SUPPORT_FIRST: &str =
    "Press any key for support contacts, then your result.";

/// Said under the support block on a kiosk, before the result.
pub const CARRY_ON_RESULT: &str = "Press any key to see your result.";

/// Said under the opening screen when it is taller than the terminal.
pub const CARRY_ON_MORE: &str = "Press any key to read on.";

/// "Question 3 of 10"
pub fn question_title(number: usize, total: usize) -> String {
    format!("Question {number} of {total}")
}

/// What is said under a question's prompt, if anything, before it is answered.
pub fn question_hint(question: &Question) -> Option<&'static str> {
    // Only a multiple-choice question needs saying apart from the widget and the answer cue:
    // otherwise it looks just like a single-choice one.
    match question.kind.name() {
        "multiple" if !question.prompt.to_lowercase().contains("all that apply") => {
            Some("Choose all that apply.")
        }
        _ => None,
    }
}

pub fn question_heading(number: usize, total: usize, question: &Question, look: &Look) -> String {
    let hint = question_hint(question)
        .map(|h| format!("{}\n", look.wrap(h)))
        .unwrap_or_default();
    // The topic is not shown here: a topic name can give the answer away. It appears in the
    // breakdown at the end.
    format!(
        "\n{}\n{}\n{hint}",
        look.style.heading(&question_title(number, total)),
        look.wrap(&question.prompt),
    )
}

/// What the trainee is told about one answer, in order, for a front end that lays it out
/// itself; `feedback` lays it out for a terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub outcome: Outcome,
    /// The outcome's word (with its symbol, but not in the plain mode): "✓ Correct".
    pub verdict: &'static str,
    /// "1 of 2 points"
    pub points: String,
    pub lines: Vec<Line>,
}

/// One line of feedback.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// A label and its text; the text may be a list, one item per line.
    Labelled(&'static str, String),
    /// A heading and the answer said part by part, one line each.
    Parts(&'static str, Vec<String>),
    /// A sentence on its own, such as how partial credit was worked out.
    Said(String),
    /// Where the point comes from: "Source: …".
    Source(String),
}

pub fn feedback_of(question: &Question, mark: &Mark, look: &Look) -> Feedback {
    let mut lines = Vec::new();
    let kind = &question.kind;
    if mark.outcome != Outcome::Correct {
        if answers::said_in_parts(kind, &mark.given) {
            lines.push(Line::Parts(
                answers::parts_heading(kind),
                answers::parts(kind, &mark.given),
            ));
            if matches!(kind, crate::bank::Kind::Order { .. }) {
                let right = answers::right_answer(kind, &mark.given);
                lines.push(Line::Labelled("The right answer:", right));
            }
        } else {
            let given = answers::given(kind, &mark.given);
            let right = answers::right_answer(kind, &mark.given);
            lines.push(Line::Labelled("You answered:", given));
            lines.push(Line::Labelled("The right answer:", right));
        }
    }
    if mark.outcome == Outcome::Partial
        && let Some(rule) = answers::partial_credit(kind, &mark.given, mark.points, mark.max_points)
    {
        lines.push(Line::Said(rule));
    }
    // Two wrong choices can share one piece of feedback: it is said once.
    let mut said: Vec<&String> = Vec::new();
    for f in &mark.feedback {
        if !said.contains(&f) {
            said.push(f);
            lines.push(Line::Labelled("About your choice:", f.clone()));
        }
    }
    lines.push(Line::Labelled("Why:", question.explanation.clone()));
    if let Some(r) = &question.reference {
        lines.push(Line::Source(format!("Source: {r}")));
    }
    Feedback {
        outcome: mark.outcome,
        verdict: outcome_label(mark.outcome, !look.plain),
        points: points_of(mark.points, mark.max_points),
        lines,
    }
}

/// What the trainee is told about one answer.
pub fn feedback(question: &Question, mark: &Mark, look: &Look) -> String {
    let s = &look.style;
    let f = feedback_of(question, mark, look);
    let label = match f.outcome {
        Outcome::Correct => s.good(f.verdict),
        Outcome::Partial => s.partial(f.verdict),
        Outcome::Incorrect => s.bad(f.verdict),
    };
    let mut out = format!("\n{label} ({})\n", f.points);
    for line in &f.lines {
        match line {
            Line::Labelled(label, text) => out.push_str(&labelled(label, text, look)),
            Line::Parts(heading, parts) => {
                out.push_str(&format!("{}\n", s.heading(heading)));
                for part in parts {
                    out.push_str(&format!("{}\n", look.indent(part, "  ")));
                }
            }
            Line::Said(text) | Line::Source(text) => {
                out.push_str(&format!("{}\n", look.wrap(text)));
            }
        }
    }
    out
}
