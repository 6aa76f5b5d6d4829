//! `sgquiz store check` and `sgquiz store copy`, through the binary: what a store is and holds,
//! and copying one store into another of either kind, once, without changing a finished
//! attempt or a report.

use std::path::{Path, PathBuf};

use sgquiz::records::record::Record;

use crate::snapshots::{shown, snap};
use crate::support::{Output, Sg, files_under, stored, tempdir, true_false_bank};

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A folder store's path as the user writes it: ending in a slash.
fn folder(dir: &Path, name: &str) -> PathBuf {
    PathBuf::from(format!("{}/", dir.join(name).display()))
}

/// `sgquiz run BANK --name NAME --store STORE EXTRA…`, with `stdin` piped in whole.
fn run_named(store: &Path, bank: &Path, name: &str, extra: &[&str], stdin: &str) -> Output {
    Sg::new()
        .args([
            "run",
            s(bank),
            "--plain",
            "--name",
            name,
            "--store",
            s(store),
        ])
        .args(extra)
        .stdin(stdin)
        .run()
}

fn copy(from: &Path, to: &Path) -> Output {
    Sg::new()
        .args(["store", "copy", "--from", s(from), "--to", s(to)])
        .run()
}

/// A store with a session, two finished attempts (one in the session) and an unfinished one.
fn fill(store: &Path, bank: &Path) {
    let out = Sg::new()
        .args(["session", "new", "--quiz", s(bank), "--title", "INSET day"])
        .args(["--store", s(store)])
        .run();
    out.code(0);
    let code = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Session code: "))
        .expect("a session code")
        .to_string();
    run_named(store, bank, "Alex Green", &[], "true\nfalse\ntrue\n").code(0);
    Sg::new()
        .args([
            "run",
            "--session",
            &code,
            "--plain",
            "--name",
            "Élodie Brun",
        ])
        .args(["--store", s(store)])
        .stdin("true\ntrue\ntrue\n")
        .run()
        .code(0);
    run_named(store, bank, "Sam Patel", &[], "true\nquit\n").code(130);
}

/// Every attempt in a store, by id, as a copy must keep it (a hold is never copied).
fn by_id(store: &Path) -> Vec<Record> {
    let mut all: Vec<Record> = stored(store)
        .into_iter()
        .map(|r| Record { held: None, ..r })
        .collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all
}

/// Every session in a store.
fn sessions(store: &Path) -> Vec<sgquiz::records::session::Session> {
    sgquiz::records::store::Location::of(store)
        .open()
        .unwrap()
        .sessions()
        .unwrap()
}

/// Every report as CSV and JSON, with what it says on standard error.
fn reports(store: &Path) -> String {
    let mut text = String::new();
    for view in [&[][..], &["--questions"][..], &["--due", "12m"][..]] {
        for format in ["csv", "json"] {
            let out = Sg::new()
                .args(["report", "--store", s(store), "--format", format])
                .args(view)
                .run();
            out.code(0);
            text.push_str(&out.stdout);
            text.push_str(&out.stderr);
        }
    }
    text
}

#[test]
fn check_and_copy_say_what_they_found_and_did() {
    let dir = tempdir("store-snap");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    fill(&db, &bank);
    let shared = folder(&dir, "shared");
    let back = dir.join("back.db");
    let mut text = String::new();
    for args in [
        vec!["store", "check", "--store", s(&db)],
        vec!["store", "copy", "--from", s(&db), "--to", s(&shared)],
        vec!["store", "copy", "--from", s(&db), "--to", s(&shared)],
        vec!["store", "check", "--store", s(&shared)],
        vec!["store", "copy", "--from", s(&shared), "--to", s(&back)],
        vec!["store", "check", "--store", s(&back)],
        vec!["store", "copy", "--from", s(&db), "--to", s(&db)],
    ] {
        text.push_str(&shown(&args, ""));
        text.push('\n');
    }
    snap("store-check-and-copy", &text);
}

#[test]
fn a_copy_keeps_every_attempt_and_session_and_every_report_either_way() {
    let dir = tempdir("store-copy");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    fill(&db, &bank);
    let before = reports(&db);
    let shared = folder(&dir, "shared");
    copy(&db, &shared)
        .code(0)
        .stdout_has("Attempts: 3 copied (2 finished, 1 unfinished), 0 already there");
    assert_eq!(by_id(&shared), by_id(&db), "SQLite to folder");
    assert_eq!(sessions(&shared), sessions(&db));
    assert_eq!(reports(&shared), before);
    let back = dir.join("back.db");
    copy(&shared, &back).code(0);
    assert_eq!(by_id(&back), by_id(&db), "folder to SQLite");
    assert_eq!(sessions(&back), sessions(&db));
    assert_eq!(reports(&back), before);
    // The unfinished attempt carries on in the store it was copied into.
    run_named(&back, &bank, "Sam Patel", &["--resume"], "true\ntrue\n")
        .code(0)
        .stdout_has("Score: 3 of 3");
}

#[test]
fn copying_twice_copies_nothing_twice() {
    let dir = tempdir("store-twice");
    let bank = true_false_bank(&dir, 3);
    for (from, to) in [
        (dir.join("a.db"), folder(&dir, "a")),
        (folder(&dir, "b"), dir.join("b.db")),
    ] {
        fill(&from, &bank);
        copy(&from, &to).code(0);
        let once = by_id(&to);
        let files = files_under(&dir);
        copy(&from, &to)
            .code(0)
            .stdout_has("Sessions: 0 copied, 1 already there")
            .stdout_has("Attempts: 0 copied (0 finished, 0 unfinished), 3 already there");
        assert_eq!(by_id(&to), once);
        assert_eq!(sessions(&to).len(), 1);
        if to.is_dir() {
            assert_eq!(files_under(&dir), files, "no file added");
        }
    }
}

#[test]
fn a_finished_attempt_in_the_target_is_never_changed_and_an_unfinished_one_is_completed() {
    let dir = tempdir("store-finished");
    let bank = true_false_bank(&dir, 3);
    for (source, target) in [
        (dir.join("a.db"), folder(&dir, "a")),
        (folder(&dir, "b"), dir.join("b.db")),
    ] {
        // Two unfinished attempts copied across, then each finished in both stores, differently.
        run_named(&source, &bank, "Sam Patel", &[], "true\nquit\n").code(130);
        run_named(&source, &bank, "Alex Green", &[], "true\nquit\n").code(130);
        copy(&source, &target).code(0);
        run_named(&target, &bank, "Sam Patel", &["--resume"], "false\nfalse\n").code(0);
        let in_target = by_id(&target);
        run_named(&source, &bank, "Sam Patel", &["--resume"], "true\ntrue\n").code(0);
        run_named(&source, &bank, "Alex Green", &["--resume"], "true\ntrue\n").code(0);
        copy(&source, &target).code(0).stdout_has(
            "Attempts: 0 copied (0 finished, 0 unfinished), 1 unfinished one in the target \
             finished from the source, 1 already there",
        );
        let after = by_id(&target);
        let sam = |records: &[Record]| {
            records
                .iter()
                .find(|r| r.name == "Sam Patel")
                .cloned()
                .unwrap()
        };
        assert_eq!(sam(&after), sam(&in_target), "finished in the target: kept");
        assert_eq!(sam(&after).score, Some(1.0));
        let alex = after.iter().find(|r| r.name == "Alex Green").unwrap();
        let source_alex = by_id(&source)
            .into_iter()
            .find(|r| r.name == "Alex Green")
            .unwrap();
        assert_eq!(*alex, source_alex, "finished from the source");
        assert!(alex.is_complete());
    }
}

#[test]
fn the_same_store_is_refused_however_it_is_named() {
    let dir = tempdir("store-same");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    fill(&db, &bank);
    let shared = folder(&dir, "shared");
    copy(&db, &shared).code(0);
    let dotted = dir.join(".").join("results.db");
    let unslashed = dir.join("shared");
    let mut names = vec![(db.clone(), dotted), (shared.clone(), unslashed)];
    #[cfg(unix)]
    {
        let link = dir.join("link.db");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let hard = dir.join("hard.db");
        std::fs::hard_link(&db, &hard).unwrap();
        names.push((db.clone(), link));
        names.push((hard, db.clone()));
    }
    let records = by_id(&db);
    for (from, to) in names {
        copy(&from, &to)
            .code(1)
            .stderr_has("is both the store to copy from and the store to copy into");
    }
    assert_eq!(by_id(&db), records);
    assert_eq!(by_id(&shared), records);
}

#[test]
fn a_missing_source_is_refused_and_no_target_is_made() {
    let dir = tempdir("store-missing");
    for (from, to) in [
        (dir.join("none.db"), dir.join("to.db")),
        (folder(&dir, "none"), folder(&dir, "to")),
    ] {
        copy(&from, &to)
            .code(1)
            .stderr_has("there is no results store at")
            .stderr_has("to copy from; check --from, and nothing was copied");
        assert!(!to.exists(), "{}", to.display());
        assert!(!from.exists(), "nothing is made by looking");
        Sg::new()
            .args(["store", "check", "--store", s(&from)])
            .run()
            .code(1)
            .stderr_has("there is no results store at");
        assert!(!from.exists());
    }
    // --store is no stand-in for --from.
    Sg::new()
        .args(["store", "copy", "--store", s(&dir.join("a.db"))])
        .args(["--from", s(&dir.join("b.db")), "--to", s(&dir.join("c.db"))])
        .run()
        .code(1)
        .stderr_has("leave out --store");
}

/// An attempt being taken in the source while it is copied: the copy has it as it stood,
/// without the sitting's hold (that sitting writes to the source), says so, and brings the
/// result over when copied again after it is finished.
#[test]
fn an_attempt_being_taken_in_the_source_is_copied_unheld_and_finished_by_copying_again() {
    let dir = tempdir("store-held");
    let bank = true_false_bank(&dir, 3);
    let source = folder(&dir, "school");
    run_named(&source, &bank, "Sam Patel", &[], "true\nquit\n").code(130);
    // A sitting holds it, and saved a moment ago.
    let file = files_under(&source.join("incomplete")).remove(0);
    let mut record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    record["held"] = serde_json::json!({
        "sitting": "elsewhere",
        "saved": sgquiz::records::record::now(),
    });
    std::fs::write(&file, record.to_string()).unwrap();
    let target = dir.join("trust.db");
    copy(&source, &target)
        .code(0)
        .stdout_has("Attempts: 1 copied (0 finished, 1 unfinished), 0 already there")
        .stderr_has(
            "sgquiz: note: 1 unfinished attempt in the source is being taken now (a sitting \
             saved to it in the last 10 minutes), so the target has it unfinished; copy again \
             once it is finished to bring over its result",
        );
    let copied = stored(&target);
    assert_eq!(copied.len(), 1);
    assert!(copied[0].held.is_none(), "the hold is not copied");
    // The sitting finishes in the source; copying again brings the result over.
    record["held"] = serde_json::Value::Null;
    std::fs::write(&file, record.to_string()).unwrap();
    run_named(&source, &bank, "Sam Patel", &["--resume"], "true\ntrue\n").code(0);
    let out = copy(&source, &target);
    out.code(0)
        .stdout_has("1 unfinished one in the target finished");
    assert!(!out.stderr.contains("being taken now"), "{}", out.stderr);
    assert_eq!(by_id(&target), by_id(&source));
}

#[test]
fn check_and_copy_fail_on_a_record_file_that_cannot_be_read() {
    let dir = tempdir("store-unreadable");
    let bank = true_false_bank(&dir, 3);
    let source = folder(&dir, "school");
    fill(&source, &bank);
    std::fs::write(source.join("attempts").join("junk.json"), "{ not json").unwrap();
    Sg::new()
        .args(["store", "check", "--store", s(&source)])
        .run()
        .code(1)
        .stdout_has("Attempts: 3 (2 finished, 1 unfinished)")
        .stderr_has("junk.json was passed over")
        .stderr_has("1 file in the store could not be read, and is not counted above");
    let target = dir.join("trust.db");
    copy(&source, &target)
        .code(1)
        .stdout_has("Attempts: 3 copied")
        .stderr_has("junk.json was passed over")
        .stderr_has("1 file in the source could not be read, and was not copied");
    assert_eq!(by_id(&target), by_id(&source));
}

/// Two schools' sessions that happen to share a code: copying would file one's attempts under
/// the other, so nothing is copied.
#[test]
fn a_session_code_in_both_stores_for_different_sessions_stops_the_copy_before_any_write() {
    let dir = tempdir("store-clash");
    let bank = true_false_bank(&dir, 3);
    let source = folder(&dir, "school");
    fill(&source, &bank);
    let target = folder(&dir, "trust");
    run_named(&target, &bank, "Kim Lee", &[], "true\ntrue\ntrue\n").code(0);
    let session = files_under(&source.join("sessions")).remove(0);
    let mut other: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&session).unwrap()).unwrap();
    other["title"] = serde_json::Value::from("Another school's INSET day");
    std::fs::write(
        target.join("sessions").join(session.file_name().unwrap()),
        other.to_string(),
    )
    .unwrap();
    let files = files_under(&target);
    copy(&source, &target)
        .code(1)
        .stderr_has("is not the session")
        .stderr_has("copying would mix up their attempts; nothing was copied");
    assert_eq!(files_under(&target), files);
    assert_eq!(stored(&target).len(), 1);
    // A session that is the same but closed since in one store is the same session.
    let mut closed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&session).unwrap()).unwrap();
    closed["closed"] = serde_json::Value::from("2026-09-02T09:00:00Z");
    std::fs::write(
        target.join("sessions").join(session.file_name().unwrap()),
        closed.to_string(),
    )
    .unwrap();
    copy(&source, &target)
        .code(0)
        .stdout_has("Sessions: 0 copied, 1 already there")
        .stdout_has("Attempts: 3 copied");
}

/// A folder store left with an unfinished copy beside a finished attempt (a crash between the
/// two steps of finishing) has one attempt, finished, and that is what is copied.
#[test]
fn an_unfinished_copy_beside_a_finished_file_is_not_copied() {
    let dir = tempdir("store-stale");
    let bank = true_false_bank(&dir, 3);
    let source = folder(&dir, "school");
    run_named(&source, &bank, "Sam Patel", &[], "true\ntrue\ntrue\n").code(0);
    let finished = files_under(&source.join("attempts")).remove(0);
    let mut stale: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&finished).unwrap()).unwrap();
    stale["finished"] = serde_json::Value::Null;
    stale["score"] = serde_json::Value::Null;
    std::fs::write(
        source
            .join("incomplete")
            .join(finished.file_name().unwrap()),
        stale.to_string(),
    )
    .unwrap();
    let target = dir.join("trust.db");
    copy(&source, &target)
        .code(0)
        .stdout_has("Attempts: 1 copied (1 finished, 0 unfinished), 0 already there");
    assert_eq!(by_id(&target), by_id(&source));
    assert!(stored(&target)[0].is_complete());
}

/// A school's store into the trust's PostgreSQL database and out again: every attempt, session
/// and report the same, nothing copied twice, the password never shown.
#[test]
fn a_school_store_copied_into_postgresql_and_out_again() {
    let dir = tempdir("store-pg");
    let bank = true_false_bank(&dir, 3);
    let db = dir.join("results.db");
    fill(&db, &bank);
    let before = reports(&db);
    let server = crate::support::postgres::server();
    let url = server.fresh_database();
    let trust = PathBuf::from(&url);
    let out = copy(&db, &trust);
    out.code(0)
        .stdout_has("Copied into: PostgreSQL database")
        .stdout_has("Sessions: 1 copied, 0 already there")
        .stdout_has("Attempts: 3 copied (2 finished, 1 unfinished), 0 already there");
    assert!(!out.stdout.contains(server.password()), "{}", out.stdout);
    copy(&db, &trust)
        .code(0)
        .stdout_has("Attempts: 0 copied (0 finished, 0 unfinished), 3 already there");
    let check = Sg::new().args(["store", "check", "--store", &url]).run();
    check
        .code(0)
        .stdout_has("Store: PostgreSQL database")
        .stdout_has("Schema version: 1 (current)")
        .stdout_has("Attempts: 3 (2 finished, 1 unfinished)")
        .stdout_has("Sessions: 1 (1 open)");
    assert!(
        !check.stdout.contains(server.password()),
        "{}",
        check.stdout
    );
    assert_eq!(by_id(&trust), by_id(&db));
    assert_eq!(sessions(&trust), sessions(&db));
    assert_eq!(reports(&trust), before);
    let back = folder(&dir, "back");
    copy(&trust, &back).code(0);
    assert_eq!(by_id(&back), by_id(&db));
    assert_eq!(reports(&back), before);
    copy(&trust, &trust)
        .code(1)
        .stderr_has("is both the store to copy from and the store to copy into");
}
