//! Records a school can trust (issue 9): the bank version on every report, no false all-clear
//! from a mistyped store, names that match as people read them, hostile text kept harmless, and
//! files and stores that are never half-written, overwritten or mistaken for something else.
//!
//! Everything here drives the binary; folder-store records are written as the JSON files the
//! store keeps, so these tests do not depend on the library's module layout.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Output, Sg, stored, tempdir, true_false_bank};

fn p(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Takes `bank` under `name`, recording into `store`, with `stdin` as the answer lines.
fn record(store: &Path, bank: &Path, name: &str, stdin: impl Into<Vec<u8>>) -> Output {
    Sg::new()
        .args(["run", p(bank), "--name", name, "--store", p(store)])
        .stdin(stdin)
        .run()
}

fn report(store: &Path, args: &[&str]) -> Output {
    Sg::new()
        .args(["report", "--store", p(store)])
        .args(args)
        .run()
}

fn json_rows(out: &Output) -> Vec<Value> {
    serde_json::from_str(&out.code(0).stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.stdout))
}

/// A one-question bank whose question takes a typed answer, so that whatever is typed is kept.
fn typed_bank(dir: &Path) -> PathBuf {
    write(
        dir,
        "typed.toml",
        "format = 1\n[quiz]\nid = \"typed\"\ntitle = \"Typed\"\npass_mark = 0\n\
         [[question]]\nid = \"say\"\ntype = \"text\"\nprompt = \"Type anything.\"\n\
         accept = [\"right\"]\nexplanation = \"Any answer will do.\"\nreference = \"None\"\n",
    )
}

/// A finished attempt as the folder store keeps it.
fn folder_record(id: &str, name: &str, quiz: &str, bank_hash: &str, passed: bool) -> Value {
    let score = if passed { 1.0 } else { 0.0 };
    json!({
        "id": id,
        "quiz": quiz,
        "title": "A quiz",
        "bank_hash": bank_hash,
        "name": name,
        "started": "2026-09-01T09:00:00Z",
        "finished": "2026-09-01T09:05:00Z",
        "seed": 1,
        "settings": {},
        "order": ["a"],
        "score": score,
        "max_score": 1.0,
        "percent": score * 100.0,
        "pass_mark": 50.0,
        "passed": passed,
        "duration_seconds": 300,
        "questions": [{
            "id": "a",
            "topic": "general",
            "type": "true_false",
            "response": passed,
            "answer": {"bool": passed},
            "outcome": if passed { "correct" } else { "incorrect" },
            "points": score,
            "max_points": 1.0
        }]
    })
}

/// Runs `cmd` (its output piped), failing the test if it has not finished in 30 seconds: the
/// point of these tests is that nothing hangs.
#[track_caller]
fn within_time(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} was still running after 30 seconds");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn sgquiz(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sgquiz"));
    cmd.env(
        "SGQUIZ_STORE",
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("forgotten-store.db"),
    );
    cmd.env_remove("COLUMNS").env("NO_COLOR", "1").args(args);
    cmd
}

// ---------------------------------------------------------------------------------------------
// 3. Results from a different bank do not count as the real quiz.

/// A bank that borrows the id of the bundled *Words matter* and passes everyone.
const IMPOSTOR: &str = "format = 1\n[quiz]\nid = \"words-matter\"\ntitle = \"Words matter\"\n\
                        pass_mark = 0\n[[question]]\nid = \"easy\"\ntype = \"true_false\"\n\
                        prompt = \"Say true.\"\nanswer = true\nexplanation = \"True.\"\n\
                        reference = \"None\"\n";

/// The hash of the bundled *Words matter*, as a session made on it keeps it.
fn bundled_hash(dir: &Path) -> String {
    let folder = dir.join("hash-probe");
    Sg::new()
        .args([
            "session",
            "new",
            "--quiz",
            "words-matter",
            "--title",
            "Probe",
        ])
        .args(["--store", &format!("{}/", p(&folder))])
        .run()
        .code(0);
    let session = std::fs::read_dir(folder.join("sessions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let session: Value = serde_json::from_str(&std::fs::read_to_string(session).unwrap()).unwrap();
    session["bank_hash"].as_str().unwrap().to_string()
}

#[test]
fn reports_carry_the_bank_version_and_mark_a_bank_that_is_not_the_bundled_one() {
    let dir = tempdir("safety");
    let db = dir.join("results.db");
    let impostor = write(&dir, "impostor.toml", IMPOSTOR);
    record(&db, &impostor, "Sam Patel", "true\n").code(0);
    let short = &sha256(IMPOSTOR)[..12];

    let rows = json_rows(&report(&db, &["--format", "json"]));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["bank_version"], *short, "{rows:?}");

    let csv = report(&db, &["--format", "csv"]);
    let mut lines = csv.code(0).stdout.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .split(',')
            .any(|h| h == "bank_version"),
        "{}",
        csv.stdout
    );
    assert!(lines.next().unwrap().contains(short), "{}", csv.stdout);

    let table = report(&db, &[]);
    table
        .code(0)
        .stdout_has("BANK")
        .stdout_has("other text: taken on a bank whose text differs from the bundled quiz");
    let row = table.stdout.lines().find(|l| l.starts_with("Sam")).unwrap();
    assert!(row.ends_with("other text"), "{row}");

    let due = json_rows(&report(&db, &["--due", "12m", "--format", "json"]));
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0]["name"], "Sam Patel");
    assert_eq!(due[0]["last_passed"], Value::Null);
    assert_eq!(due[0]["bank_version"], *short, "{due:?}");
}

#[test]
fn the_refresher_list_counts_a_pass_only_from_a_recognised_bank() {
    let dir = tempdir("safety");
    let folder = dir.join("shared");
    for sub in ["attempts", "incomplete", "sessions"] {
        std::fs::create_dir_all(folder.join(sub)).unwrap();
    }
    let bundled = bundled_hash(&dir);
    let other = "ab".repeat(32);
    let put = |id: &str, name: &str, quiz: &str, hash: &str| {
        let path = folder.join("attempts").join(format!("{id}.json"));
        let text = serde_json::to_string(&folder_record(id, name, quiz, hash, true)).unwrap();
        std::fs::write(path, text).unwrap();
    };
    // A pass of the bundled text counts; one of the same id from another bank does not.
    put("a1", "Alex Jones", "words-matter", &bundled);
    put("a2", "Sam Patel", "words-matter", &other);
    // A trainer's own bank counts once the trainer names its version.
    put("a3", "Kim Lee", "own-bank", &"cd".repeat(32));

    let shared = format!("{}/", p(&folder));
    let due = json_rows(&report(
        Path::new(&shared),
        &["--due", "12m", "--format", "json"],
    ));
    let names: Vec<&str> = due.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Kim Lee", "Sam Patel"], "{due:?}");

    let table = report(Path::new(&shared), &["--due", "12m"]);
    table.code(0).stdout_has("--bank");

    let due = json_rows(&report(
        Path::new(&shared),
        &["--due", "12m", "--format", "json", "--bank", "cdcdcdcdcdcd"],
    ));
    let names: Vec<&str> = due.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Sam Patel"], "{due:?}");

    let due = json_rows(&report(
        Path::new(&shared),
        &[
            "--due",
            "12m",
            "--format",
            "json",
            "--bank",
            "cdcdcdcdcdcd",
            "--bank",
            &other[..12],
        ],
    ));
    assert!(due.is_empty(), "{due:?}");

    report(Path::new(&shared), &["--due", "12m", "--bank", "xyz"])
        .code(1)
        .stderr_has("--bank");
}

// ---------------------------------------------------------------------------------------------
// 4. Points that are not finite, or whose total overflows, are refused by `check`.

fn points_bank(points: &str) -> String {
    let mut text = String::from("format = 1\n[quiz]\nid = \"big\"\ntitle = \"Big\"\n");
    for i in 1..=2 {
        text.push_str(&format!(
            "[[question]]\nid = \"q{i}\"\ntype = \"true_false\"\nprompt = \"Say true.\"\n\
             answer = true\npoints = {points}\nexplanation = \"True.\"\nreference = \"None\"\n"
        ));
    }
    text
}

#[test]
fn check_refuses_points_that_are_not_finite_or_too_large() {
    let dir = tempdir("safety");
    for points in ["1e308", "inf", "nan", "+inf", "1001"] {
        let bank = write(&dir, "big.toml", &points_bank(points));
        let out = Sg::new().args(["check", p(&bank)]).run();
        out.code(1).stdout_has("`points`");
        assert!(out.stdout.contains("error"), "{points}: {}", out.stdout);
        record(&dir.join("results.db"), &bank, "Sam", "true\ntrue\n").code(1);
    }
    let bank = write(&dir, "big.toml", &points_bank("1000"));
    Sg::new().args(["check", p(&bank)]).run().code(0);
    record(&dir.join("results.db"), &bank, "Sam", "true\ntrue\n")
        .code(0)
        .stdout_has("Score: 2000 of 2000 (100%)");
}

// ---------------------------------------------------------------------------------------------
// 7. No false all-clear from a store that does not exist.

#[test]
fn reading_commands_refuse_a_store_that_does_not_exist() {
    let dir = tempdir("safety");
    for missing in [dir.join("schol.db"), dir.join("nowhere/")] {
        let commands: [&[&str]; 6] = [
            &["report"],
            &["report", "--due", "12m"],
            &["report", "--questions"],
            &["report", "--format", "json"],
            &["session", "list"],
            &["forget", "--name", "Sam Patel", "--yes"],
        ];
        for args in commands {
            let out = Sg::new().args(args).args(["--store", p(&missing)]).run();
            out.code(1).stderr_has(p(&missing));
            assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
            assert!(!missing.exists(), "{args:?} made {}", missing.display());
        }
        // The same from SGQUIZ_STORE.
        Sg::new()
            .env("SGQUIZ_STORE", p(&missing))
            .args(["report", "--due", "12m"])
            .run()
            .code(1)
            .stderr_has(p(&missing));
    }
}

#[test]
fn every_table_report_ends_by_naming_its_store_and_how_many_attempts_it_holds() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 2);
    for store in [dir.join("results.db"), dir.join("shared/")] {
        record(&store, &bank, "Sam Patel", "true\ntrue\n").code(0);
        record(&store, &bank, "Alex Jones", "true\ntrue\n").code(0);
        record(&store, &bank, "Kim Lee", "true\nquit\n").code(130);
        let last = format!("Results store: {} (3 attempts in all).", store.display());
        let reports: [&[&str]; 5] = [
            &[],
            &["--questions"],
            &["--due", "12m"],
            &["--name", "Nobody"],
            &["--questions", "--name", "Nobody"],
        ];
        for args in reports {
            let out = report(&store, args);
            out.code(0);
            assert_eq!(
                out.stdout.lines().last(),
                Some(last.as_str()),
                "{args:?}:\n{}",
                out.stdout
            );
        }
        // CSV and JSON stay machine-readable.
        let csv = report(&store, &["--format", "csv"]);
        assert!(
            !csv.code(0).stdout.contains("Results store"),
            "{}",
            csv.stdout
        );
        json_rows(&report(&store, &["--format", "json"]));
    }
    let one = dir.join("one.db");
    record(&one, &bank, "Sam Patel", "true\ntrue\n").code(0);
    let out = report(&one, &[]);
    assert_eq!(
        out.stdout.lines().last().unwrap(),
        format!("Results store: {} (1 attempt in all).", one.display())
    );
}

// ---------------------------------------------------------------------------------------------
// 8. The folder store: an unreadable record is skipped and named; a vanished one is skipped.

#[test]
fn a_folder_store_skips_unreadable_records_names_them_and_still_forgets() {
    let dir = tempdir("safety");
    let folder = dir.join("shared");
    let bank = true_false_bank(&dir, 2);
    record(&folder.join(""), &bank, "Sam Patel", "true\ntrue\n").code(0);
    record(&folder.join(""), &bank, "Alex Jones", "false\nfalse\n").code(0);
    let attempts = folder.join("attempts");
    std::fs::write(attempts.join("0000000000000000000000000000e001.json"), "").unwrap();
    std::fs::write(
        attempts.join("0000000000000000000000000000e002.json"),
        "{\"id\": \"0000",
    )
    .unwrap();
    // What the bank of point 4 wrote: an infinite maximum, kept as null.
    let mut infinite = folder_record("0000000000000000000000000000e003", "X", "tf", "0", true);
    infinite["max_score"] = Value::Null;
    std::fs::write(
        attempts.join("0000000000000000000000000000e003.json"),
        infinite.to_string(),
    )
    .unwrap();
    let unreadable = [
        "0000000000000000000000000000e001.json",
        "0000000000000000000000000000e002.json",
        "0000000000000000000000000000e003.json",
    ];
    let reports: [(&[&str], &str); 4] = [
        (&[], "Alex Jones"),
        (&["--format", "json"], "Alex Jones"),
        (&["--questions"], "q1"),
        (&["--due", "12m", "--bank", "0000000"], "Alex Jones"),
    ];
    for (args, shown) in reports {
        let out = report(&folder, args);
        out.code(0).stdout_has(shown).stderr_has("warning");
        for name in unreadable {
            out.stderr_has(name);
        }
    }
    Sg::new()
        .args(["session", "list", "--store", p(&folder)])
        .run()
        .code(0);
    Sg::new()
        .args([
            "forget",
            "--name",
            "Sam Patel",
            "--yes",
            "--store",
            p(&folder),
        ])
        .run()
        .code(0)
        .stdout_has("Erased 1 record of Sam Patel.");
    let left: Vec<String> = std::fs::read_dir(&attempts)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !unreadable.contains(&n.as_str()))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn records_removed_while_a_report_reads_are_skipped_without_a_word() {
    let dir = tempdir("safety");
    let folder = dir.join("shared");
    let bank = true_false_bank(&dir, 1);
    record(&folder.join(""), &bank, "Sam Patel", "true\n").code(0);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Another machine's trainees: attempts that appear (written, then renamed into place) and
    // go again, as an unfinished attempt's file does when it is finished.
    let churn = {
        let (folder, stop) = (folder.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut live = std::collections::VecDeque::new();
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let id = format!("{n:032x}");
                let body = folder_record(&id, &format!("Churn {n}"), "tf", "0", true);
                for sub in ["incomplete", "attempts"] {
                    let temp = folder.join(sub).join(format!(".{id}.tmp"));
                    std::fs::write(&temp, body.to_string()).unwrap();
                    let path = folder.join(sub).join(format!("{id}.json"));
                    std::fs::rename(&temp, &path).unwrap();
                    live.push_back(path);
                }
                while live.len() > 300 {
                    let _ = std::fs::remove_file(live.pop_front().unwrap());
                }
                n += 1;
            }
        })
    };
    for _ in 0..40 {
        let out = report(&folder, &["--format", "json"]);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        assert!(out.stderr.is_empty(), "{}", out.stderr);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
}

// ---------------------------------------------------------------------------------------------
// 9. The join line works as printed elsewhere; a store can be made for a group.

/// Splits a line as a POSIX shell would, for the quoting sgquiz prints (single quotes).
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut in_word, mut quoted) = (false, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                in_word = true;
            }
            '\\' if !quoted => {
                word.extend(chars.next());
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                }
                in_word = false;
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// The command after `label` in `session new`'s output, as words.
fn printed_command(stdout: &str, label: &str) -> Vec<String> {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{stdout}"));
    let words = shell_words(line.trim());
    assert_eq!(words[0], "sgquiz", "{line}");
    words
}

/// Runs a command sgquiz printed (`words`, starting with `sgquiz`), with `extra` arguments, as
/// typed on another machine: in another folder, with no SGQUIZ_STORE and another home.
fn typed_elsewhere(
    words: &[String],
    extra: &[&str],
    elsewhere: &Path,
    stdin: &[u8],
) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args(&words[1..])
        .args(extra)
        .current_dir(elsewhere)
        .env_remove("SGQUIZ_STORE")
        .env("HOME", elsewhere)
        .env("XDG_DATA_HOME", elsewhere)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.as_ref().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_join_line_works_as_printed_from_another_folder() {
    let dir = tempdir("safety");
    let elsewhere = tempdir("safety-elsewhere");
    let bank = true_false_bank(&dir, 2);
    // Given as a relative path, and through SGQUIZ_STORE: neither is there on another machine.
    let mut from_flag = sgquiz(&["session", "new", "--quiz", p(&bank), "--title", "INSET"]);
    from_flag
        .args(["--store", "shared store/"])
        .current_dir(&dir);
    let mut from_env = sgquiz(&["session", "new", "--quiz", p(&bank), "--title", "INSET"]);
    from_env.env("SGQUIZ_STORE", dir.join("env.db"));
    for (made, store) in [
        (from_flag, dir.join("shared store")),
        (from_env, dir.join("env.db")),
    ] {
        let made = within_time(made);
        made.code(0);
        let join = printed_command(&made.stdout, "Each trainee joins with:");
        let out = typed_elsewhere(&join, &[], &elsewhere, b"Sam Patel\ntrue\ntrue\n");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{join:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stored(&store).len(), 1, "{join:?}");
        for label in ["On one shared machine:", "Results afterwards:"] {
            let words = printed_command(&made.stdout, label);
            assert!(words.contains(&"--store".to_string()), "{words:?}");
        }
    }
}

/// The command printed for carrying on a stopped attempt names the store it was recorded in,
/// in full, so that typed as printed (from another folder, without SGQUIZ_STORE) it carries
/// on there and not in the default store.
#[test]
fn the_resume_hint_works_as_printed_from_another_folder() {
    let dir = tempdir("safety");
    let elsewhere = tempdir("safety-elsewhere");
    let bank = true_false_bank(&dir, 2);
    let run = ["run", p(&bank), "--plain", "--name", "Sam Patel"];
    let mut from_flag = sgquiz(&run);
    from_flag
        .args(["--store", "shared store/"])
        .current_dir(&dir);
    let mut from_env = sgquiz(&run);
    from_env.env("SGQUIZ_STORE", dir.join("env.db"));
    for (mut stopped, store) in [
        (from_flag, dir.join("shared store")),
        (from_env, dir.join("env.db")),
    ] {
        let mut child = stopped
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"true\nquit\n")
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let hint = stdout
            .lines()
            .skip_while(|l| !l.ends_with("To carry on later where you stopped:"))
            .nth(1)
            .unwrap_or_else(|| panic!("no hint in:\n{stdout}"));
        let words = shell_words(hint.trim());
        assert_eq!(words[0], "sgquiz", "{hint}");
        assert!(words.contains(&"--store".to_string()), "{hint}");
        let out = typed_elsewhere(&words, &["--plain"], &elsewhere, b"true\n");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{hint}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let records = stored(&store);
        assert_eq!(records.len(), 1, "{hint}");
        assert!(records[0].is_complete() && records[0].questions.len() == 2);
    }
}

#[cfg(unix)]
#[test]
fn a_store_for_several_accounts_can_be_made_group_shared() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 1);
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o7777;
    for store in [dir.join("group/"), dir.join("group.db")] {
        let made = Sg::new()
            .args(["session", "new", "--quiz", p(&bank), "--title", "INSET"])
            .args(["--store", p(&store), "--group-shared"])
            .run();
        made.code(0);
        assert_eq!(mode(&store) & 0o060, 0o060, "{:o}", mode(&store));
        assert_eq!(mode(&store) & 0o007, 0, "{:o}", mode(&store));
        let code = made
            .stdout
            .lines()
            .next()
            .unwrap()
            .replace("Session code: ", "");
        Sg::new()
            .args(["run", "--session", &code, "--store", p(&store)])
            .stdin("Sam Patel\ntrue\n")
            .run()
            .code(0);
        if store.is_dir() {
            assert_eq!(mode(&store) & 0o070, 0o070, "{:o}", mode(&store));
            for sub in ["attempts", "incomplete", "sessions"] {
                let sub = store.join(sub);
                assert_eq!(
                    mode(&sub) & 0o070,
                    0o070,
                    "{}: {:o}",
                    sub.display(),
                    mode(&sub)
                );
                for file in std::fs::read_dir(&sub).unwrap() {
                    let file = file.unwrap().path();
                    assert_eq!(mode(&file) & 0o060, 0o060, "{}", file.display());
                }
            }
        }
    }
    // Without the option a new store stays its owner's alone.
    let private = dir.join("private/");
    Sg::new()
        .args(["session", "new", "--quiz", p(&bank), "--title", "INSET"])
        .args(["--store", p(&private)])
        .run()
        .code(0);
    assert_eq!(mode(&private) & 0o077, 0);
}

// ---------------------------------------------------------------------------------------------
// 12. Names are normalised and compared with Unicode case folding.

#[test]
fn names_are_normalised_and_matched_with_unicode_case_folding() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 1);
    for store in [dir.join("results.db"), dir.join("shared/")] {
        record(&store, &bank, "ÉLODIE Martin", "true\n").code(0);
        record(&store, &bank, "élodie martin", "true\n").code(0);
        // The same name decomposed (NFD), and saved with a byte-order mark and a zero-width space.
        record(&store, &bank, "Jose\u{301}  Diaz", "true\n").code(0);
        record(&store, &bank, "\u{feff}José\u{200b} Diaz ", "true\n").code(0);
        record(&store, &bank, "Anna Weiß", "true\n").code(0);

        // (A folder store orders attempts started in the same second by id.)
        let mut names: Vec<String> = stored(&store).into_iter().map(|r| r.name).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "Anna Weiß",
                "José Diaz",
                "José Diaz",
                "ÉLODIE Martin",
                "élodie martin",
            ],
            "{}",
            store.display()
        );

        let rows = json_rows(&report(&store, &["--format", "json"]));
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(
            rows.iter()
                .all(|r| r["attempts"] == 2 || r["name"] == "Anna Weiß")
        );

        for (asked, found) in [
            ("élodie MARTIN", 2),
            ("\u{feff}JOSE\u{301} DIAZ", 2),
            ("ANNA WEISS", 1),
        ] {
            let rows = json_rows(&report(&store, &["--name", asked, "--format", "json"]));
            assert_eq!(rows.len(), 1, "{asked:?}: {rows:?}");
            assert_eq!(rows[0]["attempts"], found, "{asked:?}: {rows:?}");
        }

        Sg::new()
            .args([
                "forget",
                "--name",
                "élodie martin",
                "--yes",
                "--store",
                p(&store),
            ])
            .run()
            .code(0)
            .stdout_has("Erased 2 records");
        Sg::new()
            .args([
                "forget",
                "--name",
                "josé diaz",
                "--yes",
                "--store",
                p(&store),
            ])
            .run()
            .code(0)
            .stdout_has("Erased 2 records");
        assert_eq!(stored(&store).len(), 1);
    }
}

#[test]
fn a_name_of_only_invisible_characters_is_refused() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 1);
    let db = dir.join("results.db");
    for name in ["\u{200b}\u{feff}", " \u{2060} \u{00ad} ", "\u{202e}"] {
        record(&db, &bank, name, "true\n")
            .code(1)
            .stderr_has("the trainee's name is empty");
    }
}

// ---------------------------------------------------------------------------------------------
// 14. Hostile text: typed answers, U+061C, JSON export, and what `check` prints.

fn has_raw_controls(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\r')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}')
    })
}

#[test]
fn control_characters_in_typed_answers_are_escaped_when_recorded() {
    let dir = tempdir("safety");
    let bank = typed_bank(&dir);
    let db = dir.join("results.db");
    let typed = "evil\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}31m\u{202e}\u{61c}end";
    let run = record(&db, &bank, "Sam Patel", format!("{typed}\n"));
    run.code(0);
    assert!(!has_raw_controls(&run.stdout), "{:?}", run.stdout);
    let records = stored(&db);
    assert_eq!(
        records[0].questions[0].response,
        json!("evil\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\x9b31m\\x202e\\x61cend")
    );
    for format in ["csv", "json", "table"] {
        let out = report(&db, &["--questions", "--format", format]);
        out.code(0).stdout_has("evil");
        assert!(!has_raw_controls(&out.stdout), "{format}: {:?}", out.stdout);
    }
}

#[test]
fn u061c_is_escaped_like_the_other_bidi_controls() {
    let dir = tempdir("safety");
    let bank = write(
        &dir,
        "mark.toml",
        "format = 1\n[quiz]\nid = \"mark\"\ntitle = \"Mark\"\n[[question]]\nid = \"q\"\n\
         type = \"true_false\"\nprompt = \"Before\\u061Cafter.\"\nanswer = true\n\
         explanation = \"True.\"\nreference = \"None\"\n",
    );
    let out = Sg::new().args(["run", p(&bank)]).stdin("true\n").run();
    out.code(0).stdout_has("Before\\x61cafter.");
    assert!(!out.stdout.contains('\u{61c}'));
}

#[test]
fn json_export_escapes_c1_controls_and_bidi_overrides() {
    let dir = tempdir("safety");
    let prompt = "a\\u0085b\\u009Bc\\u202Ed\\u2066e\\u061Cf\\u200Fg";
    let bank = write(
        &dir,
        "hostile.toml",
        &format!(
            "format = 1\n[quiz]\nid = \"hostile\"\ntitle = \"Hostile\"\n[[question]]\nid = \"q\"\n\
             type = \"true_false\"\nprompt = \"{prompt}\"\nanswer = true\n\
             explanation = \"True.\"\nreference = \"None\"\n"
        ),
    );
    let out = Sg::new()
        .args(["export", p(&bank), "--format", "json"])
        .run();
    out.code(0);
    assert!(!has_raw_controls(&out.stdout), "{:?}", out.stdout);
    assert!(!out.stdout.contains('\u{200f}'), "{:?}", out.stdout);
    out.stdout_has("\\u009b")
        .stdout_has("\\u202e")
        .stdout_has("\\u061c");
    // Escaped, not changed: it reads back as the same text.
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        value["question"][0]["prompt"],
        "a\u{85}b\u{9b}c\u{202e}d\u{2066}e\u{61c}f\u{200f}g"
    );
}

#[cfg(unix)]
#[test]
fn check_shows_hostile_file_names_escaped() {
    let dir = tempdir("safety");
    let banks = dir.join("banks");
    std::fs::create_dir(&banks).unwrap();
    let text = "format = 1\n[quiz]\nid = \"same\"\ntitle = \"Same\"\n[[question]]\nid = \"q\"\n\
                type = \"true_false\"\nprompt = \"P.\"\nanswer = true\nexplanation = \"E.\"\n\
                reference = \"R\"\n";
    write(&banks, "a\u{1b}]0;owned\u{7}\u{202e}.toml", text);
    write(&banks, "b.toml", text);
    write(&banks, "c\u{1b}[2J.toml", "not = [a bank");
    for format in ["text", "json"] {
        let out = Sg::new()
            .args(["check", p(&banks), "--format", format])
            .run();
        out.code(1)
            .stdout_has("is also used by")
            .stdout_has("\\x1b");
        assert!(!has_raw_controls(&out.stdout), "{format}: {:?}", out.stdout);
        assert!(!has_raw_controls(&out.stderr), "{format}: {:?}", out.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// 15. Limits on what is typed and read.

#[test]
fn a_typed_answer_or_a_session_title_over_2000_characters_is_refused() {
    let dir = tempdir("safety");
    let bank = typed_bank(&dir);
    let db = dir.join("results.db");
    let long = "é".repeat(2001);
    record(&db, &bank, "Sam Patel", format!("{long}\nright\n"))
        .code(0)
        .stdout_has("could not read that answer")
        .stdout_has("2,000 characters");
    assert_eq!(stored(&db)[0].questions[0].response, json!("right"));
    // 2,000 is allowed.
    let most = "é".repeat(2000);
    record(&db, &bank, "Alex Jones", format!("{most}\n")).code(0);
    assert_eq!(stored(&db)[1].questions[0].response, json!(most));

    Sg::new()
        .args([
            "session",
            "new",
            "--quiz",
            p(&bank),
            "--title",
            &"t".repeat(2001),
        ])
        .args(["--store", p(&db)])
        .run()
        .code(1)
        .stderr_has("2,000 characters");
}

#[test]
fn a_plain_line_too_long_or_not_utf8_is_asked_for_again() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 2);
    let mut input = vec![b'1'; 70 * 1024];
    input.extend_from_slice(b"\ntrue\n\xff\xfe broken\ntrue\n");
    let out = Sg::new()
        .args(["--plain", "run", p(&bank)])
        .stdin(input)
        .run();
    out.code(0).stdout_has("Score: 2 of 2 (100%)");
    assert_eq!(
        out.stdout
            .matches("could not read that answer, try again")
            .count(),
        2,
        "{}",
        &out.stdout[out.stdout.len().saturating_sub(3000)..]
    );
}

#[test]
fn a_refused_name_from_piped_input_ends_with_a_clear_error() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 2);
    let db = dir.join("results.db");
    let out = Sg::new()
        .args(["run", p(&bank), "--record", "--store", p(&db)])
        .stdin("\u{200b}\ntrue\ntrue\n")
        .run();
    out.code(1).stderr_has("name");
    assert!(!out.stdout.contains("Question 1"), "{}", out.stdout);
    assert!(stored(&db).is_empty());
}

// ---------------------------------------------------------------------------------------------
// 16. Files written whole, never over their input or another file without --force; paths that
// are not regular files refused.

#[test]
fn output_files_are_replaced_only_with_force() {
    let dir = tempdir("safety");
    let gift = write(&dir, "in.gift", "::q1:: Is it true? {T}\n");
    let cases: [(&str, Vec<String>); 4] = [
        (
            "export.gift",
            ["export", "words-matter", "--format", "gift", "-o"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "import.toml",
            vec!["import".into(), p(&gift).into(), "-o".into()],
        ),
        ("new.toml", vec!["new".into()]),
        ("schema.json", vec!["schema".into(), "-o".into()]),
    ];
    for (name, args) in cases {
        let target = write(&dir, name, "keep me\n");
        let out = Sg::new().args(&args).args([&target]).run();
        out.code(1)
            .stderr_has("already exists")
            .stderr_has("--force");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
        Sg::new()
            .args(&args)
            .args([&target])
            .args(["--force"])
            .run()
            .code(0);
        assert_ne!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
        // Nothing else is left behind in the folder.
        let stray: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }
    // A new schema file is written whole.
    let schema = dir.join("fresh.schema.json");
    Sg::new().args(["schema", "-o", p(&schema)]).run().code(0);
    let value: Value = serde_json::from_str(&std::fs::read_to_string(&schema).unwrap()).unwrap();
    assert!(value.get("$schema").is_some());
}

#[test]
fn an_output_is_never_written_over_its_own_input() {
    let dir = tempdir("safety");
    let bank = write(&dir, "bank.toml", IMPOSTOR);
    let gift = write(&dir, "in.gift", "::q1:: Is it true? {T}\n");
    let same_bank = format!("{}/./bank.toml", p(&dir));
    let attempts: [(&[&str], &Path); 3] = [
        (
            &[
                "export",
                p(&bank),
                "--format",
                "json",
                "-o",
                p(&bank),
                "--force",
            ],
            &bank,
        ),
        (
            &[
                "export",
                p(&bank),
                "--format",
                "gift",
                "-o",
                &same_bank,
                "--force",
            ],
            &bank,
        ),
        (&["import", p(&gift), "-o", p(&gift), "--force"], &gift),
    ];
    for (args, input) in attempts {
        let before = std::fs::read(input).unwrap();
        Sg::new().args(args).run().code(1).stderr_has("input");
        assert_eq!(std::fs::read(input).unwrap(), before, "{args:?}");
    }
}

#[cfg(unix)]
#[test]
fn a_full_disk_leaves_no_partial_file() {
    let dir = tempdir("safety");
    let gift = write(&dir, "in.gift", &"::q:: Is it true? {T}\n".repeat(400));
    let outputs: [(&str, String); 4] = [
        (
            "out.md",
            "export words-matter --format markdown -o out.md".into(),
        ),
        ("out.toml", format!("import '{}' -o out.toml", p(&gift))),
        ("new.toml", "new new.toml".into()),
        ("schema.json", "schema -o schema.json".into()),
    ];
    for (name, args) in outputs {
        // A file-size limit of 1 KiB: writes past it fail as they do on a full disk.
        let mut cmd = Command::new("sh");
        cmd.current_dir(&dir).arg("-c").arg(format!(
            "trap '' XFSZ; ulimit -f 1; exec '{}' {args}",
            env!("CARGO_BIN_EXE_sgquiz")
        ));
        within_time(cmd).code(1);
        assert!(!dir.join(name).exists(), "a partial {name} was left");
        let stray: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    }
}

#[cfg(unix)]
fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    path
}

#[cfg(unix)]
#[test]
fn a_bank_or_import_path_that_is_not_a_regular_file_is_refused_in_time() {
    let dir = tempdir("safety");
    let pipe = fifo(&dir, "pipe.toml");
    let gift_pipe = fifo(&dir, "pipe.gift");
    let out = dir.join("out.toml");
    for path in ["/dev/zero", p(&pipe)] {
        within_time(sgquiz(&["check", path])).code(1);
        within_time(sgquiz(&["run", path])).code(1);
        within_time(sgquiz(&["export", path, "--format", "gift"])).code(1);
    }
    for path in ["/dev/zero", p(&gift_pipe)] {
        within_time(sgquiz(&["import", path, "-o", p(&out)])).code(1);
        assert!(!out.exists());
    }
    // Walking a folder does not stop at a FIFO either.
    within_time(sgquiz(&["check", p(&dir)])).code(1);
}

#[cfg(unix)]
#[test]
fn a_store_that_is_a_fifo_or_a_device_is_refused() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 1);
    let pipe = fifo(&dir, "results.db");
    for store in ["/dev/null", "/dev/zero", p(&pipe)] {
        let mut run = sgquiz(&["run", p(&bank), "--name", "Sam", "--store", store]);
        run.stdin(Stdio::null());
        within_time(run)
            .code(1)
            .stderr_has(store)
            .stderr_has("not a regular file");
        within_time(sgquiz(&["report", "--store", store]))
            .code(1)
            .stderr_has(store);
    }
}

#[test]
fn a_folder_that_is_not_a_store_is_not_turned_into_one() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 1);
    let docs = dir.join("documents");
    std::fs::create_dir(&docs).unwrap();
    write(&docs, "notes.txt", "Staff notes.\n");
    record(&docs, &bank, "Sam Patel", "true\n")
        .code(1)
        .stderr_has(p(&docs))
        .stderr_has("not an sgquiz results store");
    let entries: Vec<_> = std::fs::read_dir(&docs).unwrap().collect();
    assert_eq!(entries.len(), 1);
    // An empty folder becomes a store.
    let empty = dir.join("empty");
    std::fs::create_dir(&empty).unwrap();
    record(&empty, &bank, "Sam Patel", "true\n").code(0);
    assert_eq!(stored(&empty).len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 19. Errors that name the store and say what to do.

#[test]
fn a_damaged_database_is_named_with_the_way_to_recover_it() {
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 2);
    let db = dir.join("results.db");
    for name in ["Sam Patel", "Alex Jones", "Kim Lee"] {
        record(&db, &bank, name, "true\ntrue\n").code(0);
    }
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 8192);
    // Damage every page after the first (the schema), as a failing disk might.
    for b in &mut bytes[4096..] {
        *b = 0xa5;
    }
    std::fs::write(&db, bytes).unwrap();
    let out = report(&db, &[]);
    out.code(1).stderr_has(p(&db)).stderr_has(".recover");
}

#[cfg(unix)]
#[test]
fn a_store_in_a_read_only_folder_still_gives_reports() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("safety");
    let bank = true_false_bank(&dir, 1);
    let folder = dir.join("readonly");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("results.db");
    record(&db, &bank, "Sam Patel", "true\n").code(0);
    let set = |path: &Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&db, 0o444);
    set(&folder, 0o555);
    let bytes = std::fs::read(&db).unwrap();
    let shown = report(&db, &[]);
    let refused = record(&db, &bank, "Alex Jones", "true\n");
    let due = report(
        &db,
        &[
            "--due",
            "12m",
            "--bank",
            &sha256(&std::fs::read_to_string(&bank).unwrap())[..12],
        ],
    );
    set(&folder, 0o700);
    set(&db, 0o600);
    shown.code(0).stdout_has("Sam Patel");
    due.code(0).stdout_has("No one is due");
    refused.code(1).stderr_has(p(&db)).stderr_has("read-only");
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn an_empty_sgquiz_store_says_so() {
    let dir = tempdir("safety");
    let out = Sg::new()
        .env("SGQUIZ_STORE", "")
        .env("HOME", p(&dir))
        .env("XDG_DATA_HOME", p(&dir))
        .args(["report"])
        .run();
    out.code(1).stderr_has("SGQUIZ_STORE").stderr_has("empty");
}

// ---------------------------------------------------------------------------------------------
// 17. Signals during an interactive question, and Ctrl-C in the plain mode on a terminal.

#[cfg(unix)]
mod signals {
    use std::process::Command;
    use std::time::Duration;

    use expectrl::{Eof, Expect, Session};

    use super::p;
    use crate::support::{Sg, fixture, tempdir};

    fn spawn(args: &[&str]) -> expectrl::session::OsSession {
        // The terminal is given its size before the binary starts, which asks it once; `exec`
        // keeps the process id, so a signal sent to it reaches sgquiz.
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg("stty cols 100 rows 40 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_sgquiz"))
            .args(args)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .env_remove("COLUMNS")
            .env_remove("LINES");
        let mut session = Session::spawn(cmd).expect("the binary starts in a pseudo-terminal");
        session
            .get_process_mut()
            .set_window_size(100, 40)
            .expect("window size");
        session.set_expect_timeout(Some(Duration::from_secs(60)));
        session
    }

    fn signal(session: &expectrl::session::OsSession, name: &str) {
        let pid = session.get_process().pid().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status();
        assert!(sent.unwrap().success());
    }

    #[track_caller]
    fn assert_canonical(session: &expectrl::session::OsSession) {
        let tty = session
            .get_process()
            .get_raw_handle()
            .expect("the terminal");
        let attrs = nix::sys::termios::tcgetattr(std::os::fd::AsRawFd::as_raw_fd(&tty))
            .expect("terminal attributes");
        assert!(
            attrs
                .local_flags
                .contains(nix::sys::termios::LocalFlags::ICANON),
            "the terminal was left in raw mode"
        );
    }

    #[test]
    fn termination_signals_during_a_question_restore_the_terminal() {
        let bank = fixture("terminal.toml");
        for name in ["TERM", "HUP", "QUIT"] {
            let mut s = spawn(&["run", p(&bank)]);
            s.expect("Start the quiz?").unwrap();
            s.send("\r").unwrap();
            s.expect("Third").unwrap();
            std::thread::sleep(Duration::from_millis(200));
            signal(&s, name);
            s.expect("\x1b[?25h").unwrap();
            s.expect(Eof).unwrap();
            assert_canonical(&s);
        }
    }

    #[test]
    fn a_signal_in_the_kiosk_clears_the_screen_before_it_exits() {
        let dir = tempdir("safety");
        let db = dir.join("results.db");
        let bank = fixture("terminal.toml");
        let made = Sg::new()
            .args(["session", "new", "--quiz", p(&bank), "--title", "Kiosk"])
            .args(["--store", p(&db)])
            .run();
        made.code(0);
        let code = made
            .stdout
            .lines()
            .next()
            .unwrap()
            .replace("Session code: ", "");
        let mut s = spawn(&["session", "kiosk", &code, "--store", p(&db)]);
        s.expect("Your name, for the training record:").unwrap();
        s.send("Sam Patel\r").unwrap();
        s.expect("Start the quiz?").unwrap();
        s.send("\r").unwrap();
        s.expect("Third").unwrap();
        s.send("\x1b[B\r").unwrap();
        s.expect("Press any key for question 2 of 3").unwrap();
        s.send("\r").unwrap();
        s.expect("Which are odd?").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        signal(&s, "TERM");
        s.expect("\x1b[2J\x1b[3J").unwrap();
        s.expect(Eof).unwrap();
        assert_canonical(&s);
    }

    #[test]
    fn ctrl_c_in_the_plain_mode_on_a_terminal_says_what_esc_says() {
        let dir = tempdir("safety");
        let db = dir.join("results.db");
        let bank = fixture("terminal.toml");
        let mut s = spawn(&[
            "--plain",
            "run",
            p(&bank),
            "--name",
            "Sam Patel",
            "--store",
            p(&db),
        ]);
        s.expect("Your answer (a number from 1 to 3)").unwrap();
        s.send("2\r").unwrap();
        s.expect("Your answer (the numbers").unwrap();
        s.send("\x03").unwrap();
        s.expect("Quiz stopped").unwrap();
        s.expect("--resume").unwrap();
        s.expect("Support").unwrap();
        s.expect(Eof).unwrap();
    }
}

// ---------------------------------------------------------------------------------------------
// 20. The question analysis of a large store stays small.

/// Set in the copy of this test binary that measures the report (see below).
const PEAK_PROBE: &str = "SGQUIZ_TEST_PEAK_OF_REPORT_ON";

/// The 20,000 attempts of a 20-question quiz, saved a thousand at a time.
#[cfg(target_os = "linux")]
fn large_store(db: &Path, attempts: usize, questions: usize) {
    use sgquiz::engine::marking::{Answer, Outcome};
    use sgquiz::engine::plan::Settings;
    use sgquiz::records::record::{Record, RecordedQuestion};
    use sgquiz::records::store::{SqliteStore, Store};

    let mut store = SqliteStore::open(db).unwrap();
    let record = |i: usize| {
        let questions: Vec<RecordedQuestion> = (0..questions)
            .map(|q| {
                let right = (i * 7 + q * 13) % 10 < 6 + q % 3;
                RecordedQuestion {
                    id: format!("question-{q:02}"),
                    topic: "general".to_string(),
                    kind: "single".to_string(),
                    response: json!(if right {
                        "Right"
                    } else {
                        ["A", "B", "C"][i % 3]
                    }),
                    answer: Answer::Choice(0),
                    outcome: if right {
                        Outcome::Correct
                    } else {
                        Outcome::Incorrect
                    },
                    points: if right { 1.0 } else { 0.0 },
                    max_points: 1.0,
                }
            })
            .collect();
        let score: f64 = questions.iter().map(|q| q.points).sum();
        let percent = score / questions.len() as f64 * 100.0;
        Record {
            id: format!("{i:032x}"),
            quiz: "large".to_string(),
            title: "Large".to_string(),
            bank_hash: "0".repeat(64),
            name: format!("Trainee {i}"),
            session: None,
            started: "2026-09-01T09:00:00Z".to_string(),
            finished: Some("2026-09-01T09:10:00Z".to_string()),
            seed: i as u64,
            settings: Settings::default(),
            order: questions.iter().map(|q| q.id.clone()).collect(),
            score: Some(score),
            max_score: questions.len() as f64,
            percent: Some(percent),
            pass_mark: 80.0,
            passed: Some(percent >= 80.0),
            duration_seconds: 600,
            questions,
            held: None,
        }
    };
    for start in (0..attempts).step_by(1000) {
        let batch: Vec<Record> = (start..(start + 1000).min(attempts)).map(record).collect();
        store.save_all(&batch).unwrap();
    }
}

/// The question analysis of 20,000 attempts of a 20-question quiz peaks under 48 MiB (before
/// it streamed, 74 MiB; the report's share of memory grows with the store, the rest does not).
///
/// The peak is read with getrusage: the largest resident set of any child waited for. On
/// Linux a child's figure starts from its parent's own peak, so the report is run from a fresh
/// copy of this test binary (the probe, with `PEAK_PROBE` set), not from this busy one.
#[cfg(target_os = "linux")]
#[test]
fn the_question_analysis_of_a_large_store_stays_small() {
    const ATTEMPTS: usize = 20_000;
    const QUESTIONS: usize = 20;
    if let Some(db) = std::env::var_os(PEAK_PROBE) {
        let out = report(Path::new(&db), &["--questions", "--format", "json"]);
        let rows = json_rows(&out);
        assert_eq!(rows.len(), QUESTIONS);
        assert_eq!(rows[0]["answered"], ATTEMPTS);
        let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
            .expect("getrusage");
        // Linux gives kilobytes.
        println!("peak: {} bytes", usage.max_rss() as u64 * 1024);
        return;
    }
    let dir = tempdir("safety");
    let db = dir.join("large.db");
    large_store(&db, ATTEMPTS, QUESTIONS);
    let probe = Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "safety::the_question_analysis_of_a_large_store_stays_small",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PEAK_PROBE, &db)
        .output()
        .expect("the probe runs");
    let said = String::from_utf8_lossy(&probe.stdout);
    assert!(
        probe.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let peak: u64 = said
        .lines()
        .find_map(|l| {
            l.split("peak: ")
                .nth(1)?
                .strip_suffix(" bytes")?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no peak in:\n{said}"));
    assert!(
        peak < 48 * 1024 * 1024,
        "the report peaked at {} MiB",
        peak / 1024 / 1024
    );
}
