//! Records a school can trust (issue 9): a finished attempt is never changed by a later save,
//! one sitting holds an attempt, resuming keeps to the attempt's session, `--json` never costs a
//! result, an unfinished attempt is offered back, erasure leaves nothing readable, and fallback
//! files come back into the store. Everything here drives the binary; two sittings of one
//! attempt are two processes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Output, Sg, Sitting, files_under, stored, tempdir, true_false_bank};

/// Both kinds of store in `dir`: a database file, and a folder (its path ends in a slash).
fn both_stores(dir: &Path) -> [PathBuf; 2] {
    [
        dir.join("results.db"),
        PathBuf::from(format!("{}/", dir.join("shared").display())),
    ]
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `sgquiz run BANK --name NAME --store STORE EXTRA…`, with `stdin` piped in whole.
fn run_named(store: &Path, bank: &Path, name: &str, extra: &[&str], stdin: &str) -> Output {
    Sg::new()
        .args(["run", s(bank), "--name", name, "--store", s(store)])
        .args(extra)
        .stdin(stdin)
        .run()
}

/// Waits until the store holds an unfinished attempt by `name` with `answers` answers saved.
#[track_caller]
fn wait_for_answers(store: &Path, name: &str, answers: usize) {
    let started = Instant::now();
    loop {
        if stored(store)
            .iter()
            .any(|r| r.name == name && !r.is_complete() && r.questions.len() >= answers)
        {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{name}'s {answers} answers were never saved in {}",
            store.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Makes a session on `bank` and returns its code as printed.
#[track_caller]
fn new_session(store: &Path, bank: &Path, extra: &[&str]) -> String {
    let out = Sg::new()
        .args(["session", "new", "--quiz", s(bank), "--title", "INSET day"])
        .args(["--store", s(store)])
        .args(extra)
        .run();
    out.code(0);
    out.stdout
        .lines()
        .next()
        .unwrap()
        .strip_prefix("Session code: ")
        .expect("the code comes first")
        .to_string()
}

// 1. One sitting holds an attempt; a finished attempt is never changed.

#[test]
fn a_second_sitting_is_refused_while_the_first_holds_the_attempt() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    for store in both_stores(&dir) {
        let args = ["run", s(&bank), "--name", "Sam", "--store", s(&store)];
        let mut first = Sitting::start(&args, &dir);
        first.send("true");
        wait_for_answers(&store, "Sam", 1);
        let before = stored(&store);

        // A second terminal, the same trainee: refused, and told how to take over on purpose.
        run_named(&store, &bank, "Sam", &["--resume"], "true\ntrue\n")
            .code(1)
            .stderr_has("another sitting")
            .stderr_has("--take-over");
        assert_eq!(
            stored(&store),
            before,
            "the refused sitting changed nothing"
        );

        // The first sitting carries on undisturbed and finishes.
        first.send("true");
        first.send("true");
        first
            .end()
            .code(0)
            .stdout_has("Your result has been recorded.");
        let after = stored(&store);
        assert_eq!(after.len(), 1, "{}", store.display());
        assert_eq!(after[0].score, Some(3.0));
    }
}

/// Two sittings racing on one attempt: the second takes it over on purpose and finishes it; the
/// first, still open, answers once more. Its save fails loudly and the finished pass stays.
#[test]
fn two_sittings_racing_on_one_attempt_never_revert_a_finished_one() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    for store in both_stores(&dir) {
        let args = ["run", s(&bank), "--name", "Sam", "--store", s(&store)];
        let mut first = Sitting::start(&args, &dir);
        first.send("true");
        wait_for_answers(&store, "Sam", 1);

        run_named(
            &store,
            &bank,
            "Sam",
            &["--resume", "--take-over"],
            "true\ntrue\n",
        )
        .code(0)
        .stdout_has("Score: 3 of 3 (100%)")
        .stdout_has("Your result has been recorded.");
        let finished = stored(&store);
        assert_eq!(finished.len(), 1);
        assert!(finished[0].is_complete());

        first.send("false");
        first.send("false");
        let out = first.end();
        out.code(1).stderr_has("taken over");
        assert!(
            !out.stdout.contains("Your result has been recorded"),
            "{}",
            out.stdout
        );
        assert_eq!(
            stored(&store),
            finished,
            "the finished attempt is exactly as it was ({})",
            store.display()
        );
        if store.to_str().unwrap().ends_with('/') {
            let incomplete = std::fs::read_dir(store.join("incomplete")).unwrap().count();
            assert_eq!(incomplete, 0, "no stale unfinished copy is left");
        }
        run_named(&store, &bank, "Sam", &["--resume"], "true\n")
            .code(1)
            .stderr_has("no unfinished attempt");
        assert_eq!(stored(&store), finished);
    }
}

/// A copy of an unfinished attempt left in `incomplete/` beside its finished file (a crash
/// between the two, or an older sgquiz) is never resumed over the finished one.
#[test]
fn a_stale_unfinished_file_never_overwrites_a_finished_one() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let folder = PathBuf::from(format!("{}/", dir.join("shared").display()));
    run_named(&folder, &bank, "Sam", &[], "true\nquit\n").code(130);
    let unfinished: Vec<PathBuf> = files_under(&folder.join("incomplete"));
    assert_eq!(unfinished.len(), 1);
    let stale = std::fs::read(&unfinished[0]).unwrap();
    run_named(&folder, &bank, "Sam", &["--resume"], "true\ntrue\n")
        .code(0)
        .stdout_has("Score: 3 of 3 (100%)");
    std::fs::write(&unfinished[0], &stale).unwrap();

    let records = stored(&folder);
    assert_eq!(records.len(), 1, "one attempt, finished: {records:?}");
    assert!(records[0].is_complete());
    run_named(&folder, &bank, "Sam", &["--resume"], "false\nfalse\n")
        .code(1)
        .stderr_has("no unfinished attempt");
    let after = stored(&folder);
    assert_eq!(after, records, "the finished attempt is unchanged");
    Sg::new()
        .args(["report", "--store", s(&folder)])
        .run()
        .code(0)
        .stdout_has("100%");
}

// 2. Resuming keeps to the attempt's session.

#[test]
fn resuming_keeps_to_the_attempts_session_and_its_settings() {
    let dir = tempdir("integrity");
    let db = dir.join("results.db");
    let bank = true_false_bank(&dir, 3);
    let strict = new_session(&db, &bank, &["--pass-mark", "100"]);
    let other = new_session(&db, &bank, &[]);
    let session_run = |code: &str, extra: &[&str], stdin: &str| {
        Sg::new()
            .args(["run", "--session", code, "--store", s(&db)])
            .args(extra)
            .stdin(stdin)
            .run()
    };
    session_run(&strict, &[], "Sam\ntrue\nquit\n").code(130);

    // Not outside the session, where the plain pass mark would apply…
    run_named(&db, &bank, "Sam", &["--resume"], "true\ntrue\n")
        .code(1)
        .stderr_has("no unfinished attempt");
    // …and not in another session, which would file it there.
    session_run(&other, &["--resume"], "Sam\ntrue\ntrue\n")
        .code(1)
        .stderr_has("no unfinished attempt");
    let records = stored(&db);
    assert_eq!(records.len(), 1, "nothing new was recorded: {records:?}");
    assert!(!records[0].is_complete());

    // In its own session it carries on, under the session's pass mark.
    session_run(&strict, &["--resume"], "Sam\nfalse\ntrue\n")
        .code(0)
        .stdout_has("carrying on from question 2")
        .stdout_has("Not passed");
    let records = stored(&db);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.session.as_deref(), Some(strict.replace('-', "").as_str()));
    assert_eq!(r.pass_mark, 100.0);
    assert_eq!(r.passed, Some(false));

    // A closed session refuses to carry on, inside it or outside it.
    let closing = new_session(&db, &bank, &[]);
    session_run(&closing, &[], "Alex\ntrue\nquit\n").code(130);
    Sg::new()
        .args(["session", "close", &closing, "--store", s(&db)])
        .run()
        .code(0);
    session_run(&closing, &["--resume"], "Alex\ntrue\ntrue\n")
        .code(1)
        .stderr_has("was closed on");
    run_named(&db, &bank, "Alex", &["--resume"], "true\ntrue\n").code(1);
    let alex: Vec<_> = stored(&db)
        .into_iter()
        .filter(|r| r.name == "Alex")
        .collect();
    assert_eq!(alex.len(), 1);
    assert!(
        !alex[0].is_complete(),
        "the closed session's attempt stays unfinished"
    );
}

// 5. `--json` never costs a result, and always prints one document.

/// Runs a recorded quiz with `--json`, standard output going to `stdout`.
fn json_run(store: &Path, bank: &Path, stdout: Stdio, close_stdout: bool) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args([
            "run",
            s(bank),
            "--name",
            "Sam",
            "--json",
            "--store",
            s(store),
        ])
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if close_stdout {
        drop(child.stdout.take());
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"true\ntrue\ntrue\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[cfg(target_os = "linux")]
#[test]
fn json_to_a_full_disk_or_a_closed_pipe_still_records_the_result() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    for (what, close) in [("full", false), ("pipe", true)] {
        let stdout = if close {
            Stdio::piped()
        } else {
            Stdio::from(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
        };
        let db = dir.join(format!("{what}.db"));
        let (code, stderr) = json_run(&db, &bank, stdout, close);
        assert_eq!(code, Some(0), "{what}: {stderr}");
        assert!(stderr.contains("warning"), "{what}: {stderr}");
        assert!(
            stderr.contains("Your result has been recorded."),
            "{what}: {stderr}"
        );
        let records = stored(&db);
        assert_eq!(records.len(), 1, "{what}");
        assert_eq!(records[0].score, Some(3.0), "{what}: {stderr}");
    }
}

#[test]
fn json_prints_one_document_however_the_quiz_ends() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    let cases: [(&[&str], &str, i32, &str, usize); 5] = [
        (&[], "true\ntrue\ntrue\n", 0, "completed", 3),
        (&[], "true\nquit\n", 130, "stopped", 1),
        (&[], "true\n", 3, "input-ended", 1),
        (&["--name", "Sam"], "true\nquit\n", 130, "stopped", 1),
        (&["--name", "Alex"], "true\ntrue\n", 3, "input-ended", 2),
    ];
    for (extra, stdin, code, status, answered) in cases {
        let out = Sg::new()
            .args(["run", s(&bank), "--json", "--store", s(&db)])
            .args(extra)
            .stdin(stdin)
            .run();
        out.code(code);
        let doc: Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("{status}: not one JSON document ({e}): {}", out.stdout));
        assert_eq!(doc["status"], status, "{doc}");
        assert_eq!(doc["quiz"], "tf", "{doc}");
        assert_eq!(doc["answered"], answered, "{doc}");
    }
}

#[cfg(unix)]
#[test]
fn json_says_not_started_when_the_trainee_declines() {
    use expectrl::{Eof, Expect, Session};
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    // The terminal has its size before the binary starts, which asks it once.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("stty cols 100 rows 40 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_sgquiz"))
        .args(["run", s(&bank), "--json"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut session = Session::spawn(cmd).expect("the binary starts in a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    // The opening screen may take more than one page.
    loop {
        let found = session
            .expect(expectrl::Regex("read on\\.|Start the quiz\\?"))
            .unwrap();
        if found.matches().any(|m| m.starts_with(b"Start")) {
            break;
        }
        session.send("\r").unwrap();
    }
    session.send("n").unwrap();
    session.send("\r").unwrap();
    session.expect("\"status\": \"not-started\"").unwrap();
    session.expect(Eof).unwrap();
}

// 10. An unfinished attempt is offered back; the menu can record.

#[test]
fn a_named_run_offers_to_carry_on_an_unfinished_attempt() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    run_named(&db, &bank, "Sam", &[], "true\nquit\n").code(130);
    let out = run_named(&db, &bank, "sam", &[], "1\ntrue\ntrue\n");
    out.code(0)
        .stdout_has("carry on from question 2, or start again?")
        .stdout_has("1) Carry on from question 2")
        .stdout_has("2) Start again")
        .stdout_has("Your choice (1 to 2)")
        .stdout_has("Score: 3 of 3 (100%)");
    assert!(!out.stdout.contains("Question 1 of 3"), "{}", out.stdout);
    let records = stored(&db);
    assert_eq!(records.len(), 1, "the same attempt, finished");
    assert_eq!(records[0].score, Some(3.0));

    // Starting again begins a new attempt; the unfinished one is not offered again.
    run_named(&db, &bank, "Sam", &[], "true\nquit\n").code(130);
    run_named(&db, &bank, "Sam", &[], "2\nfalse\nfalse\nfalse\n")
        .code(0)
        .stdout_has("Question 1 of 3")
        .stdout_has("Score: 0 of 3");
    let records = stored(&db);
    assert!(records.iter().all(|r| r.is_complete()), "{records:?}");
    assert_eq!(records.len(), 2);
    run_named(&db, &bank, "Sam", &[], "true\ntrue\ntrue\n")
        .code(0)
        .stdout_has("Question 1 of 3");
}

#[test]
fn the_kiosk_offers_a_returning_trainee_their_unfinished_attempt() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    let code = new_session(&db, &bank, &[]);
    let out = Sg::new()
        .args(["session", "kiosk", &code, "--store", s(&db)])
        .stdin("Sam Patel\ntrue\nquit\nSam Patel\n1\ntrue\ntrue\n")
        .run();
    out.code(0)
        .stdout_has("carry on from question 2, or start again?")
        .stdout_has("Score: 3 of 3 (100%)");
    assert!(
        !out.stdout.contains("sgquiz run"),
        "no command a kiosk user cannot run: {}",
        out.stdout
    );
    let records = stored(&db);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].score, Some(3.0));
}

#[test]
fn the_menu_offers_to_record_under_a_name() {
    let dir = tempdir("integrity");
    let db = dir.join("results.db");
    Sg::new()
        .args(["--store", s(&db)])
        .stdin("1\nno\nquit\n")
        .run()
        .code(130)
        .stdout_has("Question 1 of");
    assert!(!db.exists(), "nothing recorded, no store made");
    let out = Sg::new()
        .args(["--store", s(&db)])
        .stdin("1\nyes\nSam Patel\nquit\n")
        .run();
    out.code(130)
        .stdout_has("Your name, for the training record:")
        .stdout_has("Question 1 of");
    let records = stored(&db);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].name, "Sam Patel");
}

// 11 and 13. Erasure: nothing readable afterwards, told first, and no coming back.

/// Every file under `dir` that holds `needle` in its raw bytes, in any letter case.
fn files_holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    let needle = needle.to_lowercase().into_bytes();
    files_under(dir)
        .into_iter()
        .filter(|p| {
            let bytes = std::fs::read(p).unwrap_or_default().to_ascii_lowercase();
            bytes.windows(needle.len()).any(|w| w == needle)
        })
        .collect()
}

#[test]
fn forget_leaves_nothing_of_the_trainee_in_the_database_files() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 30);
    let db = dir.join("store").join("results.db");
    run_named(&db, &bank, "Before Person", &[], &"true\n".repeat(30)).code(0);
    run_named(&db, &bank, "Target Person", &[], &"true\n".repeat(30)).code(0);
    run_named(&db, &bank, "Target Person", &[], &"false\n".repeat(12)).code(3);
    run_named(&db, &bank, "After Person", &[], &"true\n".repeat(30)).code(0);
    assert!(!files_holding(&dir.join("store"), "Target Person").is_empty());
    Sg::new()
        .args([
            "forget",
            "--name",
            "target person",
            "--yes",
            "--store",
            s(&db),
        ])
        .run()
        .code(0)
        .stdout_has("Erased 2 records");
    assert_eq!(
        files_holding(&dir.join("store"), "Target Person"),
        Vec::<PathBuf>::new(),
        "the name is readable in the store's files"
    );
    let names: Vec<String> = stored(&db).into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["Before Person", "After Person"]);
}

/// A report reading the database while `forget` runs: the erasure waits for it, and does not
/// say it is done while older copies are still in the file.
#[test]
fn forget_waits_for_a_reader_before_the_name_is_gone() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 5);
    let db = dir.join("store").join("results.db");
    for name in ["Before Person", "Target Person", "After Person"] {
        run_named(&db, &bank, name, &[], &"true\n".repeat(5)).code(0);
    }
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    let forget = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args([
            "forget",
            "--name",
            "Target Person",
            "--yes",
            "--store",
            s(&db),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(1));
    // The report ends its reading, but keeps the database open.
    reader.execute_batch("COMMIT").unwrap();
    let out = forget.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        files_holding(&dir.join("store"), "Target Person"),
        Vec::<PathBuf>::new(),
        "the name is readable in the store's files"
    );
    drop(reader);
}

#[test]
fn forget_leaves_nothing_of_the_trainee_in_a_folder_store() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let folder = PathBuf::from(format!("{}/", dir.join("shared").display()));
    run_named(&folder, &bank, "Target Person", &[], "true\ntrue\ntrue\n").code(0);
    run_named(&folder, &bank, "Target Person", &[], "true\nquit\n").code(130);
    run_named(&folder, &bank, "Other Person", &[], "true\ntrue\ntrue\n").code(0);
    // What a writer killed before its rename leaves behind.
    let finished = files_under(&folder.join("attempts"));
    let target = finished
        .iter()
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("Target Person")
        })
        .unwrap();
    let half = std::fs::read(target).unwrap();
    std::fs::write(
        folder.join("attempts/.0123abcd.tmp"),
        &half[..half.len() / 2],
    )
    .unwrap();
    std::fs::write(folder.join("incomplete/.4567cdef.tmp"), &half).unwrap();
    Sg::new()
        .args([
            "forget",
            "--name",
            "Target Person",
            "--yes",
            "--store",
            s(&folder),
        ])
        .run()
        .code(0)
        .stdout_has("Erased 2 records");
    assert_eq!(
        files_holding(&dir.join("shared"), "Target Person"),
        Vec::<PathBuf>::new()
    );
    assert_eq!(stored(&folder).len(), 1);
}

#[test]
fn forget_lists_what_it_will_erase_before_asking() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    let code = new_session(&db, &bank, &[]);
    Sg::new()
        .args(["run", "--session", &code, "--store", s(&db)])
        .stdin("Sam Patel\ntrue\ntrue\ntrue\n")
        .run()
        .code(0);
    run_named(&db, &bank, "sam patel", &[], "true\nquit\n").code(130);
    let day = stored(&db)[0].started[..10].to_string();
    let out = Sg::new()
        .args(["forget", "--name", "Sam Patel", "--store", s(&db)])
        .stdin("no\n")
        .run();
    out.code(0).stdout_has("Nothing was erased.");
    let question = out
        .stdout
        .find("Erase all 2 records of Sam Patel?")
        .expect("the question");
    let listing = &out.stdout[..question];
    let lines: Vec<&str> = listing.lines().filter(|l| l.contains(&day)).collect();
    assert_eq!(lines.len(), 2, "one line per record:\n{listing}");
    assert!(
        lines.iter().all(|l| l.contains("tf")),
        "the quiz:\n{listing}"
    );
    assert!(
        lines.iter().any(|l| l.contains(&code)),
        "the session:\n{listing}"
    );
    assert!(
        lines.iter().any(|l| l.contains("no session")),
        "no session:\n{listing}"
    );
    assert_eq!(stored(&db).len(), 2);
}

#[test]
fn an_attempt_erased_while_its_sitting_is_open_does_not_come_back() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    for store in both_stores(&dir) {
        let cwd = tempdir("integrity-cwd");
        let args = ["run", s(&bank), "--name", "Sam", "--store", s(&store)];
        let mut sitting = Sitting::start(&args, &cwd);
        sitting.send("true");
        wait_for_answers(&store, "Sam", 1);
        Sg::new()
            .args(["forget", "--name", "Sam", "--yes", "--store", s(&store)])
            .run()
            .code(0)
            .stdout_has("Erased 1 record of Sam.");
        sitting.send("true");
        sitting.send("true");
        let out = sitting.end();
        out.code(1).stderr_has("erased");
        assert!(stored(&store).is_empty(), "{}", store.display());
        assert!(
            files_under(&cwd).is_empty(),
            "no fallback file brings it back"
        );
    }
}

// 18. Fallback files come back into the store.

#[test]
fn store_import_brings_fallback_files_into_the_store_once() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    for store in both_stores(&dir) {
        let elsewhere = tempdir("integrity-elsewhere").join("results.db");
        // The store has the unfinished attempt; its finish went to a fallback file instead
        // (here made by finishing a copy of the store).
        run_named(&store, &bank, "Sam", &[], "true\nquit\n").code(130);
        let unfinished = stored(&store);
        let copy = tempdir("integrity-copy");
        let copied = if store.to_str().unwrap().ends_with('/') {
            let to = PathBuf::from(format!("{}/", copy.join("shared").display()));
            for sub in ["attempts", "incomplete", "sessions"] {
                std::fs::create_dir_all(to.join(sub)).unwrap();
                for f in files_under(&store.join(sub)) {
                    std::fs::copy(&f, to.join(sub).join(f.file_name().unwrap())).unwrap();
                }
            }
            to
        } else {
            let to = copy.join("results.db");
            let conn = rusqlite::Connection::open(&store).unwrap();
            conn.execute("VACUUM INTO ?", [s(&to)]).unwrap();
            to
        };
        run_named(&copied, &bank, "Sam", &["--resume"], "true\ntrue\n").code(0);
        let finished = stored(&copied);
        assert_eq!(finished[0].id, unfinished[0].id);
        let fallback = dir.join(format!("sgquiz-result-{}.json", finished[0].id));
        std::fs::write(
            &fallback,
            serde_json::to_string_pretty(&finished[0]).unwrap(),
        )
        .unwrap();
        // And another finished attempt, not in the store at all.
        run_named(&elsewhere, &bank, "Alex", &[], "false\ntrue\ntrue\n").code(0);
        let other = stored(&elsewhere);
        let second = dir.join(format!("sgquiz-result-{}.json", other[0].id));
        std::fs::write(&second, serde_json::to_string_pretty(&other[0]).unwrap()).unwrap();

        Sg::new()
            .args([
                "store",
                "import",
                s(&fallback),
                s(&second),
                "--store",
                s(&store),
            ])
            .run()
            .code(0)
            .stdout_has("Imported 2");
        let mut now = stored(&store);
        now.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(now.len(), 2, "{now:?}");
        assert_eq!(now[0], other[0]);
        assert_eq!(now[1], finished[0]);
        // Again: nothing changes.
        Sg::new()
            .args([
                "store",
                "import",
                s(&fallback),
                s(&second),
                "--store",
                s(&store),
            ])
            .run()
            .code(0)
            .stdout_has("already in the store");
        assert_eq!(stored(&store).len(), 2);
        // Something that is not a result is refused, by name, and nothing is imported.
        let junk = dir.join("sgquiz-result-junk.json");
        std::fs::write(&junk, "{\"not\": \"a result\"}").unwrap();
        Sg::new()
            .args(["store", "import", s(&junk), "--store", s(&store)])
            .run()
            .code(1)
            .stderr_has("sgquiz-result-junk.json");
        assert_eq!(stored(&store).len(), 2);
        for f in [fallback, second, junk] {
            std::fs::remove_file(f).unwrap();
        }
    }
}

/// A sitting that ended without letting go (its window closed, its machine switched off) holds
/// the attempt for ten minutes after its last save; after that another sitting may carry on
/// without `--take-over`.
#[cfg(unix)]
#[test]
fn a_hold_lapses_ten_minutes_after_its_last_save() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    for store in both_stores(&dir) {
        let args = ["run", s(&bank), "--name", "Sam", "--store", s(&store)];
        let mut first = Sitting::start(&args, &dir);
        first.send("true");
        wait_for_answers(&store, "Sam", 1);
        first.child.kill().expect("SIGKILL");
        first.child.wait().unwrap();
        run_named(&store, &bank, "Sam", &["--resume"], "true\ntrue\n")
            .code(1)
            .stderr_has("--take-over");
        // Eleven minutes pass (the last save is made to look that old).
        let long_ago = "2020-01-01T09:00:00Z";
        if store.to_str().unwrap().ends_with('/') {
            // The attempt's file, and each line of answers appended to it.
            for file in files_under(&store.join("incomplete")) {
                let text = std::fs::read_to_string(&file).unwrap();
                let aged: Vec<String> = if file.extension().unwrap() == "json" {
                    let mut record: Value = serde_json::from_str(&text).unwrap();
                    record["held"]["saved"] = Value::from(long_ago);
                    vec![record.to_string()]
                } else {
                    text.lines()
                        .map(|line| {
                            let mut line: Value = serde_json::from_str(line).unwrap();
                            line["saved"] = Value::from(long_ago);
                            line.to_string()
                        })
                        .collect()
                };
                std::fs::write(&file, aged.join("\n") + "\n").unwrap();
            }
        } else {
            let conn = rusqlite::Connection::open(&store).unwrap();
            conn.execute("UPDATE attempts SET held_at = ?", [long_ago])
                .unwrap();
            conn.execute("UPDATE answers SET saved = ?", [long_ago])
                .unwrap();
        }
        run_named(&store, &bank, "Sam", &["--resume"], "true\ntrue\n")
            .code(0)
            .stdout_has("Score: 3 of 3 (100%)");
        let records = stored(&store);
        assert_eq!(records.len(), 1);
        assert!(records[0].is_complete() && records[0].held.is_none());
    }
}

/// A store made by the sgquiz before holds (schema version 1) is upgraded in place: every row
/// is kept, its unfinished attempt carries on, and its finished one reports as before.
#[test]
fn a_store_from_before_holds_is_upgraded_without_losing_a_row() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    run_named(&db, &bank, "Alex", &[], "true\ntrue\nfalse\n").code(0);
    run_named(&db, &bank, "Sam", &[], "true\nquit\n").code(130);
    let before = stored(&db);
    // Back to version 1's shape: no hold columns, and no name keys (version 3).
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "ALTER TABLE attempts DROP COLUMN held_by;
         ALTER TABLE attempts DROP COLUMN held_at;
         ALTER TABLE answers DROP COLUMN elapsed;
         ALTER TABLE answers DROP COLUMN saved;
         DROP INDEX attempts_by_name_key;
         ALTER TABLE attempts DROP COLUMN name_key;
         CREATE INDEX attempts_by_name ON attempts (name COLLATE NOCASE);
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    Sg::new()
        .args(["report", "--store", s(&db)])
        .run()
        .code(0)
        .stdout_has("Alex");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, sgquiz::records::store::SCHEMA_VERSION);
    drop(conn);
    assert_eq!(stored(&db), before, "every row kept as it was");
    run_named(&db, &bank, "Sam", &["--resume"], "true\ntrue\n")
        .code(0)
        .stdout_has("carrying on from question 2");
    assert_eq!(stored(&db).len(), 2);
}

/// Each answer is one small write: the database's log grows by a page or so per answer, however
/// long the attempt already is (rewriting the whole attempt each time grew it by the attempt's
/// size: here over 50 pages an answer).
#[test]
fn each_answer_is_one_small_write() {
    use sgquiz::engine::marking::{Answer, Outcome};
    use sgquiz::records::record::{Hold, Record, RecordedQuestion};
    use sgquiz::records::store::Location;

    let dir = tempdir("integrity");
    let db = dir.join("results.db");
    let question = |i: usize| RecordedQuestion {
        id: format!("question-{i}"),
        topic: "general".to_string(),
        kind: "text".to_string(),
        response: Value::from(format!(
            "a long typed answer, number {i}: {}",
            "x".repeat(400)
        )),
        answer: Answer::Text("typed".to_string()),
        outcome: Outcome::Incorrect,
        points: 0.0,
        max_points: 1.0,
    };
    let hold = Hold::new();
    let mut record = Record {
        id: "0123456789abcdef0123456789abcdef".to_string(),
        quiz: "q".to_string(),
        title: "Q".to_string(),
        bank_hash: "0".repeat(64),
        name: "Sam".to_string(),
        session: None,
        started: "2026-09-01T09:00:00Z".to_string(),
        finished: None,
        seed: 1,
        settings: Default::default(),
        order: (0..300).map(|i| format!("question-{i}")).collect(),
        score: None,
        max_score: 300.0,
        percent: None,
        pass_mark: 50.0,
        passed: None,
        duration_seconds: 0,
        questions: Vec::new(),
        held: Some(hold.clone()),
    };
    let mut store = Location::of(&db).open().unwrap();
    store.save(&record).unwrap();
    // A reader keeps its snapshot throughout, so that the log is never started again from the
    // beginning and its growth counts every page written.
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))
        .unwrap();
    let wal = db.with_extension("db-wal");
    let page = 4096 + 24;
    let mut late = 0;
    for i in 0..300 {
        record.questions.push(question(i));
        let before = std::fs::metadata(&wal).map_or(0, |m| m.len());
        store.save_answer(&record, &hold.sitting).unwrap();
        let after = std::fs::metadata(&wal).map_or(0, |m| m.len());
        if i >= 100 {
            late += after.saturating_sub(before) / page;
        }
    }
    // One leaf page per answer, and now and then a split of the tree.
    let average = late as f64 / 200.0;
    assert!(
        average <= 5.0,
        "answers late in the attempt wrote {average} pages each"
    );
    drop(store);
    drop(reader);
    let kept = stored(&db);
    assert_eq!(kept[0].questions.len(), 300);
    assert_eq!(kept[0].questions[299], question(299));
}

/// A named run (or a kiosk) that finds the trainee's unfinished attempt open in another sitting
/// does not offer it: it says so and starts a new attempt, leaving the other sitting's alone.
#[test]
fn an_attempt_open_elsewhere_is_not_offered() {
    let dir = tempdir("integrity");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    let args = ["run", s(&bank), "--name", "Sam", "--store", s(&db)];
    let mut first = Sitting::start(&args, &dir);
    first.send("true");
    wait_for_answers(&db, "Sam", 1);
    let out = run_named(&db, &bank, "Sam", &[], "false\nfalse\nfalse\n");
    out.code(0)
        .stdout_has("is open in another sitting right now, so this is a new attempt")
        .stdout_has("Question 1 of 3")
        .stdout_has("Score: 0 of 3");
    assert!(!out.stdout.contains("carry on from"), "{}", out.stdout);
    first.send("true");
    first.send("true");
    first.end().code(0).stdout_has("Score: 3 of 3 (100%)");
    let mut scores: Vec<Option<f64>> = stored(&db).iter().map(|r| r.score).collect();
    scores.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(scores, [Some(0.0), Some(3.0)]);
}
