//! Sessions: making one, taking its quiz, closing it, and the kiosk on a shared machine.

use std::path::Path;

use crate::support::{Sg, stored, tempdir, true_false_bank};

/// Makes a session on `bank` and returns its code as printed.
#[track_caller]
fn new_session(store: &Path, bank: &Path, extra: &[&str]) -> String {
    let out = Sg::new()
        .args(["session", "new", "--quiz", bank.to_str().unwrap()])
        .args(["--title", "INSET day, September"])
        .args(["--store", store.to_str().unwrap()])
        .args(extra)
        .run();
    out.code(0)
        .stdout_has("Each trainee joins with:   sgquiz run --session ");
    let line = out.stdout.lines().next().unwrap();
    let code = line
        .strip_prefix("Session code: ")
        .unwrap_or_else(|| panic!("first line: {line}"))
        .to_string();
    assert_eq!(code.len(), 7, "{code}");
    assert_eq!(&code[3..4], "-");
    assert!(
        code.chars()
            .filter(|&c| c != '-')
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
        "{code}"
    );
    assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
    code
}

#[track_caller]
fn run_session(store: &Path, code: &str, stdin: &str) -> crate::support::Output {
    Sg::new()
        .args(["run", "--session", code, "--store", store.to_str().unwrap()])
        .stdin(stdin)
        .run()
}

#[test]
fn a_session_records_its_trainees_and_keeps_its_bank() {
    let dir = tempdir("session");
    let db = dir.join("results.db");
    let bank = true_false_bank(&dir, 3);
    let code = new_session(&db, &bank, &[]);
    // Editing (here, breaking) the bank file afterwards does not change the session's quiz.
    std::fs::write(&bank, "this is no longer a bank").unwrap();
    run_session(&db, &code, "Sam Patel\ntrue\ntrue\ntrue\n")
        .code(0)
        .stdout_has("Your name, for the training record:")
        .stdout_has("Statement 3.")
        .stdout_has("Score: 3 of 3 (100%)");
    // Lower case and no hyphen work too.
    let typed = code.replace('-', "").to_lowercase();
    run_session(&db, &typed, "Alex Jones\nfalse\nfalse\nfalse\n").code(0);
    let records = stored(&db);
    assert_eq!(records.len(), 2);
    let plain_code = code.replace('-', "");
    assert!(
        records
            .iter()
            .all(|r| r.session.as_deref() == Some(plain_code.as_str()))
    );
    Sg::new()
        .args([
            "report",
            "--session",
            &code,
            "--store",
            db.to_str().unwrap(),
        ])
        .run()
        .code(0)
        .stdout_has("Sam Patel")
        .stdout_has("Alex Jones");
    Sg::new()
        .args(["session", "list", "--store", db.to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has(&code)
        .stdout_has("INSET day, September")
        .stdout_has("open");
}

#[test]
fn the_session_sets_the_pass_mark_and_review_at_end() {
    let dir = tempdir("session");
    let db = dir.join("results.db");
    let bank = true_false_bank(&dir, 3);
    let code = new_session(&db, &bank, &["--pass-mark", "100", "--review-at-end"]);
    let out = run_session(&db, &code, "Sam\ntrue\ntrue\nfalse\n");
    out.code(0)
        .stdout_has("pass mark 100%")
        .stdout_has("Review of your answers")
        .stdout_has("\nNot passed this time.");
    let review = out.stdout.find("Review of your answers").unwrap();
    assert!(!out.stdout[..review].contains("Correct ("));
    assert!(out.stdout[..review].contains("Feedback is held back until the end"));
    assert_eq!(stored(&db)[0].passed, Some(false));
    Sg::new()
        .args(["session", "new", "--quiz", bank.to_str().unwrap()])
        .args(["--title", "T", "--pass-mark", "150"])
        .args(["--store", db.to_str().unwrap()])
        .run()
        .code(1)
        .stderr_has("--pass-mark must be a percentage from 0 to 100");
}

#[test]
fn a_closed_session_takes_no_new_attempts() {
    let dir = tempdir("session");
    let db = dir.join("results.db");
    let bank = true_false_bank(&dir, 3);
    let code = new_session(&db, &bank, &[]);
    Sg::new()
        .args(["session", "close", &code, "--store", db.to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has("is closed: it takes no new attempts");
    run_session(&db, &code, "Sam\ntrue\ntrue\ntrue\n")
        .code(1)
        .stderr_has("was closed on")
        .stderr_has("takes no new attempts");
    assert!(stored(&db).is_empty());
    Sg::new()
        .args(["session", "list", "--store", db.to_str().unwrap()])
        .run()
        .code(0)
        .stdout_has("closed 20");
    run_session(&db, "ABC-DEF", "")
        .code(1)
        .stderr_has("there is no session ABC-DEF");
    Sg::new()
        .args([
            "report",
            "--session",
            "ABC-DEF",
            "--store",
            db.to_str().unwrap(),
        ])
        .run()
        .code(1)
        .stderr_has("there is no session ABC-DEF");
    let nowhere = dir.join("nowhere.db");
    run_session(&nowhere, "ABC-DEF", "")
        .code(1)
        .stderr_has("there is no results store at");
    assert!(!nowhere.exists(), "no empty store is made by mistake");
    run_session(&db, "nonsense", "")
        .code(1)
        .stderr_has("`nonsense` is not a session code");
}

#[test]
fn the_kiosk_takes_trainee_after_trainee_and_separates_them() {
    let dir = tempdir("session");
    let db = dir.join("results.db");
    let bank = true_false_bank(&dir, 2);
    let code = new_session(&db, &bank, &[]);
    let out = Sg::new()
        .args(["session", "kiosk", &code, "--store", db.to_str().unwrap()])
        .stdin("Sam Patel\ntrue\ntrue\nAlex Jones\nfalse\nquit\n")
        .run();
    out.code(0)
        .stdout_has("Next trainee.")
        .stdout_has("The kiosk has closed.");
    // Nothing of the first trainee follows the separator.
    let split = out.stdout.find("Next trainee.").unwrap();
    let (first, second) = out.stdout.split_at(split);
    assert!(first.contains("Score: 2 of 2"), "{first}");
    assert!(!second.contains("Sam Patel"), "{second}");
    assert!(!second.contains("Score: 2 of 2"), "{second}");
    let records = stored(&db);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].name, "Sam Patel");
    assert_eq!(records[0].score, Some(2.0));
    assert_eq!(records[1].name, "Alex Jones");
    assert!(!records[1].is_complete(), "Alex stopped part way");
}
