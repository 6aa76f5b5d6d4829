//! `Location`: where a store is and which kind (an SQLite file, a folder of JSON files, or a
//! PostgreSQL address), chosen from `--store`, `SGQUIZ_STORE` or the default, and opened to
//! write, to read only, or shared with a group.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{FolderStore, PostgresStore, SqliteStore, Store, StoreError, folder, postgres};

/// Where the store is, and which kind.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    Database(PathBuf),
    Folder(PathBuf),
    /// A PostgreSQL database's address (`postgres://…`), which may hold a password: it is never
    /// shown as it is (see `shown`).
    Postgres(String),
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Database(p) => f.debug_tuple("Database").field(p).finish(),
            Location::Folder(p) => f.debug_tuple("Folder").field(p).finish(),
            Location::Postgres(_) => f.debug_tuple("Postgres").field(&self.shown()).finish(),
        }
    }
}

impl Location {
    /// A path that is a folder, or ends with a slash, is a folder store; anything else is a
    /// database file.
    pub fn of(path: &Path) -> Location {
        let text = path.as_os_str().to_string_lossy();
        if postgres::is_address(&text) {
            return Location::Postgres(text.into_owned());
        }
        if path.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
            Location::Folder(path.to_path_buf())
        } else {
            Location::Database(path.to_path_buf())
        }
    }

    /// The store the user named: `--store` (`flag`), else `SGQUIZ_STORE`; `None` for the
    /// default one. An empty value is refused rather than taken for the default.
    pub fn given(flag: Option<&Path>) -> Result<Option<PathBuf>> {
        if let Some(path) = flag {
            if path.as_os_str().is_empty() {
                bail!("the store path is empty; give a file such as results.db, or a folder");
            }
            return Ok(Some(path.to_path_buf()));
        }
        match std::env::var_os("SGQUIZ_STORE") {
            Some(v) if v.is_empty() => bail!(
                "SGQUIZ_STORE is set but empty; set it to a results store (a file such as \
                 results.db, or a folder), or unset it to use the default store"
            ),
            Some(v) => Ok(Some(PathBuf::from(v))),
            None => Ok(None),
        }
    }

    /// `--store`, else `SGQUIZ_STORE`, else `results.db` in the platform's data folder.
    pub fn choose(flag: Option<&Path>) -> Result<Location> {
        if let Some(path) = Location::given(flag)? {
            return Ok(Location::of(&path));
        }
        let dirs = directories::ProjectDirs::from("", "", "sgquiz").context(
            "could not find a data folder for this user; give one with --store or SGQUIZ_STORE",
        )?;
        Ok(Location::Database(dirs.data_dir().join("results.db")))
    }

    /// The file or folder; `None` for a database server, whose address may hold a password and
    /// so is never handed out as it is (see `shown` and `shareable`).
    fn file(&self) -> Option<&Path> {
        match self {
            Location::Database(p) | Location::Folder(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }

    /// Where the store is, for messages, with any password masked.
    pub fn shown(&self) -> String {
        match self {
            Location::Postgres(address) => postgres::Target::parse(address)
                .map(|t| t.shown)
                .unwrap_or_else(|_| "the PostgreSQL address given".to_string()),
            Location::Database(p) | Location::Folder(p) => p.display().to_string(),
        }
    }

    /// The address to give another machine or person: a file's or folder's full path, or a
    /// database's address without its password (they bring their own).
    pub fn shareable(&self) -> String {
        match self {
            Location::Postgres(address) => postgres::Target::parse(address)
                .map(|t| t.without_password())
                .unwrap_or_default(),
            Location::Folder(p) => {
                let mut text = std::path::absolute(p)
                    .unwrap_or_else(|_| p.clone())
                    .display()
                    .to_string();
                if !text.ends_with(std::path::MAIN_SEPARATOR) {
                    text.push(std::path::MAIN_SEPARATOR);
                }
                text
            }
            Location::Database(p) => std::path::absolute(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
        }
    }

    /// Whether the store is there: a file or folder that exists; a database server is asked
    /// when it is opened.
    pub fn exists(&self) -> bool {
        self.file().is_none_or(Path::exists)
    }

    /// Opens a store that must exist already (to find a session in it, say), without making an
    /// empty one by mistake.
    pub fn open_existing(&self) -> Result<Box<dyn Store>> {
        if let Location::Postgres(address) = self {
            return Ok(Box::new(PostgresStore::open_to_read(address)?));
        }
        if let Some(path) = self.file()
            && !path.exists()
        {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            }
            .into());
        }
        self.open()
    }

    /// Opens the store, creating it if it does not exist yet.
    pub fn open(&self) -> Result<Box<dyn Store>> {
        Ok(match self {
            Location::Database(p) => Box::new(SqliteStore::open(p)?),
            Location::Folder(p) => Box::new(FolderStore::open(p)?),
            Location::Postgres(address) => Box::new(PostgresStore::open(address)?),
        })
    }

    /// Opens a store that must exist, to read it only: reports. A store the user may only read
    /// (a read-only file or folder) still gives reports, and nothing is written to it.
    pub fn open_to_read(&self) -> Result<Box<dyn Store>> {
        if let Some(path) = self.file()
            && !path.exists()
        {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            }
            .into());
        }
        Ok(match self {
            Location::Database(p) => Box::new(SqliteStore::open_to_read(p)?),
            Location::Folder(p) => Box::new(FolderStore::open_to_read(p)?),
            Location::Postgres(address) => Box::new(PostgresStore::open_to_read(address)?),
        })
    }

    /// Opens the store, creating it if need be, and lets the owner's group read and write it:
    /// for a store that several accounts record to. A folder store's folders get the group's
    /// permissions and pass their group to what is made in them (setgid); a database file is
    /// made readable and writable by the group (its folder must be writable by the group too).
    #[cfg(unix)]
    pub fn open_for_group(&self) -> Result<Box<dyn Store>> {
        use std::os::unix::fs::PermissionsExt;
        let set = |path: &Path, mode: u32| {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .with_context(|| format!("sharing {} with the group", path.display()))
        };
        drop(self.open()?);
        match self {
            // A database server keeps its own permissions: the role's.
            Location::Postgres(_) => {}
            Location::Folder(root) => {
                set(root, 0o2770)?;
                for sub in folder::SUBFOLDERS {
                    let dir = root.join(sub);
                    set(&dir, 0o2770)?;
                    for entry in std::fs::read_dir(&dir)? {
                        let path = entry?.path();
                        if path.is_file() {
                            set(&path, 0o660)?;
                        }
                    }
                }
            }
            Location::Database(file) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut path = file.clone().into_os_string();
                    path.push(suffix);
                    let path = PathBuf::from(path);
                    if path.exists() {
                        set(&path, 0o660)?;
                    }
                }
            }
        }
        // Opened again, so that it sees it is shared and writes for the group from now on.
        self.open()
    }

    #[cfg(not(unix))]
    pub fn open_for_group(&self) -> Result<Box<dyn Store>> {
        bail!(
            "sharing a store with a group works on Unix only; set its folder's permissions instead"
        )
    }
}
