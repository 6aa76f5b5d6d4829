//! The results store: where attempts and sessions are kept. **The only module that touches
//! SQLite or writes record files.**
//!
//! Two kinds behind one trait, so that reports do not care which: an SQLite database (the
//! default; safe for several processes at once on one machine) and a folder of JSON files, one
//! per attempt, each written under a temporary name and renamed into place (for shared network
//! drives, where SQLite's locking is not safe).

mod error;
mod folder;
mod location;
mod postgres;
mod sqlite;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::engine::marking::Outcome;
use crate::records::record::{Hold, Record};
use crate::records::session::Session;

pub use error::StoreError;
pub use folder::FolderStore;
pub use location::Location;
pub use postgres::PostgresStore;
pub use sqlite::{SCHEMA_VERSION, SqliteStore};

/// Which records a report or a look-up wants. Every field narrows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub session: Option<String>,
    pub quiz: Option<String>,
    /// Matched as `record::same_name` does: by `record::name_key`.
    pub name: Option<String>,
    /// RFC 3339, UTC: attempts started at or after it.
    pub since: Option<String>,
    /// Finished attempts only.
    pub finished_only: bool,
}

impl Filter {
    pub fn matches(&self, r: &Record) -> bool {
        self.session
            .as_ref()
            .is_none_or(|s| r.session.as_ref() == Some(s))
            && self.quiz.as_ref().is_none_or(|q| &r.quiz == q)
            && self
                .name
                .as_ref()
                .is_none_or(|n| crate::records::record::same_name(&r.name, n))
            && self.since.as_ref().is_none_or(|s| r.started >= *s)
            && (!self.finished_only || r.is_complete())
    }
}

/// One recorded answer, as the question analysis reads it.
#[derive(Debug, Clone, Default)]
pub struct AnswerRow {
    pub question: String,
    /// Marked fully right.
    pub correct: bool,
    /// The share of the question's points earned, 0 to 1.
    pub share: f64,
    /// The response in the bank's terms, as JSON text; left empty when the answer was right
    /// (the analysis needs only the wrong ones, and reading fewer is quicker).
    pub response: String,
}

impl AnswerRow {
    pub(crate) fn of(q: &crate::records::record::RecordedQuestion) -> AnswerRow {
        let correct = q.outcome == Outcome::Correct;
        AnswerRow {
            question: q.id.clone(),
            correct,
            share: if q.max_points > 0.0 {
                q.points / q.max_points
            } else {
                1.0
            },
            response: if correct {
                String::new()
            } else {
                q.response.to_string()
            },
        }
    }
}

/// Why the store refused a sitting's save or hold: the attempt is not the sitting's to write.
/// A sitting that meets one stops at once, saying why; nothing it does afterwards is recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Another sitting holds the attempt and saved within the last `HOLD_MINUTES`.
    #[error(
        "this attempt is open in another sitting, which last saved an answer at {at} (UTC); \
         carry on there, or wait {minutes} minutes after its last answer. If that sitting has \
         really ended (a closed window, a machine switched off), take the attempt over with \
         --take-over; the other sitting then records nothing more",
        minutes = crate::records::record::HOLD_MINUTES
    )]
    HeldElsewhere { at: String },
    /// Another sitting took the attempt over; this one no longer holds it.
    #[error(
        "this attempt was taken over by another sitting, so nothing more is recorded from this \
         one; your answers so far are kept with the attempt"
    )]
    TakenOver,
    /// The attempt has been finished (by another sitting that took it over), and a finished
    /// attempt is never changed.
    #[error(
        "this attempt was taken over and finished in another sitting, and a finished attempt is \
         never changed, so nothing more is recorded from this one"
    )]
    Finished,
    /// The attempt was erased (`sgquiz forget`) while it was being taken.
    #[error(
        "the record of this attempt was erased from the results store while it was being taken, \
         so nothing more is recorded"
    )]
    Erased,
}

/// What a hold check needs to know of an attempt the store has.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub finished: bool,
    pub held: Option<Hold>,
}

impl Stored {
    pub fn of(r: &Record) -> Stored {
        Stored {
            finished: r.is_complete(),
            held: r.held.clone(),
        }
    }
}

/// Whether `sitting` may write to an attempt that the store has as `stored` (`None`: the store
/// has no such attempt).
pub(crate) fn check_save(stored: Option<&Stored>, sitting: &str) -> Result<(), Refusal> {
    match stored {
        None => Err(Refusal::Erased),
        Some(s) if s.finished => Err(Refusal::Finished),
        Some(s) if s.held.as_ref().is_some_and(|h| h.sitting == sitting) => Ok(()),
        Some(_) => Err(Refusal::TakenOver),
    }
}

/// Whether a new sitting may take hold of an attempt that the store has as `stored`.
pub(crate) fn check_claim(stored: Option<&Stored>, take_over: bool) -> Result<(), Refusal> {
    match stored {
        None => Err(Refusal::Erased),
        Some(s) if s.finished => Err(Refusal::Finished),
        Some(s) => match &s.held {
            Some(h) if !take_over && !h.lapsed(jiff::Timestamp::now()) => {
                Err(Refusal::HeldElsewhere {
                    at: h.saved.replace('T', " ").trim_end_matches('Z').to_string(),
                })
            }
            _ => Ok(()),
        },
    }
}

/// What `Store::import` did with a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    /// The attempt was not in the store; now it is.
    Added,
    /// The store had the attempt unfinished; now it has it finished.
    Completed,
    /// The store has the attempt finished already; nothing changed.
    AlreadyThere,
}

pub trait Store {
    /// Saves an attempt, finished or not, replacing any earlier save of the same unfinished
    /// attempt: all of it or none of it. A finished attempt is never replaced
    /// (`Refusal::Finished`).
    fn save(&mut self, record: &Record) -> Result<()>;

    /// Saves many attempts at once (an import, or a benchmark's data); a database does it in one
    /// transaction.
    fn save_all(&mut self, records: &[Record]) -> Result<()> {
        records.iter().try_for_each(|r| self.save(r))
    }

    /// Saves the progress of an unfinished attempt that `sitting` holds and has saved before:
    /// the answers added since (usually one: a small write, whatever the attempt's length), the
    /// time taken, and the hold's time. Refused (a `Refusal`) when the sitting no longer holds
    /// the attempt.
    fn save_answer(&mut self, record: &Record, sitting: &str) -> Result<()>;

    /// Saves the finished attempt that `sitting` holds, whole; refused as `save_answer` is.
    fn finish(&mut self, record: &Record, sitting: &str) -> Result<()>;

    /// Lets go of an unfinished attempt that `sitting` holds (the sitting is ending), so that
    /// another can carry it on at once. Does nothing if it holds it no longer.
    fn release(&mut self, id: &str, sitting: &str) -> Result<()>;

    /// Takes hold of the unfinished attempt `id` for a new sitting, and returns it as stored,
    /// with its answers. Refused while another sitting holds it, unless `take_over`.
    fn claim(&mut self, id: &str, hold: &Hold, take_over: bool) -> Result<Record>;

    /// Removes an unfinished attempt that `sitting` holds: the trainee chose to start again.
    fn discard(&mut self, id: &str, sitting: &str) -> Result<()>;

    /// Brings in a finished attempt kept elsewhere (a fallback file), once: an attempt the
    /// store has unfinished is completed, one it has finished is left as it is.
    fn import(&mut self, record: &Record) -> Result<Imported>;

    /// The trainee's latest incomplete attempt of the quiz in the session (or in none), if any.
    fn incomplete(&self, quiz: &str, name: &str, session: Option<&str>) -> Result<Option<Record>>;

    /// The attempts that match, oldest first, with their answers.
    fn records(&self, filter: &Filter) -> Result<Vec<Record>>;

    /// The attempts that match, oldest first, without their answers (`questions` is empty):
    /// all that trainee rows and the refresher list need, and much quicker from a large store.
    fn summaries(&self, filter: &Filter) -> Result<Vec<Record>> {
        Ok(self
            .records(filter)?
            .into_iter()
            .map(|r| Record {
                questions: Vec::new(),
                ..r
            })
            .collect())
    }

    /// The attempts that match, oldest first, each with its answers as the analysis reads them;
    /// `Record::questions` is left empty. Streams, so that large stores do not
    /// fill memory.
    fn scan(&self, filter: &Filter, visit: &mut dyn FnMut(&Record, &[AnswerRow])) -> Result<()> {
        for r in self.records(filter)? {
            let rows: Vec<AnswerRow> = r.questions.iter().map(AnswerRow::of).collect();
            let summary = Record {
                questions: Vec::new(),
                ..r
            };
            visit(&summary, &rows);
        }
        Ok(())
    }

    /// The question analysis of the finished attempts that match. By default the attempts are
    /// scanned and counted here; a database server may sum them itself.
    fn question_analysis(
        &self,
        filter: &Filter,
    ) -> Result<Vec<crate::records::analysis::QuestionStats>> {
        let mut analysis = crate::records::analysis::Analysis::default();
        self.scan(filter, &mut |record, answers| analysis.add(record, answers))?;
        Ok(analysis.finish())
    }

    /// Erases every attempt recorded under the name, leaving nothing of it readable in the
    /// store's files; returns how many went.
    fn forget(&mut self, name: &str) -> Result<usize>;

    fn add_session(&mut self, session: &Session) -> Result<()>;

    fn session(&self, code: &str) -> Result<Option<Session>>;

    /// Every session, oldest first.
    fn sessions(&self) -> Result<Vec<Session>>;

    /// Marks a session closed; `false` if there is no such session.
    fn close_session(&mut self, code: &str, when: &str) -> Result<bool>;

    /// How many attempts the store holds, finished or not.
    fn count(&self) -> Result<usize> {
        Ok(self.summaries(&Filter::default())?.len())
    }

    /// What the store passed over while reading (a folder store's unreadable files), each said
    /// once, for the command to show as warnings.
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// Where the store is, for messages: a path, or a database address with any password
    /// masked.
    fn location(&self) -> String;

    /// What kind of store it is, for `sgquiz store check`: "SQLite database", say.
    fn kind(&self) -> &'static str;

    /// The version of the store's schema, and the one this sgquiz writes; `None` for a store
    /// that has no schema (a folder of files).
    fn schema_version(&self) -> Result<Option<SchemaVersion>>;

    /// Every attempt's id, with whether it is finished: what a copy needs to know of the store
    /// it copies into, without reading any answers.
    fn ids(&self) -> Result<HashMap<String, bool>> {
        Ok(self
            .summaries(&Filter::default())?
            .into_iter()
            .map(|r| (r.id.clone(), r.is_complete()))
            .collect())
    }

    /// The attempts that match, with their answers, handed to `visit` one at a time (and
    /// stopping at its first error), in the order the store reads them quickest, so that a
    /// store of any size can be copied without holding it all in memory.
    fn each_record(
        &self,
        filter: &Filter,
        visit: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        self.records(filter)?.into_iter().try_for_each(visit)
    }
}

/// A store's schema version (`Store::schema_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaVersion {
    /// The version the store is at.
    pub found: i64,
    /// The version this sgquiz writes, for a store of this kind.
    pub current: i64,
}

/// Refuses a path that exists but is neither a regular file nor a folder (a FIFO would make
/// reading it wait for ever; a device is no place for records), before it is opened.
fn refuse_special(path: &Path) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
        }
        .into());
    }
    Ok(())
}

/// A store's write that failed because the disk is full says so, naming the store.
fn disk_full(path: &Path, e: &std::io::Error) -> Option<anyhow::Error> {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
    .then(|| {
        StoreError::DiskFull {
            path: path.to_path_buf(),
        }
        .into()
    })
}

/// Refuses a store the user has marked read-only, before anything is written to it. (The
/// operating system would refuse the writes too, except to an administrator; saying so first
/// gives a clearer message.)
fn refuse_read_only(path: &Path, what: &'static str) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().readonly()
    {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            what,
        }
        .into());
    }
    Ok(())
}

/// Creates a folder (and its parents) that only its owner can read, on Unix.
fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates a file that only its owner can read, on Unix; fails if it exists.
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Keeps a finished attempt that the store could not take, so that it is never lost: a file of
/// its own in the current folder, or else in the temporary folder. Returns where it went.
pub fn write_fallback(record: &Record) -> Result<PathBuf> {
    let name = format!("sgquiz-result-{}.json", record.id);
    let mut last_error = None;
    let here = std::env::current_dir().unwrap_or_default();
    for dir in [here, std::env::temp_dir()] {
        let path = dir.join(&name);
        let attempt = (|| -> Result<()> {
            let mut file = create_private_file(&path)?;
            // Made whole first: the file is not buffered, and the serialiser writes a token
            // at a time.
            let mut text = serde_json::to_vec_pretty(record)?;
            text.push(b'\n');
            std::io::Write::write_all(&mut file, &text)?;
            file.sync_all()?;
            Ok(())
        })();
        match attempt {
            Ok(()) => return Ok(path),
            Err(e) => last_error = Some(e.context(format!("writing {}", path.display()))),
        }
    }
    Err(last_error.unwrap_or_else(|| anyhow::anyhow!("no folder to write to")))
}

#[cfg(test)]
mod tests;
