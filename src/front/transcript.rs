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

pub fn intro(bank: &Bank, questions: usize, look: &Look) -> String {
    let q = &bank.quiz;
    let s = &look.style;
    let mut out = format!("\n{}\n", s.heading(&q.title));
    if let Some(summary) = &q.summary {
        out.push_str(&format!("{}\n", look.wrap(summary)));
    }
    out.push_str(&format!(
        "{} question{} · pass mark {}% · about {} minute{}\n\n",
        questions,
        plural(questions),
        format_number(q.pass_mark),
        minutes(questions),
        plural(minutes(questions)),
    ));
    if let Some(line) = q.reviewed_line() {
        out.pop();
        out.push_str(&format!("{line}\n\n"));
    }
    out.push_str(&format!(
        "{}\n{}\n\n",
        s.heading("Before you start"),
        look.wrap(&q.content_note)
    ));
    out.push_str(&support(bank, look));
    out
}

pub fn support(bank: &Bank, look: &Look) -> String {
    format!(
        "{}\n{}\n",
        look.style.heading("Support"),
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

pub fn question_heading(number: usize, total: usize, question: &Question, look: &Look) -> String {
    // Only a multiple-choice question needs saying apart from the widget and the answer cue:
    // otherwise it looks just like a single-choice one.
    let hint = match question.kind.name() {
        "multiple" if !question.prompt.to_lowercase().contains("all that apply") => {
            format!("{}\n", look.style.dim("Choose all that apply."))
        }
        _ => String::new(),
    };
    // The topic is not shown here: a topic name can give the answer away. It appears in the
    // breakdown at the end.
    format!(
        "\n{}\n{}\n{hint}",
        look.style.heading(&format!("Question {number} of {total}")),
        look.wrap(&question.prompt),
    )
}

/// What the trainee is told about one answer.
pub fn feedback(question: &Question, mark: &Mark, look: &Look) -> String {
    let s = &look.style;
    let label = match mark.outcome {
        Outcome::Correct => s.good(outcome_label(mark.outcome)),
        Outcome::Partial => s.partial(outcome_label(mark.outcome)),
        Outcome::Incorrect => s.bad(outcome_label(mark.outcome)),
    };
    let mut out = format!(
        "\n{label} ({} of {} point{})\n",
        format_number(mark.points),
        format_number(mark.max_points),
        plural_f(mark.max_points)
    );
    if mark.outcome != Outcome::Correct {
        let given = answers::given(&question.kind, &mark.given);
        let right = answers::right_answer(&question.kind, &mark.given);
        out.push_str(&labelled("You answered:", &given, look));
        out.push_str(&labelled("The right answer:", &right, look));
    }
    if mark.outcome == Outcome::Partial
        && let Some(rule) = answers::partial_rule(&question.kind)
    {
        out.push_str(&format!("{}\n", look.wrap(rule)));
    }
    for f in &mark.feedback {
        out.push_str(&labelled("About your choice:", f, look));
    }
    out.push_str(&labelled("Why:", &question.explanation, look));
    if let Some(r) = &question.reference {
        out.push_str(&format!("{}\n", s.dim(&look.wrap(&format!("Source: {r}")))));
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

/// Every question again with its feedback, for `--review-at-end`.
pub fn review(attempt: &Attempt, look: &Look) -> String {
    let bank = attempt.bank();
    let total = attempt.marks().len();
    let mut out = format!("\n{}\n", look.style.heading("Review of your answers"));
    for (n, (asked, mark)) in attempt.plan().asked.iter().zip(attempt.marks()).enumerate() {
        let q = &bank.questions[asked.question];
        out.push_str(&format!(
            "\n{}\n{}\n",
            look.style
                .heading(&format!("Question {} of {total}", n + 1)),
            look.wrap(&q.prompt)
        ));
        if mark.outcome == Outcome::Correct {
            let given = answers::given(&q.kind, &mark.given);
            out.push_str(&labelled("You answered:", &given, look));
        }
        out.push_str(&feedback(q, mark, look));
    }
    out
}

pub fn result(attempt: &Attempt, elapsed: Duration, look: &Look) -> String {
    let s = &look.style;
    let bank = attempt.bank();
    let mut out = format!("\n{}\n", s.heading("Your result"));
    out.push_str(&format!(
        "Score: {} of {} ({}%). Pass mark: {}%.\n",
        format_number(attempt.score()),
        format_number(attempt.max_score()),
        format_number(attempt.percent()),
        format_number(bank.quiz.pass_mark),
    ));
    if attempt.passed() {
        out.push_str(&format!("{}\n", s.good("✓ Passed.")));
    } else {
        out.push_str(&format!(
            "{}\n{}\n",
            s.bad("✗ Not passed this time."),
            look.wrap(
                "Read the explanations again and take the quiz once more when you are ready."
            )
        ));
    }
    out.push_str(&format!("\n{}\n", s.heading("By topic")));
    let topics = attempt.topics();
    let width = topics
        .iter()
        .map(|t| t.topic.chars().count())
        .max()
        .unwrap_or(0);
    for t in topics {
        out.push_str(&format!(
            "  {:width$}  {} of {} right ({} of {} points)\n",
            t.topic,
            t.correct,
            t.asked,
            format_number(t.points),
            format_number(t.max_points),
        ));
    }
    out.push_str(&format!("\nTime taken: {}\n", duration(elapsed)));
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
