//! Every message sgquiz writes about itself: `sgquiz: error: …`, `sgquiz: warning: …`,
//! `sgquiz: note: …`, and the few plain `sgquiz: …` lines, all on standard error. Nothing else
//! in the crate writes such a line, so their shape is decided here once.
//!
//! A message that cannot be written (standard error closed) is dropped: there is nowhere left
//! to say it.

use std::fmt::Display;
use std::io::{self, Write};

use crate::bank::load::LoadError;
use crate::bank::load::setting::SettingError;

/// Something failed; the command ends with a failing status.
pub fn error(message: impl Display) {
    say(format_args!("sgquiz: error: {message}"));
}

/// Something is wrong but the command carries on.
pub fn warning(message: impl Display) {
    say(format_args!("sgquiz: warning: {message}"));
}

/// Something worth knowing that is not wrong.
pub fn note(message: impl Display) {
    say(format_args!("sgquiz: note: {message}"));
}

/// An event that is neither an error nor a warning, such as input ending early.
pub fn status(message: impl Display) {
    say(format_args!("sgquiz: {message}"));
}

/// A line of its own, such as the rest of an error's explanation, a summary, or a blank line.
pub fn line(text: impl Display) {
    say(format_args!("{text}"));
}

/// The error a command failed with. A bank's problems are already `FILE:LINE:COL: error: ...`
/// lines, so they are printed as they are.
pub fn failed(e: &anyhow::Error) {
    if let Some(invalid @ LoadError::Invalid { .. }) = e.downcast_ref::<LoadError>() {
        return line(invalid);
    }
    match e.downcast_ref::<SettingError>() {
        Some(invalid @ SettingError::Invalid { .. }) => line(invalid),
        _ => error(format_args!("{e:#}")),
    }
}

fn say(text: std::fmt::Arguments) {
    let _ = writeln!(io::stderr(), "{text}");
}
