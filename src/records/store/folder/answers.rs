//! An unfinished attempt's answers in the folder store, one small write each: beside
//! `incomplete/ID.json` (the attempt as last written whole) the sitting that holds it appends
//! one line per answer to `incomplete/ID.answers`, so saving an answer costs the same at
//! question 1,000 as at question 1.
//!
//! Each line is one answer as JSON, with its position, the sitting that gave it, the time taken
//! so far and when it was saved. Reading the attempt takes the lines in order after the answers
//! `ID.json` has, and only those of the sitting that `ID.json` says holds it: a line a sitting
//! appended after losing its hold is never read as another's. A line cut short (a power cut
//! while writing) ends the reading. Writing the attempt whole again (a new sitting taking it,
//! a stop) puts every answer in `ID.json` and then removes the lines, so the file never grows
//! past one sitting's answers.
//!
//! The lines are not flushed to disk one by one, as the database store's answers are not: a
//! crash of sgquiz loses nothing, a power cut at most the last few answers of an unfinished
//! attempt. A finished attempt is written whole and flushed, as before.

use std::borrow::Cow;
use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::{ATTEMPTS, FolderStore, INCOMPLETE};
use crate::records::record::{Hold, Record, RecordedQuestion};
use crate::records::store::Stored;

impl FolderStore {
    /// What a hold check needs of an attempt, read without its answers: `Some` with
    /// `finished` if it has a finished file, else from its unfinished one; `None` if it has
    /// neither (which means erased only if the folder itself can still be read).
    pub(super) fn stored(&self, id: &str) -> Result<Option<Stored>> {
        let done = self.file(ATTEMPTS, id)?;
        if done
            .try_exists()
            .with_context(|| format!("reading {}", done.display()))?
        {
            return Ok(Some(Stored {
                finished: true,
                held: None,
            }));
        }
        /// Only what the hold check reads of an unfinished attempt's file.
        #[derive(Deserialize)]
        struct Head {
            #[serde(default)]
            finished: Option<String>,
            #[serde(default)]
            held: Option<Hold>,
        }
        let path = self.file(INCOMPLETE, id)?;
        let mut file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let dir = self.root.join(INCOMPLETE);
                fs::read_dir(&dir)
                    .with_context(|| format!("reading the results folder {}", dir.display()))?;
                return Ok(None);
            }
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        // The file is written whole under a new name each time, so the same stamp is the same
        // text: read and parse it again only when it has changed (a long quiz's file lists
        // every question, and would otherwise be read through at every answer).
        let stamp = file.metadata().ok().map(|m| Stamp::of(&m));
        if let Some((seen, stored)) = self.heads.borrow().get(id)
            && stamp.as_ref() == Some(seen)
        {
            return Ok(Some(stored.clone()));
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .with_context(|| format!("reading {}", path.display()))?;
        let head: Head = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{} is not an sgquiz record that can be read",
                path.display()
            )
        })?;
        let stored = Stored {
            finished: head.finished.is_some(),
            held: head.held,
        };
        if let Some(stamp) = stamp {
            self.heads
                .borrow_mut()
                .insert(id.to_string(), (stamp, stored.clone()));
        }
        Ok(Some(stored))
    }
}

/// What tells one version of a file from another: its size, its times and (where there is
/// one) which file on which device it is.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    file: (u64, u64, i64, i64),
}

impl Stamp {
    fn of(m: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            file: (m.dev(), m.ino(), m.ctime(), m.ctime_nsec()),
        }
    }
}

/// The file of answer lines beside an unfinished attempt's `ID.json`.
pub(super) fn lines_path(json: &Path) -> PathBuf {
    json.with_extension("answers")
}

/// One line of `ID.answers`.
#[derive(Serialize, Deserialize)]
struct Line<'a> {
    /// From 0, in asked order.
    position: usize,
    #[serde(borrow)]
    sitting: Cow<'a, str>,
    duration_seconds: u64,
    #[serde(borrow)]
    saved: Cow<'a, str>,
    question: Cow<'a, RecordedQuestion>,
}

/// The lines for `record`'s answers from `from` on, given by `sitting` at `saved`.
pub(super) fn lines(record: &Record, from: usize, sitting: &str, saved: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (position, question) in record.questions.iter().enumerate().skip(from) {
        let line = Line {
            position,
            sitting: Cow::Borrowed(sitting),
            duration_seconds: record.duration_seconds,
            saved: Cow::Borrowed(saved),
            question: Cow::Borrowed(question),
        };
        // A record's answer always serialises: its values are strings, numbers and JSON.
        if serde_json::to_writer(&mut out, &line).is_ok() {
            out.push(b'\n');
        }
    }
    out
}

/// Appends `bytes` to the answer lines at `path` in one write, making the file if need be
/// (for the group too, where the store is shared).
pub(super) fn append(path: &Path, bytes: &[u8], shared: bool) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, if shared { 0o660 } else { 0o600 });
    let mut file = options.open(path)?;
    #[cfg(unix)]
    if shared {
        // The mode given above is narrowed by the umask; a shared store's files are not.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(0o660))?;
    }
    #[cfg(not(unix))]
    let _ = shared;
    file.write_all(bytes)
}

/// Removes the answer lines at `path`, if there are any.
pub(super) fn remove(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// `record` (read from `ID.json` at `json`) with the answers its holding sitting has appended
/// since; the time taken and the hold's last save are those of the last answer taken.
pub(super) fn merged(json: &Path, mut record: Record) -> Record {
    let Some(sitting) = record.held.as_ref().map(|h| h.sitting.clone()) else {
        return record;
    };
    let Ok(text) = fs::read(lines_path(json)) else {
        return record;
    };
    for raw in text.split_inclusive(|&b| b == b'\n') {
        // A last line without its end was cut short, and is not read.
        let Some(raw) = raw.strip_suffix(b"\n") else {
            break;
        };
        let Ok(line) = serde_json::from_slice::<Line>(raw) else {
            break;
        };
        if line.sitting != sitting {
            continue;
        }
        if line.position < record.questions.len() {
            // Already in `ID.json` (it was written whole after this line).
            continue;
        }
        if line.position > record.questions.len() {
            break;
        }
        record.questions.push(line.question.into_owned());
        record.duration_seconds = line.duration_seconds;
        record.held = Some(Hold {
            sitting: sitting.clone(),
            saved: line.saved.into_owned(),
        });
    }
    record
}
