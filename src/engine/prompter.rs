//! The seam between the quiz and whoever answers it.
//!
//! The engine never reads a terminal: it hands a `Form` to a `Prompter` and gets an `Answer`
//! back. Three prompters exist: the interactive one on inquire (`front::interactive`), the
//! numbered, line-based one (`front::plain`), and `Scripted` here, which replays answers for
//! tests.

use std::collections::VecDeque;
use std::io::{self, Write};

use crate::engine::marking::Answer;
use crate::engine::plan::Form;

/// Why a quiz ended before its last question.
#[derive(Debug, thiserror::Error)]
pub enum Stop {
    /// The trainee chose to stop (Esc, Ctrl-C, or `quit` in the plain mode).
    #[error("the trainee stopped the quiz")]
    Cancelled,
    /// Standard input ended before the quiz did.
    #[error("input ended before the quiz finished")]
    InputEnded,
    #[error("{0}")]
    Io(#[from] io::Error),
}

pub trait Prompter {
    /// Asks one question. A line-based prompter writes its options and messages to `out`.
    fn ask(&mut self, form: &Form, out: &mut dyn Write) -> Result<Answer, Stop>;

    /// Called after the opening screen: `false` if the trainee would rather not start now.
    /// Prompters that read only answers start at once.
    fn ready(&mut self, _out: &mut dyn Write) -> Result<bool, Stop> {
        Ok(true)
    }

    /// Asks which of `options` to take; returns its index.
    fn choose(
        &mut self,
        title: &str,
        options: &[String],
        out: &mut dyn Write,
    ) -> Result<usize, Stop>;

    /// Asks for the trainee's name, for the record; returns what was typed, never empty.
    fn name(&mut self, question: &str, out: &mut dyn Write) -> Result<String, Stop>;

    /// Asks a yes-or-no question, such as whether to erase records; no unless yes is said.
    fn confirm(&mut self, question: &str, out: &mut dyn Write) -> Result<bool, Stop>;

    /// In the interactive mode: waits until the trainee presses a key, with `prompt` saying
    /// so, then starts a fresh screen; Esc or Ctrl-C stop. A prompter that reads only answers
    /// (the plain mode, scripts) says and reads nothing.
    fn carry_on(&mut self, _prompt: &str, _out: &mut dyn Write) -> Result<(), Stop> {
        Ok(())
    }

    /// The screen's width and height now, where answers are given on one (it may have been
    /// resized since the last question); `None` for a prompter that reads lines.
    fn screen(&self) -> Option<(usize, Option<usize>)> {
        None
    }

    /// Starts a fresh screen where there is one to clear (not the scrollback).
    fn new_screen(&mut self, _out: &mut dyn Write) -> Result<(), Stop> {
        Ok(())
    }

    /// On a shared machine, between one trainee and the next: lets the trainee finish reading,
    /// then takes what they saw away (a terminal clears the screen and its scrollback).
    fn hand_over(&mut self, out: &mut dyn Write) -> Result<(), Stop>;
}

/// Replays prepared answers, for tests; runs out as input would.
#[derive(Debug, Default)]
pub struct Scripted {
    answers: VecDeque<Answer>,
    names: VecDeque<String>,
}

impl Scripted {
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Self {
        Scripted {
            answers: answers.into_iter().collect(),
            ..Scripted::default()
        }
    }

    /// Names to give when asked, in order.
    pub fn with_names<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.names = names.into_iter().map(Into::into).collect();
        self
    }
}

impl Prompter for Scripted {
    fn ask(&mut self, _form: &Form, _out: &mut dyn Write) -> Result<Answer, Stop> {
        self.answers.pop_front().ok_or(Stop::InputEnded)
    }

    /// Scripts pick nothing from a menu: as if input had ended.
    fn choose(&mut self, _: &str, _: &[String], _: &mut dyn Write) -> Result<usize, Stop> {
        Err(Stop::InputEnded)
    }

    fn name(&mut self, _: &str, _: &mut dyn Write) -> Result<String, Stop> {
        self.names.pop_front().ok_or(Stop::InputEnded)
    }

    /// Scripts answer no yes-or-no question: as if input had ended.
    fn confirm(&mut self, _: &str, _: &mut dyn Write) -> Result<bool, Stop> {
        Err(Stop::InputEnded)
    }

    fn hand_over(&mut self, out: &mut dyn Write) -> Result<(), Stop> {
        writeln!(out, "\n--- next trainee ---")?;
        Ok(())
    }
}
