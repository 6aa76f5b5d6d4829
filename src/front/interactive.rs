//! The interactive front end on inquire: the only module that imports it.
//!
//! Select (without filtering) for single and true/false, MultiSelect for multiple, CustomType for
//! numbers (read with the same rules as the plain mode, so "70,000" works), Text for terms; order
//! and match are built from successive Selects. Esc and Ctrl-C become `Stop::Cancelled`; inquire
//! restores the terminal before it returns either.

use std::io::Write;

use inquire::error::InquireError;
use inquire::ui::RenderConfig;
use inquire::validator::Validation;

use crate::util::text::{MAX_TYPED_CHARS, format_count};
use inquire::{Confirm, CustomType, MultiSelect, Select, Text};

use crate::engine::marking::Answer;
use crate::engine::plan::Form;
use crate::engine::prompter::{Prompter, Stop};
use crate::util::text::{format_quantity, parse_number};

const MOVE_HELP: &str = "↑↓ to move, Enter to choose, Esc to stop the quiz";
const MENU_HELP: &str = "↑↓ to move, Enter to choose, Esc to leave";

pub struct Interactive {
    render: RenderConfig<'static>,
}

impl Interactive {
    pub fn new(color: bool) -> Self {
        let render = if color {
            RenderConfig::default_colored()
        } else {
            RenderConfig::empty()
        };
        Interactive { render }
    }

    fn select(&self, message: &str, options: Vec<String>) -> Result<usize, Stop> {
        self.select_with_help(message, options, MOVE_HELP)
    }

    fn select_with_help(
        &self,
        message: &str,
        options: Vec<String>,
        help: &str,
    ) -> Result<usize, Stop> {
        let picked = Select::new(message, options)
            .without_filtering()
            .with_vim_mode(false)
            .with_page_size(10)
            .with_help_message(help)
            .with_render_config(self.render)
            .raw_prompt()
            .map_err(stop)?;
        Ok(picked.index)
    }
}

fn stop(e: InquireError) -> Stop {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => Stop::Cancelled,
        InquireError::IO(e) => Stop::Io(e),
        other => Stop::Io(std::io::Error::other(other.to_string())),
    }
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Prompter for Interactive {
    fn ask(&mut self, form: &Form, out: &mut dyn Write) -> Result<Answer, Stop> {
        // The question itself is already on screen; make sure it is shown before inquire draws.
        out.flush()?;
        match form {
            Form::Single(choices) => self
                .select("Your answer", owned(choices))
                .map(Answer::Choice),
            Form::TrueFalse => self
                .select("Your answer", vec!["True".to_string(), "False".to_string()])
                .map(|i| Answer::Bool(i == 0)),
            Form::Multiple(choices) => {
                let picked = MultiSelect::new("Your answer", owned(choices))
                    .without_filtering()
                    .with_vim_mode(false)
                    .with_page_size(10)
                    .with_help_message(
                        "↑↓ to move, Space to tick or untick, Enter when done, Esc to stop the quiz",
                    )
                    .with_validator(|picked: &[inquire::list_option::ListOption<&String>]| {
                        Ok(if picked.is_empty() {
                            Validation::Invalid("Tick at least one answer with Space.".into())
                        } else {
                            Validation::Valid
                        })
                    })
                    .with_render_config(self.render)
                    .raw_prompt()
                    .map_err(stop)?;
                Ok(Answer::Choices(
                    picked.into_iter().map(|o| o.index).collect(),
                ))
            }
            Form::Number => {
                let parser = |s: &str| parse_number(s).ok_or(());
                let formatter = |n: f64| format_quantity(n);
                CustomType::<f64>::new("Your answer")
                    .with_parser(&parser)
                    .with_formatter(&formatter)
                    .with_error_message("Please type a number, such as 58 or 70,000.")
                    .with_help_message("Type a number and press Enter, Esc to stop the quiz")
                    .with_render_config(self.render)
                    .prompt()
                    .map(Answer::Number)
                    .map_err(stop)
            }
            Form::Text => Text::new("Your answer")
                .with_help_message("Type your answer and press Enter, Esc to stop the quiz")
                .with_validator(|s: &str| {
                    Ok(if s.trim().is_empty() {
                        Validation::Invalid("Please type an answer.".into())
                    } else if s.trim().chars().count() > MAX_TYPED_CHARS {
                        Validation::Invalid(
                            format!(
                                "Please keep the answer to {} characters.",
                                format_count(MAX_TYPED_CHARS)
                            )
                            .into(),
                        )
                    } else {
                        Validation::Valid
                    })
                })
                .with_render_config(self.render)
                .prompt()
                .map(Answer::Text)
                .map_err(stop),
            Form::Order(items) => {
                let mut left: Vec<usize> = (0..items.len()).collect();
                let mut order = Vec::new();
                while left.len() > 1 {
                    let message = if order.is_empty() {
                        "Which comes first?".to_string()
                    } else {
                        format!("Which comes {}?", ordinal(order.len() + 1))
                    };
                    let options = left.iter().map(|&i| items[i].to_string()).collect();
                    let pick = self.select(&message, options)?;
                    order.push(left.remove(pick));
                }
                order.extend(left);
                Ok(Answer::Order(order))
            }
            Form::Match { lefts, rights } => {
                let mut picks = Vec::new();
                for l in lefts {
                    picks.push(self.select(&format!("{l} →"), owned(rights))?);
                }
                Ok(Answer::Match(picks))
            }
        }
    }

    fn ready(&mut self, out: &mut dyn Write) -> Result<bool, Stop> {
        writeln!(out)?;
        out.flush()?;
        Confirm::new("Start the quiz?")
            .with_default(true)
            .with_help_message("Enter to start, n if you would rather not, Esc to leave")
            .with_render_config(self.render)
            .prompt()
            .map_err(stop)
    }

    fn choose(
        &mut self,
        title: &str,
        options: &[String],
        out: &mut dyn Write,
    ) -> Result<usize, Stop> {
        out.flush()?;
        self.select_with_help(title, options.to_vec(), MENU_HELP)
    }

    fn name(&mut self, question: &str, out: &mut dyn Write) -> Result<String, Stop> {
        out.flush()?;
        Text::new(question)
            .with_help_message("Type your name and press Enter, Esc to leave")
            .with_validator(|s: &str| {
                Ok(if s.trim().is_empty() {
                    Validation::Invalid("Please type your name.".into())
                } else {
                    Validation::Valid
                })
            })
            .with_render_config(self.render)
            .prompt()
            .map(|s| s.trim().to_string())
            .map_err(stop)
    }

    fn confirm(&mut self, question: &str, out: &mut dyn Write) -> Result<bool, Stop> {
        out.flush()?;
        Confirm::new(question)
            .with_default(false)
            .with_help_message("y for yes, Enter or n for no")
            .with_render_config(self.render)
            .prompt()
            .map_err(stop)
    }

    fn hand_over(&mut self, out: &mut dyn Write) -> Result<(), Stop> {
        out.flush()?;
        let read = Text::new("When you have finished reading, press Enter for the next person.")
            .with_render_config(self.render)
            .prompt()
            .map_err(stop);
        // Clear the screen, then the scrollback, then go home: the next trainee must not be able
        // to scroll back to this one's answers. Done even when Esc closes the kiosk here.
        write!(out, "\x1b[2J\x1b[3J\x1b[H")?;
        out.flush()?;
        read.map(|_| ())
    }
}

fn ordinal(n: usize) -> String {
    match n {
        2 => "second".to_string(),
        3 => "third".to_string(),
        4 => "fourth".to_string(),
        5 => "fifth".to_string(),
        n => format!("number {n}"),
    }
}
