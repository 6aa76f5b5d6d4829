//! The interactive front end on inquire: the only module that imports it.
//!
//! Select (without filtering) for single and true/false, MultiSelect for multiple, CustomType for
//! numbers (read with the same rules as the plain mode, so "70,000" works), Text for terms; order
//! and match are built from successive Selects. Esc and Ctrl-C become `Stop::Cancelled`; inquire
//! restores the terminal before it returns either. Between one screen and the next the trainee
//! presses a key (crossterm reads it), so feedback stays until it has been read. Choices are
//! wrapped to the terminal's width with a hanging indent. Every sentence is the transcript's.

use std::io::Write;

use inquire::error::InquireError;
use inquire::ui::RenderConfig;
use inquire::validator::Validation;

use crate::util::text::{MAX_TYPED_CHARS, format_count};
use inquire::{Confirm, CustomType, MultiSelect, Select, Text};

use crate::engine::marking::Answer;
use crate::engine::plan::Form;
use crate::engine::prompter::{Prompter, Stop};
use crate::front::transcript::keys;
use crate::util::table::{terminal_height, terminal_width};
use crate::util::text::{format_quantity, parse_number, wrap};

/// Columns before an option's text: inquire's "> " in a list, "> [ ] " in a list to tick.
const SELECT_PREFIX: usize = 2;
const TICK_PREFIX: usize = 6;

pub struct Interactive {
    render: RenderConfig<'static>,
    /// The terminal's width, to wrap options, questions and help to.
    width: usize,
}

impl Interactive {
    pub fn new(color: bool, width: usize) -> Self {
        let render = if color {
            readable_colours()
        } else {
            RenderConfig::empty()
        };
        Interactive {
            render,
            width: width.max(20),
        }
    }

    /// `text` wrapped to the width less `prefix` columns, its later lines indented under its
    /// first: a hanging indent for an option inquire draws after its own prefix.
    fn hang(&self, text: &str, prefix: usize) -> String {
        let pad = format!("\n{}", " ".repeat(prefix));
        wrap(text, self.width.saturating_sub(prefix + 1).max(10)).replace('\n', &pad)
    }

    /// A prompt's message or help, wrapped to the width (inquire starts each with two columns of
    /// its own).
    fn line(&self, text: &str) -> String {
        wrap(text, self.width.saturating_sub(3).max(10))
    }

    fn options(&self, options: &[&str], prefix: usize) -> Vec<String> {
        options.iter().map(|o| self.hang(o, prefix)).collect()
    }

    fn select(&self, message: &str, options: Vec<String>) -> Result<usize, Stop> {
        self.select_with_help(message, options, keys::CHOOSE)
    }

    fn select_with_help(
        &self,
        message: &str,
        options: Vec<String>,
        help: &str,
    ) -> Result<usize, Stop> {
        // The choice is shown back under the question, on lines of its own: after the
        // question on the same line, a wrapped choice would run past the edge.
        let shown_back = |o: inquire::list_option::ListOption<&String>| format!("\n  {}", o.value);
        let picked = Select::new(&self.line(message), options)
            .with_formatter(&shown_back)
            .without_filtering()
            .with_vim_mode(false)
            .with_page_size(10)
            .with_help_message(&self.line(help))
            .with_render_config(self.render)
            .raw_prompt()
            .map_err(stop)?;
        Ok(picked.index)
    }
}

/// inquire's colours made readable on a light background as on a dark one: its light green,
/// light cyan and dark grey are hard to read on white, so marks are bold and dark green or
/// dark red, and the words stay in the terminal's own colour.
fn readable_colours() -> RenderConfig<'static> {
    use inquire::ui::{Attributes, Color, StyleSheet, Styled};
    let bold = StyleSheet::new().with_attr(Attributes::BOLD);
    let mut render = RenderConfig::default_colored();
    render.prompt_prefix = Styled::new("?")
        .with_fg(Color::DarkGreen)
        .with_attr(Attributes::BOLD);
    render.answered_prompt_prefix = Styled::new(">")
        .with_fg(Color::DarkGreen)
        .with_attr(Attributes::BOLD);
    render.placeholder = StyleSheet::new();
    render.help_message = StyleSheet::new();
    render.answer = bold;
    render.highlighted_option_prefix = Styled::new(">").with_attr(Attributes::BOLD);
    render.unhighlighted_option_prefix = Styled::new(" ");
    render.selected_checkbox = Styled::new("[x]")
        .with_fg(Color::DarkGreen)
        .with_attr(Attributes::BOLD);
    render.selected_option = Some(bold);
    render.error_message.prefix = Styled::new("#")
        .with_fg(Color::DarkRed)
        .with_attr(Attributes::BOLD);
    render.error_message.message = StyleSheet::new()
        .with_fg(Color::DarkRed)
        .with_attr(Attributes::BOLD);
    render
}

/// Waits for one key: Esc and Ctrl-C stop, any other key carries on.
fn wait_for_key() -> Result<(), Stop> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    use crossterm::terminal::{disable_raw_mode, enable_raw_mode};
    enable_raw_mode()?;
    let key = loop {
        match read() {
            Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => break Ok(k),
            Ok(_) => continue,
            Err(e) => break Err(e),
        }
    };
    disable_raw_mode()?;
    let key = key?;
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
    if key.code == KeyCode::Esc || ctrl_c {
        Err(Stop::Cancelled)
    } else {
        Ok(())
    }
}

/// Clears the screen (not the scrollback) and puts the cursor at its top.
const NEW_SCREEN: &str = "\x1b[2J\x1b[H";

fn stop(e: InquireError) -> Stop {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => Stop::Cancelled,
        InquireError::IO(e) => Stop::Io(e),
        other => Stop::Io(std::io::Error::other(other.to_string())),
    }
}

impl Prompter for Interactive {
    fn ask(&mut self, form: &Form, out: &mut dyn Write) -> Result<Answer, Stop> {
        // The terminal may have been resized since the last question.
        self.width = terminal_width().max(20);
        // The question itself is already on screen; make sure it is shown before inquire draws.
        out.flush()?;
        match form {
            Form::Single(choices) => self
                .select(keys::YOUR_ANSWER, self.options(choices, SELECT_PREFIX))
                .map(Answer::Choice),
            Form::TrueFalse => self
                .select(
                    keys::YOUR_ANSWER,
                    vec!["True".to_string(), "False".to_string()],
                )
                .map(|i| Answer::Bool(i == 0)),
            Form::Multiple(choices) => {
                let help = self.line(keys::TICK);
                let shown_back = |picked: &[inquire::list_option::ListOption<&String>]| {
                    picked
                        .iter()
                        .map(|o| format!("\n  - {}", o.value.trim_start()))
                        .collect::<String>()
                };
                let picked =
                    MultiSelect::new(keys::YOUR_ANSWER, self.options(choices, TICK_PREFIX))
                        .with_formatter(&shown_back)
                        .without_filtering()
                        .with_vim_mode(false)
                        .with_page_size(10)
                        .with_help_message(&help)
                        .with_validator(|picked: &[inquire::list_option::ListOption<&String>]| {
                            Ok(if picked.is_empty() {
                                Validation::Invalid(keys::TICK_ONE.into())
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
                let help = self.line(keys::NUMBER);
                CustomType::<f64>::new(keys::YOUR_ANSWER)
                    .with_parser(&parser)
                    .with_formatter(&formatter)
                    .with_error_message(keys::NOT_A_NUMBER)
                    .with_help_message(&help)
                    .with_render_config(self.render)
                    .prompt()
                    .map(Answer::Number)
                    .map_err(stop)
            }
            Form::Text => Text::new(keys::YOUR_ANSWER)
                .with_formatter(&|typed: &str| format!("\n  {}", self.hang(typed, 2)))
                .with_help_message(&self.line(keys::TEXT))
                .with_validator(|s: &str| {
                    Ok(if s.trim().is_empty() {
                        Validation::Invalid(keys::EMPTY_TEXT.into())
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
                    let message = keys::which_comes(order.len() + 1);
                    let options = left
                        .iter()
                        .map(|&i| self.hang(items[i], SELECT_PREFIX))
                        .collect();
                    let pick = self.select(&message, options)?;
                    order.push(left.remove(pick));
                }
                order.extend(left);
                Ok(Answer::Order(order))
            }
            Form::Match { lefts, rights } => {
                let mut picks = Vec::new();
                for l in lefts {
                    picks.push(
                        self.select(&keys::match_item(l), self.options(rights, SELECT_PREFIX))?,
                    );
                }
                Ok(Answer::Match(picks))
            }
        }
    }

    fn ready(&mut self, out: &mut dyn Write) -> Result<bool, Stop> {
        writeln!(out)?;
        out.flush()?;
        Confirm::new(keys::CONSENT_QUESTION)
            .with_default(true)
            .with_help_message(&self.line(keys::CONSENT))
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
        let options = options
            .iter()
            .map(|o| self.hang(o, SELECT_PREFIX))
            .collect();
        self.select_with_help(title, options, keys::MENU)
    }

    fn name(&mut self, question: &str, out: &mut dyn Write) -> Result<String, Stop> {
        out.flush()?;
        Text::new(question)
            .with_help_message(&self.line(keys::NAME))
            .with_validator(|s: &str| {
                Ok(if s.trim().is_empty() {
                    Validation::Invalid(keys::EMPTY_NAME.into())
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
            .with_help_message(&self.line(keys::YES_NO))
            .with_render_config(self.render)
            .prompt()
            .map_err(stop)
    }

    fn carry_on(&mut self, prompt: &str, out: &mut dyn Write) -> Result<(), Stop> {
        write!(out, "\n{}", self.line(prompt))?;
        out.flush()?;
        let key = wait_for_key();
        write!(out, "\r\n{NEW_SCREEN}")?;
        out.flush()?;
        key
    }

    fn screen(&self) -> Option<(usize, Option<usize>)> {
        Some((terminal_width(), terminal_height()))
    }

    fn new_screen(&mut self, out: &mut dyn Write) -> Result<(), Stop> {
        write!(out, "{NEW_SCREEN}")?;
        out.flush()?;
        Ok(())
    }

    fn hand_over(&mut self, out: &mut dyn Write) -> Result<(), Stop> {
        out.flush()?;
        let read = Text::new(&self.line(keys::NEXT_PERSON))
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
