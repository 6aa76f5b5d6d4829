//! The folder store, for shared network drives: every file is written whole under a temporary
//! name (starting with a dot), flushed to disk, then renamed into place, so a reader never sees
//! half a file and two machines never write the same file. Finished attempts are
//! `attempts/ID.json`, unfinished ones `incomplete/ID.json` (removed once finished), sessions
//! `sessions/CODE.json`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Filter, Store, StoreError, create_private_dir, create_private_file, refuse_read_only};
use crate::records::record::{Record, new_id, same_name};
use crate::records::session::Session;

const ATTEMPTS: &str = "attempts";
const INCOMPLETE: &str = "incomplete";
const SESSIONS: &str = "sessions";

pub struct FolderStore {
    root: PathBuf,
}

impl FolderStore {
    pub fn open(root: &Path) -> Result<FolderStore> {
        if root.exists() && !root.is_dir() {
            return Err(StoreError::NotAFolder {
                path: root.to_path_buf(),
            }
            .into());
        }
        refuse_read_only(root, "folder")?;
        for sub in [ATTEMPTS, INCOMPLETE, SESSIONS] {
            create_private_dir(&root.join(sub))
                .with_context(|| format!("creating the results folder {}", root.display()))?;
        }
        Ok(FolderStore {
            root: root.to_path_buf(),
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
        let result = (|| -> Result<()> {
            let mut file = create_private_file(&temp)?;
            serde_json::to_writer_pretty(&mut file, value)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            fs::rename(&temp, path)?;
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result.with_context(|| format!("writing {}", path.display()))
    }

    /// Every JSON file in a sub-folder, parsed; temporary files are skipped.
    fn read_all<T: DeserializeOwned>(&self, sub: &str) -> Result<Vec<(PathBuf, T)>> {
        let dir = self.root.join(sub);
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .with_context(|| format!("reading the results folder {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| {
                let text =
                    fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
                let value = serde_json::from_str(&text).with_context(|| {
                    format!("{} is not an sgquiz record that can be read", p.display())
                })?;
                Ok((p, value))
            })
            .collect()
    }

    fn all_records(&self) -> Result<Vec<(PathBuf, Record)>> {
        let mut all = self.read_all::<Record>(ATTEMPTS)?;
        all.extend(self.read_all::<Record>(INCOMPLETE)?);
        all.sort_by(|a, b| (&a.1.started, &a.1.id).cmp(&(&b.1.started, &b.1.id)));
        Ok(all)
    }
}

impl Store for FolderStore {
    fn save(&mut self, record: &Record) -> Result<()> {
        if record.is_complete() {
            self.write(&self.file(ATTEMPTS, &record.id)?, record)?;
            let unfinished = self.file(INCOMPLETE, &record.id)?;
            if unfinished.exists() {
                fs::remove_file(&unfinished)
                    .with_context(|| format!("removing {}", unfinished.display()))?;
            }
            Ok(())
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

    fn forget(&mut self, name: &str) -> Result<usize> {
        let mut n = 0;
        for (path, r) in self.all_records()? {
            if same_name(&r.name, name) {
                fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
                n += 1;
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
        if !path.exists() {
            return Ok(None);
        }
        let text =
            fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
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

    fn location(&self) -> &Path {
        &self.root
    }
}
