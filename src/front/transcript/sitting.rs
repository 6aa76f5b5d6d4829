//! What is said around a sitting rather than a question: starting or not, recording,
//! stopping and resuming, carrying on elsewhere, the quiz menu, the kiosk and the name.

use super::{Look, plural};
use crate::bank::Bank;

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
