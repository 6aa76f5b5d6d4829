//! `sgquiz store copy`: every session and attempt of one store, copied into another of any
//! kind, once each by id. The source is only read; the target is made if need be. An attempt
//! the target has finished is never changed, one it has unfinished is completed from a
//! finished source, and a session it has is left as it is; so copying again copies nothing
//! twice. Attempts are written in batches (`Store::save_all`: one transaction each in a
//! database), read from the source one at a time (`Store::each_record`), and checked against
//! the target's ids (`Store::ids`) rather than its answers, so that a large store neither fills
//! memory nor waits for the disk once per attempt.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{counted, named, warn_of};
use crate::cli::Cli;
use crate::commands::{Exit, messages};
use crate::records::record::{HOLD_MINUTES, Record};
use crate::records::session::{Session, show_code};
use crate::records::store::{Filter, Imported, Location, Refusal, Store, StoreError};
use crate::util::text::sanitize;

/// How many attempts are written at once.
const BATCH: usize = 256;

/// What the copy did.
#[derive(Debug, Default)]
struct Tally {
    sessions: usize,
    sessions_there: usize,
    finished: usize,
    unfinished: usize,
    /// Unfinished in the target, finished from the source.
    completed: usize,
    there: usize,
    /// Unfinished attempts of the source that a sitting is taking now.
    live: usize,
}

impl Tally {
    /// Counts an attempt written to the target, which had it unfinished or not at all.
    fn written(&mut self, r: &Record, had: bool) {
        match (had, r.is_complete()) {
            (true, _) => self.completed += 1,
            (false, true) => self.finished += 1,
            (false, false) => self.unfinished += 1,
        }
    }
}

/// `sgquiz store copy --from STORE --to STORE`.
pub fn copy(cli: &Cli, from: &Path, to: &Path) -> Result<Exit> {
    if cli.store.is_some() {
        bail!("`sgquiz store copy` takes its two stores as --from and --to; leave out --store");
    }
    let from = Location::choose(Some(from))?;
    let to = Location::choose(Some(to))?;
    let source = from.open_to_read().map_err(|e| match e.downcast_ref::<StoreError>() {
        Some(StoreError::Missing { path }) => anyhow::anyhow!(
            "there is no results store at {} to copy from; check --from, and nothing was copied",
            sanitize(&path.display().to_string())
        ),
        _ => e,
    })?;
    if same_store(&from, &to) {
        bail!(
            "{} is both the store to copy from and the store to copy into; name two different \
             stores, and nothing was copied",
            sanitize(&source.location())
        );
    }
    let made = !to.exists();
    let mut target = to.open()?;
    let mut tally = Tally::default();
    copy_sessions(source.as_ref(), target.as_mut(), &mut tally)?;
    copy_attempts(source.as_ref(), target.as_mut(), &mut tally).with_context(|| {
        format!(
            "copying into the {}; what was copied before this is kept, and copying again \
             carries on from there",
            named(target.as_ref())
        )
    })?;

    let mut out = io::stdout().lock();
    writeln!(out, "Copied from: {}", named(source.as_ref()))?;
    writeln!(
        out,
        "Copied into: {}{}",
        named(target.as_ref()),
        if made { " (made now)" } else { "" }
    )?;
    writeln!(
        out,
        "Sessions: {} copied, {} already there",
        tally.sessions, tally.sessions_there
    )?;
    let completed = match tally.completed {
        0 => String::new(),
        n => format!(
            ", {} in the target finished from the source",
            counted(n, "unfinished one", "unfinished ones")
        ),
    };
    writeln!(
        out,
        "Attempts: {} copied ({} finished, {} unfinished){completed}, {} already there",
        tally.finished + tally.unfinished,
        tally.finished,
        tally.unfinished,
        tally.there
    )?;
    drop(out);
    if tally.live > 0 {
        messages::note(format_args!(
            "{} in the source {} being taken now (a sitting saved to {} in the last \
             {HOLD_MINUTES} minutes), so the target has {} unfinished; copy again once {} \
             finished to bring over {}",
            counted(tally.live, "unfinished attempt", "unfinished attempts"),
            if tally.live == 1 { "is" } else { "are" },
            if tally.live == 1 { "it" } else { "them" },
            if tally.live == 1 { "it" } else { "them" },
            if tally.live == 1 { "it is" } else { "they are" },
            if tally.live == 1 {
                "its result"
            } else {
                "their results"
            },
        ));
    }
    warn_of(target.as_ref());
    let unreadable = warn_of(source.as_ref());
    if unreadable > 0 {
        messages::error(format_args!(
            "{} in the source could not be read, and {} not copied",
            counted(unreadable, "file", "files"),
            if unreadable == 1 { "was" } else { "were" }
        ));
        return Ok(Exit::Failure);
    }
    Ok(Exit::Success)
}

/// Whether two locations are one store, however each is written (a relative path, a link).
/// Each kind of store says what makes two of its locations one.
fn same_store(a: &Location, b: &Location) -> bool {
    match (a, b) {
        (
            Location::Database(x) | Location::Folder(x),
            Location::Database(y) | Location::Folder(y),
        ) => same_file(x, y),
        // One server's database, as the same role (whose schema holds the store).
        (Location::Postgres(_), Location::Postgres(_)) => a.shareable() == b.shareable(),
        (Location::Postgres(_), _) | (_, Location::Postgres(_)) => false,
    }
}

/// Whether two paths are one file or folder: the same once links are followed, or (on Unix)
/// the same file on the same device, as two hard links are.
fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (std::fs::canonicalize(a), std::fs::canonicalize(b))
        && x == y
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    false
}

/// Copies the sessions the target does not have. A session code in both stores that is not
/// the same session (codes are random, so two schools' can meet) stops the copy before
/// anything is written: copying the attempts would file one session's under the other.
fn copy_sessions(source: &dyn Store, target: &mut dyn Store, tally: &mut Tally) -> Result<()> {
    let have: HashMap<String, Session> = target
        .sessions()?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let wanted = source.sessions()?;
    let unclosed = |s: &Session| Session {
        closed: None,
        ..s.clone()
    };
    for s in &wanted {
        if let Some(t) = have.get(&s.code)
            && unclosed(s) != unclosed(t)
        {
            bail!(
                "session {} in the {} is not the session {} in the {} (another quiz, title or \
                 time it was made), and copying would mix up their attempts; nothing was copied",
                show_code(&s.code),
                named(source),
                show_code(&t.code),
                named(target)
            );
        }
    }
    for s in wanted {
        if have.contains_key(&s.code) {
            tally.sessions_there += 1;
        } else {
            target.add_session(&s)?;
            tally.sessions += 1;
        }
    }
    Ok(())
}

/// Copies the attempts, in batches: each one the target lacks, and each finished one it has
/// unfinished. The hold on an unfinished attempt is not copied: the sitting holding it writes
/// to the source, not the target.
fn copy_attempts(source: &dyn Store, target: &mut dyn Store, tally: &mut Tally) -> Result<()> {
    let there = target.ids()?;
    let now = jiff::Timestamp::now();
    let mut batch = Vec::with_capacity(BATCH);
    source.each_record(&Filter::default(), &mut |mut r| {
        if !r.is_complete()
            && r.held.as_ref().is_some_and(|h| !h.lapsed(now))
            && there.get(&r.id) != Some(&true)
        {
            tally.live += 1;
        }
        match there.get(&r.id) {
            Some(true) => tally.there += 1,
            Some(false) if !r.is_complete() => tally.there += 1,
            _ => {
                r.held = None;
                batch.push(r);
                if batch.len() == BATCH {
                    write_batch(target, &mut batch, &there, tally)?;
                }
            }
        }
        Ok(())
    })?;
    write_batch(target, &mut batch, &there, tally)
}

/// Writes a batch in one go. If the target refuses it (another sitting has finished one of its
/// attempts there since the copy began), each is written on its own, as the target has it now:
/// a finished one as `Store::import` brings it in, an unfinished one only if it is not finished
/// there.
fn write_batch(
    target: &mut dyn Store,
    batch: &mut Vec<Record>,
    there: &HashMap<String, bool>,
    tally: &mut Tally,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    match target.save_all(batch) {
        Ok(()) => {
            for r in batch.iter() {
                tally.written(r, there.contains_key(&r.id));
            }
        }
        Err(e) if e.downcast_ref::<Refusal>().is_some() => {
            for r in batch.iter() {
                if r.is_complete() {
                    match target.import(r)? {
                        Imported::Added => tally.finished += 1,
                        Imported::Completed => tally.completed += 1,
                        Imported::AlreadyThere => tally.there += 1,
                    }
                } else {
                    match target.save(r) {
                        Ok(()) => tally.unfinished += 1,
                        Err(e) if e.downcast_ref::<Refusal>() == Some(&Refusal::Finished) => {
                            tally.there += 1
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        Err(e) => return Err(e),
    }
    batch.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, finished: bool, score: f64) -> Record {
        Record {
            id: id.to_string(),
            quiz: "tf".to_string(),
            title: "True or false".to_string(),
            bank_hash: "0".repeat(64),
            name: "Sam Patel".to_string(),
            session: None,
            started: "2026-09-01T09:00:00Z".to_string(),
            finished: finished.then(|| "2026-09-01T09:05:00Z".to_string()),
            seed: 1,
            settings: Default::default(),
            order: Vec::new(),
            score: finished.then_some(score),
            max_score: 3.0,
            percent: finished.then_some(score / 3.0 * 100.0),
            pass_mark: 60.0,
            passed: finished.then_some(score >= 2.0),
            duration_seconds: 60,
            questions: Vec::new(),
            held: None,
        }
    }

    /// Another sitting wrote to the target after the copy read its ids: the batch is refused
    /// whole, then written one attempt at a time, as the target has each now.
    #[test]
    fn a_batch_the_target_refuses_is_written_one_attempt_at_a_time() {
        let dir = std::env::temp_dir().join(format!("sgquiz-copy-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for location in [
            Location::Database(dir.join("target.db")),
            Location::Folder(dir.join("target")),
        ] {
            let mut target = location.open().unwrap();
            target.save(&record("done", true, 1.0)).unwrap();
            target.save(&record("open", false, 0.0)).unwrap();
            let stale = HashMap::new();
            let mut batch = vec![
                record("done", true, 3.0),
                record("open", true, 2.0),
                record("new", false, 0.0),
            ];
            let mut tally = Tally::default();
            write_batch(target.as_mut(), &mut batch, &stale, &mut tally).unwrap();
            assert!(batch.is_empty());
            assert_eq!(
                (
                    tally.there,
                    tally.completed,
                    tally.unfinished,
                    tally.finished
                ),
                (1, 1, 1, 0),
                "{location:?}"
            );
            let mut now = target.records(&Filter::default()).unwrap();
            now.sort_by(|a, b| a.id.cmp(&b.id));
            assert_eq!(
                now,
                vec![
                    record("done", true, 1.0),
                    record("new", false, 0.0),
                    record("open", true, 2.0)
                ],
                "{location:?}: the finished attempt is kept as it was"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
