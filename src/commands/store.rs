//! `sgquiz store …`: `check` says what a store is and holds; `copy` (in `store/copy.rs`) copies
//! one store into another; `import` brings finished results that the store could not take (the
//! `sgquiz-result-ID.json` files a run writes instead) back into the store, so that "never
//! lost" ends in the store, not in a stray file. All three work through the `Store` trait
//! alone, whatever kind of store it is.

mod copy;

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Exit, messages};
use crate::cli::{Cli, StoreCommand};
use crate::records::record::{Record, clean_name};
use crate::records::store::{Imported, Location, SchemaVersion, Store};
use crate::util::text::sanitize;

/// A result file is one attempt; anything this large is not one.
const MAX_RESULT_BYTES: u64 = 16 * 1024 * 1024;

/// `sgquiz store …`.
pub fn store(cli: &Cli, action: &StoreCommand) -> Result<Exit> {
    match action {
        StoreCommand::Import { files } => import(cli, files),
        StoreCommand::Check => check(cli),
        StoreCommand::Copy { from, to } => copy::copy(cli, from, to),
    }
}

/// `n` and the noun, `one` or `many` as `n` needs.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The store as messages name it: its kind, and where it is (any password masked).
fn named(store: &dyn Store) -> String {
    format!("{} {}", store.kind(), sanitize(&store.location()))
}

/// Says what a store's schema version is, and how it stands against this sgquiz's.
fn schema_line(schema: Option<SchemaVersion>) -> String {
    match schema {
        None => "none (a folder store keeps each record as a JSON file of its own)".to_string(),
        Some(SchemaVersion { found, current }) if found == current => {
            format!("{found} (current)")
        }
        Some(SchemaVersion { found, current }) if found < current => {
            format!("{found} (older than {current}, which this sgquiz writes)")
        }
        Some(SchemaVersion { found, current }) => {
            format!("{found} (newer than {current}, which this sgquiz writes)")
        }
    }
}

/// Prints the warnings a store gathered while it was read (a folder store's unreadable files).
fn warn_of(store: &dyn Store) -> usize {
    let warnings = store.warnings();
    for warning in &warnings {
        messages::warning(warning);
    }
    warnings.len()
}

/// `sgquiz store check`: which store, which schema, how much is in it. A store that is not
/// there is an error, as for reports; one with files that cannot be read fails, naming them.
fn check(cli: &Cli) -> Result<Exit> {
    let store = Location::choose(cli.store.as_deref())?.open_to_read()?;
    let ids = store.ids()?;
    let finished = ids.values().filter(|done| **done).count();
    let sessions = store.sessions()?;
    let open = sessions.iter().filter(|s| s.is_open()).count();
    let mut out = io::stdout().lock();
    writeln!(out, "Store: {}", named(store.as_ref()))?;
    writeln!(
        out,
        "Schema version: {}",
        schema_line(store.schema_version()?)
    )?;
    writeln!(
        out,
        "Attempts: {} ({finished} finished, {} unfinished)",
        ids.len(),
        ids.len() - finished
    )?;
    writeln!(out, "Sessions: {} ({open} open)", sessions.len())?;
    drop(out);
    let unreadable = warn_of(store.as_ref());
    if unreadable > 0 {
        messages::error(format_args!(
            "{} in the store could not be read, and {} counted above",
            counted(unreadable, "file", "files"),
            if unreadable == 1 { "is not" } else { "are not" }
        ));
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
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
