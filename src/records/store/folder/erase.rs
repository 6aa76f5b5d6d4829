//! What erasing a trainee from the folder store removes besides their attempts' files:
//! temporary files a killed writer left behind, and answer lines whose attempt has gone.

use std::fs;

use anyhow::{Context, Result};

use super::{ATTEMPTS, FolderStore, INCOMPLETE, SESSIONS, answers};

impl FolderStore {
    /// Removes temporary files that a writer killed before its rename left behind: those
    /// older than a minute (no live write takes that long), and any that hold `name`.
    pub(super) fn remove_stale_temporary_files(&self, name: &str) -> Result<()> {
        let needle = serde_json::to_string(name)
            .unwrap_or_default()
            .trim_matches('"')
            .to_ascii_lowercase()
            .into_bytes();
        for sub in [ATTEMPTS, INCOMPLETE, SESSIONS] {
            let dir = self.root.join(sub);
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let file_name = entry.file_name().to_string_lossy().into_owned();
                if !(file_name.starts_with('.') && file_name.ends_with(".tmp")) {
                    continue;
                }
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > std::time::Duration::from_secs(60));
                let holds_name = !needle.is_empty()
                    && fs::read(&path).is_ok_and(|bytes| {
                        bytes
                            .to_ascii_lowercase()
                            .windows(needle.len())
                            .any(|w| w == needle.as_slice())
                    });
                if old || holds_name {
                    match fs::remove_file(&path) {
                        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                            return Err(e).with_context(|| format!("removing {}", path.display()));
                        }
                        _ => {}
                    }
                }
            }
        }
        Ok(())
    }

    /// Removes answer lines whose unfinished attempt has gone (finished or erased by a sitting
    /// killed before it removed them): they carry no name, so no erasure could tell whose
    /// answers they hold.
    pub(super) fn remove_orphan_answers(&self) -> Result<()> {
        let dir = self.root.join(INCOMPLETE);
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "answers")
                && !path.with_extension("json").exists()
            {
                answers::remove(&path).with_context(|| format!("removing {}", path.display()))?;
            }
        }
        Ok(())
    }
}
