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
    /// The result is left on screen while the caller asks for the next person (the kiosk): on
    /// a screen, the support comes before the result, and the result is not waited under.
    pub hand_over: bool,
}

/// Lines left free under the result on a kiosk: a blank line, the line that says it was
/// recorded, and the question that calls the next person (two lines on a narrow terminal).
const HAND_OVER_LINES: usize = 4;

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
            let then = if number == total && options.hand_over {
                transcript::CARRY_ON_SUPPORT_FIRST.to_string()
            } else {
                transcript::carry_on(number + 1, total)
            };
            show_pages(&transcript::pages(&text, look), &then, prompter, out)?;
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
/// screen (or pages) of its own. On a kiosk's screen the support comes first and the result
/// last, so that it is still there when the next person is called under it. Esc (or input
/// ending) on any of these screens leaves a finished quiz: it skips the waiting, never the
/// result or the support contacts (see `Ending`).
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
    let mut end = Ending {
        prompter,
        out,
        hurried: false,
    };
    if options.review_at_end {
        end.prompter.new_screen(end.out)?;
        write!(end.out, "{}", transcript::review_heading(look))?;
        for n in 1..=total {
            if end.hurried {
                // The rest of the review is skipped; the result and support are not.
                break;
            }
            let text = transcript::review_one(attempt, n, look);
            let then = if n == total && options.hand_over && !look.plain {
                transcript::CARRY_ON_REVIEW_SUPPORT_FIRST.to_string()
            } else {
                transcript::carry_on_review(n + 1, total)
            };
            end.show(&transcript::pages(&text, look), &then)?;
        }
    }
    let result = transcript::result(attempt, elapsed, look);
    if options.hand_over && !look.plain {
        end.show(
            &transcript::pages(&transcript::support(bank, look), look),
            transcript::CARRY_ON_RESULT,
        )?;
        let pages = transcript::pages_above(&result, look, HAND_OVER_LINES);
        if let Some((last, earlier)) = pages.split_last() {
            end.show(earlier, transcript::CARRY_ON_MORE)?;
            writeln!(end.out, "{last}")?;
        }
        end.out.flush()?;
        return Ok(());
    }
    // The result on a screen (or pages) of its own; the support block follows on the next.
    end.show(
        &transcript::pages(&result, look),
        transcript::CARRY_ON_SUPPORT,
    )?;
    write!(end.out, "{}", transcript::support(bank, look))?;
    end.out.flush()?;
    Ok(())
}

/// The screens after the quiz is scored. Until the trainee presses Esc (or input ends), each
/// page waits for a key; after that, what is still to be shown is written straight out.
struct Ending<'a> {
    prompter: &'a mut dyn Prompter,
    out: &'a mut dyn Write,
    hurried: bool,
}

impl Ending<'_> {
    /// `show_pages`, unless the trainee has asked to leave: then without the waits.
    fn show(&mut self, pages: &[String], then: &str) -> Result<(), Stop> {
        for (n, page) in pages.iter().enumerate() {
            if self.hurried {
                writeln!(self.out, "{}", page.trim_end())?;
                continue;
            }
            match show_page(page, n + 1 == pages.len(), then, self.prompter, self.out) {
                Err(Stop::Cancelled | Stop::InputEnded) => self.hurried = true,
                other => other?,
            }
        }
        Ok(())
    }
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
        show_page(page, n + 1 == pages.len(), then, prompter, out)?;
    }
    Ok(())
}

/// Writes one page and waits for a key: with `then` said under the `last` page, else with the
/// key to read on.
fn show_page(
    page: &str,
    last: bool,
    then: &str,
    prompter: &mut dyn Prompter,
    out: &mut dyn Write,
) -> Result<(), Stop> {
    if last {
        write!(out, "{page}")?;
        prompter.carry_on(then, out)
    } else {
        // A page ends where the key to read on is said, one blank line below.
        writeln!(out, "{}", page.trim_end())?;
        prompter.carry_on(transcript::CARRY_ON_MORE, out)
    }
}

fn round_seconds(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs())
}

#[cfg(test)]
mod tests;
