//! Taking a quiz from the opening screen to the result: the loop that joins a plan, a prompter
//! and the transcript. It knows no terminal; it writes text to `out` and asks the prompter.
//! An `Observer` hears of each answer as it is marked (the recorder saves progress that way, so
//! that a stopped attempt can be resumed), and `Resume` replays the answers of an earlier sitting.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::bank::Bank;
use crate::engine::attempt::{Attempt, Resume, Scorecard};
use crate::engine::observer::{Observer, Unobserved};
use crate::engine::plan::Plan;
use crate::engine::prompter::{Prompter, Stop};
use crate::front::transcript::{self, Look};

#[derive(Debug, Clone, Copy)]
pub struct TakeOptions {
    /// Reveal nothing until the end, then review every question.
    pub review_at_end: bool,
    pub look: Look,
}

/// How a quiz ended without a stop.
#[derive(Debug)]
pub enum Taken {
    Finished(Scorecard),
    /// The trainee chose not to start after reading the opening screen.
    NotStarted,
    /// The observer halted the attempt part way (see `Observer::halted`); the number of
    /// questions answered and asked.
    Halted {
        answered: usize,
        total: usize,
    },
}

/// Runs the whole quiz. A `Stop` is returned as soon as the trainee stops or input ends; nothing
/// has been scored then.
pub fn take(
    bank: &Bank,
    plan: Plan,
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
    options: TakeOptions,
) -> Result<Taken, Stop> {
    take_observed(
        bank,
        plan,
        prompter,
        out,
        options,
        Resume::default(),
        &mut Unobserved,
    )
}

/// Runs the quiz from where `resume` left it, telling `observer` of each answer.
pub fn take_observed(
    bank: &Bank,
    plan: Plan,
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
    options: TakeOptions,
    resume: Resume,
    observer: &mut dyn Observer,
) -> Result<Taken, Stop> {
    let look = &resized(options.look, prompter);
    let total = plan.asked.len();
    prompter.new_screen(out)?;
    let pages = transcript::opening_pages(bank, total, look);
    for (n, page) in pages.iter().enumerate() {
        write!(out, "{page}")?;
        if n + 1 < pages.len() {
            prompter.carry_on(transcript::CARRY_ON_MORE, out)?;
        }
    }
    if !prompter.ready(out)? {
        write!(out, "{}", transcript::not_started())?;
        return Ok(Taken::NotStarted);
    }
    let started = Instant::now();
    let mut attempt = Attempt::new(bank, plan);
    for answer in resume.answers.iter().take(total) {
        attempt.answer(answer);
    }
    prompter.new_screen(out)?;
    if !attempt.marks().is_empty() {
        write!(
            out,
            "{}",
            transcript::welcome_back(attempt.marks().len(), total)
        )?;
    }
    if options.review_at_end {
        write!(out, "{}", transcript::held_back(look))?;
    }
    observer.started(&attempt);
    if observer.halted() {
        return Ok(Taken::Halted {
            answered: attempt.marks().len(),
            total,
        });
    }
    while !attempt.is_finished() {
        let look = &resized(options.look, prompter);
        let number = attempt.marks().len() + 1;
        let asked = attempt.plan().asked[number - 1].clone();
        let question = &bank.questions[asked.question];
        write!(
            out,
            "{}",
            transcript::question_heading(number, total, question, look)
        )?;
        let answer = prompter.ask(&asked.form(bank), out)?;
        let mark = attempt
            .answer(&answer)
            .expect("the attempt is not finished")
            .clone();
        observer.answered(&attempt, &answer, resume.elapsed + started.elapsed());
        if observer.halted() {
            return Ok(Taken::Halted {
                answered: attempt.marks().len(),
                total,
            });
        }
        if options.review_at_end {
            write!(out, "{}", transcript::answer_saved())?;
        } else if look.plain {
            // The question is just above; a prompter that reads only answers does not wait.
            write!(out, "{}", transcript::feedback(question, &mark, look))?;
            prompter.carry_on(&transcript::carry_on(number + 1, total), out)?;
        } else {
            // On a screen of its own, the question again above its feedback, paged if it is
            // taller than the terminal: the verdict is on screen until the trainee moves on.
            prompter.new_screen(out)?;
            let text = transcript::review_one(&attempt, number, look);
            show_pages(
                &transcript::pages(&text, look),
                &transcript::carry_on(number + 1, total),
                prompter,
                out,
            )?;
        }
    }
    let elapsed = round_seconds(resume.elapsed + started.elapsed());
    let scorecard = attempt.scorecard(elapsed);
    // Scored, and kept by the observer before anything is shown: leaving the review or the
    // result early (Esc, input ending) is leaving a finished quiz, not stopping one.
    observer.finished(&scorecard);
    let shown = show_result(bank, &attempt, elapsed, options, prompter, out);
    match shown {
        Ok(()) | Err(Stop::Cancelled | Stop::InputEnded) => Ok(Taken::Finished(scorecard)),
        Err(e) => Err(e),
    }
}

/// The review (when held back until the end), the result and the support contacts, each on a
/// screen (or pages) of its own.
fn show_result(
    bank: &Bank,
    attempt: &Attempt,
    elapsed: Duration,
    options: TakeOptions,
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<(), Stop> {
    let total = attempt.plan().asked.len();
    let look = &resized(options.look, prompter);
    if options.review_at_end {
        prompter.new_screen(out)?;
        write!(out, "{}", transcript::review_heading(look))?;
        for n in 1..=total {
            let text = transcript::review_one(attempt, n, look);
            show_pages(
                &transcript::pages(&text, look),
                &transcript::carry_on_review(n + 1, total),
                prompter,
                out,
            )?;
        }
    }
    // The result on a screen (or pages) of its own; the support block follows on the next.
    let result = transcript::result(attempt, elapsed, look);
    show_pages(
        &transcript::pages(&result, look),
        transcript::CARRY_ON_SUPPORT,
        prompter,
        out,
    )?;
    write!(out, "{}", transcript::support(bank, look))?;
    out.flush()?;
    Ok(())
}

/// `look` for the screen as it is now, where there is one: a terminal can be resized between
/// questions.
fn resized(look: Look, prompter: &dyn Prompter) -> Look {
    match prompter.screen() {
        Some((width, height)) if !look.plain => Look {
            width: Look::interactive(look.style, width).width,
            height: height.or(look.height),
            ..look
        },
        _ => look,
    }
}

/// Writes each page, waiting for a key after each: the last with `then` said.
fn show_pages(
    pages: &[String],
    then: &str,
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<(), Stop> {
    for (n, page) in pages.iter().enumerate() {
        let last = n + 1 == pages.len();
        if last {
            write!(out, "{page}")?;
        } else {
            // A page ends where the key to read on is said, one blank line below.
            writeln!(out, "{}", page.trim_end())?;
        }
        prompter.carry_on(
            if last {
                then
            } else {
                transcript::CARRY_ON_MORE
            },
            out,
        )?;
    }
    Ok(())
}

fn round_seconds(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs())
}

#[cfg(test)]
mod tests {
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
        }
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
    }

    impl Prompter for Pausing {
        fn ask(
            &mut self,
            form: &crate::engine::plan::Form,
            out: &mut dyn Write,
        ) -> Result<Answer, Stop> {
            self.answers.ask(form, out)
        }
        fn carry_on(&mut self, prompt: &str, _: &mut dyn Write) -> Result<(), Stop> {
            self.waits.push(prompt.to_string());
            Ok(())
        }
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
    }

    #[test]
    fn the_feedback_and_the_result_wait_for_a_key_with_the_words_on_the_page() {
        let bank = bank();
        let mut prompter = Pausing {
            answers: Scripted::new([Answer::Bool(false), Answer::Bool(false)]),
            waits: Vec::new(),
        };
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
        let mut prompter = Pausing {
            answers: Scripted::new([Answer::Bool(false), Answer::Bool(false)]),
            waits: Vec::new(),
        };
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
        fn ask(
            &mut self,
            _: &crate::engine::plan::Form,
            _: &mut dyn Write,
        ) -> Result<Answer, Stop> {
            panic!("no question is asked")
        }
        fn ready(&mut self, _: &mut dyn Write) -> Result<bool, Stop> {
            Ok(false)
        }
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
            out.ends_with(
                "\nThat is fine. You can come back to this quiz whenever you are ready.\n"
            )
        );
    }
}
