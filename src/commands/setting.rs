//! `sgquiz setting init`, and the setting file a command runs with (`--setting FILE` or
//! SGQUIZ_SETTING): read once, then applied to each bank before it is planned or printed.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Result, bail};

use super::{Exit, messages};
use crate::authoring::SETTING_TEMPLATE;
use crate::bank::Bank;
use crate::bank::load::setting::load_setting_path;
use crate::bank::setting::{self, Setting};
use crate::cli::Cli;

/// `sgquiz setting init FILE`.
pub fn init(file: &Path) -> Result<Exit> {
    super::authoring::write_new(file, SETTING_TEMPLATE)?;
    writeln!(
        io::stdout(),
        "Wrote {}: your setting's safeguarding contacts, to fill in.\n\
         Then use it with: sgquiz --setting {} run QUIZ (or set SGQUIZ_SETTING to its path)",
        file.display(),
        file.display()
    )?;
    Ok(Exit::Success)
}

/// The setting file the command line (or SGQUIZ_SETTING) names, read and checked; none if
/// neither does.
pub fn chosen(cli: &Cli) -> Result<Option<Setting>> {
    match &cli.setting {
        None => Ok(None),
        Some(path) => Ok(Some(load_setting_path(path)?)),
    }
}

/// `bank` with the setting applied (see `bank::setting::apply`), saying which questions were left
/// out and why. A bank left with no questions at all is refused.
pub fn applied(bank: &Bank, setting: Option<&Setting>) -> Result<Bank> {
    let applied = setting::apply(bank, setting);
    for note in &applied.notes {
        messages::note(note);
    }
    if applied.bank.questions.is_empty() {
        bail!(
            "every question in {} asks about your setting's own contacts, and none could be asked: {}",
            bank.quiz.id,
            if setting.is_none() {
                "give a setting file with --setting FILE (make one with `sgquiz setting init`)"
            } else {
                "the setting file does not give what they ask for"
            }
        );
    }
    Ok(applied.bank)
}
