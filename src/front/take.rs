//! Taking a quiz from the opening screen to the result: the loop that joins a plan, a prompter
//! and the transcript. It knows no terminal; it writes text to `out` and asks the prompter.
//! An `Observer` hears of each answer as it is marked (the recorder saves progress that way, so
//! that a stopped attempt can be resumed), and `Resume` replays the answers of an earlier sitting.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::bank::Bank;
use crate::engine::attempt::{Attempt, Report, Resume};
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
    Finished(Report),
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
    let look = &options.look;
    let total = plan.asked.len();
    write!(out, "{}", transcript::intro(bank, total, look))?;
    if !prompter.ready(out)? {
        writeln!(
            out,
            "\nThat is fine. You can come back to this quiz whenever you are ready."
        )?;
        return Ok(Taken::NotStarted);
    }
    let started = Instant::now();
    let mut attempt = Attempt::new(bank, plan);
    for answer in resume.answers.iter().take(total) {
        attempt.answer(answer);
    }
    if !attempt.marks().is_empty() {
        writeln!(
            out,
            "\nWelcome back. You answered {} of {total} questions last time; carrying on from \
             question {}.",
            attempt.marks().len(),
            (attempt.marks().len() + 1).min(total)
        )?;
    }
    observer.started(&attempt);
    if observer.halted() {
        return Ok(Taken::Halted {
            answered: attempt.marks().len(),
            total,
        });
    }
    while !attempt.is_finished() {
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
            writeln!(out, "Answer saved.")?;
        } else {
            write!(out, "{}", transcript::feedback(question, &mark, look))?;
        }
    }
    let elapsed = round_seconds(resume.elapsed + started.elapsed());
    let report = attempt.report(elapsed);
    observer.finished(&report);
    if options.review_at_end {
        write!(out, "{}", transcript::review(&attempt, look))?;
    }
    write!(out, "{}", transcript::result(&attempt, elapsed, look))?;
    out.flush()?;
    Ok(Taken::Finished(report))
}

fn round_seconds(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs())
}
