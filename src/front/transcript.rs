//! The words a trainee reads around the questions: the opening screen, each question's heading,
//! the feedback on an answer, and the result. Pure functions from engine values to text, shared
//! by both front ends so that the plain mode says everything the interactive one does.

pub mod answers;

use std::time::Duration;

use crate::bank::{Bank, Question, minutes_for as minutes};
use crate::engine::attempt::Attempt;
use crate::engine::marking::{Mark, Outcome};
use crate::front::style::Style;
use crate::util::text::{format_number, reflow, wrap};
use answers::outcome_label;

/// How to lay text out: with colour or not, wrapped to a width or left to the terminal (the plain
/// mode does not wrap, so that screen readers and braille displays get whole sentences).
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub style: Style,
    pub width: Option<usize>,
}

impl Look {
    /// Joins the text's soft line breaks (see `text::reflow`), then wraps it to the width.
    pub fn wrap(&self, text: &str) -> String {
        let text = reflow(text);
        match self.width {
            Some(w) => wrap(&text, w),
            None => text,
        }
    }

    fn indent(&self, text: &str, by: &str) -> String {
        let narrower = Look {
            width: self.width.map(|w| w.saturating_sub(by.len()).max(20)),
            ..*self
        };
        narrower
            .wrap(text)
            .lines()
            .map(|l| format!("{by}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The opening screen's words, for a front end that lays them out itself (the browser); `intro`
/// lays them out for a terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    pub title: String,
    pub summary: Option<String>,
    /// "10 questions · pass mark 80% · about 10 minutes"
    pub counts: String,
    pub note_heading: &'static str,
    pub note: String,
    pub support_heading: &'static str,
    pub support: String,
}

pub const BEFORE_YOU_START: &str = "Before you start";
pub const SUPPORT: &str = "Support";

pub fn opening(bank: &Bank, questions: usize) -> Opening {
    let q = &bank.quiz;
    Opening {
        title: q.title.clone(),
        summary: q.summary.clone(),
        counts: format!(
            "{} question{} · pass mark {}% · about {} minute{}",
            questions,
            plural(questions),
            format_number(q.pass_mark),
            minutes(questions),
            plural(minutes(questions)),
        ),
        note_heading: BEFORE_YOU_START,
        note: q.content_note.clone(),
        support_heading: SUPPORT,
        support: q.support.clone(),
    }
}

pub fn intro(bank: &Bank, questions: usize, look: &Look) -> String {
    let o = opening(bank, questions);
    let s = &look.style;
    let mut out = format!("\n{}\n", s.heading(&o.title));
    if let Some(summary) = &o.summary {
        out.push_str(&format!("{}\n", look.wrap(summary)));
    }
    out.push_str(&format!("{}\n\n", o.counts));
    out.push_str(&format!(
        "{}\n{}\n\n",
        s.heading(o.note_heading),
        look.wrap(&o.note)
    ));
    out.push_str(&support(bank, look));
    out
}

pub fn support(bank: &Bank, look: &Look) -> String {
    format!(
        "{}\n{}\n",
        look.style.heading(SUPPORT),
        look.wrap(&bank.quiz.support)
    )
}

/// Said when the trainee would rather not start after reading the opening screen.
pub fn not_started() -> String {
    "\nThat is fine. You can come back to this quiz whenever you are ready.\n".to_string()
}

/// Said when a resumed attempt carries on.
pub fn welcome_back(answered: usize, total: usize) -> String {
    format!(
        "\nWelcome back. You answered {answered} of {total} questions last time; carrying on \
         from question {}.\n",
        (answered + 1).min(total)
    )
}

/// Said after each answer when the answers are reviewed only at the end.
pub fn answer_saved() -> String {
    "Answer saved.\n".to_string()
}

/// Said when a recorded attempt's result is in the store.
pub fn recorded() -> String {
    "Your result has been recorded.\n".to_string()
}

/// Said when the trainee stops the quiz.
pub fn stopped() -> String {
    "\nQuiz stopped; no score recorded.\n".to_string()
}

/// How to carry on with a stopped attempt whose answers are kept: `quiz` and `name` as they
/// would be typed in a shell.
pub fn how_to_resume(answered: usize, quiz: &str, name: &str) -> String {
    format!(
        "Your {answered} answer{} so far {} kept. To carry on later where you stopped:\n  \
         sgquiz run {quiz} --name {name} --resume\n",
        plural(answered),
        if answered == 1 { "is" } else { "are" },
    )
}

/// The menu of bundled quizzes: its heading, its question, and one line per quiz.
pub fn menu_heading() -> String {
    "sgquiz: safeguarding training quizzes\n\n".to_string()
}

pub const MENU_QUESTION: &str = "Which quiz would you like to take?";

/// A quiz in the menu, short enough to fit one line of a normal terminal: the audience said
/// briefly.
pub fn menu_line(bank: &Bank) -> String {
    let audience = match bank.quiz.audience.as_str() {
        "Designated safeguarding leads" => "for DSLs",
        "All staff" => "all staff",
        other => other,
    };
    format!(
        "{} · {} questions, {} min · {audience}",
        bank.quiz.title,
        bank.questions.len(),
        bank.minutes(),
    )
}

/// The kiosk's greeting to each trainee in turn.
pub fn kiosk_welcome(title: &str, look: &Look) -> String {
    let welcome = "Welcome. Please give your name, then take the quiz. When you have read your \
                   result, the screen is cleared for the next person.";
    format!(
        "\n{}\n{}\n\n",
        look.style.heading(title),
        look.width.map_or(welcome.to_string(), |w| wrap(welcome, w))
    )
}

/// Said when the kiosk's session is closed while the kiosk runs.
pub fn kiosk_session_closed() -> String {
    "\nThis session has been closed, so the kiosk stops here.\n".to_string()
}

/// Said when the kiosk stops; `code` as shown to trainers.
pub fn kiosk_closed(code: &str) -> String {
    format!("\nThe kiosk has closed. See the results with: sgquiz report --session {code}\n")
}

/// The question that asks a trainee's name, and what is said when the name will not do.
pub const ASK_NAME: &str = "Your name, for the training record:";

pub fn name_refused(why: &str) -> String {
    format!("Sorry, {why}. Please try again.\n")
}

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
        .map(|h| format!("{}\n", look.style.dim(h)))
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
    /// The outcome's word with its symbol: "✓ Correct".
    pub verdict: &'static str,
    /// "(1 of 2 points)"
    pub points: String,
    pub lines: Vec<Line>,
}

/// One line of feedback.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// A label and its text; the text may be a list, one item per line.
    Labelled(&'static str, String),
    /// A sentence on its own, such as how partial credit is worked out.
    Said(String),
    /// Where the point comes from: "Source: …", said quietly.
    Source(String),
}

pub fn feedback_of(question: &Question, mark: &Mark) -> Feedback {
    let mut lines = Vec::new();
    if mark.outcome != Outcome::Correct {
        let given = answers::given(&question.kind, &mark.given);
        let right = answers::right_answer(&question.kind, &mark.given);
        lines.push(Line::Labelled("You answered:", given));
        lines.push(Line::Labelled("The right answer:", right));
    }
    if mark.outcome == Outcome::Partial
        && let Some(rule) = answers::partial_rule(&question.kind)
    {
        lines.push(Line::Said(rule.to_string()));
    }
    for f in &mark.feedback {
        lines.push(Line::Labelled("About your choice:", f.clone()));
    }
    lines.push(Line::Labelled("Why:", question.explanation.clone()));
    if let Some(r) = &question.reference {
        lines.push(Line::Source(format!("Source: {r}")));
    }
    Feedback {
        outcome: mark.outcome,
        verdict: outcome_label(mark.outcome),
        points: format!(
            "({} of {} point{})",
            format_number(mark.points),
            format_number(mark.max_points),
            plural_f(mark.max_points)
        ),
        lines,
    }
}

/// What the trainee is told about one answer.
pub fn feedback(question: &Question, mark: &Mark, look: &Look) -> String {
    let s = &look.style;
    let f = feedback_of(question, mark);
    let label = match f.outcome {
        Outcome::Correct => s.good(f.verdict),
        Outcome::Partial => s.partial(f.verdict),
        Outcome::Incorrect => s.bad(f.verdict),
    };
    let mut out = format!("\n{label} {}\n", f.points);
    for line in &f.lines {
        match line {
            Line::Labelled(label, text) => out.push_str(&labelled(label, text, look)),
            Line::Said(text) => out.push_str(&format!("{}\n", look.wrap(text))),
            Line::Source(text) => out.push_str(&format!("{}\n", s.dim(&look.wrap(text)))),
        }
    }
    out
}

fn labelled(label: &str, text: &str, look: &Look) -> String {
    if text.contains('\n') {
        format!(
            "{}\n{}\n",
            look.style.heading(label),
            look.indent(text, "  ")
        )
    } else {
        format!(
            "{}\n",
            look.wrap(&format!("{} {text}", look.style.heading(label)))
        )
    }
}

pub const REVIEW: &str = "Review of your answers";

/// One question of the review at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Reviewed {
    pub title: String,
    pub prompt: String,
    /// What was answered, said before the verdict when it was right (the feedback says it
    /// otherwise).
    pub answered: Option<String>,
    pub feedback: Feedback,
}

pub fn reviewed(attempt: &Attempt) -> Vec<Reviewed> {
    let bank = attempt.bank();
    let total = attempt.marks().len();
    attempt
        .plan()
        .asked
        .iter()
        .zip(attempt.marks())
        .enumerate()
        .map(|(n, (asked, mark))| {
            let q = &bank.questions[asked.question];
            Reviewed {
                title: question_title(n + 1, total),
                prompt: q.prompt.clone(),
                answered: (mark.outcome == Outcome::Correct)
                    .then(|| answers::given(&q.kind, &mark.given)),
                feedback: feedback_of(q, mark),
            }
        })
        .collect()
}

/// Every question again with its feedback, for `--review-at-end`.
pub fn review(attempt: &Attempt, look: &Look) -> String {
    let bank = attempt.bank();
    let mut out = format!("\n{}\n", look.style.heading(REVIEW));
    for ((asked, mark), r) in attempt
        .plan()
        .asked
        .iter()
        .zip(attempt.marks())
        .zip(reviewed(attempt))
    {
        let q = &bank.questions[asked.question];
        out.push_str(&format!(
            "\n{}\n{}\n",
            look.style.heading(&r.title),
            look.wrap(&r.prompt)
        ));
        if let Some(given) = &r.answered {
            out.push_str(&labelled("You answered:", given, look));
        }
        out.push_str(&feedback(q, mark, look));
    }
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
    /// "✓ Passed." or "✗ Not passed this time."
    pub verdict: &'static str,
    /// Said when not passed.
    pub advice: Option<&'static str>,
    pub topics_heading: &'static str,
    /// Each topic and how it went: ("general", "1 of 1 right (2 of 2 points)").
    pub topics: Vec<(String, String)>,
    /// "Time taken: 1 min 15 s"
    pub time: String,
}

pub fn outcomes(attempt: &Attempt, elapsed: Duration) -> Outcomes {
    let bank = attempt.bank();
    let passed = attempt.passed();
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
        verdict: if passed {
            "✓ Passed."
        } else {
            "✗ Not passed this time."
        },
        advice: (!passed).then_some(
            "Read the explanations again and take the quiz once more when you are ready.",
        ),
        topics_heading: "By topic",
        topics: attempt
            .topics()
            .into_iter()
            .map(|t| {
                let how = format!(
                    "{} of {} right ({} of {} points)",
                    t.correct,
                    t.asked,
                    format_number(t.points),
                    format_number(t.max_points),
                );
                (t.topic, how)
            })
            .collect(),
        time: format!("Time taken: {}", duration(elapsed)),
    }
}

pub fn result(attempt: &Attempt, elapsed: Duration, look: &Look) -> String {
    let s = &look.style;
    let bank = attempt.bank();
    let o = outcomes(attempt, elapsed);
    let mut out = format!("\n{}\n", s.heading(o.heading));
    out.push_str(&format!("{}\n", o.score));
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
        .map(|(t, _)| t.chars().count())
        .max()
        .unwrap_or(0);
    for (topic, how) in &o.topics {
        out.push_str(&format!("  {topic:width$}  {how}\n"));
    }
    out.push_str(&format!("\n{}\n", o.time));
    out.push_str(&format!(
        "{}\n\n",
        s.dim(&look.wrap(&format!(
            "Seed {}: run the quiz again with --seed {} for the same questions in the same order.",
            attempt.plan().seed,
            attempt.plan().seed
        )))
    ));
    out.push_str(&support(bank, look));
    out
}

pub fn duration(d: Duration) -> String {
    let secs = d.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s} s"),
        (m, s) => format!("{m} min {s} s"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn plural_f(n: f64) -> &'static str {
    if n == 1.0 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::validate_source;
    use crate::engine::marking::{Answer, mark};
    use crate::engine::plan::{Plan, PlanOptions};

    const BANK: &str = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"A quiz\"\n\
        summary = \"What it covers.\"\nshuffle = false\ncontent_note = \"A note.\"\n\
        support = \"Who to ask.\"\n\
        [[question]]\nid = \"a\"\nprompt = \"Which?\"\nexplanation = \"Because B.\"\n\
        reference = \"A guide\"\npoints = 2\ntype = \"single\"\n\
        choices = [{ text = \"A\", feedback = \"Not A.\" }, { text = \"B\", correct = true }]\n\
        [[question]]\nid = \"b\"\ntopic = \"other\"\nprompt = \"Pick\"\nexplanation = \"E.\"\n\
        type = \"multiple\"\n\
        choices = [{ text = \"X\", correct = true }, { text = \"Y\", correct = true }, { text = \"Z\" }]\n";

    fn plain() -> Look {
        Look {
            style: Style::plain(),
            width: None,
        }
    }

    fn bank_and_plan() -> (Bank, Plan) {
        let bank = validate_source(BANK).unwrap();
        let plan = Plan::new(&bank, &PlanOptions::default()).unwrap();
        (bank, plan)
    }

    #[test]
    fn the_opening_screen_has_the_note_and_the_support() {
        let (bank, _) = bank_and_plan();
        assert_eq!(
            intro(&bank, 2, &plain()),
            "\nA quiz\nWhat it covers.\n2 questions · pass mark 80% · about 2 minutes\n\n\
             Before you start\nA note.\n\nSupport\nWho to ask.\n"
        );
    }

    #[test]
    fn a_wrong_answer_is_told_with_the_right_one_the_feedback_and_why() {
        let (bank, plan) = bank_and_plan();
        let m = mark(&bank.questions[0], &plan.asked[0], &Answer::Choice(0));
        assert_eq!(
            feedback(&bank.questions[0], &m, &plain()),
            "\n✗ Incorrect (0 of 2 points)\nYou answered: A\nThe right answer: B\n\
             About your choice: Not A.\nWhy: Because B.\nSource: A guide\n"
        );
    }

    #[test]
    fn a_partly_right_answer_says_how_partial_credit_works() {
        let (bank, plan) = bank_and_plan();
        let m = mark(
            &bank.questions[1],
            &plan.asked[1],
            &Answer::Choices(vec![0]),
        );
        assert_eq!(
            feedback(&bank.questions[1], &m, &plain()),
            "\n◐ Partly correct (0.5 of 1 point)\nYou answered: X\nThe right answer:\n  - X\n  - Y\n\
             Each right choice you picked earned a share of the points; each wrong choice picked \
             took a share away.\nWhy: E.\n"
        );
    }

    #[test]
    fn the_result_gives_the_score_the_topics_the_time_and_the_seed() {
        let (bank, plan) = bank_and_plan();
        let mut attempt = Attempt::new(&bank, plan);
        attempt.answer(&Answer::Choice(1));
        attempt.answer(&Answer::Choices(vec![2]));
        assert_eq!(
            result(&attempt, Duration::from_secs(75), &plain()),
            "\nYour result\nScore: 2 of 3 (66.7%). Pass mark: 80%.\n✗ Not passed this time.\n\
             Read the explanations again and take the quiz once more when you are ready.\n\n\
             By topic\n  general  1 of 1 right (2 of 2 points)\n  other    0 of 1 right (0 of 1 points)\n\n\
             Time taken: 1 min 15 s\n\
             Seed 0: run the quiz again with --seed 0 for the same questions in the same order.\n\n\
             Support\nWho to ask.\n"
        );
    }

    #[test]
    fn durations_and_the_resume_hint() {
        assert_eq!(duration(Duration::from_secs(59)), "59 s");
        assert_eq!(duration(Duration::from_secs(600)), "10 min 0 s");
        assert_eq!(
            how_to_resume(1, "words-matter", "'Sam O'\\''Neil'"),
            "Your 1 answer so far is kept. To carry on later where you stopped:\n  \
             sgquiz run words-matter --name 'Sam O'\\''Neil' --resume\n"
        );
        assert!(how_to_resume(2, "q", "n").starts_with("Your 2 answers so far are kept."));
    }

    #[test]
    fn wrapping_keeps_within_the_width() {
        let look = Look {
            style: Style::plain(),
            width: Some(20),
        };
        let text = look.wrap("one two three four five six seven eight nine ten");
        assert!(text.lines().all(|l| l.chars().count() <= 20), "{text}");
        assert_eq!(text.split_whitespace().count(), 10);
    }
}
