//! Recording attempts: what is kept, incomplete attempts and resuming them, the folder store, and
//! a finished attempt that the store will not take.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sgquiz::engine::marking::Outcome;

use crate::support::answers::{FIXTURE_SEED, Want, fixture_script};
use crate::support::{Sg, fixture, stored, tempdir, true_false_bank};

const SEED: u64 = FIXTURE_SEED;

fn fixture_lines(want: Want) -> Vec<String> {
    fixture_script(want, None)
        .lines()
        .map(String::from)
        .collect()
}

fn run(store: &Path, extra: &[&str], stdin: String) -> crate::support::Output {
    let bank = fixture("all-types.toml");
    let mut args = vec![
        "run".to_string(),
        bank.display().to_string(),
        "--seed".to_string(),
        SEED.to_string(),
        "--store".to_string(),
        store.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Sg::new().args(args).stdin(stdin).run()
}

#[test]
fn a_named_run_is_recorded_with_every_answer() {
    let dir = tempdir("rec");
    let db = dir.join("results.db");
    let lines = fixture_lines(Want::Right);
    run(&db, &["--name", "Sam Patel"], lines.join("\n") + "\n")
        .code(0)
        .stdout_has("Score: 7 of 7 (100%)")
        .stdout_has("Your result has been recorded.");
    let records = stored(&db);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.name, "Sam Patel");
    assert_eq!(r.quiz, "all-types");
    assert_eq!(r.seed, SEED);
    assert_eq!(r.session, None);
    assert_eq!(
        (r.score, r.max_score, r.percent),
        (Some(7.0), 7.0, Some(100.0))
    );
    assert_eq!(r.passed, Some(true));
    assert_eq!(r.bank_hash.len(), 64);
    assert_eq!(r.id.len(), 32);
    let finished = r.finished.as_deref().expect("finished");
    assert!(r.started.ends_with('Z') && finished.ends_with('Z'));
    assert!(r.started.as_str() <= finished);
    assert_eq!(r.order.len(), 7);
    let ids: Vec<&str> = r.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, r.order.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(r.questions.iter().all(|q| q.outcome == Outcome::Correct));
    let single = r.questions.iter().find(|q| q.id == "pick-b").unwrap();
    assert_eq!(single.response, "B");
}

#[cfg(unix)]
#[test]
fn the_database_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("rec");
    let db = dir.join("new/folder/results.db");
    let lines = fixture_lines(Want::Right);
    run(&db, &["--name", "Sam"], lines.join("\n") + "\n").code(0);
    let mode = std::fs::metadata(&db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
}

#[test]
fn an_unnamed_run_records_nothing() {
    let dir = tempdir("rec");
    let db = dir.join("results.db");
    run(&db, &[], fixture_lines(Want::Right).join("\n") + "\n").code(0);
    assert!(!db.exists(), "no store is made when nothing is recorded");
}

#[test]
fn record_asks_for_the_name_on_one_line() {
    let dir = tempdir("rec");
    let db = dir.join("results.db");
    let stdin = format!(
        "  Sam   Patel \n{}\n",
        fixture_lines(Want::Wrong).join("\n")
    );
    run(&db, &["--record"], stdin)
        .code(0)
        .stdout_has("Your name, for the training record:")
        .stdout_has("Score: 0 of 7");
    let records = stored(&db);
    assert_eq!(records[0].name, "Sam Patel");
    assert_eq!(records[0].passed, Some(false));
}

#[test]
fn with_json_the_name_prompt_keeps_off_standard_output() {
    let dir = tempdir("rec");
    let db = dir.join("results.db");
    let stdin = format!("Sam\n{}\n", fixture_lines(Want::Right).join("\n"));
    let out = run(&db, &["--record", "--json"], stdin);
    out.code(0)
        .stderr_has("Your name, for the training record:")
        .stderr_has("Your result has been recorded.");
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("only JSON on stdout");
    assert_eq!(doc["score"], 7.0);
}

#[test]
fn an_empty_name_is_refused() {
    let dir = tempdir("rec");
    run(&dir.join("r.db"), &["--name", "   "], String::new())
        .code(1)
        .stderr_has("the trainee's name is empty");
}

#[test]
fn a_stopped_attempt_is_kept_incomplete_and_resumed_where_it_stopped() {
    let dir = tempdir("rec");
    let db = dir.join("results.db");
    let lines = fixture_lines(Want::Right);
    let first = format!("{}\nquit\n", lines[..3].join("\n"));
    run(&db, &["--name", "Sam Patel"], first)
        .code(130)
        .stdout_has("Quiz stopped; no score recorded.")
        .stdout_has("Your 3 answers so far are kept.")
        .stdout_has("--name 'Sam Patel' --resume");
    let records = stored(&db);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert!(!r.is_complete());
    assert_eq!((r.score, r.percent, r.passed), (None, None, None));
    assert_eq!(r.questions.len(), 3);

    // A different seed on the command line does not matter: the stored one is used.
    let rest = format!("{}\n", lines[3..].join("\n"));
    let bank = fixture("all-types.toml");
    let out = Sg::new()
        .args([
            "run",
            bank.to_str().unwrap(),
            "--store",
            db.to_str().unwrap(),
        ])
        .args(["--name", "sam patel", "--resume"])
        .stdin(rest)
        .run();
    out.code(0)
        .stdout_has("You answered 3 of 7 questions last time; carrying on from question 4.")
        .stdout_has("Question 4 of 7")
        .stdout_has("Score: 7 of 7 (100%)");
    assert!(!out.stdout.contains("Question 3 of 7"), "{}", out.stdout);
    let records = stored(&db);
    assert_eq!(records.len(), 1, "the same attempt, finished");
    assert_eq!(records[0].id, r.id);
    assert_eq!(records[0].score, Some(7.0));
    assert_eq!(records[0].questions.len(), 7);
    assert_eq!(records[0].seed, SEED);
}

#[test]
fn input_ending_keeps_the_attempt_incomplete() {
    let dir = tempdir("rec");
    let db = dir.join("results.db");
    let lines = fixture_lines(Want::Right);
    run(&db, &["--name", "Sam"], format!("{}\n", lines[0]))
        .code(3)
        .stderr_has("nothing was scored");
    let records = stored(&db);
    assert_eq!(records.len(), 1);
    assert!(!records[0].is_complete());
    assert_eq!(records[0].questions.len(), 1);
}

#[test]
fn resuming_needs_an_unfinished_attempt_of_an_unchanged_bank() {
    let dir = tempdir("rec");
    let db = dir.join("results.db");
    run(&db, &["--name", "Sam", "--resume"], String::new())
        .code(1)
        .stderr_has("there is no unfinished attempt of all-types by Sam to carry on with");

    let bank = dir.join("bank.toml");
    std::fs::copy(fixture("all-types.toml"), &bank).unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec![
            "run",
            bank.to_str().unwrap(),
            "--store",
            db.to_str().unwrap(),
            "--name",
            "Sam",
        ];
        a.extend_from_slice(extra);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    Sg::new().args(args(&[])).stdin("quit\n").run().code(130);
    let mut text = std::fs::read_to_string(&bank).unwrap();
    text.push_str("\n# edited\n");
    std::fs::write(&bank, text).unwrap();
    Sg::new()
        .args(args(&["--resume"]))
        .run()
        .code(1)
        .stderr_has("has been changed since Sam started it");
}

#[test]
fn a_folder_store_keeps_each_finished_attempt_as_one_file() {
    let dir = tempdir("rec");
    let folder = format!("{}/", dir.join("shared").display());
    let lines = fixture_lines(Want::Right);
    run(
        Path::new(&folder),
        &["--name", "Sam"],
        lines.join("\n") + "\n",
    )
    .code(0);
    let stopped = run(
        Path::new(&folder),
        &["--name", "Alex"],
        "quit\n".to_string(),
    );
    stopped.code(130);
    assert!(
        !stopped.stdout.contains("--resume"),
        "nothing answered, nothing to carry on with"
    );
    let attempts: Vec<_> = std::fs::read_dir(dir.join("shared/attempts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&attempts[0]).unwrap()).unwrap();
    assert_eq!(record["name"], "Sam");
    assert_eq!(record["score"], 7.0);
    let incomplete = std::fs::read_dir(dir.join("shared/incomplete"))
        .unwrap()
        .count();
    assert_eq!(incomplete, 1);
    Sg::new()
        .args(["report", "--store", &folder])
        .run()
        .code(0)
        .stdout_has("Sam")
        .stdout_has("100%");
    let records = stored(&dir.join("shared"));
    assert_eq!(records.len(), 2);
}

/// The store stops taking records mid-quiz: the finished attempt goes to a file of its own.
#[test]
fn a_finished_attempt_is_never_lost() {
    let dir = tempdir("rec");
    let store = dir.join("store");
    let cwd = dir.join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let bank = true_false_bank(&dir, 3);
    let mut child = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args(["run", bank.to_str().unwrap(), "--name", "Sam Patel"])
        .arg("--store")
        .arg(format!("{}/", store.display()))
        .current_dir(&cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"true\n").unwrap();
    stdin.flush().unwrap();
    // Wait until the first answer is saved, then make the store refuse finished attempts.
    let started = Instant::now();
    loop {
        let saved = std::fs::read_dir(store.join("incomplete"))
            .map(|d| d.count())
            .unwrap_or(0);
        if saved > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no progress saved"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::remove_dir_all(store.join("attempts")).unwrap();
    std::fs::write(store.join("attempts"), "not a folder").unwrap();
    stdin.write_all(b"true\ntrue\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("could not be saved to the results store"),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing is lost"), "{stderr}");
    let kept: Vec<_> = std::fs::read_dir(&cwd)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(stderr.contains(&kept[0].display().to_string()), "{stderr}");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&kept[0]).unwrap()).unwrap();
    assert_eq!(record["name"], "Sam Patel");
    assert_eq!(record["score"], 3.0);
    assert_eq!(record["questions"].as_array().unwrap().len(), 3);
    assert!(record["finished"].is_string());
}
