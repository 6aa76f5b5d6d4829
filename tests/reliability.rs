//! The store under strain: processes recording at once, a process killed mid-write, and stores
//! that must be refused without being touched. Timeouts are generous; nothing here asserts on
//! time.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Sg, stored, tempdir, true_false_bank};

fn record(store: &Path, bank: &Path, name: &str) -> crate::support::Output {
    Sg::new()
        .args(["run", bank.to_str().unwrap(), "--name", name])
        .args(["--store", store.to_str().unwrap()])
        .stdin("true\ntrue\n")
        .run()
}

#[test]
fn four_command_lines_recording_at_once_lose_nothing() {
    let dir = tempdir("reliable");
    let db = dir.join("results.db");
    let bank = true_false_bank(&dir, 2);
    // Four writers start together on a store that does not exist yet, each recording 25
    // attempts one after another.
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (db, bank) = (db.clone(), bank.clone());
            std::thread::spawn(move || {
                for i in 0..25 {
                    let out = record(&db, &bank, &format!("Writer {w} attempt {i}"));
                    assert_eq!(out.code, Some(0), "writer {w}, attempt {i}: {}", out.stderr);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer finished");
    }
    let records = stored(&db);
    assert_eq!(records.len(), 100);
    let mut names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 100, "every attempt is there once");
    assert!(
        records
            .iter()
            .all(|r| r.score == Some(2.0) && r.questions.len() == 2)
    );
}

#[cfg(unix)]
#[test]
fn a_process_killed_while_recording_leaves_the_store_whole() {
    let dir = tempdir("reliable");
    let db = dir.join("results.db");
    let bank = true_false_bank(&dir, 40);
    let all_true = "true\n".repeat(40);
    for i in 0..5 {
        Sg::new()
            .args([
                "run",
                bank.to_str().unwrap(),
                "--name",
                &format!("Earlier {i}"),
            ])
            .args(["--store", db.to_str().unwrap()])
            .stdin(all_true.clone())
            .run()
            .code(0);
    }
    let before = stored(&db);
    let mut child = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args(["run", bank.to_str().unwrap(), "--name", "Killed"])
        .args(["--store", db.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Answers stream in while the process saves after each one; it is killed part way.
    let started = Instant::now();
    for _ in 0..30 {
        if stdin.write_all(b"true\n").is_err() {
            break;
        }
    }
    stdin.flush().ok();
    loop {
        let saved = stored(&db).iter().any(|r| r.name == "Killed");
        if saved || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    drop(stdin);

    let after = stored(&db);
    for earlier in &before {
        assert!(after.contains(earlier), "{} is intact", earlier.name);
    }
    let killed: Vec<_> = after.iter().filter(|r| r.name == "Killed").collect();
    assert!(killed.len() <= 1);
    if let Some(k) = killed.first() {
        assert!(!k.is_complete(), "a killed attempt has no score");
    }
    // And the store still takes new attempts.
    Sg::new()
        .args(["run", bank.to_str().unwrap(), "--name", "After"])
        .args(["--store", db.to_str().unwrap()])
        .stdin(all_true)
        .run()
        .code(0);
    assert_eq!(stored(&db).iter().filter(|r| r.is_complete()).count(), 6);
}

/// Runs a recording and a report against `store`, both of which must fail with `message` and
/// leave the file's bytes as they were.
#[track_caller]
fn refused_untouched(store: &Path, message: &str) {
    let bank = true_false_bank(store.parent().unwrap(), 2);
    let bytes = std::fs::read(store).unwrap();
    record(store, &bank, "Sam").code(1).stderr_has(message);
    Sg::new()
        .args(["report", "--store", store.to_str().unwrap()])
        .run()
        .code(1)
        .stderr_has(message);
    assert!(
        std::fs::read(store).unwrap() == bytes,
        "{} was changed",
        store.display()
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = tempdir("reliable");
    let path = dir.join("notes.db");
    std::fs::write(&path, "Staff training notes, please keep.\n".repeat(200)).unwrap();
    refused_untouched(
        &path,
        "is not an sgquiz results store (it is not an SQLite database)",
    );
}

#[test]
fn another_programs_database_is_refused_and_left_alone() {
    let dir = tempdir("reliable");
    let path = dir.join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE pupils (name TEXT); INSERT INTO pupils VALUES ('x');")
        .unwrap();
    drop(conn);
    refused_untouched(
        &path,
        "is an SQLite database, but not an sgquiz results store",
    );
}

#[test]
fn a_store_from_a_newer_sgquiz_is_refused_and_left_alone() {
    let dir = tempdir("reliable");
    let path = dir.join("results.db");
    let bank = true_false_bank(&dir, 2);
    record(&path, &bank, "Sam").code(0);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(
        None,
        "user_version",
        sgquiz::records::store::SCHEMA_VERSION + 1,
    )
    .unwrap();
    // Fold the write-ahead log into the file, so the bytes compared are the whole store.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    refused_untouched(&path, "was made by a newer version of sgquiz");
}

#[test]
fn a_read_only_store_is_refused_for_recording_and_read_for_reports() {
    let dir = tempdir("reliable");
    let path = dir.join("results.db");
    let bank = true_false_bank(&dir, 2);
    record(&path, &bank, "Sam").code(0);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms).unwrap();
    // Recording is refused; reports read it as it is. Neither changes a byte.
    let bytes = std::fs::read(&path).unwrap();
    record(&path, &bank, "Alex")
        .code(1)
        .stderr_has("is read-only");
    Sg::new()
        .args(["report", "--store", path.to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has("Sam");
    assert!(
        std::fs::read(&path).unwrap() == bytes,
        "the store was changed"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_store_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("reliable");
    let folder = dir.join("shared");
    let bank = true_false_bank(&dir, 2);
    record(&folder.join(""), &bank, "Sam").code(0);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    record(&folder, &bank, "Alex")
        .code(1)
        .stderr_has("is read-only");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(stored(&folder).len(), 1);
}

#[test]
fn a_half_written_file_left_in_a_folder_store_is_ignored() {
    let dir = tempdir("reliable");
    let folder = dir.join("shared");
    let bank = true_false_bank(&dir, 2);
    record(&folder.join(""), &bank, "Sam").code(0);
    // What a writer killed before its rename leaves behind.
    std::fs::write(folder.join("attempts/.0123abcd.tmp"), "{\"id\": \"half").unwrap();
    assert_eq!(stored(&folder).len(), 1);
    Sg::new()
        .args(["report", "--store", folder.to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has("Sam");
}

const WRITER_STORE: &str = "SGQUIZ_TEST_WRITER_STORE";
const WRITER_BANK: &str = "SGQUIZ_TEST_WRITER_BANK";
const WRITER_ID: &str = "SGQUIZ_TEST_WRITER_ID";

/// Four copies of this test binary, each running `one_writer`, record 25 attempts each into one
/// database at the same time: all 100 are there afterwards, each whole.
#[test]
fn four_processes_recording_25_attempts_each_lose_nothing() {
    let dir = tempdir("reliable");
    let db = dir.join("results.db");
    processes_recording_at_once(db.as_os_str(), &dir, 4);
}

/// `writers` copies of this test binary, each running `one_writer`, record 25 attempts each
/// into `store` at the same time: all are there afterwards, once each, and whole.
#[track_caller]
fn processes_recording_at_once(store: &std::ffi::OsStr, dir: &Path, writers: usize) {
    let bank = true_false_bank(dir, 3);
    let children: Vec<_> = (0..writers)
        .map(|w| {
            Command::new(std::env::current_exe().expect("the test binary"))
                .args(["reliability::one_writer", "--exact", "--ignored"])
                .env(WRITER_STORE, store)
                .env(WRITER_BANK, &bank)
                .env(WRITER_ID, w.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("a writer starts")
        })
        .collect();
    for (w, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "writer {w}:\n{stdout}");
        assert!(stdout.contains("1 passed"), "writer {w} ran:\n{stdout}");
    }
    let records = stored(Path::new(store));
    assert_eq!(records.len(), 25 * writers);
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 25 * writers);
    for w in 0..writers {
        let mine = records
            .iter()
            .filter(|r| r.name.starts_with(&format!("Writer {w} ")))
            .count();
        assert_eq!(mine, 25, "writer {w}");
    }
    assert!(
        records
            .iter()
            .all(|r| r.is_complete() && r.score == Some(3.0) && r.questions.len() == 3)
    );
}

/// One of the writers above: records 25 whole attempts through the engine and the recorder,
/// which save when each starts, after every answer and at the end. Does nothing when run on its
/// own.
#[test]
#[ignore = "a child process of processes_recording_at_once"]
fn one_writer() {
    use sgquiz::engine::attempt::Resume;
    use sgquiz::engine::plan::Settings;
    use sgquiz::engine::plan::{Plan, PlanOptions};
    use sgquiz::engine::prompter::Scripted;
    use sgquiz::front::take::{TakeOptions, Taken, take_observed};
    use sgquiz::records::record::Record;
    use sgquiz::records::recorder::Recorder;

    let (Some(store), Some(bank), Some(id)) = (
        std::env::var_os(WRITER_STORE),
        std::env::var_os(WRITER_BANK),
        std::env::var_os(WRITER_ID),
    ) else {
        return;
    };
    let id = id.to_string_lossy().into_owned();
    let bank = sgquiz::bank::load::load_path(Path::new(&bank)).unwrap();
    let mut store = sgquiz::records::store::Location::of(Path::new(&store))
        .open()
        .unwrap();
    for i in 0..25 {
        let plan = Plan::new(&bank, &PlanOptions::default()).unwrap();
        let record = Record::start(
            sgquiz::records::record::Start {
                bank: &bank,
                bank_hash: "0".repeat(64),
                name: format!("Writer {id} attempt {i}"),
                session: None,
                seed: 0,
                settings: Settings::default(),
            },
            &plan,
        );
        let answers =
            crate::support::answers::answers(&bank, &plan, crate::support::answers::Want::Right);
        let mut recorder = Recorder::new(store.as_mut(), record);
        let options = TakeOptions {
            review_at_end: false,
            look: sgquiz::front::transcript::Look::plain(sgquiz::front::style::Style::plain()),
            hand_over: false,
        };
        let taken = take_observed(
            &bank,
            plan,
            &mut Scripted::new(answers),
            &mut Vec::new(),
            options,
            Resume::default(),
            &mut recorder,
        );
        let Ok(Taken::Finished(report)) = taken else {
            panic!("attempt {i} finishes")
        };
        assert!(recorder.error.is_none(), "{:?}", recorder.error);
        recorder.finish(&report).expect("the attempt is recorded");
    }
}

// A PostgreSQL store under strain: many processes at once, the server restarted or gone in the
// middle of a quiz, and the ways a connection is refused. No output ever shows the password.

/// Asserts that no output shows the shared server's password, nor `also`.
#[track_caller]
fn keeps_the_secret(out: &crate::support::Output, also: &str) {
    for secret in [crate::support::postgres::server().password(), also] {
        assert!(
            secret.is_empty() || !(out.stdout.contains(secret) || out.stderr.contains(secret)),
            "a password was shown\n--- stdout ---\n{}\n--- stderr ---\n{}",
            out.stdout,
            out.stderr
        );
    }
}

/// Waits until the store holds an unfinished attempt by `name` with `answers` answers.
#[track_caller]
fn wait_for_answers(store: &str, name: &str, answers: usize) {
    let started = Instant::now();
    while !stored(Path::new(store))
        .iter()
        .any(|r| r.name == name && !r.is_complete() && r.questions.len() >= answers)
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{name}'s {answers} answers were never saved"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn eight_processes_recording_25_attempts_each_into_postgres_lose_nothing() {
    let dir = tempdir("reliable-pg");
    let url = crate::support::postgres::fresh_database();
    processes_recording_at_once(std::ffi::OsStr::new(&url), &dir, 8);
}

/// The server is stopped after the first answer, an answer is given while it is down, and it
/// comes back: the quiz goes on throughout, and the finished attempt is recorded whole.
#[cfg(unix)]
#[test]
fn a_postgres_server_restarted_in_the_middle_of_a_quiz_loses_nothing() {
    use crate::support::Sitting;
    let cluster = crate::support::postgres::Cluster::start_private();
    let url = cluster.fresh_database();
    let dir = tempdir("reliable-pg");
    let bank = true_false_bank(&dir, 6);
    let args = ["run", bank.to_str().unwrap(), "--name", "Sam Patel"];
    let mut sitting = Sitting::start(&[&args[..], &["--store", &url]].concat(), &dir);
    sitting.send("true");
    wait_for_answers(&url, "Sam Patel", 1);
    cluster.stop();
    sitting.send("true");
    std::thread::sleep(Duration::from_secs(1));
    cluster.start();
    for _ in 0..4 {
        sitting.send("true");
        std::thread::sleep(Duration::from_millis(300));
    }
    let out = sitting.end();
    assert!(!out.stdout.contains(cluster.password()) && !out.stderr.contains(cluster.password()));
    out.code(0)
        .stdout_has("Score: 6 of 6 (100%)")
        .stdout_has("Your result has been recorded.");
    let records = stored(Path::new(&url));
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].is_complete() && records[0].held.is_none());
    assert_eq!(
        records[0].questions.len(),
        6,
        "every answer, also the one given while down"
    );
    assert_eq!(records[0].score, Some(6.0));
    let stray: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("sgquiz-result-"))
        .collect();
    assert!(stray.is_empty(), "no fallback file was needed: {stray:?}");
}

/// The server goes after the first answer and is still down when the quiz ends: the finished
/// attempt goes to a file of its own, which `store import` brings in once the server is back.
#[cfg(unix)]
#[test]
fn a_finished_attempt_postgres_cannot_take_goes_to_a_file_and_is_imported_later() {
    use crate::support::Sitting;
    let cluster = crate::support::postgres::Cluster::start_private();
    let url = cluster.fresh_database();
    let dir = tempdir("reliable-pg");
    let bank = true_false_bank(&dir, 4);
    let args = ["run", bank.to_str().unwrap(), "--name", "Sam Patel"];
    let mut sitting = Sitting::start(&[&args[..], &["--store", &url]].concat(), &dir);
    sitting.send("true");
    wait_for_answers(&url, "Sam Patel", 1);
    cluster.stop();
    for answer in ["true", "false", "true"] {
        sitting.send(answer);
    }
    let out = sitting.end();
    let secret = cluster.password();
    assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
    out.code(1)
        .stderr_has("could not be saved to the results store")
        .stderr_has("Nothing is lost");
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("sgquiz-result-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    out.stderr_has(&kept[0].display().to_string());
    let in_file: sgquiz::records::record::Record =
        serde_json::from_str(&std::fs::read_to_string(&kept[0]).unwrap()).unwrap();
    assert!(in_file.is_complete());
    assert_eq!((in_file.score, in_file.questions.len()), (Some(3.0), 4));

    cluster.start();
    let imported = Sg::new()
        .args([
            "store",
            "import",
            kept[0].to_str().unwrap(),
            "--store",
            &url,
        ])
        .run();
    assert!(!imported.stdout.contains(secret) && !imported.stderr.contains(secret));
    imported.code(0).stdout_has("Imported 1");
    let records = stored(Path::new(&url));
    assert_eq!(
        records.len(),
        1,
        "the unfinished attempt was completed, not doubled"
    );
    assert_eq!(records[0], in_file);
}

/// A wrong password, a database that is not there, another program's database and a server
/// that is not there: each a clear error with exit status 1, before any question, and no
/// password shown, for recording, reports and sessions alike.
#[cfg(unix)]
#[test]
fn a_postgres_store_that_cannot_be_used_is_a_clear_error() {
    use crate::support::postgres::{self as pg, Cluster};
    let server = pg::server();
    let dir = tempdir("reliable-pg");
    let bank = true_false_bank(&dir, 2);
    let good = pg::fresh_database();
    let wrong_password = "Wrong-Password-4821";
    let wrong = good.replace(server.password(), wrong_password);
    let missing_name = format!("sgquiz_absent_{}", std::process::id());
    let missing = server.url(&missing_name);
    let foreign = pg::fresh_database();
    let foreign_db = Cluster::database_of(&foreign);
    server.psql(
        &foreign_db,
        "CREATE TABLE pupils (name text); INSERT INTO pupils VALUES ('x')",
    );
    let before = server.dump(&foreign_db);
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let unreachable = good.replace(&format!(":{}/", server.port()), &format!(":{closed_port}/"));
    for (url, says) in [
        (&wrong, "password"),
        (&missing, missing_name.as_str()),
        (&foreign, "not an sgquiz results store"),
        (&unreachable, "127.0.0.1"),
    ] {
        for args in [
            &["run", bank.to_str().unwrap(), "--name", "Sam"][..],
            &["report"],
            &["session", "list"],
        ] {
            let out = Sg::new()
                .args(args)
                .args(["--store", url])
                .stdin("true\ntrue\n")
                .run();
            keeps_the_secret(&out, wrong_password);
            out.code(1).stderr_has(says);
            assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
            assert!(
                !out.stdout.contains("Question 1"),
                "no quiz without a store"
            );
        }
    }
    assert_eq!(
        server.dump(&foreign_db),
        before,
        "the foreign database is untouched"
    );
    assert!(
        !server.database_exists(&missing_name),
        "no database is made"
    );
}
