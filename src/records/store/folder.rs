//! The folder store, for shared network drives: every file is written whole under a temporary
//! name (starting with a dot), flushed to disk, then renamed into place, so a reader never sees
//! half a file and two machines never write the same file. Finished attempts are
//! `attempts/ID.json`, unfinished ones `incomplete/ID.json` (removed once finished), sessions
//! `sessions/CODE.json`.
//!
//! Reading is forgiving, because other machines write while a report reads: a file that has
//! gone between listing the folder and reading it (an unfinished attempt being finished) is
//! passed over without a word, and one that cannot be read as a record (empty, damaged, written
//! by something else) is passed over and named in a warning, so that one bad file never stops
//! every report, or an erasure.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{
    Filter, Store, StoreError, create_private_dir, create_private_file, disk_full,
    refuse_read_only, refuse_special,
};
use crate::records::record::{Record, new_id, same_name};
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
            serde_json::to_writer_pretty(&mut file, value)?;
            file.write_all(b"\n")?;
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
        let dir = self.root.join(sub);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            // A store made by an older sgquiz, or one being made, may lack a sub-folder yet.
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
        Ok(paths
            .into_iter()
            .filter_map(|p| self.read_one(&p).map(|value| (p, value)))
            .collect())
    }

    fn all_records(&self) -> Result<Vec<(PathBuf, Record)>> {
        let mut all = self.read_all::<Record>(ATTEMPTS)?;
        all.extend(self.read_all::<Record>(INCOMPLETE)?);
        all.sort_by(|a, b| (&a.1.started, &a.1.id).cmp(&(&b.1.started, &b.1.id)));
        Ok(all)
    }
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
        if record.is_complete() {
            self.write(&self.file(ATTEMPTS, &record.id)?, record)?;
            let unfinished = self.file(INCOMPLETE, &record.id)?;
            match fs::remove_file(&unfinished) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
                Err(e) => Err(e).with_context(|| format!("removing {}", unfinished.display())),
            }
        } else {
            self.write(&self.file(INCOMPLETE, &record.id)?, record)
        }
    }

    fn incomplete(&self, quiz: &str, name: &str) -> Result<Option<Record>> {
        Ok(self
            .read_all::<Record>(INCOMPLETE)?
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| r.quiz == quiz && same_name(&r.name, name))
            .max_by(|a, b| a.started.cmp(&b.started)))
    }

    fn records(&self, filter: &Filter) -> Result<Vec<Record>> {
        Ok(self
            .all_records()?
            .into_iter()
            .map(|(_, r)| r)
            .filter(|r| filter.matches(r))
            .collect())
    }

    fn count(&self) -> Result<usize> {
        Ok(self.all_records()?.len())
    }

    fn forget(&mut self, name: &str) -> Result<usize> {
        let mut n = 0;
        for (path, r) in self.all_records()? {
            if same_name(&r.name, name) {
                match fs::remove_file(&path) {
                    Ok(()) => n += 1,
                    // Gone already: erased by someone else, or finished and moved.
                    Err(e) if e.kind() == ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(e).with_context(|| format!("removing {}", path.display()));
                    }
                }
            }
        }
        Ok(n)
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

    fn location(&self) -> &Path {
        &self.root
    }
}
