//! `StoreError`: the ways a results store can be refused, as a type the code can branch on.
//! Each says what is wrong and what to do, and promises nothing was changed where that is so.

use std::path::PathBuf;

use super::SCHEMA_VERSION;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not an SQLite database at all.
    #[error(
        "{} is not an sgquiz results store (it is not an SQLite database); nothing was \
         changed. Choose another store with --store",
        .path.display()
    )]
    NotAStore { path: PathBuf },

    /// An SQLite database, but some other program's.
    #[error(
        "{} is an SQLite database, but not an sgquiz results store; nothing was changed. \
         Choose another store with --store",
        .path.display()
    )]
    Foreign { path: PathBuf },

    /// A store made by a newer sgquiz, whose schema this build does not know.
    #[error(
        "the results store {} was made by a newer version of sgquiz (its schema is version \
         {version}; this sgquiz reads up to version {SCHEMA_VERSION}); nothing was changed. \
         Use the newer sgquiz, or choose another store with --store",
        .path.display()
    )]
    NewerSchema { path: PathBuf, version: i64 },

    /// The user has marked the store's file or folder read-only.
    #[error(
        "the results store {} is read-only, so sgquiz cannot record to it; make the {what} \
         writable, or choose another store with --store",
        .path.display()
    )]
    ReadOnly { path: PathBuf, what: &'static str },

    /// The operating system or SQLite will not let the store be written.
    #[error(
        "the results store {} cannot be written to ({reason}); check its permissions, or \
         choose another store with --store",
        .path.display()
    )]
    CannotWrite { path: PathBuf, reason: String },

    /// A store that must exist already does not.
    #[error(
        "there is no results store at {} yet; a trainer makes one with `sgquiz session new`, \
         or choose the right one with --store",
        .path.display()
    )]
    Missing { path: PathBuf },

    /// A folder store was asked for, but the path is a file.
    #[error(
        "the results store {} is a file, not a folder; choose a folder with --store",
        .path.display()
    )]
    NotAFolder { path: PathBuf },

    /// The path is something that cannot hold a store: a FIFO, a device.
    #[error(
        "{} is not a regular file (it may be a pipe or a device), so it cannot be a results \
         store; nothing was read or changed. Choose a file such as results.db, or a folder, with \
         --store",
        .path.display()
    )]
    NotAFile { path: PathBuf },

    /// An existing folder with other things in it: making a store there would mix records
    /// with someone's files.
    #[error(
        "{} is a folder with other files in it, and not an sgquiz results store; nothing was \
         changed. Choose a new or empty folder for a folder store with --store",
        .path.display()
    )]
    NotAStoreFolder { path: PathBuf },

    /// SQLite found the database damaged.
    #[error(
        "the results store {} is damaged ({reason}); nothing was changed. Keep a copy of the \
         file, then save what can be read with the sqlite3 program: `sqlite3 {} .recover | \
         sqlite3 recovered.db`, and use --store recovered.db",
        .path.display(),
        .path.display()
    )]
    Corrupt { path: PathBuf, reason: String },

    /// The disk (or the user's quota) is full.
    #[error(
        "the disk holding the results store {} is full, so it cannot be written to; free some \
         space, or choose another store with --store. Nothing already recorded was lost",
        .path.display()
    )]
    DiskFull { path: PathBuf },

    /// An older store that cannot be upgraded, because this user may only read it.
    #[error(
        "the results store {} was made by an older sgquiz and must be upgraded before it can be \
         read, which needs write access; run sgquiz once as someone who may write to it",
        .path.display()
    )]
    NeedsUpgrade { path: PathBuf },

    /// A PostgreSQL database that has tables, none of them sgquiz's.
    #[error(
        "the database {at} has tables that sgquiz did not make, so it is not an sgquiz results \
         store; nothing was changed. Give sgquiz a database of its own (see \"For trusts\" in the \
         README), or choose another store with --store"
    )]
    ForeignDatabase { at: String },

    /// The PostgreSQL server could not be reached, or was lost and not regained.
    #[error(
        "could not reach the PostgreSQL server {server} for the results store {at} ({reason}); \
         check that the server is running and that this machine may connect to it"
    )]
    Unreachable {
        at: String,
        server: String,
        reason: String,
    },

    /// The PostgreSQL server answered, and refused: the role, its password, the database.
    #[error("the results store {at} cannot be used: {reason}")]
    ServerRefused { at: String, reason: String },

    /// The database could not be used as it is (damaged, or an error SQLite gives no better
    /// words for).
    #[error("using the results store {}: {reason}", .path.display())]
    Damaged { path: PathBuf, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::store::Location;

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("sgquiz-store-error-{}-{name}", std::process::id()))
    }

    fn kind(e: anyhow::Error) -> StoreError {
        e.downcast::<StoreError>().expect("a StoreError")
    }

    #[test]
    fn a_full_disk_and_a_damaged_store_say_what_to_do() {
        let path = PathBuf::from("/srv/training/results.db");
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let said = crate::records::store::disk_full(&path, &full)
            .expect("a full disk is recognised")
            .to_string();
        assert!(said.contains("/srv/training/results.db"), "{said}");
        assert!(
            said.contains("is full") && said.contains("free some space"),
            "{said}"
        );
        let other = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(crate::records::store::disk_full(&path, &other).is_none());
        let damaged = StoreError::Corrupt {
            path,
            reason: "database disk image is malformed".to_string(),
        }
        .to_string();
        assert!(
            damaged.contains("sqlite3 /srv/training/results.db .recover | sqlite3 recovered.db"),
            "{damaged}"
        );
    }

    #[test]
    fn a_refused_store_says_which_kind_of_refusal() {
        let text = temp("notes.db");
        std::fs::write(&text, "not a database").unwrap();
        let e = kind(Location::of(&text).open().err().expect("refused"));
        assert!(matches!(e, StoreError::NotAStore { .. }), "{e}");
        assert_eq!(std::fs::read(&text).unwrap(), b"not a database");
        let e = kind(
            Location::Folder(text.clone())
                .open()
                .err()
                .expect("refused"),
        );
        assert!(matches!(e, StoreError::NotAFolder { .. }), "{e}");
        std::fs::remove_file(&text).unwrap();

        let missing = temp("missing.db");
        let e = kind(
            Location::of(&missing)
                .open_existing()
                .err()
                .expect("refused"),
        );
        assert!(matches!(e, StoreError::Missing { .. }), "{e}");
        assert!(!missing.exists(), "nothing is made by looking");
    }
}
