//! The bundled banks, compiled into the binary from `quizzes/`, and finding a quiz by id or path.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::bank::Bank;
use crate::bank::load::{self, LoadError};

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

/// Each bundled quiz's id and the hash of its text (see `Source::hash`): what a record of the
/// bundled quiz itself carries.
pub fn bundled_hashes() -> Result<std::collections::HashMap<String, String>, LoadError> {
    BUNDLED
        .iter()
        .map(|(name, text)| {
            let source = Source {
                file: format!("quizzes/{name}"),
                text: text.to_string(),
            };
            Ok((source.load()?.quiz.id, source.hash()))
        })
        .collect()
}

/// The text of a bank, and the name it goes by in messages.
#[derive(Debug, Clone)]
pub struct Source {
    pub file: String,
    pub text: String,
}

impl Source {
    pub fn load(&self) -> Result<Bank, LoadError> {
        load::load_str(&self.file, &self.text)
    }

    /// A hash of the bank's text, so that a record tells an edited bank from the one it was
    /// taken on: SHA-256, in hex.
    pub fn hash(&self) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(self.text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A bank by path (a path that exists wins) or by bundled id.
pub fn find(quiz: &str) -> Result<Bank> {
    find_source(quiz)?.load().map_err(anyhow::Error::from)
}

/// The text of a bank, by path (a path that exists wins) or by bundled id.
pub fn find_source(quiz: &str) -> Result<Source> {
    let path = Path::new(quiz);
    if path.exists() {
        return Ok(Source {
            file: path.display().to_string(),
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
    let hint = match crate::util::suggest::nearest(quiz, &ids) {
        Some(near) => format!("did you mean `{near}`? "),
        None => String::new(),
    };
    if quiz.ends_with(".toml") {
        bail!("no file named {quiz} was found; {hint}`sgquiz list` shows the bundled quizzes");
    }
    bail!("there is no quiz called `{quiz}`; {hint}`sgquiz list` shows the bundled quizzes")
}
