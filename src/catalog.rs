//! The bundled banks, compiled into the binary from `quizzes/`, and finding a quiz by id or path.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::bank::Bank;
use crate::load::{self, LoadError};

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Every bundled bank: those for all staff first, then the deeper ones, each group in file-name
/// order. A bundled bank that does not load is a bug in this build, reported as an error rather
/// than a panic.
pub fn bundled() -> Result<Vec<Bank>, LoadError> {
    let mut banks = BUNDLED
        .iter()
        .map(|(name, text)| load::load_str(&format!("quizzes/{name}"), text))
        .collect::<Result<Vec<_>, _>>()?;
    banks.sort_by_key(|b| b.quiz.audience != "All staff");
    Ok(banks)
}

/// A bank's text and the name to give it in messages.
pub struct Source {
    pub file: String,
    pub text: String,
}

/// A bank by path (a path that exists wins) or by bundled id.
pub fn find(quiz: &str) -> Result<Bank> {
    let source = locate(quiz)?;
    load::load_str(&source.file, &source.text).map_err(anyhow::Error::from)
}

/// The text of a bank, by path (a path that exists wins) or by bundled id.
pub fn locate(quiz: &str) -> Result<Source> {
    let path = Path::new(quiz);
    if path.exists() {
        return Ok(Source {
            file: quiz.to_string(),
            text: load::read_path(path)?,
        });
    }
    let mut ids = Vec::new();
    for (name, text) in BUNDLED {
        let file = format!("quizzes/{name}");
        let bank = load::load_str(&file, text).context("a bundled bank is broken")?;
        if bank.quiz.id == quiz {
            return Ok(Source {
                file,
                text: text.to_string(),
            });
        }
        ids.push(bank.quiz.id);
    }
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let hint = match load::nearest(quiz, &ids) {
        Some(near) => format!("did you mean `{near}`? "),
        None => String::new(),
    };
    if quiz.ends_with(".toml") {
        bail!("no file named {quiz} was found; {hint}`sgquiz list` shows the bundled quizzes");
    }
    bail!("there is no quiz called `{quiz}`; {hint}`sgquiz list` shows the bundled quizzes")
}
