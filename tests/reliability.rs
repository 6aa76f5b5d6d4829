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
    let bank = true_false_bank(&dir, 3);
    let writers: Vec<_> = (0..4)
        .map(|w| {
            Command::new(std::env::current_exe().expect("the test binary"))
                .args(["reliability::one_writer", "--exact", "--ignored"])
                .env(WRITER_STORE, &db)
                .env(WRITER_BANK, &bank)
                .env(WRITER_ID, w.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("a writer starts")
        })
        .collect();
    for (w, child) in writers.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "writer {w}:\n{stdout}");
        assert!(stdout.contains("1 passed"), "writer {w} ran:\n{stdout}");
    }
    let records = stored(&db);
    assert_eq!(records.len(), 100);
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 100);
    for w in 0..4 {
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
#[ignore = "a child process of four_processes_recording_25_attempts_each_lose_nothing"]
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
