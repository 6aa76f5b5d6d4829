//! One store conformance suite: the same scenarios, written once, run against every kind of
//! results store: an SQLite file (`sqlite::`), a folder (`folder::`) and a PostgreSQL database
//! (`postgres::`, on the tests' throwaway server, tests/support/postgres.rs). What is recorded,
//! resuming, holds, sessions, reports (whose output must be the same, byte for byte, from every
//! store: one snapshot serves all three), erasure, and the stores that must be refused
//! untouched. Everything runs the binary with `--store`, except where only the library can
//! reach (saving a finished attempt again). With a PostgreSQL store no output ever shows its
//! password: every run here checks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sgquiz::engine::marking::Outcome;
use sgquiz::records::record::Record;
use sgquiz::records::store::{Imported, Location, Store};

use crate::support::postgres::{self as pg, Cluster};
use crate::support::{Output, Sg, Sitting, files_under, tempdir, true_false_bank};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Folder,
    Postgres,
}

/// One scenario's store, and a folder for its banks and fallback files.
struct Under {
    kind: Kind,
    dir: PathBuf,
    /// What `--store` is given.
    store: String,
}

impl Under {
    fn new(kind: Kind) -> Under {
        let dir = tempdir("conformance");
        let store = match kind {
            Kind::Sqlite => dir.join("results.db").display().to_string(),
            Kind::Folder => format!("{}/", dir.join("shared").display()),
            Kind::Postgres => pg::fresh_database(),
        };
        Under { kind, dir, store }
    }

    /// `sgquiz ARGS --store STORE`, with `stdin` piped in whole.
    #[track_caller]
    fn sg(&self, args: &[&str], stdin: &str) -> Output {
        let out = Sg::new()
            .args(args)
            .args(["--store", &self.store])
            .stdin(stdin)
            .run();
        self.keeps_the_secret(&out);
        out
    }

    /// `sgquiz run BANK --name NAME …` into this store.
    #[track_caller]
    fn run(&self, bank: &Path, name: &str, extra: &[&str], stdin: &str) -> Output {
        let mut args = vec!["run", bank.to_str().unwrap(), "--name", name];
        args.extend_from_slice(extra);
        self.sg(&args, stdin)
    }

    /// A sitting of `run BANK --name NAME` kept open, in this scenario's folder.
    fn sitting(&self, bank: &Path, name: &str) -> Sitting {
        let args = [
            "run",
            bank.to_str().unwrap(),
            "--name",
            name,
            "--store",
            &self.store,
        ];
        Sitting::start(&args, &self.dir)
    }

    /// No output shows the database's password.
    #[track_caller]
    fn keeps_the_secret(&self, out: &Output) {
        if self.kind == Kind::Postgres {
            let password = pg::server().password();
            assert!(
                !out.stdout.contains(password) && !out.stderr.contains(password),
                "the password was shown\n--- stdout ---\n{}\n--- stderr ---\n{}",
                out.stdout,
                out.stderr
            );
        }
    }

    fn open(&self) -> Box<dyn Store> {
        Location::of(Path::new(&self.store))
            .open()
            .expect("the store opens")
    }

    /// Every attempt in the store, oldest first.
    fn records(&self) -> Vec<Record> {
        crate::support::stored(Path::new(&self.store))
    }

    /// Waits until the store holds an unfinished attempt by `name` with `answers` answers.
    #[track_caller]
    fn wait_for_answers(&self, name: &str, answers: usize) {
        let started = Instant::now();
        while !self
            .records()
            .iter()
            .any(|r| r.name == name && !r.is_complete() && r.questions.len() >= answers)
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{name}'s {answers} answers were never saved"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What a report's last line must show of where the store is: the path, or the
    /// database's address (its password masked, so only what follows the `@`).
    fn shown_as(&self) -> String {
        match self.kind {
            Kind::Sqlite | Kind::Folder => self.store.clone(),
            Kind::Postgres => {
                // The address as given, its password masked.
                let password = pg::server().password().to_string();
                self.store.replace(&format!(":{password}@"), ":***@")
            }
        }
    }

    /// Everything the store holds, to compare before and after: its files' bytes, or the
    /// database's dump.
    fn fingerprint(&self) -> BTreeMap<String, Vec<u8>> {
        match self.kind {
            Kind::Sqlite | Kind::Folder => {
                let path = Path::new(&self.store);
                if path.is_file() {
                    return BTreeMap::from([(self.store.clone(), std::fs::read(path).unwrap())]);
                }
                files_under(path)
                    .into_iter()
                    .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
                    .collect()
            }
            Kind::Postgres => {
                let dump = pg::server().dump(&Cluster::database_of(&self.store));
                BTreeMap::from([(self.store.clone(), dump.into_bytes())])
            }
        }
    }

    /// Whether `text` is readable anywhere in the store: in its files' raw bytes, or in the
    /// database's dump (every table, every row).
    fn holds_text(&self, text: &str) -> bool {
        let needle = text.as_bytes();
        self.fingerprint()
            .values()
            .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
    }

    /// A store of this kind that does not exist, and a way to see that it still does not.
    fn missing(&self) -> (String, Box<dyn Fn() -> bool>) {
        match self.kind {
            Kind::Sqlite => {
                let path = self.dir.join("nowhere.db");
                let shown = path.display().to_string();
                (shown, Box::new(move || path.exists()))
            }
            Kind::Folder => {
                let path = self.dir.join("nowhere");
                let shown = format!("{}/", path.display());
                (shown, Box::new(move || path.exists()))
            }
            Kind::Postgres => {
                let server = pg::server();
                let name = format!("sgquiz_missing_{}", std::process::id());
                let url = server.url(&name);
                (url, Box::new(move || server.database_exists(&name)))
            }
        }
    }

    /// Makes the store someone else's: an SQLite database with another program's table, a
    /// folder of someone's files, a PostgreSQL database with another program's tables.
    fn make_foreign(&self) {
        match self.kind {
            Kind::Sqlite => {
                let conn = rusqlite::Connection::open(&self.store).unwrap();
                conn.execute_batch(
                    "CREATE TABLE pupils (name TEXT); INSERT INTO pupils VALUES ('x');",
                )
                .unwrap();
            }
            Kind::Folder => {
                let path = Path::new(&self.store);
                std::fs::create_dir_all(path).unwrap();
                std::fs::write(path.join("minutes.txt"), "Governors' minutes, keep.\n").unwrap();
            }
            Kind::Postgres => {
                pg::server().psql(
                    &Cluster::database_of(&self.store),
                    "CREATE TABLE pupils (name text); INSERT INTO pupils VALUES ('x'); \
                     CREATE TABLE attempts (id int);",
                );
            }
        }
    }

    /// Marks the store as made by a newer sgquiz: its schema version one past this build's.
    fn make_newer(&self) {
        match self.kind {
            Kind::Sqlite => {
                let conn = rusqlite::Connection::open(&self.store).unwrap();
                let version: i64 = conn
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .unwrap();
                conn.pragma_update(None, "user_version", version + 1)
                    .unwrap();
                // Fold the write-ahead log into the file, so the bytes compared are the store.
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
                    .unwrap();
            }
            Kind::Folder => unreachable!("a folder store has no schema version"),
            Kind::Postgres => {
                // The store keeps its schema version in a column named `version` or
                // `schema_version` of one of its tables.
                let server = pg::server();
                let db = Cluster::database_of(&self.store);
                let found = server.psql(
                    &db,
                    "SELECT table_name || '.' || column_name FROM information_schema.columns \
                     WHERE table_schema = current_schema() \
                     AND column_name IN ('version', 'schema_version')",
                );
                let places: Vec<&str> = found.lines().collect();
                assert_eq!(
                    places.len(),
                    1,
                    "the PostgreSQL store keeps its schema version in one column named version \
                     or schema_version; found {places:?}"
                );
                let (table, column) = places[0].split_once('.').unwrap();
                server.psql(
                    &db,
                    &format!("UPDATE \"{table}\" SET \"{column}\" = \"{column}\" + 1"),
                );
            }
        }
    }
}

/// Makes a session on `bank` and returns its code as printed.
#[track_caller]
fn new_session(under: &Under, bank: &Path, extra: &[&str]) -> String {
    let mut args = vec!["session", "new", "--quiz", bank.to_str().unwrap()];
    args.extend_from_slice(&["--title", "INSET day, September"]);
    args.extend_from_slice(extra);
    let out = under.sg(&args, "");
    out.code(0);
    out.stdout
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("Session code: "))
        .expect("the code comes first")
        .to_string()
}

// What is recorded.

fn records_every_answer_the_score_the_name_and_the_session(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 3);
    under
        .run(&bank, "Sam Patel", &["--seed", "7"], "true\ntrue\nfalse\n")
        .code(0)
        .stdout_has("Score: 2 of 3 (66.7%)")
        .stdout_has("Your result has been recorded.");
    let code = new_session(&under, &bank, &["--pass-mark", "100"]);
    under
        .sg(
            &["run", "--session", &code],
            "Élodie Martin\ntrue\ntrue\ntrue\n",
        )
        .code(0)
        .stdout_has("Score: 3 of 3 (100%)");

    let records = under.records();
    assert_eq!(records.len(), 2, "{records:?}");
    // Both started in the same second, perhaps: which comes first is not promised.
    let by_name = |name: &str| records.iter().find(|r| r.name == name).expect(name);
    let (sam, elodie) = (by_name("Sam Patel"), by_name("Élodie Martin"));
    assert_eq!(sam.name, "Sam Patel");
    assert_eq!(
        (sam.quiz.as_str(), sam.title.as_str()),
        ("tf", "True or false")
    );
    assert_eq!(sam.seed, 7);
    assert_eq!(sam.session, None);
    assert_eq!((sam.score, sam.max_score), (Some(2.0), 3.0));
    assert_eq!(sam.passed, Some(true), "the bank's pass mark is 60%");
    assert_eq!(sam.bank_hash.len(), 64);
    assert!(sam.held.is_none(), "a finished attempt is held by no one");
    let outcomes: Vec<(&str, Outcome, &Value)> = sam
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.outcome, &q.response))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("q1", Outcome::Correct, &json!(true)),
            ("q2", Outcome::Correct, &json!(true)),
            ("q3", Outcome::Incorrect, &json!(false)),
        ]
    );
    let finished = sam.finished.as_deref().expect("finished");
    assert!(sam.started.as_str() <= finished && finished.ends_with('Z'));

    assert_eq!(elodie.name, "Élodie Martin");
    assert_eq!(
        elodie.session.as_deref(),
        Some(code.replace('-', "").as_str())
    );
    assert_eq!(elodie.pass_mark, 100.0, "the session's pass mark");
    assert_eq!((elodie.score, elodie.passed), (Some(3.0), Some(true)));
    assert_eq!(elodie.questions.len(), 3);
    assert_ne!(sam.id, elodie.id);
}

fn a_stopped_attempt_is_kept_and_resumed_where_it_stopped(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 4);
    under
        .run(&bank, "Sam Patel", &[], "true\nfalse\nquit\n")
        .code(130)
        .stdout_has("Your 2 answers so far are kept.");
    let stopped = under.records();
    assert_eq!(stopped.len(), 1);
    assert!(!stopped[0].is_complete());
    assert_eq!((stopped[0].score, stopped[0].passed), (None, None));
    assert_eq!(stopped[0].questions.len(), 2);

    under
        .run(&bank, "SAM PATEL", &["--resume"], "true\ntrue\n")
        .code(0)
        .stdout_has("carrying on from question 3")
        .stdout_has("Score: 3 of 4 (75%)");
    let resumed = under.records();
    assert_eq!(resumed.len(), 1, "the same attempt, finished");
    assert_eq!(resumed[0].id, stopped[0].id);
    assert_eq!(resumed[0].name, "Sam Patel", "the name as first given");
    assert_eq!(resumed[0].questions[..2], stopped[0].questions[..]);
    assert_eq!(resumed[0].questions.len(), 4);
    assert!(resumed[0].is_complete() && resumed[0].held.is_none());
    under
        .run(&bank, "Sam Patel", &["--resume"], "")
        .code(1)
        .stderr_has("there is no unfinished attempt");
}

// Holds.

fn a_second_sitting_is_refused_while_the_first_holds_the_attempt(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 3);
    let mut first = under.sitting(&bank, "Sam");
    first.send("true");
    under.wait_for_answers("Sam", 1);
    let before = under.records();
    under
        .run(&bank, "Sam", &["--resume"], "true\ntrue\n")
        .code(1)
        .stderr_has("another sitting")
        .stderr_has("--take-over");
    assert_eq!(
        under.records(),
        before,
        "the refused sitting changed nothing"
    );
    first.send("true");
    first.send("true");
    let out = first.end();
    under.keeps_the_secret(&out);
    out.code(0).stdout_has("Your result has been recorded.");
    let after = under.records();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].score, Some(3.0));
}

fn a_sitting_that_lost_its_hold_fails_loudly_and_the_finished_attempt_stays(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 3);
    let mut first = under.sitting(&bank, "Sam");
    first.send("true");
    under.wait_for_answers("Sam", 1);
    under
        .run(&bank, "Sam", &["--resume", "--take-over"], "true\ntrue\n")
        .code(0)
        .stdout_has("Score: 3 of 3 (100%)");
    let finished = under.records();
    assert_eq!(finished.len(), 1);
    assert!(finished[0].is_complete());

    first.send("false");
    first.send("false");
    let out = first.end();
    under.keeps_the_secret(&out);
    out.code(1).stderr_has("taken over");
    assert!(!out.stdout.contains("Your result has been recorded"));
    assert_eq!(
        under.records(),
        finished,
        "the finished attempt is as it was"
    );
    assert!(
        files_under(&under.dir)
            .iter()
            .all(|p| !p.display().to_string().contains("sgquiz-result-")),
        "no fallback file either"
    );
}

/// Through the library: a finished attempt saved again, or imported changed, stays as it was.
fn a_finished_attempt_is_never_changed(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 3);
    under.run(&bank, "Sam", &[], "true\ntrue\ntrue\n").code(0);
    let finished = under.records().remove(0);
    let mut changed = finished.clone();
    changed.score = Some(0.0);
    changed.passed = Some(false);
    changed.finished = None;
    let mut store = under.open();
    let refused = store
        .save(&changed)
        .expect_err("a finished attempt is not replaced");
    assert!(refused.to_string().contains("never changed"), "{refused:#}");
    changed.finished = finished.finished.clone();
    assert_eq!(store.import(&changed).unwrap(), Imported::AlreadyThere);
    drop(store);
    assert_eq!(under.records(), [finished]);
}

// Sessions.

fn sessions_are_made_listed_and_closed(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 3);
    let code = new_session(&under, &bank, &["--review-at-end"]);
    under
        .sg(&["session", "list"], "")
        .code(0)
        .stdout_has(&code)
        .stdout_has("INSET day, September")
        .stdout_has("open");
    under
        .sg(
            &["run", "--session", &code],
            "Sam Patel\ntrue\ntrue\nfalse\n",
        )
        .code(0)
        .stdout_has("Review of your answers");
    under
        .sg(&["session", "close", &code], "")
        .code(0)
        .stdout_has("is closed: it takes no new attempts");
    under
        .sg(&["run", "--session", &code], "Alex\ntrue\ntrue\ntrue\n")
        .code(1)
        .stderr_has("was closed on")
        .stderr_has("takes no new attempts");
    under
        .sg(&["session", "list"], "")
        .code(0)
        .stdout_has(&code)
        .stdout_has("closed 20");
    under
        .sg(&["session", "close", "ABC-DEF"], "")
        .code(1)
        .stderr_has("ABC-DEF");
    let records = under.records();
    assert_eq!(records.len(), 1, "nothing recorded in the closed session");
    assert!(records[0].settings.review_at_end, "the session's settings");
    under
        .sg(&["report", "--session", &code, "--format", "json"], "")
        .code(0)
        .stdout_has("Sam Patel");
}

fn the_kiosk_records_trainee_after_trainee(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 2);
    let code = new_session(&under, &bank, &[]);
    under
        .sg(
            &["session", "kiosk", &code],
            "Sam Patel\ntrue\ntrue\nAlex Jones\nfalse\nquit\n",
        )
        .code(0)
        .stdout_has("Next trainee.")
        .stdout_has("The kiosk has closed.");
    let records = under.records();
    assert_eq!(records.len(), 2);
    let by_name = |name: &str| records.iter().find(|r| r.name == name).expect(name);
    let (sam, alex) = (by_name("Sam Patel"), by_name("Alex Jones"));
    assert_eq!((sam.score, sam.passed), (Some(2.0), Some(true)));
    assert!(!alex.is_complete(), "Alex stopped part way");
    assert_eq!(alex.questions.len(), 1);
    let code = code.replace('-', "");
    assert!(records.iter().all(|r| r.session.as_deref() == Some(&code)));
}

// Fallback files.

/// `store import` brings finished results kept in files into the store once: one the store has
/// unfinished is finished, one it never saw is added, and a second import changes nothing.
fn store_import_brings_results_in_once(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 2);
    under.run(&bank, "Sam Patel", &[], "true\nquit\n").code(130);
    let unfinished = under.records().remove(0);
    // Finished elsewhere: its last answer given and scored.
    let mut finished = unfinished.clone();
    let mut last = finished.questions[0].clone();
    last.id = "q2".to_string();
    finished.questions.push(last);
    finished.finished = Some(finished.started.clone());
    (finished.score, finished.percent, finished.passed) = (Some(2.0), Some(100.0), Some(true));
    finished.held = None;
    // And an attempt the store never saw.
    let elsewhere = Under::new(Kind::Sqlite);
    elsewhere
        .run(&bank, "Alex Jones", &[], "false\ntrue\n")
        .code(0);
    let other = elsewhere.records().remove(0);
    let files: Vec<String> = [&finished, &other]
        .iter()
        .map(|r| {
            let path = under.dir.join(format!("sgquiz-result-{}.json", r.id));
            std::fs::write(&path, serde_json::to_string_pretty(r).unwrap()).unwrap();
            path.display().to_string()
        })
        .collect();
    let import = ["store", "import", files[0].as_str(), files[1].as_str()];
    under
        .sg(&import, "")
        .code(0)
        .stdout_has("finishing the unfinished attempt in the store")
        .stdout_has("Imported 2 results");
    let mut now = under.records();
    now.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(now, [other, finished]);
    under
        .sg(&import, "")
        .code(0)
        .stdout_has("already in the store")
        .stdout_has("Imported 0 results");
    let junk = under.dir.join("sgquiz-result-junk.json");
    std::fs::write(&junk, "{\"not\": \"a result\"}").unwrap();
    under
        .sg(&["store", "import", junk.to_str().unwrap()], "")
        .code(1)
        .stderr_has("sgquiz-result-junk.json");
    let mut after = under.records();
    after.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(after, now, "nothing changed");
}

// Reports.

/// `support::attempt` with a fixed id and time taken, and the same three questions asked of
/// every attempt (an unfinished one has answered only some).
fn attempt(n: u32, name: &str, finished: Option<&str>, answers: &[(&str, bool, Value)]) -> Record {
    let mut r = crate::support::attempt(name, finished, answers);
    r.id = format!("{n:032x}");
    if finished.is_none() {
        r.started = "2021-01-01T09:00:00Z".to_string();
    }
    r.order = vec!["a".to_string(), "b".to_string(), "c".to_string()];
    r.max_score = 3.0;
    r.duration_seconds = 95 + u64::from(n);
    r
}

fn report_records() -> Vec<Record> {
    let (a, b, c) = (json!("A"), json!("B"), json!("C"));
    vec![
        attempt(
            1,
            "Sam Patel",
            Some("2021-03-01T09:00:00Z"),
            &[
                ("a", true, a.clone()),
                ("b", false, c.clone()),
                ("c", false, c.clone()),
            ],
        ),
        attempt(
            2,
            "sam patel",
            Some("2021-03-02T09:00:00Z"),
            &[
                ("a", true, a.clone()),
                ("b", true, a.clone()),
                ("c", true, a.clone()),
            ],
        ),
        attempt(
            3,
            "Alex Jones",
            Some("2021-03-01T10:00:00Z"),
            &[
                ("a", true, a.clone()),
                ("b", false, b.clone()),
                ("c", true, a.clone()),
            ],
        ),
        attempt(
            4,
            "Élodie Martin",
            Some("2021-03-03T11:00:00Z"),
            &[
                ("a", false, b.clone()),
                ("b", false, c.clone()),
                ("c", false, c),
            ],
        ),
        attempt(5, "Unfinished Person", None, &[("a", false, b)]),
    ]
}

/// The reports on the same records, from every kind of store: the same text, shown once in
/// a snapshot, and each table's last line names the store.
fn reports_say_the_same_from_every_store(kind: Kind) {
    let under = Under::new(kind);
    under.open().save_all(&report_records()).unwrap();
    let mut shown = String::new();
    for args in [
        &["report"][..],
        &["report", "--format", "csv"],
        &["report", "--format", "json"],
        &["report", "--name", "SAM PATEL", "--format", "csv"],
        &["report", "--questions"],
        &["report", "--questions", "--format", "json"],
        &[
            "report",
            "--due",
            "12m",
            "--bank",
            "000000000000",
            "--format",
            "json",
        ],
        &[
            "report",
            "--due",
            "12m",
            "--bank",
            "000000000000",
            "--format",
            "csv",
        ],
    ] {
        let out = under.sg(args, "");
        out.code(0);
        assert_eq!(out.stderr, "", "{args:?}");
        let mut text = out.stdout.clone();
        if !args.contains(&"--format") {
            let last = text.lines().last().unwrap().to_string();
            assert_eq!(
                last,
                format!("Results store: {} (5 attempts in all).", under.shown_as()),
                "{args:?}: the last line names the store"
            );
            text = text.replace(&last, "Results store: [STORE] (5 attempts in all).");
        }
        shown.push_str(&format!("$ sgquiz {}\n{text}\n", args.join(" ")));
    }
    // The refresher list's table says when "12m ago" was, which moves with the clock.
    let due = under.sg(&["report", "--due", "12m", "--bank", "000000000000"], "");
    due.code(0)
        .stdout_has("Élodie Martin")
        .stdout_has("Due a refresher");
    assert!(
        due.stdout
            .trim_end()
            .ends_with(&format!("{} (5 attempts in all).", under.shown_as())),
        "{}",
        due.stdout
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("conformance-reports", shown));
}

// Forget.

fn forget_leaves_no_row_of_the_trainee(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 3);
    under
        .run(&bank, "Before Person", &[], "true\ntrue\ntrue\n")
        .code(0);
    under
        .run(&bank, "Target Person", &[], "true\nfalse\ntrue\n")
        .code(0);
    under
        .run(&bank, "Target Person", &[], "true\nquit\n")
        .code(130);
    under
        .run(&bank, "After Person", &[], "false\ntrue\ntrue\n")
        .code(0);
    assert!(under.holds_text("Target Person"));
    under
        .sg(&["forget", "--name", "target person"], "no\n")
        .code(0)
        .stdout_has("Erase all 2 records of target person?")
        .stdout_has("Nothing was erased.");
    assert_eq!(under.records().len(), 4);
    under
        .sg(&["forget", "--name", "TARGET PERSON", "--yes"], "")
        .code(0)
        .stdout_has("Erased 2 records");
    let mut names: Vec<String> = under.records().into_iter().map(|r| r.name).collect();
    names.sort();
    assert_eq!(names, ["After Person", "Before Person"]);
    assert!(
        !under.holds_text("Target Person"),
        "the name is still readable in the store"
    );
    under
        .sg(&["forget", "--name", "Target Person", "--yes"], "")
        .code(0)
        .stdout_has("There are no records of Target Person.");
    under
        .sg(&["report", "--format", "csv"], "")
        .code(0)
        .stdout_has("Before Person");
}

// Stores that are refused.

fn a_missing_store_is_refused_and_not_made(kind: Kind) {
    let under = Under::new(kind);
    let (missing, exists) = under.missing();
    let named = match kind {
        Kind::Postgres => Cluster::database_of(&missing),
        _ => missing.clone(),
    };
    for args in [
        &["report"][..],
        &["report", "--due", "12m"],
        &["report", "--questions"],
        &["session", "list"],
        &["forget", "--name", "Sam", "--yes"],
    ] {
        let out = Sg::new().args(args).args(["--store", &missing]).run();
        under.keeps_the_secret(&out);
        out.code(1).stderr_has(&named);
        assert_eq!(
            out.stdout, "",
            "{args:?}: no report from a store that is not there"
        );
    }
    assert!(!exists(), "no store was made by reading one");
}

/// Runs a recording, a report and a session list against the store: each refused with
/// `message`, and the store exactly as it was.
#[track_caller]
fn refused_untouched(under: &Under, message: &str) {
    let bank = true_false_bank(&under.dir, 2);
    let before = under.fingerprint();
    under
        .run(&bank, "Sam", &[], "true\ntrue\n")
        .code(1)
        .stderr_has(message);
    under.sg(&["report"], "").code(1).stderr_has(message);
    under
        .sg(&["session", "list"], "")
        .code(1)
        .stderr_has(message);
    under
        .sg(
            &[
                "session",
                "new",
                "--quiz",
                bank.to_str().unwrap(),
                "--title",
                "T",
            ],
            "",
        )
        .code(1)
        .stderr_has(message);
    assert!(under.fingerprint() == before, "the store was changed");
}

fn another_programs_store_is_refused_and_left_alone(kind: Kind) {
    let under = Under::new(kind);
    under.make_foreign();
    refused_untouched(&under, "not an sgquiz results store");
}

fn a_store_from_a_newer_sgquiz_is_refused_and_left_alone(kind: Kind) {
    let under = Under::new(kind);
    let bank = true_false_bank(&under.dir, 2);
    under.run(&bank, "Sam", &[], "true\ntrue\n").code(0);
    under.make_newer();
    refused_untouched(&under, "was made by a newer version of sgquiz");
}

// PostgreSQL only: TLS as `sslmode` asks, and where the password comes from.

/// `sgquiz ARGS --store URL` in the given extra environment; no output shows `secret`.
#[track_caller]
fn sg_with(url: &str, args: &[&str], env: &[(&str, &str)], secret: &str) -> Output {
    let mut sg = Sg::new().args(args).args(["--store", url]);
    for (key, value) in env {
        sg = sg.env(key, value);
    }
    let out = sg.stdin("true\ntrue\n").run();
    assert!(
        !out.stdout.contains(secret) && !out.stderr.contains(secret),
        "the password was shown\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.stdout,
        out.stderr
    );
    out
}

/// A role that the server lets in over TLS only: every `sslmode` that uses TLS works (and the
/// server's certificate is checked when asked), `disable` is refused, and a CA that did not
/// sign the server's certificate, or a name it does not hold, fails `verify-full`.
fn tls_is_used_and_checked_as_sslmode_asks() {
    let cluster = Cluster::start_private();
    let password = "tls only, please";
    let url = cluster.fresh_database_as(password, true);
    let dir = tempdir("conformance-tls");
    let bank = true_false_bank(&dir, 2);
    let ca = cluster.ca_file().display().to_string();
    let other = dir.join("other-ca.crt");
    Cluster::unrelated_ca(&other);
    let record = ["run", bank.to_str().unwrap(), "--name"];
    for (n, query) in [
        "sslmode=require".to_string(),
        "sslmode=prefer".to_string(),
        format!("sslmode=verify-ca&sslrootcert={ca}"),
        format!("sslmode=verify-full&sslrootcert={ca}"),
    ]
    .iter()
    .enumerate()
    {
        let name = format!("Trainee {n}");
        sg_with(
            &format!("{url}?{query}"),
            &[&record[..], &[&name]].concat(),
            &[],
            password,
        )
        .code(0)
        .stdout_has("Your result has been recorded.");
    }
    let by_name = url.replace("@127.0.0.1:", "@localhost:");
    sg_with(
        &format!("{by_name}?sslmode=verify-full&sslrootcert={ca}"),
        &["report"],
        &[],
        password,
    )
    .code(0)
    .stdout_has("Trainee 3");
    for (query, says) in [
        ("sslmode=disable".to_string(), "127.0.0.1"),
        (
            format!("sslmode=verify-full&sslrootcert={}", other.display()),
            "certificate",
        ),
        (
            format!("sslmode=verify-ca&sslrootcert={}", other.display()),
            "certificate",
        ),
        (
            format!(
                "sslmode=verify-full&sslrootcert={}",
                dir.join("none.crt").display()
            ),
            "none.crt",
        ),
        ("sslmode=sometimes".to_string(), "sslmode"),
    ] {
        for args in [&["report"][..], &[&record[..], &["Refused"]].concat()] {
            sg_with(&format!("{url}?{query}"), args, &[], password)
                .code(1)
                .stderr_has(says);
        }
    }
    let records = crate::support::stored(Path::new(&url));
    assert_eq!(records.len(), 4, "one per mode that works, and no more");
}

/// The password from the URL (percent-encoded), `PGPASSWORD`, or `~/.pgpass`; with none of
/// them, or a wrong one, a clear error. None of them is ever shown.
fn the_password_comes_from_the_url_pgpassword_or_pgpass() {
    let server = pg::server();
    let password = "p@ss:w/o?rd#%x y";
    let url = server.fresh_database_as(password, false);
    // postgres://ROLE:ENCODED@127.0.0.1:PORT/DB, and the same without the password.
    let (head, address) = url.split_once('@').unwrap();
    let (user_part, encoded) = head.rsplit_once(':').unwrap();
    let bare = format!("{user_part}@{address}");
    let role = user_part.strip_prefix("postgres://").unwrap();
    let db = Cluster::database_of(&url);
    let dir = tempdir("conformance-password");
    let bank = true_false_bank(&dir, 2);
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let home = home.to_str().unwrap();
    let record = |name: &'static str| ["run", bank.to_str().unwrap(), "--name", name];

    for (store, env, name) in [
        (&url, vec![("HOME", home)], "From The Url"),
        (
            &bare,
            vec![("HOME", home), ("PGPASSWORD", password)],
            "From Pgpassword",
        ),
    ] {
        let out = sg_with(store, &record(name), &env, password);
        assert!(!out.stdout.contains(encoded) && !out.stderr.contains(encoded));
        out.code(0).stdout_has("Your result has been recorded.");
    }

    // ~/.pgpass: host:port:database:user:password, with : and \ escaped, readable by its
    // owner only.
    let escaped = password.replace('\\', "\\\\").replace(':', "\\:");
    let pgpass = Path::new(home).join(".pgpass");
    std::fs::write(
        &pgpass,
        format!("127.0.0.1:{}:{db}:{role}:{escaped}\n", server.port()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    sg_with(&bare, &record("From Pgpass"), &[("HOME", home)], password)
        .code(0)
        .stdout_has("Your result has been recorded.");
    std::fs::remove_file(&pgpass).unwrap();

    sg_with(&bare, &["report"], &[("HOME", home)], password)
        .code(1)
        .stderr_has("password");
    sg_with(
        &bare,
        &["report"],
        &[("HOME", home), ("PGPASSWORD", "Not-The-Password-77")],
        "Not-The-Password-77",
    )
    .code(1)
    .stderr_has("password");
    let mut names: Vec<String> = crate::support::stored(Path::new(&url))
        .into_iter()
        .map(|r| r.name)
        .collect();
    names.sort();
    assert_eq!(names, ["From Pgpass", "From Pgpassword", "From The Url"]);
}

/// The scenarios that every kind of store must pass, given to `$test` to make tests of.
macro_rules! every_store {
    ($test:ident) => {
        $test!(
            records_every_answer_the_score_the_name_and_the_session,
            a_stopped_attempt_is_kept_and_resumed_where_it_stopped,
            a_second_sitting_is_refused_while_the_first_holds_the_attempt,
            a_sitting_that_lost_its_hold_fails_loudly_and_the_finished_attempt_stays,
            a_finished_attempt_is_never_changed,
            sessions_are_made_listed_and_closed,
            the_kiosk_records_trainee_after_trainee,
            store_import_brings_results_in_once,
            reports_say_the_same_from_every_store,
            forget_leaves_no_row_of_the_trainee,
            a_missing_store_is_refused_and_not_made,
            another_programs_store_is_refused_and_left_alone
        );
    };
}

/// The scenarios for the stores that are databases, with a schema version (a folder store has
/// none).
macro_rules! every_database {
    ($test:ident) => {
        $test!(a_store_from_a_newer_sgquiz_is_refused_and_left_alone);
    };
}

mod sqlite {
    macro_rules! tests {
        ($($scenario:ident),*) => {
            $(#[test]
            fn $scenario() {
                super::$scenario(super::Kind::Sqlite)
            })*
        };
    }
    every_store!(tests);
    every_database!(tests);
}

mod folder {
    macro_rules! tests {
        ($($scenario:ident),*) => {
            $(#[test]
            fn $scenario() {
                super::$scenario(super::Kind::Folder)
            })*
        };
    }
    every_store!(tests);
}

mod postgres {
    macro_rules! tests {
        ($($scenario:ident),*) => {
            $(#[test]
            fn $scenario() {
                super::$scenario(super::Kind::Postgres)
            })*
        };
    }
    every_store!(tests);
    every_database!(tests);

    #[test]
    fn tls_is_used_and_checked_as_sslmode_asks() {
        super::tls_is_used_and_checked_as_sslmode_asks()
    }

    #[test]
    fn the_password_comes_from_the_url_pgpassword_or_pgpass() {
        super::the_password_comes_from_the_url_pgpassword_or_pgpass()
    }
}
