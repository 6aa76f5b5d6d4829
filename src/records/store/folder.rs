//! The folder store, for shared network drives: every file is written whole under a temporary
//! name (starting with a dot), flushed to disk, then renamed into place, so a reader never sees
//! half a file and two machines never write the same file. Finished attempts are
//! `attempts/ID.json`, unfinished ones `incomplete/ID.json` (removed once finished), sessions
//! `sessions/CODE.json`. An unfinished attempt's answers are appended one line each to
//! `incomplete/ID.answers` as they are given, rather than the whole attempt being written again
//! each time (see `answers`). A finished file always wins: an unfinished copy left beside it (a
//! crash between the two steps) is never read, resumed or written to, and goes at the next
//! write of that attempt.
//!
//! Each write of an unfinished attempt first reads it back (without its answers) to check the
//! hold (see `record::Hold`). Two machines writing the same attempt in the same instant could
//! still both pass that check (a shared drive has no lock to share), but neither ever leaves half
//! a file, and the answer lines of a sitting that has lost its hold are never read.
//!
//! Reading for reports is forgiving, because other machines write while a report reads: a file
//! that has gone between listing the folder and reading it (an unfinished attempt being
//! finished) is passed over without a word, and one that cannot be read as a record (empty,
//! damaged, written by something else) is passed over and named in a warning, so that one bad
//! file never stops every report, or an erasure.

mod answers;
mod erase;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{
    Filter, Imported, Refusal, Store, StoreError, Stored, check_claim, check_save,
    create_private_dir, create_private_file, disk_full, refuse_read_only, refuse_special,
};
use crate::records::record::{Hold, Record, new_id, now, same_name};
use crate::records::session::Session;

const ATTEMPTS: &str = "attempts";
const INCOMPLETE: &str = "incomplete";
const SESSIONS: &str = "sessions";

/// The sub-folders that make a folder a store.
pub(super) const SUBFOLDERS: [&str; 3] = [ATTEMPTS, INCOMPLETE, SESSIONS];

pub struct FolderStore {
    root: PathBuf,
    /// Made for several accounts (see `Location::open_for_group`): what is written here is
    /// written for the group too.
    shared: bool,
    /// Files passed over because they could not be read, with why.
    unreadable: RefCell<BTreeMap<PathBuf, String>>,
    /// How many answers the store has of each unfinished attempt this store last wrote, so
    /// that saving an answer appends just what is new.
    kept: HashMap<String, usize>,
    /// The hold of each unfinished attempt as last read, by the stamp of the file it was read
    /// from (see `stored`).
    heads: RefCell<HashMap<String, (answers::Stamp, Stored)>>,
}

impl FolderStore {
    /// Opens the store at `root`, making it if need be.
    pub fn open(root: &Path) -> Result<FolderStore> {
        refuse_special(root)?;
        if root.exists() && !root.is_dir() {
            return Err(StoreError::NotAFolder {
                path: root.to_path_buf(),
            }
            .into());
        }
        if root.is_dir() && !is_store(root) && has_other_files(root)? {
            return Err(StoreError::NotAStoreFolder {
                path: root.to_path_buf(),
            }
            .into());
        }
        refuse_read_only(root, "folder")?;
        for sub in SUBFOLDERS {
            create_private_dir(&root.join(sub))
                .with_context(|| format!("creating the results folder {}", root.display()))?;
        }
        Ok(FolderStore {
            root: root.to_path_buf(),
            shared: shared_with_group(root),
            unreadable: RefCell::default(),
            kept: HashMap::new(),
            heads: RefCell::default(),
        })
    }

    /// Opens an existing store to read it only: nothing is made or written.
    pub fn open_to_read(root: &Path) -> Result<FolderStore> {
        refuse_special(root)?;
        if !root.is_dir() {
            return Err(StoreError::NotAFolder {
                path: root.to_path_buf(),
            }
            .into());
        }
        if !is_store(root) && has_other_files(root)? {
            return Err(StoreError::NotAStoreFolder {
                path: root.to_path_buf(),
            }
            .into());
        }
        Ok(FolderStore {
            root: root.to_path_buf(),
            shared: false,
            unreadable: RefCell::default(),
            kept: HashMap::new(),
            heads: RefCell::default(),
        })
    }

    fn file(&self, sub: &str, id: &str) -> Result<PathBuf> {
        // Ids and codes are made by sgquiz, but a file's name must never climb out of the folder.
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
            bail!("`{id}` cannot name a file in the results folder");
        }
        Ok(self.root.join(sub).join(format!("{id}.json")))
    }

    /// Writes `value` to `path` as a whole: a temporary file, flushed, then renamed over it.
    fn write<T: Serialize>(&self, path: &Path, value: &T) -> Result<()> {
        let dir = path.parent().unwrap_or(&self.root);
        let temp = dir.join(format!(".{}.tmp", new_id()));
        let result = (|| -> std::io::Result<()> {
            let mut file = create_private_file(&temp)?;
            #[cfg(unix)]
            if self.shared {
                use std::os::unix::fs::PermissionsExt;
                file.set_permissions(fs::Permissions::from_mode(0o660))?;
            }
            // Made whole first and written in one go: the file itself is not buffered, and
            // the serialiser writes a token at a time.
            let mut text = serde_json::to_vec_pretty(value)?;
            text.push(b'\n');
            file.write_all(&text)?;
            file.sync_all()?;
            fs::rename(&temp, path)?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&temp);
            if let Some(full) = disk_full(&self.root, &e) {
                return Err(full);
            }
            return Err(e).with_context(|| format!("writing {}", path.display()));
        }
        Ok(())
    }

    /// Reads one file: `None` if it has gone; an unreadable one is noted and passed over.
    fn read_one<T: DeserializeOwned>(&self, path: &Path) -> Option<T> {
        let why = match fs::read_to_string(path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(value) => return Some(value),
                Err(e) => format!("it is not an sgquiz record that can be read: {e}"),
            },
            Err(e) if e.kind() == ErrorKind::NotFound => return None,
            Err(e) => format!("it could not be read: {e}"),
        };
        self.unreadable.borrow_mut().insert(path.to_path_buf(), why);
        None
    }

    /// Every JSON file in a sub-folder that can be read; temporary files are skipped.
    fn read_all<T: DeserializeOwned>(&self, sub: &str) -> Result<Vec<(PathBuf, T)>> {
        Ok(self
            .paths(sub)?
            .into_iter()
            .filter_map(|p| self.read_one(&p).map(|value| (p, value)))
            .collect())
    }

    /// One attempt's file, with the answers appended to it if it is unfinished.
    fn read_attempt(&self, path: &Path) -> Option<Record> {
        let record = self.read_one::<Record>(path)?;
        Some(if in_incomplete(path) {
            answers::merged(path, record)
        } else {
            record
        })
    }

    /// Every attempt in a sub-folder that can be read, each as `read_attempt` reads it.
    fn read_attempts(&self, sub: &str) -> Result<Vec<(PathBuf, Record)>> {
        Ok(self
            .paths(sub)?
            .into_iter()
            .filter_map(|p| self.read_attempt(&p).map(|r| (p, r)))
            .collect())
    }

    /// The JSON files in a sub-folder, by name; temporary files are skipped.
    fn paths(&self, sub: &str) -> Result<Vec<PathBuf>> {
        let dir = self.root.join(sub);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            // A store being made may lack a sub-folder yet.
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("reading the results folder {}", dir.display()));
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        Ok(paths)
    }

    /// Every attempt, finished or not, oldest first; an unfinished copy of a finished attempt
    /// is left out.
    fn all_records(&self) -> Result<Vec<(PathBuf, Record)>> {
        let mut all = self.read_attempts(ATTEMPTS)?;
        let finished: std::collections::HashSet<String> =
            all.iter().map(|(_, r)| r.id.clone()).collect();
        all.extend(
            self.read_attempts(INCOMPLETE)?
                .into_iter()
                .filter(|(_, r)| !finished.contains(&r.id)),
        );
        all.sort_by(|a, b| (&a.1.started, &a.1.id).cmp(&(&b.1.started, &b.1.id)));
        Ok(all)
    }

    /// The record in `path`, or `None` if there is no such file.
    fn read_record(path: &Path) -> Result<Option<Record>> {
        match fs::read_to_string(path) {
            Ok(text) => Ok(Some(serde_json::from_str(&text).with_context(|| {
                format!(
                    "{} is not an sgquiz record that can be read",
                    path.display()
                )
            })?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// The attempt as the folder has it now: its finished file, else its unfinished one, else
    /// `None` (which means erased only if the folder itself can still be read).
    fn current(&self, id: &str) -> Result<Option<Record>> {
        if let Some(done) = Self::read_record(&self.file(ATTEMPTS, id)?)? {
            return Ok(Some(done));
        }
        let path = self.file(INCOMPLETE, id)?;
        let open = Self::read_record(&path)?.map(|r| answers::merged(&path, r));
        if open.is_none() {
            let dir = self.root.join(INCOMPLETE);
            fs::read_dir(&dir)
                .with_context(|| format!("reading the results folder {}", dir.display()))?;
        }
        Ok(open)
    }

    /// Writes an unfinished attempt whole, answers and all, then removes the answer lines that
    /// it now holds.
    fn write_unfinished(&mut self, record: &Record) -> Result<()> {
        let path = self.file(INCOMPLETE, &record.id)?;
        self.write(&path, record)?;
        let lines = answers::lines_path(&path);
        answers::remove(&lines).with_context(|| format!("removing {}", lines.display()))?;
        self.kept.insert(record.id.clone(), record.questions.len());
        Ok(())
    }

    /// Removes the unfinished copy of an attempt and its answer lines, if it has them.
    fn remove_unfinished(&self, id: &str) -> Result<()> {
        let path = self.file(INCOMPLETE, id)?;
        for path in [path.clone(), answers::lines_path(&path)] {
            answers::remove(&path).with_context(|| format!("removing {}", path.display()))?;
        }
        Ok(())
    }

    /// Writes a finished attempt and removes its unfinished copy.
    fn write_finished(&self, record: &Record) -> Result<()> {
        self.write(&self.file(ATTEMPTS, &record.id)?, record)?;
        self.remove_unfinished(&record.id)
    }
}

/// Whether `path` is in a store's folder of unfinished attempts.
fn in_incomplete(path: &Path) -> bool {
    path.parent()
        .and_then(Path::file_name)
        .is_some_and(|dir| dir == INCOMPLETE)
}

/// Whether a folder has the sub-folders of a store.
fn is_store(root: &Path) -> bool {
    SUBFOLDERS.iter().any(|sub| root.join(sub).is_dir())
}

/// Whether a folder holds anything but hidden files.
fn has_other_files(root: &Path) -> Result<bool> {
    let mut entries =
        fs::read_dir(root).with_context(|| format!("reading the folder {}", root.display()))?;
    Ok(entries.any(|e| {
        e.ok()
            .is_none_or(|e| !e.file_name().to_string_lossy().starts_with('.'))
    }))
}

/// Whether the store's folder was made for its group (see `Location::open_for_group`).
fn shared_with_group(root: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(root).is_ok_and(|m| m.permissions().mode() & 0o070 == 0o070)
    }
    #[cfg(not(unix))]
    {
        let _ = root;
        false
    }
}

impl Store for FolderStore {
    fn save(&mut self, record: &Record) -> Result<()> {
        if self.file(ATTEMPTS, &record.id)?.exists() {
            return Err(Refusal::Finished.into());
        }
        if record.is_complete() {
            self.write_finished(record)
        } else {
            self.write_unfinished(record)
        }
    }

    /// Appends the answers the store lacks (usually just the last) to the attempt's answer
    /// lines, after checking the hold without reading the answers.
    fn save_answer(&mut self, record: &Record, sitting: &str) -> Result<()> {
        check_save(self.stored(&record.id)?.as_ref(), sitting)?;
        let have = match self.kept.get(&record.id) {
            Some(&have) => have,
            None => self.current(&record.id)?.map_or(0, |r| r.questions.len()),
        };
        if have < record.questions.len() {
            let saved = record.held.as_ref().map_or_else(now, |h| h.saved.clone());
            let bytes = answers::lines(record, have, sitting, &saved);
            let path = answers::lines_path(&self.file(INCOMPLETE, &record.id)?);
            if let Err(e) = answers::append(&path, &bytes, self.shared) {
                if let Some(full) = disk_full(&self.root, &e) {
                    return Err(full);
                }
                return Err(e).with_context(|| format!("writing {}", path.display()));
            }
        }
        self.kept
            .insert(record.id.clone(), have.max(record.questions.len()));
        Ok(())
    }

    fn finish(&mut self, record: &Record, sitting: &str) -> Result<()> {
        check_save(self.stored(&record.id)?.as_ref(), sitting)?;
        self.write_finished(record)?;
        self.kept.remove(&record.id);
        self.heads.borrow_mut().remove(&record.id);
        Ok(())
    }

    fn release(&mut self, id: &str, sitting: &str) -> Result<()> {
        if let Some(mut r) = self.current(id)?
            && !r.is_complete()
            && r.held.as_ref().is_some_and(|h| h.sitting == sitting)
        {
            r.held = None;
            self.write_unfinished(&r)?;
        }
        Ok(())
    }

    fn claim(&mut self, id: &str, hold: &Hold, take_over: bool) -> Result<Record> {
        let current = self.current(id)?;
        check_claim(current.as_ref().map(Stored::of).as_ref(), take_over)?;
        let mut r = current.ok_or(Refusal::Erased)?;
        r.held = Some(hold.clone());
        self.write_unfinished(&r)?;
        Ok(r)
    }

    fn discard(&mut self, id: &str, sitting: &str) -> Result<()> {
        check_save(self.stored(id)?.as_ref(), sitting)?;
        self.remove_unfinished(id)?;
        self.kept.remove(id);
        self.heads.borrow_mut().remove(id);
        Ok(())
    }

    fn import(&mut self, record: &Record) -> Result<Imported> {
        if self.file(ATTEMPTS, &record.id)?.exists() {
            return Ok(Imported::AlreadyThere);
        }
        let had = self.file(INCOMPLETE, &record.id)?.exists();
        self.write_finished(record)?;
        Ok(if had {
            Imported::Completed
        } else {
            Imported::Added
        })
    }

    fn incomplete(&self, quiz: &str, name: &str, session: Option<&str>) -> Result<Option<Record>> {
        let mut found: Vec<Record> = self
            .read_attempts(INCOMPLETE)?
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| {
                r.quiz == quiz && same_name(&r.name, name) && r.session.as_deref() == session
            })
            .collect();
        found.sort_by(|a, b| (&a.started, &a.id).cmp(&(&b.started, &b.id)));
        while let Some(latest) = found.pop() {
            if !self.file(ATTEMPTS, &latest.id)?.exists() {
                return Ok(Some(latest));
            }
        }
        Ok(None)
    }

    fn records(&self, filter: &Filter) -> Result<Vec<Record>> {
        Ok(self
            .all_records()?
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| filter.matches(r))
            .collect())
    }

    /// One file at a time, so that copying a large folder does not fill memory: the finished
    /// attempts, then the unfinished ones that have no finished file, each in the order of
    /// their names.
    fn each_record(
        &self,
        filter: &Filter,
        visit: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let finished = self.paths(ATTEMPTS)?;
        let stems: std::collections::HashSet<_> =
            finished.iter().filter_map(|p| p.file_stem()).collect();
        let unfinished = self.paths(INCOMPLETE)?;
        let unfinished = unfinished
            .iter()
            .filter(|p| p.file_stem().is_none_or(|s| !stems.contains(s)));
        for path in finished.iter().chain(unfinished) {
            if let Some(r) = self.read_attempt(path)
                && filter.matches(&r)
            {
                visit(r)?;
            }
        }
        Ok(())
    }

    fn forget(&mut self, name: &str) -> Result<usize> {
        let mut erased = std::collections::HashSet::new();
        for sub in [ATTEMPTS, INCOMPLETE] {
            for (path, r) in self.read_all::<Record>(sub)? {
                if same_name(&r.name, name) {
                    match fs::remove_file(&path) {
                        Ok(()) => {
                            let lines = answers::lines_path(&path);
                            if sub == INCOMPLETE {
                                answers::remove(&lines)
                                    .with_context(|| format!("removing {}", lines.display()))?;
                            }
                            erased.insert(r.id);
                        }
                        // Gone already: erased by someone else, or finished and moved.
                        Err(e) if e.kind() == ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(e).with_context(|| format!("removing {}", path.display()));
                        }
                    }
                }
            }
        }
        self.remove_stale_temporary_files(name)?;
        self.remove_orphan_answers()?;
        Ok(erased.len())
    }

    fn add_session(&mut self, session: &Session) -> Result<()> {
        let path = self.file(SESSIONS, &session.code)?;
        if path.exists() {
            bail!("a session with the code {} already exists", session.code);
        }
        self.write(&path, session)
    }

    fn session(&self, code: &str) -> Result<Option<Session>> {
        let path = self.file(SESSIONS, code)?;
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Ok(Some(serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not an sgquiz session that can be read",
                path.display()
            )
        })?))
    }

    fn sessions(&self) -> Result<Vec<Session>> {
        let mut all: Vec<Session> = self
            .read_all::<Session>(SESSIONS)?
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        all.sort_by(|a, b| (&a.created, &a.code).cmp(&(&b.created, &b.code)));
        Ok(all)
    }

    fn close_session(&mut self, code: &str, when: &str) -> Result<bool> {
        let Some(mut session) = self.session(code)? else {
            return Ok(false);
        };
        if session.closed.is_none() {
            session.closed = Some(when.to_string());
            self.write(&self.file(SESSIONS, code)?, &session)?;
        }
        Ok(true)
    }

    fn count(&self) -> Result<usize> {
        Ok(self.all_records()?.len())
    }

    fn warnings(&self) -> Vec<String> {
        self.unreadable
            .borrow()
            .iter()
            .map(|(path, why)| {
                format!(
                    "{} was passed over: {why}. Move it out of the store's folder, or restore \
                     it from a backup",
                    crate::util::text::sanitize(&path.display().to_string())
                )
            })
            .collect()
    }

    fn location(&self) -> String {
        self.root.display().to_string()
    }

    fn kind(&self) -> &'static str {
        "folder of JSON files"
    }

    /// A folder has no schema: each file is a record as `Record` reads it.
    fn schema_version(&self) -> Result<Option<super::SchemaVersion>> {
        Ok(None)
    }
}
