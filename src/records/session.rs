//! A training session: one quiz, with its settings, for a group of staff, under a short code that
//! a trainer can read out. The session keeps the bank's text, so that editing the bank file later
//! does not change the quiz the session's trainees take.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::bank::Bank;
use crate::bank::catalog::Source;

/// Letters and digits that cannot be mistaken for one another when read out or copied from a
/// board: no 0 or O, no 1 or I.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 6;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Six characters from `CODE_ALPHABET`, kept without the hyphen it is shown with.
    pub code: String,
    pub title: String,
    pub quiz: String,
    /// Where the bank came from, for messages.
    pub bank_file: String,
    /// The bank's text when the session was made.
    pub bank_text: String,
    pub bank_hash: String,
    /// Overrides the bank's pass mark.
    #[serde(default)]
    pub pass_mark: Option<f64>,
    #[serde(default)]
    pub review_at_end: bool,
    pub created: String,
    #[serde(default)]
    pub closed: Option<String>,
}

impl Session {
    /// The session's quiz, as it was when the session was made, with the session's pass mark.
    pub fn bank(&self) -> Result<Bank> {
        let source = Source {
            file: self.bank_file.clone(),
            text: self.bank_text.clone(),
        };
        let mut bank = source
            .load()
            .with_context(|| format!("the quiz kept by session {}", show_code(&self.code)))?;
        if let Some(mark) = self.pass_mark {
            bank.quiz.pass_mark = mark;
        }
        Ok(bank)
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }
}

/// A new random session code.
pub fn new_code() -> String {
    let mut rng = crate::engine::rng::Rng::new(
        crate::engine::rng::Rng::fresh_seed()
            ^ u64::from_str_radix(&crate::records::record::new_id()[..16], 16).unwrap_or_default(),
    );
    (0..CODE_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.below(CODE_ALPHABET.len())]))
        .collect()
}

/// A code as shown and read out: `KX4-7PM`.
pub fn show_code(code: &str) -> String {
    if code.len() == CODE_LEN && code.is_ascii() {
        format!("{}-{}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

/// A code as typed: letter case, spaces and hyphens do not matter.
pub fn parse_code(typed: &str) -> Result<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.len() != CODE_LEN || !code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        bail!(
            "`{}` is not a session code; a code has six letters and digits, such as KX4-7PM",
            crate::util::text::sanitize(typed)
        );
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_avoid_lookalikes_and_read_back() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
            assert_eq!(parse_code(&show_code(&code)).unwrap(), code);
            assert_eq!(parse_code(&code.to_lowercase()).unwrap(), code);
        }
        assert_eq!(show_code("KX47PM"), "KX4-7PM");
        assert_eq!(parse_code(" kx4 7pm ").unwrap(), "KX47PM");
        assert!(parse_code("KX4").is_err());
        assert!(parse_code("KX4-7P!").is_err());
    }
}
