//! The words a trainee reads around the questions: the opening screen, each question's heading,
//! the feedback on an answer, the result, and the keys to press. Pure functions from engine
//! values to text, shared by both front ends so that the plain mode says everything the
//! interactive one does, in words only (no symbols for a screen reader to read as noise, and no
//! instruction that is not true in that mode).

pub mod answers;
pub mod keys;
mod opening;
mod questions;
mod review;
mod sitting;
#[cfg(test)]
mod tests;

use crate::bank::minutes_for as minutes;
use crate::front::style::Style;
pub use crate::util::text::topic_words;
use crate::util::text::{display_width, reflow, wrap};
pub use opening::{
    BEFORE_YOU_START, Opening, PLAIN_HINT, STOP_IN_BROWSER, STOP_INTERACTIVE, STOP_PLAIN, SUPPORT,
    compact_intro, intro, opening, opening_pages, pages, pages_above, support,
};
pub use questions::{
    CARRY_ON_MORE, CARRY_ON_RESULT, CARRY_ON_REVIEW_SUPPORT_FIRST, CARRY_ON_SUPPORT,
    CARRY_ON_SUPPORT_FIRST, Feedback, Line, carry_on, carry_on_review, feedback, feedback_of,
    question_heading, question_hint, question_title,
};
pub use review::{
    Outcomes, REVIEW, Reviewed, duration, outcomes, result, review_heading, review_one, reviewed,
    reviewed_one,
};
pub use sitting::{
    ASK_NAME, MENU_QUESTION, MENU_RECORD, answer_saved, carry_on_choices, carry_on_question,
    held_back, held_elsewhere, how_to_resume, how_to_resume_at_kiosk, kiosk_closed,
    kiosk_session_closed, kiosk_welcome, menu_heading, menu_line, name_refused, next_trainee,
    not_recorded, not_started, recorded, stopped, welcome_back,
};

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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
