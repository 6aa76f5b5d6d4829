//! The end of a quiz: the review of each answered question (`--review-at-end`) and the
//! result, as words for any front end (`outcomes`) or laid out for a terminal (`result`).

use std::time::Duration;

use super::answers::{self, points_of};
use super::{Feedback, Look, feedback, feedback_of, labelled, question_title, topic_words};
use crate::engine::attempt::Attempt;
use crate::engine::marking::Outcome;
use crate::util::text::{display_width, format_number};

pub const REVIEW: &str = "Review of your answers";

/// The heading over the review, for `--review-at-end`.
pub fn review_heading(look: &Look) -> String {
    format!("\n{}\n", look.style.heading(REVIEW))
}

/// One question of the review at the end, for a front end that lays it out itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed {
    pub title: String,
    pub prompt: String,
    /// What was answered, said before the verdict when it was right (the feedback says it
    /// otherwise).
    pub answered: Option<String>,
    pub feedback: Feedback,
}

/// Question `n` (from 1) of the review, if it was answered.
pub fn reviewed_one(attempt: &Attempt, n: usize, look: &Look) -> Option<Reviewed> {
    let bank = attempt.bank();
    let total = attempt.plan().asked.len();
    let asked = attempt.plan().asked.get(n.checked_sub(1)?)?;
    let mark = attempt.marks().get(n - 1)?;
    let q = &bank.questions[asked.question];
    Some(Reviewed {
        title: question_title(n, total),
        prompt: q.prompt.clone(),
        answered: (mark.outcome == Outcome::Correct).then(|| answers::given(&q.kind, &mark.given)),
        feedback: feedback_of(q, mark, look),
    })
}

/// Every answered question of the review.
pub fn reviewed(attempt: &Attempt, look: &Look) -> Vec<Reviewed> {
    (1..=attempt.marks().len())
        .filter_map(|n| reviewed_one(attempt, n, look))
        .collect()
}

/// One question again with its feedback, for `--review-at-end`: `n` counts from 1.
pub fn review_one(attempt: &Attempt, n: usize, look: &Look) -> String {
    let bank = attempt.bank();
    let (Some(r), Some(asked), Some(mark)) = (
        reviewed_one(attempt, n, look),
        attempt.plan().asked.get(n.saturating_sub(1)),
        attempt.marks().get(n.saturating_sub(1)),
    ) else {
        return String::new();
    };
    let q = &bank.questions[asked.question];
    let mut out = format!(
        "\n{}\n{}\n",
        look.style.heading(&r.title),
        look.wrap(&r.prompt)
    );
    if let Some(given) = &r.answered {
        out.push_str(&labelled("You answered:", given, look));
    }
    out.push_str(&feedback(q, mark, look));
    out
}

/// The result's words, for a front end that lays them out itself; `result` lays them out for a
/// terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcomes {
    pub heading: &'static str,
    /// "Score: 2 of 3 (66.7%). Pass mark: 80%."
    pub score: String,
    pub passed: bool,
    /// "✓ Passed." or "✗ Not passed this time." (words only in the plain mode)
    pub verdict: &'static str,
    /// Said when not passed.
    pub advice: Option<&'static str>,
    pub topics_heading: &'static str,
    /// Each topic, in words, and how it went: ("General", "1 of 1 right (2 of 2 points)").
    pub topics: Vec<(String, String)>,
    /// "Time taken: 1 min 15 s"
    pub time: String,
}

pub fn outcomes(attempt: &Attempt, elapsed: Duration, look: &Look) -> Outcomes {
    let bank = attempt.bank();
    let passed = attempt.passed();
    let (yes, no) = if look.plain {
        ("Passed.", "Not passed this time.")
    } else {
        ("✓ Passed.", "✗ Not passed this time.")
    };
    Outcomes {
        heading: "Your result",
        score: format!(
            "Score: {} of {} ({}%). Pass mark: {}%.",
            format_number(attempt.score()),
            format_number(attempt.max_score()),
            format_number(attempt.percent()),
            format_number(bank.quiz.pass_mark),
        ),
        passed,
        verdict: if passed { yes } else { no },
        advice: (!passed).then_some(
            "Read the explanations again and take the quiz once more when you are ready.",
        ),
        topics_heading: "By topic",
        topics: attempt
            .topics()
            .iter()
            .map(|t| {
                let how = format!(
                    "{} of {} right ({})",
                    t.correct,
                    t.asked,
                    points_of(t.points, t.max_points),
                );
                (topic_words(&t.topic), how)
            })
            .collect(),
        time: format!("Time taken: {}", duration(elapsed)),
    }
}

/// The score, the verdict, the topics, the time and the seed: short enough for one screen.
/// The support block follows it (`support`).
pub fn result(attempt: &Attempt, elapsed: Duration, look: &Look) -> String {
    let s = &look.style;
    let o = outcomes(attempt, elapsed, look);
    let mut out = format!("\n{}\n", s.heading(o.heading));
    out.push_str(&format!("{}\n", look.wrap(&o.score)));
    if o.passed {
        out.push_str(&format!("{}\n", s.good(o.verdict)));
    } else {
        out.push_str(&format!("{}\n", s.bad(o.verdict)));
    }
    if let Some(advice) = o.advice {
        out.push_str(&format!("{}\n", look.wrap(advice)));
    }
    out.push_str(&format!("\n{}\n", s.heading(o.topics_heading)));
    let width = o
        .topics
        .iter()
        .map(|(n, _)| display_width(n))
        .max()
        .unwrap_or(0);
    for (name, how) in &o.topics {
        let line = if look.plain {
            format!("{name}: {how}")
        } else {
            let pad = " ".repeat(width - display_width(name));
            format!("{name}{pad}  {how}")
        };
        out.push_str(&format!("{}\n", look.indent(&line, "  ")));
    }
    out.push_str(&format!("\n{}\n", o.time));
    out.push_str(&format!(
        "{}\n\n",
        look.wrap(&format!(
            "Seed {}: run the quiz again with --seed {} for the same questions in the same order.",
            attempt.plan().seed,
            attempt.plan().seed
        ))
    ));
    if !look.plain {
        // On screen the key to go on follows, one blank line below.
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out
}

pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, s) => format!("{m} min {s} s"),
    }
}
