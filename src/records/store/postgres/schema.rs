//! The PostgreSQL store's tables, made and upgraded in code. The version is kept in a table of
//! its own, `sgquiz_schema`; each upgrade is one transaction, taken under an advisory lock so
//! that two sgquiz processes starting at once do not both make the tables. A database with
//! tables sgquiz did not make, or one from a newer sgquiz, is refused and left untouched.

use postgres::Transaction;

/// The schema this build writes. A database with a higher version is from a newer sgquiz.
pub const SCHEMA_VERSION: i64 = 1;

/// Held while the schema is checked or changed (any number; this one spells "sgquiz").
const LOCK: i64 = 0x7367_7175_697a;

/// Each step takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[VERSION_1];

/// 0 → 1: sessions, attempts (with their hold), and answers. Times are kept as RFC 3339 text in
/// UTC, as in the other stores, so that they compare in order. `share` and `wrong` repeat what
/// the other columns say in the form the question analysis reads.
const VERSION_1: &str = "CREATE TABLE sgquiz_schema (version integer NOT NULL);
     INSERT INTO sgquiz_schema VALUES (0);
     CREATE TABLE sessions (
         code text PRIMARY KEY,
         title text NOT NULL,
         quiz text NOT NULL,
         bank_file text NOT NULL,
         bank_text text NOT NULL,
         bank_hash text NOT NULL,
         pass_mark double precision,
         review_at_end boolean NOT NULL,
         created text NOT NULL,
         closed text
     );
     CREATE TABLE attempts (
         seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         id text NOT NULL UNIQUE,
         quiz text NOT NULL,
         title text NOT NULL,
         bank_hash text NOT NULL,
         name text NOT NULL,
         name_key text NOT NULL,
         session text,
         started text NOT NULL,
         finished text,
         seed bigint NOT NULL,
         settings text NOT NULL,
         question_order text NOT NULL,
         score double precision,
         max_score double precision NOT NULL,
         percent double precision,
         pass_mark double precision NOT NULL,
         passed boolean,
         duration_seconds bigint NOT NULL,
         held_by text,
         held_at text
     );
     CREATE INDEX attempts_by_name_key ON attempts (name_key);
     CREATE INDEX attempts_by_quiz ON attempts (quiz, name_key);
     CREATE INDEX attempts_by_session ON attempts (session);
     CREATE TABLE answers (
         attempt bigint NOT NULL REFERENCES attempts (seq) ON DELETE CASCADE,
         position integer NOT NULL,
         question text NOT NULL,
         share double precision NOT NULL,
         wrong text,
         outcome text NOT NULL,
         points double precision NOT NULL,
         max_points double precision NOT NULL,
         response text NOT NULL,
         topic text NOT NULL,
         kind text NOT NULL,
         answer text NOT NULL,
         PRIMARY KEY (attempt, position)
     );";

/// What the database holds, as far as sgquiz is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// No tables at all in the schema sgquiz would use.
    Empty,
    /// Tables, but not sgquiz's.
    Foreign,
    /// An sgquiz store of this version.
    Store(i64),
}

/// Looks at the database without changing it.
pub fn look(tx: &mut Transaction) -> Result<Found, postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK])?;
    let ours: bool = tx
        .query_one(
            "SELECT to_regclass(quote_ident(current_schema()) || '.sgquiz_schema') IS NOT NULL",
            &[],
        )?
        .get(0);
    if ours {
        let version: i32 = tx
            .query_one("SELECT max(version) FROM sgquiz_schema", &[])?
            .try_get::<_, Option<i32>>(0)?
            .unwrap_or(0);
        return Ok(Found::Store(i64::from(version)));
    }
    let tables: i64 = tx
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            &[],
        )?
        .get(0);
    Ok(if tables == 0 {
        Found::Empty
    } else {
        Found::Foreign
    })
}

/// Brings the schema from `version` up to `SCHEMA_VERSION`, inside the caller's transaction
/// (which holds the lock `look` took).
pub fn upgrade(tx: &mut Transaction, version: i64) -> Result<(), postgres::Error> {
    let from = usize::try_from(version).unwrap_or_default();
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(from) {
        tx.batch_execute(sql)?;
        tx.execute(
            "UPDATE sgquiz_schema SET version = $1",
            &[&(i32::try_from(step + 1).unwrap_or(i32::MAX))],
        )?;
    }
    Ok(())
}
