//! Erasing a trainee from the database store: their attempts are deleted, then the file is
//! rebuilt and its log emptied so that no copy of them is left behind.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::SqliteStore;
use super::schema::{BUSY_TIMEOUT, retry_busy};
use crate::records::record::name_key;

impl SqliteStore {
    pub(super) fn forget_named(&mut self, name: &str) -> Result<usize> {
        // Every connection overwrites what it deletes with zeros (`secure_delete`), but pages
        // freed by an older sgquiz, or by a process killed part way, may still hold copies:
        // VACUUM rebuilds the file without them, and the log is folded in and emptied.
        let n = self.write(|tx| {
            Ok(tx.execute("DELETE FROM attempts WHERE name_key = ?", [name_key(name)])?)
        })?;
        let shown = self.path.display().to_string();
        let conn = &self.conn;
        retry_busy(|| conn.execute_batch("VACUUM"))
            .with_context(|| format!("compacting the results store {shown} after erasing"))?;
        // A reader still using older pages keeps them in the log; wait for it, as writers do.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            let busy: i64 =
                retry_busy(|| conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0)))
                    .with_context(|| format!("emptying the log of the results store {shown}"))?;
            if busy == 0 {
                break;
            }
            if std::time::Instant::now() >= deadline {
                bail!(
                    "the records of {name} were erased from the results store {shown}, but \
                     another program reading it still keeps older copies in its log; run \
                     `sgquiz forget` again once nothing is using the store"
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(n)
    }
}
