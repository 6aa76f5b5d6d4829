//! The words a trainee reads around the questions: the opening screen, each question's heading,
//! the feedback on an answer, the result, and the keys to press. Pure functions from engine
//! values to text, shared by both front ends so that the plain mode says everything the
//! interactive one does, in words only (no symbols for a screen reader to read as noise, and no
//! instruction that is not true in that mode).

pub mod answers;

use std::time::Duration;

use crate::bank::{Bank, Question, minutes_for as minutes};
use crate::engine::attempt::Attempt;
use crate::engine::marking::{Mark, Outcome};
use crate::front::style::Style;
pub use crate::util::text::topic_words;
use crate::util::text::{display_width, format_number, reflow, wrap};
use answers::{outcome_label, points_of};

/// The widest text is wrapped to, however wide the terminal: longer lines are hard to read.
pub const READABLE_WIDTH: usize = 100;

/// How to lay text out: with colour or not; wrapped to a width or left to the terminal (the
/// plain mode does not wrap, so that screen readers and braille displays get whole sentences);
/// and whether this is the plain mode, which says everything in words.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub style: Style,
    pub width: Option<usize>,
    /// The plain mode: words only, and only instructions that are true there.
    pub plain: bool,
    /// The terminal's height in lines, where a screen is drawn (not in the plain mode).
    pub height: Option<usize>,
}

impl Look {
    /// The plain mode's look: not wrapped, words only.
    pub fn plain(style: Style) -> Look {
        Look {
            style,
            width: None,
            plain: true,
            height: None,
        }
    }

    /// The interactive mode's look: wrapped to the terminal's width, at most `READABLE_WIDTH`.
    pub fn interactive(style: Style, terminal_width: usize) -> Look {
        Look {
            style,
            width: Some(terminal_width.clamp(20, READABLE_WIDTH)),
            plain: false,
            height: None,
        }
    }

    /// The same look, for a terminal `lines` high.
    pub fn with_height(self, lines: Option<usize>) -> Look {
        Look {
            height: lines,
            ..self
        }
    }

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
            width: self
                .width
                .map(|w| w.saturating_sub(display_width(by)).max(20)),
            ..*self
        };
        narrower
            .wrap(text)
            .lines()
            .map(|l| format!("{by}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A separator between items of a line: a middle dot on screen, a comma for the plain mode.
    fn dot(&self) -> &'static str {
        if self.plain { ", " } else { " · " }
    }
}

/// Lines kept free under the last page of the opening screen for the question that asks to
/// start, and under every other page for the key to read on.
const CONSENT_LINES: usize = 4;
const READ_ON_LINES: usize = 3;

/// The opening screen as one page, or, where it is taller than the terminal, as pages: the
/// title and the content note, then the title again with the support and the question to start,
/// each cut into pages that fit if need be. Each page but the last ends with a key to read on.
pub fn opening_pages(bank: &Bank, questions: usize, look: &Look) -> Vec<String> {
    let whole = intro(bank, questions, look);
    let Some(height) = look.height else {
        return vec![whole];
    };
    if whole.lines().count() + CONSENT_LINES <= height {
        return vec![whole];
    }
    let support_at = whole
        .find(&format!("\n{}\n", look.style.heading("Support")))
        .map_or(whole.len(), |i| i + 1);
    let (first, second) = whole.split_at(support_at);
    let parts = [
        first.trim_end().to_string(),
        format!(
            "{}\n{second}",
            look.style.heading(&look.wrap(&bank.quiz.title))
        ),
    ];
    let mut pages = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let lines: Vec<&str> = part.lines().collect();
        let last_part = n + 1 == parts.len();
        let mut at = 0;
        while at < lines.len() {
            let left = lines.len() - at;
            // The last page of the last part keeps room for the question to start.
            let room = if last_part && left + CONSENT_LINES <= height {
                left
            } else {
                height.saturating_sub(READ_ON_LINES).max(1)
            };
            let end = (at + room).min(lines.len());
            pages.push(lines[at..end].join("\n") + "\n");
            at = end;
        }
    }
    pages
}

/// `text` cut into pages that fit the terminal with room for the key to read on under each;
/// one page where no height is known (the plain mode, tests).
pub fn pages(text: &str, look: &Look) -> Vec<String> {
    let Some(height) = look.height else {
        return vec![text.to_string()];
    };
    let room = height.saturating_sub(READ_ON_LINES).max(1);
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= room {
        return vec![text.to_string()];
    }
    lines
        .chunks(room)
        .map(|chunk| chunk.join("\n") + "\n")
        .collect()
}

pub fn intro(bank: &Bank, questions: usize, look: &Look) -> String {
    let q = &bank.quiz;
    let s = &look.style;
    // The interactive opening screen starts on a cleared screen; the plain mode sets it apart.
    let gap = if look.plain { "\n" } else { "" };
    let mut out = format!("{gap}{}\n", s.heading(&look.wrap(&q.title)));
    if let Some(summary) = &q.summary {
        out.push_str(&format!("{}\n", look.wrap(summary)));
    }
    let dot = look.dot();
    out.push_str(&format!(
        "{}\n",
        look.wrap(&format!(
            "{questions} question{}{dot}pass mark {}%{dot}about {} minute{}",
            plural(questions),
            format_number(q.pass_mark),
            minutes(questions),
            plural(minutes(questions)),
        ))
    ));
    if let Some(line) = q.reviewed_line() {
        out.push_str(&format!("{}\n", look.wrap(&line)));
    }
    out.push_str(&format!(
        "\n{}\n{}\n\n",
        s.heading("Before you start"),
        look.wrap(&q.content_note)
    ));
    out.push_str(&support(bank, look));
    if !look.plain {
        out.push_str(&format!("{}\n", look.wrap(PLAIN_HINT)));
    }
    out
}

/// Said once on the interactive opening screen.
pub const PLAIN_HINT: &str =
    "Using a screen reader? Run sgquiz with --plain for numbered questions, one line each.";

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

/// Said before the first question when the answers are reviewed only at the end.
pub fn held_back(look: &Look) -> String {
    format!(
        "\n{}\n",
        look.wrap(
            "Feedback is held back until the end: after the last question, each answer is \
             reviewed in turn, question by question."
        )
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

/// Said at the end of an attempt that no one asked to record.
pub fn not_recorded() -> String {
    "Not recorded: no name was given.\n".to_string()
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

/// How to carry on with a stopped attempt on a kiosk, where no command can be typed.
pub fn how_to_resume_at_kiosk(answered: usize) -> String {
    format!(
        "Your {answered} answer{} so far {} kept. To carry on later where you stopped, give the \
         same name at the start of this session again.\n",
        plural(answered),
        if answered == 1 { "is" } else { "are" },
    )
}

/// Asked when a recorded run finds the trainee's unfinished attempt of the quiz (in the same
/// session, or in none); `started` is its date.
pub fn carry_on_question(title: &str, started: &str, next: usize) -> String {
    format!(
        "You have an unfinished attempt of {title}, started on {started}: carry on from \
         question {next}, or start again?"
    )
}

/// Said when the trainee's unfinished attempt is open in another sitting, so a new one starts.
pub fn held_elsewhere(next: usize) -> String {
    format!(
        "Your unfinished attempt of this quiz (at question {next}) is open in another sitting \
         right now, so this is a new attempt. To carry that one on here instead, close the \
         other sitting first.\n"
    )
}

/// The two answers to `carry_on_question`: carry on first.
pub fn carry_on_choices(next: usize) -> [String; 2] {
    [
        format!("Carry on from question {next}"),
        "Start again (the unfinished answers are discarded)".to_string(),
    ]
}

/// The menu's offer to keep the result under the trainee's name.
pub const MENU_RECORD: &str = "Keep your result in the training records, under your name?";

/// The menu of bundled quizzes: its heading, its question, and one line per quiz.
pub fn menu_heading() -> String {
    "sgquiz: safeguarding training quizzes\n\n".to_string()
}

pub const MENU_QUESTION: &str = "Which quiz would you like to take?";

/// A quiz in the menu, short enough to fit one line of a normal terminal: the audience said
/// briefly.
pub fn menu_line(bank: &Bank, look: &Look) -> String {
    let audience = match bank.quiz.audience.as_str() {
        "Designated safeguarding leads" => "for DSLs",
        "All staff" => "all staff",
        other => other,
    };
    let (dot, end) = if look.plain {
        (": ", ".")
    } else {
        (" · ", "")
    };
    format!(
        "{}{dot}{} questions, {} min{}{audience}{end}",
        bank.quiz.title,
        bank.questions.len(),
        bank.minutes(),
        if look.plain { ", " } else { dot },
    )
}

/// The kiosk's greeting to each trainee in turn. Only a screen is cleared for the next person.
pub fn kiosk_welcome(title: &str, look: &Look) -> String {
    let welcome = if look.plain {
        "Welcome. Please give your name, then take the quiz."
    } else {
        "Welcome. Please give your name, then take the quiz. When you have read your result, \
         the screen is cleared for the next person."
    };
    format!(
        "\n{}\n{}\n\n",
        look.style.heading(&look.wrap(title)),
        look.wrap(welcome)
    )
}

/// Where the plain kiosk's next trainee begins: said once, with no line of symbols.
pub fn next_trainee() -> String {
    "\nNext trainee.\n".to_string()
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

/// The keys of the interactive mode, said under each prompt.
pub mod keys {
    pub const CONSENT_QUESTION: &str = "Start the quiz?";
    pub const CONSENT: &str = "Enter to start, n if you would rather not, Esc to leave";
    pub const CHOOSE: &str = "↑↓ to move, Enter to choose, Esc to stop the quiz";
    pub const MENU: &str = "↑↓ to move, Enter to choose, Esc to leave";
    pub const TICK: &str =
        "↑↓ to move, Space to tick or untick, Enter when done, Esc to stop the quiz";
    pub const TICK_ONE: &str = "Tick at least one answer with Space.";
    pub const NUMBER: &str = "Type a number and press Enter, Esc to stop the quiz";
    pub const NOT_A_NUMBER: &str = "Please type a number, such as 58 or 70,000.";
    pub const TEXT: &str = "Type your answer and press Enter, Esc to stop the quiz";
    pub const EMPTY_TEXT: &str = "Please type an answer.";
    pub const NAME: &str = "Type your name and press Enter, Esc to leave";
    pub const EMPTY_NAME: &str = "Please type your name.";
    pub const YES_NO: &str = "y for yes, Enter or n for no";
    pub const YOUR_ANSWER: &str = "Your answer";
    pub const NEXT_PERSON: &str =
        "When you have finished reading, press Enter for the next person.";
    /// The question of an order question's `n`th pick (from 1).
    pub fn which_comes(n: usize) -> String {
        match n {
            1 => "Which comes first?".to_string(),
            2 => "Which comes second?".to_string(),
            3 => "Which comes third?".to_string(),
            4 => "Which comes fourth?".to_string(),
            5 => "Which comes fifth?".to_string(),
            n => format!("Which comes in position {n}?"),
        }
    }
    /// The question of a match question's item: "Level 1: which option?"
    pub fn match_item(item: &str) -> String {
        format!("{item}: which option?")
    }
}

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

/// Said under the opening screen when it is taller than the terminal.
pub const CARRY_ON_MORE: &str = "Press any key to read on.";

pub fn question_heading(number: usize, total: usize, question: &Question, look: &Look) -> String {
    // Only a multiple-choice question needs saying apart from the widget and the answer cue:
    // otherwise it looks just like a single-choice one.
    let hint = match question.kind.name() {
        "multiple" if !question.prompt.to_lowercase().contains("all that apply") => {
            format!("{}\n", look.wrap("Choose all that apply."))
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
    let word = outcome_label(mark.outcome, !look.plain);
    let label = match mark.outcome {
        Outcome::Correct => s.good(word),
        Outcome::Partial => s.partial(word),
        Outcome::Incorrect => s.bad(word),
    };
    let mut out = format!("\n{label} ({})\n", points_of(mark.points, mark.max_points));
    let kind = &question.kind;
    if mark.outcome != Outcome::Correct {
        if answers::said_in_parts(kind, &mark.given) {
            out.push_str(&format!("{}\n", s.heading(answers::parts_heading(kind))));
            for part in answers::parts(kind, &mark.given) {
                out.push_str(&format!("{}\n", look.indent(&part, "  ")));
            }
            if matches!(kind, crate::bank::Kind::Order { .. }) {
                let right = answers::right_answer(kind, &mark.given);
                out.push_str(&labelled("The right answer:", &right, look));
            }
        } else {
            let given = answers::given(kind, &mark.given);
            let right = answers::right_answer(kind, &mark.given);
            out.push_str(&labelled("You answered:", &given, look));
            out.push_str(&labelled("The right answer:", &right, look));
        }
    }
    if mark.outcome == Outcome::Partial
        && let Some(rule) = answers::partial_credit(kind, &mark.given, mark.points, mark.max_points)
    {
        out.push_str(&format!("{}\n", look.wrap(&rule)));
    }
    // Two wrong choices can share one piece of feedback: it is said once.
    let mut said: Vec<&String> = Vec::new();
    for f in &mark.feedback {
        if !said.contains(&f) {
            said.push(f);
            out.push_str(&labelled("About your choice:", f, look));
        }
    }
    out.push_str(&labelled("Why:", &question.explanation, look));
    if let Some(r) = &question.reference {
        out.push_str(&format!("{}\n", look.wrap(&format!("Source: {r}"))));
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

/// The heading over the review, for `--review-at-end`.
pub fn review_heading(look: &Look) -> String {
    format!("\n{}\n", look.style.heading("Review of your answers"))
}

/// One question again with its feedback, for `--review-at-end`: `n` counts from 1.
pub fn review_one(attempt: &Attempt, n: usize, look: &Look) -> String {
    let bank = attempt.bank();
    let total = attempt.plan().asked.len();
    let (Some(asked), Some(mark)) = (attempt.plan().asked.get(n - 1), attempt.marks().get(n - 1))
    else {
        return String::new();
    };
    let q = &bank.questions[asked.question];
    let mut out = format!(
        "\n{}\n{}\n",
        look.style.heading(&format!("Question {n} of {total}")),
        look.wrap(&q.prompt)
    );
    if mark.outcome == Outcome::Correct {
        let given = answers::given(&q.kind, &mark.given);
        out.push_str(&labelled("You answered:", &given, look));
    }
    out.push_str(&feedback(q, mark, look));
    out
}

/// The score, the verdict, the topics, the time and the seed: short enough for one screen.
/// The support block follows it (`support`).
pub fn result(attempt: &Attempt, elapsed: Duration, look: &Look) -> String {
    let s = &look.style;
    let bank = attempt.bank();
    let mut out = format!("\n{}\n", s.heading("Your result"));
    out.push_str(&format!(
        "{}\n",
        look.wrap(&format!(
            "Score: {} of {} ({}%). Pass mark: {}%.",
            format_number(attempt.score()),
            format_number(attempt.max_score()),
            format_number(attempt.percent()),
            format_number(bank.quiz.pass_mark),
        ))
    ));
    let (passed, not_passed) = if look.plain {
        ("Passed.", "Not passed this time.")
    } else {
        ("✓ Passed.", "✗ Not passed this time.")
    };
    if attempt.passed() {
        out.push_str(&format!("{}\n", s.good(passed)));
    } else {
        out.push_str(&format!(
            "{}\n{}\n",
            s.bad(not_passed),
            look.wrap(
                "Read the explanations again and take the quiz once more when you are ready."
            )
        ));
    }
    out.push_str(&format!("\n{}\n", s.heading("By topic")));
    let topics = attempt.topics();
    let names: Vec<String> = topics.iter().map(|t| topic_words(&t.topic)).collect();
    let width = names.iter().map(|n| display_width(n)).max().unwrap_or(0);
    for (t, name) in topics.iter().zip(&names) {
        let line = if look.plain {
            format!(
                "{name}: {} of {} right ({})",
                t.correct,
                t.asked,
                points_of(t.points, t.max_points),
            )
        } else {
            let pad = " ".repeat(width - display_width(name));
            format!(
                "{name}{pad}  {} of {} right ({})",
                t.correct,
                t.asked,
                points_of(t.points, t.max_points),
            )
        };
        out.push_str(&format!("{}\n", look.indent(&line, "  ")));
    }
    out.push_str(&format!("\nTime taken: {}\n", duration(elapsed)));
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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
        Look::plain(Style::plain())
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
            "\nA quiz\nWhat it covers.\n2 questions, pass mark 80%, about 2 minutes\n\n\
             Before you start\nA note.\n\nSupport\nWho to ask.\n"
        );
    }

    #[test]
    fn a_wrong_answer_is_told_with_the_right_one_the_feedback_and_why() {
        let (bank, plan) = bank_and_plan();
        let m = mark(&bank.questions[0], &plan.asked[0], &Answer::Choice(0));
        assert_eq!(
            feedback(&bank.questions[0], &m, &plain()),
            "\nIncorrect (0 of 2 points)\nYou answered: A\nThe right answer: B\n\
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
            "\nPartly correct (0.5 of 1 point)\nEach choice:\n\
             \x20 - you chose it, right: X\n\
             \x20 - you left it out, but it is a right answer: Y\n\
             \x20 - you left it out, right: Z\n\
             You chose 1 of the 2 right answers, each worth an equal share, and none of the wrong \
             ones: 0.5 of 1 point.\nWhy: E.\n"
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
            "\nYour result\nScore: 2 of 3 (66.7%). Pass mark: 80%.\nNot passed this time.\n\
             Read the explanations again and take the quiz once more when you are ready.\n\n\
             By topic\n  general: 1 of 1 right (2 of 2 points)\n  other: 0 of 1 right (0 of 1 point)\n\n\
             Time taken: 1 min 15 s\n\
             Seed 0: run the quiz again with --seed 0 for the same questions in the same order.\n\n"
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
    fn the_interactive_result_lines_the_topics_up_with_symbols_and_words() {
        let (bank, plan) = bank_and_plan();
        let mut attempt = Attempt::new(&bank, plan);
        attempt.answer(&Answer::Choice(1));
        attempt.answer(&Answer::Choices(vec![0, 1]));
        let shown = result(
            &attempt,
            Duration::from_secs(5),
            &Look::interactive(Style::plain(), 80),
        );
        assert!(shown.contains("✓ Passed."), "{shown}");
        assert!(
            shown.contains("  general  1 of 1 right (2 of 2 points)\n  other    1 of 1 right"),
            "{shown}"
        );
    }

    #[test]
    fn the_plain_opening_says_no_symbol_and_the_interactive_one_mentions_plain() {
        let (bank, _) = bank_and_plan();
        let plain = intro(&bank, 2, &plain());
        assert!(
            !plain.contains('·') && !plain.contains("--plain"),
            "{plain}"
        );
        let screen = intro(&bank, 2, &Look::interactive(Style::plain(), 80));
        assert_eq!(screen.matches("--plain").count(), 1, "{screen}");
        assert!(screen.contains("2 questions · pass mark 80%"), "{screen}");
    }

    #[test]
    fn an_opening_screen_taller_than_the_terminal_is_paged_at_the_support() {
        let (bank, _) = bank_and_plan();
        let look = Look::interactive(Style::plain(), 80);
        assert_eq!(
            opening_pages(&bank, 2, &look).len(),
            1,
            "no height: one page"
        );
        let tall = look.with_height(Some(40));
        assert_eq!(opening_pages(&bank, 2, &tall), [intro(&bank, 2, &look)]);
        let short = look.with_height(Some(10));
        let pages = opening_pages(&bank, 2, &short);
        assert_eq!(pages.len(), 2, "{pages:?}");
        assert!(pages[0].contains("A note.") && !pages[0].contains("Who to ask."));
        assert!(
            pages[1].starts_with("A quiz\nSupport\nWho to ask.\n"),
            "{pages:?}"
        );
        // Shorter still: more pages, none taller than the screen leaves room for.
        let tiny = look.with_height(Some(6));
        let pages = opening_pages(&bank, 2, &tiny);
        assert!(pages.len() > 2, "{pages:?}");
        assert!(pages.iter().all(|p| p.lines().count() <= 3), "{pages:?}");
        assert_eq!(pages.concat().matches("Who to ask.").count(), 1);
    }

    #[test]
    fn long_text_is_cut_into_pages_that_fit() {
        let text = "one\ntwo\nthree\nfour\nfive\n";
        let look = Look::interactive(Style::plain(), 80);
        assert_eq!(pages(text, &look), [text]);
        assert_eq!(pages(text, &look.with_height(Some(8))), [text]);
        assert_eq!(
            pages(text, &look.with_height(Some(5))),
            ["one\ntwo\n", "three\nfour\n", "five\n"]
        );
    }

    #[test]
    fn topics_are_said_as_words() {
        assert_eq!(topic_words("sentencing-scale"), "sentencing scale");
    }

    #[test]
    fn wrapping_keeps_within_the_width() {
        let look = Look::interactive(Style::plain(), 20);
        let text = look.wrap("one two three four five six seven eight nine ten");
        assert!(text.lines().all(|l| l.chars().count() <= 20), "{text}");
        assert_eq!(text.split_whitespace().count(), 10);
    }
}
