//! `sgquiz store import`: brings finished results that the store could not take (the
//! `sgquiz-result-ID.json` files a run writes instead) back into the store, so that "never
//! lost" ends in the store, not in a stray file.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Exit;
use crate::cli::{Cli, StoreCommand};
use crate::records::record::{Record, clean_name};
use crate::records::store::{Imported, Location};
use crate::util::text::sanitize;

/// A result file is one attempt; anything this large is not one.
const MAX_RESULT_BYTES: u64 = 16 * 1024 * 1024;

/// `sgquiz store …`.
pub fn store(cli: &Cli, action: &StoreCommand) -> Result<Exit> {
    match action {
        StoreCommand::Import { files } => import(cli, files),
    }
}

/// Reads every file first, so that one bad file imports nothing; then imports each result once
/// (by its attempt id), completing an attempt the store has unfinished.
fn import(cli: &Cli, files: &[PathBuf]) -> Result<Exit> {
    let records = files
        .iter()
        .map(|f| Ok((f, read_result(f)?)))
        .collect::<Result<Vec<_>>>()?;
    let location = Location::choose(cli.store.as_deref())?;
    let mut store = location.open()?;
    let mut out = io::stdout().lock();
    let mut imported = 0;
    for (file, record) in &records {
        let done = store
            .import(record)
            .with_context(|| format!("importing {}", file.display()))?;
        let what = match done {
            Imported::Added => "imported",
            Imported::Completed => "imported, finishing the unfinished attempt in the store",
            Imported::AlreadyThere => "already in the store; left as it is",
        };
        if done != Imported::AlreadyThere {
            imported += 1;
        }
        writeln!(
            out,
            "{}: {} of {} by {}: {what}",
            file.display(),
            record.quiz,
            super::day(record.finished.as_deref().unwrap_or(&record.started)),
            record.name
        )?;
    }
    writeln!(
        out,
        "Imported {imported} result{} into the results store {}.",
        if imported == 1 { "" } else { "s" },
        store.location()
    )?;
    Ok(Exit::Success)
}

/// The finished attempt in a result file, checked as far as a file from elsewhere must be.
fn read_result(path: &Path) -> Result<Record> {
    let shown = path.display();
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_RESULT_BYTES + 1).read_to_string(&mut text))
        .with_context(|| format!("reading {shown}"))?;
    if text.len() as u64 > MAX_RESULT_BYTES {
        bail!("{shown} is larger than any sgquiz result file; nothing was imported");
    }
    let mut record: Record = serde_json::from_str(&text)
        .with_context(|| format!("{shown} is not an sgquiz result file; nothing was imported"))?;
    if !record.is_complete() || record.score.is_none() || record.passed.is_none() {
        bail!(
            "{shown} holds an unfinished attempt; only finished results are imported, and \
             nothing was"
        );
    }
    let clean = !record.id.is_empty()
        && record.id.chars().all(|c| c.is_ascii_alphanumeric())
        && clean_name(&record.name).is_ok_and(|n| n == record.name)
        && [&record.quiz, &record.title]
            .iter()
            .all(|t| sanitize(t) == **t)
        && record.session.as_ref().is_none_or(|s| sanitize(s) == *s);
    if !clean {
        bail!("{shown} holds text that sgquiz would not have written; nothing was imported");
    }
    record.held = None;
    Ok(record)
}
