//! Unit tests of the quiz loop: the order of what is said, stopping, resuming, the waits for a
//! key, and the kiosk's last screen.

use super::*;
use crate::bank::load::validate_source;
use crate::engine::marking::Answer;
use crate::engine::plan::PlanOptions;
use crate::engine::prompter::Scripted;
use crate::front::style::Style;

/// Two true-or-false questions, in bank order.
const BANK: &str = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"Two questions\"\n\
    shuffle = false\npass_mark = 50\n\
    [[question]]\nid = \"a\"\nprompt = \"First?\"\nexplanation = \"Because.\"\n\
    type = \"true_false\"\nanswer = true\n\
    [[question]]\nid = \"b\"\nprompt = \"Second?\"\nexplanation = \"Also because.\"\n\
    type = \"true_false\"\nanswer = false\n";

fn bank() -> Bank {
    validate_source(BANK).unwrap()
}

fn options(review_at_end: bool) -> TakeOptions {
    TakeOptions {
        review_at_end,
        look: Look::plain(Style::plain()),
        hand_over: false,
    }
}

/// The prompter's methods that taking a quiz never calls (the menu, names, the kiosk's hand-over),
/// for the test prompters below.
macro_rules! asks_nothing_else {
    () => {
        fn choose(&mut self, _: &str, _: &[String], _: &mut dyn Write) -> Result<usize, Stop> {
            unreachable!()
        }
        fn name(&mut self, _: &str, _: &mut dyn Write) -> Result<String, Stop> {
            unreachable!()
        }
        fn confirm(&mut self, _: &str, _: &mut dyn Write) -> Result<bool, Stop> {
            unreachable!()
        }
        fn hand_over(&mut self, _: &mut dyn Write) -> Result<(), Stop> {
            unreachable!()
        }
    };
}

/// Counts what it hears.
#[derive(Default)]
struct Heard {
    started: usize,
    answers: Vec<Answer>,
}

impl Observer for Heard {
    fn started(&mut self, _: &Attempt) {
        self.started += 1;
    }
    fn answered(&mut self, _: &Attempt, answer: &Answer, _: Duration) {
        self.answers.push(answer.clone());
    }
}

fn run(
    bank: &Bank,
    prompter: &mut dyn Prompter,
    options: TakeOptions,
    resume: Resume,
    heard: &mut Heard,
) -> (Result<Taken, Stop>, String) {
    let plan = Plan::new(bank, &PlanOptions::default()).unwrap();
    let mut out = Vec::new();
    let taken = take_observed(bank, plan, prompter, &mut out, options, resume, heard);
    (taken, String::from_utf8(out).unwrap())
}

#[test]
fn a_whole_quiz_is_asked_marked_and_scored_in_order() {
    let bank = bank();
    let mut prompter = Scripted::new([Answer::Bool(true), Answer::Bool(true)]);
    let mut heard = Heard::default();
    let (taken, out) = run(
        &bank,
        &mut prompter,
        options(false),
        Resume::default(),
        &mut heard,
    );
    let Ok(Taken::Finished(card)) = taken else {
        panic!("finished: {taken:?}")
    };
    assert_eq!((card.score, card.max_score, card.passed), (1.0, 2.0, true));
    assert_eq!(heard.started, 1);
    assert_eq!(heard.answers, [Answer::Bool(true), Answer::Bool(true)]);
    let first = out.find("Question 1 of 2").unwrap();
    let correct = out.find("\nCorrect").unwrap();
    let second = out.find("Question 2 of 2").unwrap();
    let wrong = out.find("\nIncorrect").unwrap();
    let result = out.find("Your result").unwrap();
    assert!(first < correct && correct < second && second < wrong && wrong < result);
    assert!(
        out.contains("Score: 1 of 2 (50%). Pass mark: 50%."),
        "{out}"
    );
}

#[test]
fn reviewing_at_the_end_reveals_nothing_until_the_last_answer() {
    let bank = bank();
    let mut prompter = Scripted::new([Answer::Bool(false), Answer::Bool(false)]);
    let (taken, out) = run(
        &bank,
        &mut prompter,
        options(true),
        Resume::default(),
        &mut Heard::default(),
    );
    assert!(matches!(taken, Ok(Taken::Finished(_))));
    let review = out.find("Review of your answers").unwrap();
    assert_eq!(out.matches("Answer saved.").count(), 2);
    assert!(!out[..review].contains("Correct"), "{out}");
    assert!(out[..review].contains("Feedback is held back until the end"));
    assert!(out[review..].contains("Incorrect (0 of 1 point)"));
    assert!(out[review..].contains("Correct (1 of 1 point)"));
}

#[test]
fn input_ending_stops_the_quiz_after_the_answers_given() {
    let bank = bank();
    let mut prompter = Scripted::new([Answer::Bool(true)]);
    let mut heard = Heard::default();
    let (taken, out) = run(
        &bank,
        &mut prompter,
        options(false),
        Resume::default(),
        &mut heard,
    );
    assert!(matches!(taken, Err(Stop::InputEnded)), "{taken:?}");
    assert_eq!(heard.answers, [Answer::Bool(true)]);
    assert!(!out.contains("Your result"), "{out}");
}

#[test]
fn a_resumed_attempt_carries_on_from_the_next_question() {
    let bank = bank();
    let mut prompter = Scripted::new([Answer::Bool(false)]);
    let mut heard = Heard::default();
    let resume = Resume {
        answers: vec![Answer::Bool(true)],
        elapsed: Duration::from_secs(61),
    };
    let (taken, out) = run(&bank, &mut prompter, options(false), resume, &mut heard);
    let Ok(Taken::Finished(card)) = taken else {
        panic!("finished: {taken:?}")
    };
    assert_eq!(card.score, 2.0);
    assert!(card.duration_seconds >= 61);
    assert!(out.contains(
        "Welcome back. You answered 1 of 2 questions last time; carrying on from question 2."
    ));
    assert!(!out.contains("Question 1 of 2"), "{out}");
    assert_eq!(heard.answers, [Answer::Bool(false)], "only the new answer");
}

/// Answers from a script, and notes what was on the page each time it was asked to wait for
/// a key, as the interactive front end waits.
struct Pausing {
    answers: Scripted,
    waits: Vec<String>,
    /// The wait at which Esc is pressed, if any.
    leave_at: Option<&'static str>,
}

impl Pausing {
    /// Answers both questions of the two-question quiz `false`.
    fn new() -> Pausing {
        Pausing {
            answers: Scripted::new([Answer::Bool(false), Answer::Bool(false)]),
            waits: Vec::new(),
            leave_at: None,
        }
    }
}

impl Prompter for Pausing {
    fn ask(
        &mut self,
        form: &crate::engine::plan::Form,
        out: &mut dyn Write,
    ) -> Result<Answer, Stop> {
        self.answers.ask(form, out)
    }
    fn carry_on(&mut self, prompt: &str, out: &mut dyn Write) -> Result<(), Stop> {
        self.waits.push(prompt.to_string());
        if self.leave_at == Some(prompt) {
            return Err(Stop::Cancelled);
        }
        // Where it waited, for a test to cut the output into screens.
        writeln!(out, "[wait]")?;
        Ok(())
    }
    asks_nothing_else!();
}

#[test]
fn the_feedback_and_the_result_wait_for_a_key_with_the_words_on_the_page() {
    let bank = bank();
    let mut prompter = Pausing::new();
    let (taken, out) = run(
        &bank,
        &mut prompter,
        options(false),
        Resume::default(),
        &mut Heard::default(),
    );
    assert!(matches!(taken, Ok(Taken::Finished(_))));
    assert_eq!(
        prompter.waits,
        [
            "Press any key for question 2 of 2 (Esc to stop the quiz).",
            "Press any key to see your result (Esc to stop the quiz).",
            transcript::CARRY_ON_SUPPORT,
        ]
    );
    // The support comes after the result, on a page of its own.
    let result = out.find("Your result").unwrap();
    let support = out.rfind("Support").unwrap();
    assert!(result < support, "{out}");

    // Reviewed at the end: no wait after each answer, one after each question's review.
    let mut prompter = Pausing::new();
    let (taken, _) = run(
        &bank,
        &mut prompter,
        options(true),
        Resume::default(),
        &mut Heard::default(),
    );
    assert!(matches!(taken, Ok(Taken::Finished(_))));
    assert_eq!(
        prompter.waits,
        [
            "Press any key for the review of question 2 of 2.",
            "Press any key to see your result.",
            transcript::CARRY_ON_SUPPORT,
        ]
    );
}

#[test]
fn on_a_kiosk_the_support_comes_first_and_the_result_is_left_on_screen() {
    let bank = bank();
    let kiosk = |height| TakeOptions {
        review_at_end: false,
        look: Look::interactive(Style::plain(), 80).with_height(Some(height)),
        hand_over: true,
    };
    let mut prompter = Pausing::new();
    let (taken, out) = run(
        &bank,
        &mut prompter,
        kiosk(24),
        Resume::default(),
        &mut Heard::default(),
    );
    assert!(matches!(taken, Ok(Taken::Finished(_))));
    assert_eq!(
        prompter.waits,
        [
            "Press any key for question 2 of 2 (Esc to stop the quiz).",
            transcript::CARRY_ON_SUPPORT_FIRST,
            transcript::CARRY_ON_RESULT,
        ]
    );
    // The last screen is the result, with nothing waited for under it: the caller asks
    // for the next person there.
    let last = out.rsplit("[wait]\n").next().unwrap();
    assert!(
        last.starts_with("\nYour result\nScore: 1 of 2 (50%)"),
        "{last}"
    );
    assert!(last.ends_with("order.\n\n"), "{last}");
    let support = out.rsplit("[wait]\n").nth(1).unwrap();
    assert!(support.starts_with("Support\n"), "{support}");

    // Reviewed at the end: the last question's review leads to the support, then the result.
    let mut prompter = Pausing::new();
    let options = TakeOptions {
        review_at_end: true,
        ..kiosk(24)
    };
    let (taken, _) = run(
        &bank,
        &mut prompter,
        options,
        Resume::default(),
        &mut Heard::default(),
    );
    assert!(matches!(taken, Ok(Taken::Finished(_))));
    assert_eq!(
        prompter.waits,
        [
            "Press any key for the review of question 2 of 2.",
            transcript::CARRY_ON_REVIEW_SUPPORT_FIRST,
            transcript::CARRY_ON_RESULT,
        ]
    );

    // A terminal too short for the result: it is paged, and its last page leaves room for
    // the line that says it was recorded and the question that calls the next person.
    let mut prompter = Pausing::new();
    let (_, out) = run(
        &bank,
        &mut prompter,
        kiosk(10),
        Resume::default(),
        &mut Heard::default(),
    );
    assert_eq!(prompter.waits.last().unwrap(), transcript::CARRY_ON_MORE);
    let last = out.rsplit("[wait]\n").next().unwrap();
    assert!(
        last.trim_end().lines().count() + HAND_OVER_LINES <= 10,
        "{last:?}"
    );
    assert!(last.trim_end().ends_with("order."), "{last}");
}

/// Answers from a script on a screen 30 columns wide.
struct Narrow(Scripted);

impl Prompter for Narrow {
    fn ask(
        &mut self,
        form: &crate::engine::plan::Form,
        out: &mut dyn Write,
    ) -> Result<Answer, Stop> {
        self.0.ask(form, out)
    }
    fn screen(&self) -> Option<(usize, Option<usize>)> {
        Some((30, None))
    }
    asks_nothing_else!();
}

#[test]
fn text_is_wrapped_to_the_screen_as_it_is_at_each_question() {
    let bank = validate_source(&BANK.replace(
        "prompt = \"First?\"",
        "prompt = \"A first question whose prompt is much wider than thirty columns?\"",
    ))
    .unwrap();
    let options = TakeOptions {
        review_at_end: false,
        look: Look::interactive(Style::plain(), 100),
        hand_over: false,
    };
    let mut prompter = Narrow(Scripted::new([Answer::Bool(true), Answer::Bool(false)]));
    let (taken, out) = run(
        &bank,
        &mut prompter,
        options,
        Resume::default(),
        &mut Heard::default(),
    );
    assert!(matches!(taken, Ok(Taken::Finished(_))));
    assert!(
        out.contains("A first question whose prompt\nis much wider"),
        "{out}"
    );
    for line in out.lines() {
        assert!(line.chars().count() <= 30, "{line:?}");
    }
}

/// A trainee who reads the opening screen and would rather not start.
struct NotNow;

impl Prompter for NotNow {
    fn ask(&mut self, _: &crate::engine::plan::Form, _: &mut dyn Write) -> Result<Answer, Stop> {
        panic!("no question is asked")
    }
    fn ready(&mut self, _: &mut dyn Write) -> Result<bool, Stop> {
        Ok(false)
    }
    asks_nothing_else!();
}

#[test]
fn a_trainee_who_is_not_ready_is_not_started() {
    let bank = bank();
    let mut heard = Heard::default();
    let (taken, out) = run(
        &bank,
        &mut NotNow,
        options(false),
        Resume::default(),
        &mut heard,
    );
    assert!(matches!(taken, Ok(Taken::NotStarted)));
    assert_eq!(heard.started, 0);
    assert!(
        out.ends_with("\nThat is fine. You can come back to this quiz whenever you are ready.\n")
    );
}

/// Takes the two-question quiz, both answered `false`, pressing Esc at `leave_at`; the waits
/// there were and what was written.
fn leaving(options: TakeOptions, leave_at: &'static str) -> (Vec<String>, String) {
    let mut prompter = Pausing {
        leave_at: Some(leave_at),
        ..Pausing::new()
    };
    let (taken, out) = run(
        &bank(),
        &mut prompter,
        options,
        Resume::default(),
        &mut Heard::default(),
    );
    assert!(matches!(taken, Ok(Taken::Finished(_))), "{taken:?}");
    (prompter.waits, out)
}

/// Esc once the quiz is scored leaves a finished quiz: it skips the waits that are left, never
/// the result or the support contacts (which must end every sitting).
#[test]
fn esc_after_the_last_answer_skips_the_waits_never_the_result_or_the_support() {
    // Esc under the result: the support still follows it.
    let (waits, out) = leaving(options(false), transcript::CARRY_ON_SUPPORT);
    assert_eq!(waits.last().unwrap(), transcript::CARRY_ON_SUPPORT);
    let result = out.find("Your result").unwrap();
    let support = out.rfind("Support\n").expect("the support contacts");
    assert!(result < support, "{out}");
    assert!(out[support..].contains("Childline 0800 1111"), "{out}");

    // Esc in the review at the end: the rest of the review is skipped, not the result and
    // the support, and nothing more is waited for.
    let first_review = "Press any key for the review of question 2 of 2.";
    let (waits, out) = leaving(options(true), first_review);
    assert_eq!(waits, [first_review]);
    let result = out.find("Your result").expect("the result");
    assert!(out[result..].contains("Support\n"), "{out}");

    // On a kiosk, Esc on the support screen: the result is still left on screen.
    let kiosk = TakeOptions {
        review_at_end: false,
        look: Look::interactive(Style::plain(), 80).with_height(Some(24)),
        hand_over: true,
    };
    let (waits, out) = leaving(kiosk, transcript::CARRY_ON_RESULT);
    assert_eq!(waits.last().unwrap(), transcript::CARRY_ON_RESULT);
    let support = out.find("Support\n").unwrap();
    let result = out
        .rfind("Your result\nScore: 1 of 2 (50%)")
        .expect("the result");
    assert!(support < result, "{out}");
}
