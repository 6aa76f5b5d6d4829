//! The PostgreSQL store, for a trust that keeps one results database for many schools: the same
//! tables as the SQLite store, on a server (`--store postgres://USER@HOST:PORT/DB`).
//!
//! This file is the connection: opened once, and opened again when the server is lost (it
//! restarted, the network dropped) so that a quiz goes on. Writes are retried for a while
//! after such a loss; each is idempotent, so one that reached the server before the loss is not
//! made twice. `target` reads the address, `pgpass` the password file, `schema` makes and
//! upgrades the tables, `save` and `read` hold the queries.
//!
//! The client blocks (it drives a small runtime of its own), so the store is used off any async
//! runtime's threads: `session serve` opens it before its runtime starts and then keeps it on
//! the store's own thread.

mod pgpass;
mod read;
mod save;
pub mod schema;
mod target;

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use postgres::{Client, Statement};

use super::{Filter, Imported, Refusal, Store, StoreError};
use crate::records::analysis::QuestionStats;
use crate::records::record::{Hold, Record};
use crate::records::session::Session;
use schema::{Found, SCHEMA_VERSION};
pub use target::{Target, is_address};

/// How long a save keeps trying to reach a server it has lost: an answer briefly (the trainee
/// is waiting, and a later save sends it again), a finished attempt for longer.
const ANSWER_PATIENCE: Duration = Duration::from_secs(3);
const FINISH_PATIENCE: Duration = Duration::from_secs(20);

/// A connection and the statements prepared on it (so that saving an answer is one round trip).
struct Conn {
    client: Client,
    prepared: HashMap<&'static str, Statement>,
}

impl Conn {
    /// The statement for `sql`, prepared once per connection.
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.prepared.insert(sql, s.clone());
        Ok(s)
    }
}

/// A failure inside one unit of work: the server's, the store refusing the write, or another.
pub(super) enum TxError {
    Pg(postgres::Error),
    Refused(Refusal),
    Other(anyhow::Error),
}

impl From<postgres::Error> for TxError {
    fn from(e: postgres::Error) -> Self {
        TxError::Pg(e)
    }
}

impl From<Refusal> for TxError {
    fn from(r: Refusal) -> Self {
        TxError::Refused(r)
    }
}

impl From<serde_json::Error> for TxError {
    fn from(e: serde_json::Error) -> Self {
        TxError::Other(e.into())
    }
}

pub struct PostgresStore {
    target: Target,
    conn: RefCell<Option<Conn>>,
    /// How many answers of each attempt this process knows the server has, so that a save
    /// sends only the new ones (and, after a lost connection, the ones it missed).
    sent: HashMap<String, usize>,
}

impl PostgresStore {
    /// Connects, and makes or upgrades the tables; a database with other tables, or a newer
    /// schema, is refused untouched.
    pub fn open(address: &str) -> Result<PostgresStore> {
        Self::connect(address, true)
    }

    /// Connects to a store that must exist already (reports): an empty database is refused
    /// as a missing store, and nothing is made.
    pub fn open_to_read(address: &str) -> Result<PostgresStore> {
        Self::connect(address, false)
    }

    fn connect(address: &str, create: bool) -> Result<PostgresStore> {
        let target = Target::parse(address)?;
        let store = PostgresStore {
            target,
            conn: RefCell::new(None),
            sent: HashMap::new(),
        };
        let shown = store.target.shown.clone();
        store.run(Duration::ZERO, |conn| {
            let mut tx = conn.client.transaction()?;
            let found = schema::look(&mut tx)?;
            let version = match found {
                Found::Foreign => {
                    return Err(TxError::Other(
                        StoreError::ForeignDatabase { at: shown.clone() }.into(),
                    ));
                }
                Found::Store(v) if v > SCHEMA_VERSION => {
                    return Err(TxError::Other(
                        StoreError::NewerSchema {
                            path: shown.clone().into(),
                            version: v,
                        }
                        .into(),
                    ));
                }
                Found::Empty if !create => {
                    return Err(TxError::Other(
                        StoreError::Missing {
                            path: shown.clone().into(),
                        }
                        .into(),
                    ));
                }
                Found::Empty => 0,
                Found::Store(v) => v,
            };
            if version < SCHEMA_VERSION {
                schema::upgrade(&mut tx, version)?;
            }
            tx.commit()?;
            Ok(())
        })?;
        Ok(store)
    }

    /// Runs `work` on the connection, connecting first if need be. When the server is lost
    /// (or cannot be reached) the work is tried again on a new connection until `patience` has
    /// passed; any other failure, and a refusal, come back at once.
    fn run<T>(
        &self,
        patience: Duration,
        mut work: impl FnMut(&mut Conn) -> Result<T, TxError>,
    ) -> Result<T> {
        let deadline = Instant::now() + patience;
        let mut pause = Duration::from_millis(100);
        loop {
            let result = self.connected().and_then(|()| {
                let mut slot = self.conn.borrow_mut();
                let conn = slot.as_mut().expect("connected");
                work(conn)
            });
            match result {
                Ok(value) => return Ok(value),
                Err(TxError::Pg(e)) if lost(&e) => {
                    *self.conn.borrow_mut() = None;
                    if Instant::now() + pause > deadline {
                        return Err(self.explain(e));
                    }
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                Err(TxError::Pg(e)) => return Err(self.explain(e)),
                Err(TxError::Refused(r)) => return Err(r.into()),
                Err(TxError::Other(e)) => return Err(e),
            }
        }
    }

    /// Makes sure there is a connection.
    fn connected(&self) -> Result<(), TxError> {
        if self
            .conn
            .borrow()
            .as_ref()
            .is_some_and(|c| !c.client.is_closed())
        {
            return Ok(());
        }
        let (config, tls) = self.target.config().map_err(TxError::Other)?;
        let client = config.connect(tls)?;
        *self.conn.borrow_mut() = Some(Conn {
            client,
            prepared: HashMap::new(),
        });
        Ok(())
    }

    /// The server's error in words a trainer can act on; the password is never in them.
    fn explain(&self, e: postgres::Error) -> anyhow::Error {
        let t = &self.target;
        let server = t.server();
        if let Some(db) = e.as_db_error() {
            let code = db.code().code();
            return match code {
                "28P01" | "28000" => StoreError::ServerRefused {
                    at: t.shown.clone(),
                    reason: format!(
                        "the server at {server} did not let role {} in ({}); check the \
                         password (sgquiz took it from {}) and the server's pg_hba.conf",
                        t.user,
                        db.message(),
                        t.password_from
                    ),
                }
                .into(),
                "3D000" => StoreError::ServerRefused {
                    at: t.shown.clone(),
                    reason: format!(
                        "there is no database {} on the server at {server}; create it first \
                         (see \"For trusts\" in the README)",
                        t.database
                    ),
                }
                .into(),
                "42501" => StoreError::ServerRefused {
                    at: t.shown.clone(),
                    reason: format!(
                        "role {} may not do this in database {} ({}); the role needs to own \
                         the database's tables (see \"For trusts\" in the README)",
                        t.user,
                        t.database,
                        db.message()
                    ),
                }
                .into(),
                _ => anyhow!(
                    "using the results store {}: {} ({})",
                    t.shown,
                    db.message(),
                    db.code().code()
                ),
            };
        }
        if lost(&e) {
            return StoreError::Unreachable {
                at: t.shown.clone(),
                server,
                reason: error_chain(&e),
            }
            .into();
        }
        anyhow!("using the results store {}: {}", t.shown, error_chain(&e))
    }
}

/// Every cause of an error, in one line.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut words = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let said = s.to_string();
        if !words.contains(&said) {
            words.push_str(": ");
            words.push_str(&said);
        }
        source = s.source();
    }
    words
}

/// Whether the error means the connection is gone (or never came), so that trying again on a
/// new one may work: closed, reset, refused, the server shutting down or starting up.
fn lost(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        return code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.downcast_ref::<std::io::Error>().is_some() {
            return true;
        }
        source = s.source();
    }
    // A timeout connecting says so in words only.
    e.to_string().contains("timeout")
}

impl Store for PostgresStore {
    fn save(&mut self, r: &Record) -> Result<()> {
        self.save_records(std::slice::from_ref(r))
    }

    fn save_all(&mut self, records: &[Record]) -> Result<()> {
        // In batches, so that copying a large store is not one enormous transaction.
        records
            .chunks(500)
            .try_for_each(|chunk| self.save_records(chunk))
    }

    fn save_answer(&mut self, r: &Record, sitting: &str) -> Result<()> {
        self.save_held(r, sitting, false)
    }

    fn finish(&mut self, r: &Record, sitting: &str) -> Result<()> {
        self.save_held(r, sitting, true)
    }

    fn release(&mut self, id: &str, sitting: &str) -> Result<()> {
        self.release_held(id, sitting)
    }

    fn claim(&mut self, id: &str, hold: &Hold, take_over: bool) -> Result<Record> {
        self.claim_held(id, hold, take_over)?;
        let record = self.by_id(id)?.ok_or(Refusal::Erased)?;
        self.sent.insert(id.to_string(), record.questions.len());
        Ok(record)
    }

    fn discard(&mut self, id: &str, sitting: &str) -> Result<()> {
        self.discard_held(id, sitting)
    }

    fn import(&mut self, r: &Record) -> Result<Imported> {
        self.import_one(r)
    }

    fn incomplete(&self, quiz: &str, name: &str, session: Option<&str>) -> Result<Option<Record>> {
        self.incomplete_of(quiz, name, session)
    }

    fn records(&self, filter: &Filter) -> Result<Vec<Record>> {
        self.records_of(filter, true)
    }

    fn summaries(&self, filter: &Filter) -> Result<Vec<Record>> {
        self.records_of(filter, false)
    }

    fn question_analysis(&self, filter: &Filter) -> Result<Vec<QuestionStats>> {
        self.analysis_of(filter)
    }

    fn count(&self) -> Result<usize> {
        self.count_of()
    }

    fn forget(&mut self, name: &str) -> Result<usize> {
        self.forget_named(name)
    }

    fn add_session(&mut self, s: &Session) -> Result<()> {
        self.run(Duration::ZERO, |conn| {
            conn.client.execute(
                "INSERT INTO sessions (code, title, quiz, bank_file, bank_text, bank_hash,
                     pass_mark, review_at_end, created, closed)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &s.code,
                    &s.title,
                    &s.quiz,
                    &s.bank_file,
                    &s.bank_text,
                    &s.bank_hash,
                    &s.pass_mark,
                    &s.review_at_end,
                    &s.created,
                    &s.closed,
                ],
            )?;
            Ok(())
        })
    }

    fn session(&self, code: &str) -> Result<Option<Session>> {
        Ok(self.sessions_where(Some(code))?.into_iter().next())
    }

    fn sessions(&self) -> Result<Vec<Session>> {
        self.sessions_where(None)
    }

    fn close_session(&mut self, code: &str, when: &str) -> Result<bool> {
        let n = self.run(Duration::ZERO, |conn| {
            Ok(conn.client.execute(
                "UPDATE sessions SET closed = coalesce(closed, $1) WHERE code = $2",
                &[&when, &code],
            )?)
        })?;
        Ok(n > 0)
    }

    fn location(&self) -> String {
        self.target.shown.clone()
    }

    fn kind(&self) -> &'static str {
        "PostgreSQL database"
    }

    fn schema_version(&self) -> Result<Option<super::SchemaVersion>> {
        let found = self.run(Duration::ZERO, |conn| {
            let row = conn
                .client
                .query_one("SELECT max(version) FROM sgquiz_schema", &[])?;
            Ok(row.get::<_, Option<i32>>(0).unwrap_or_default())
        })?;
        Ok(Some(super::SchemaVersion {
            found: i64::from(found),
            current: SCHEMA_VERSION,
        }))
    }

    fn each_record(
        &self,
        filter: &Filter,
        visit: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        self.each_record_of(filter, visit)
    }

    fn ids(&self) -> Result<HashMap<String, bool>> {
        self.run(Duration::ZERO, |conn| {
            let rows = conn
                .client
                .query("SELECT id, finished IS NOT NULL FROM attempts", &[])?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        })
    }
}
