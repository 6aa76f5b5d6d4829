//! Taking a quiz from the opening screen to the result: the loop that joins a plan, a prompter
//! and the transcript. It knows no terminal; it writes text to `out` and asks the prompter.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::attempt::{Attempt, Report};
use crate::bank::Bank;
use crate::plan::Plan;
use crate::prompter::{Prompter, Stop};
use crate::transcript::{self, Look};

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
            .expect("the attempt is not finished");
        if options.review_at_end {
            writeln!(out, "Answer saved.")?;
        } else {
            write!(out, "{}", transcript::feedback(question, mark, look))?;
        }
    }
    let elapsed = round_seconds(started.elapsed());
    if options.review_at_end {
        write!(out, "{}", transcript::review(&attempt, look))?;
    }
    write!(out, "{}", transcript::result(&attempt, elapsed, look))?;
    out.flush()?;
    Ok(Taken::Finished(attempt.report(elapsed)))
}

fn round_seconds(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs())
}
