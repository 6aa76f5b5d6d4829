//! Saving answers one at a time in the folder store: one line appended for each, the attempt's
//! own file left alone, and reading back exactly what the holding sitting saved.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{FolderStore, answers};
use crate::engine::marking::Answer;
use crate::records::record::{Hold, Record};
use crate::records::store::tests::{answer, attempt, refusal, sitting};
use crate::records::store::{Filter, Refusal, Store};

/// A new store folder under the system's temporary folder.
fn new_folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sgquiz-folder-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn json_of(root: &Path, r: &Record) -> PathBuf {
    root.join("incomplete").join(format!("{}.json", r.id))
}

fn lines_of(root: &Path, r: &Record) -> PathBuf {
    answers::lines_path(&json_of(root, r))
}

/// The one attempt the store has, as reports read it.
fn only(store: &FolderStore) -> Record {
    let mut all = store.records(&Filter::default()).unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

fn answered(r: &Record) -> Vec<String> {
    r.questions.iter().map(|q| q.id.clone()).collect()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("question-{i}")).collect()
}

#[cfg(unix)]
#[test]
fn each_answer_is_one_line_appended_and_the_attempt_file_is_left_alone() {
    use std::os::unix::fs::MetadataExt;
    let root = new_folder("lines");
    let mut store = FolderStore::open(&root).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    let json = json_of(&root, &r);
    let before = (
        std::fs::metadata(&json).unwrap().ino(),
        std::fs::read(&json).unwrap(),
    );
    for _ in 0..40 {
        answer(&mut store, &mut r).unwrap();
    }
    let after = (
        std::fs::metadata(&json).unwrap().ino(),
        std::fs::read(&json).unwrap(),
    );
    assert!(before == after, "the attempt's file was written again");
    let text = std::fs::read_to_string(lines_of(&root, &r)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 40);
    // The 40th answer's write is no bigger than the first's: the whole attempt is not in it.
    assert!(lines[39].len() < lines[0].len() + 20, "{}", lines[39]);
    let back = only(&store);
    assert_eq!(answered(&back), ids(40));
    assert_eq!(back.questions, r.questions);
    assert_eq!(back.duration_seconds, 120);
    assert_eq!(back.held, r.held);
}

#[test]
fn a_stop_writes_the_attempt_whole_and_the_next_sitting_appends_its_own_lines() {
    let root = new_folder("stop");
    let mut store = FolderStore::open(&root).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    for _ in 0..3 {
        answer(&mut store, &mut r).unwrap();
    }
    store.release(&r.id, &sitting(&r)).unwrap();
    assert!(
        !lines_of(&root, &r).exists(),
        "the lines are in the file now"
    );
    let whole: Value =
        serde_json::from_str(&std::fs::read_to_string(json_of(&root, &r)).unwrap()).unwrap();
    assert_eq!(whole["questions"].as_array().unwrap().len(), 3);
    assert!(whole.get("held").is_none());

    let mut again = FolderStore::open(&root).unwrap();
    let mut r = again.claim(&r.id, &Hold::new(), false).unwrap();
    assert_eq!(answered(&r), ids(3));
    answer(&mut again, &mut r).unwrap();
    assert_eq!(answered(&only(&again)), ids(4));
    assert_eq!(
        std::fs::read_to_string(lines_of(&root, &r))
            .unwrap()
            .lines()
            .count(),
        1
    );
}

/// The sitting that lost its hold is refused; and a line it wrote in the instant between its
/// check and its write (a shared drive has no lock) is never read as the new sitting's.
#[test]
fn lines_of_a_sitting_that_lost_its_hold_are_never_read() {
    let root = new_folder("taken");
    let mut first = FolderStore::open(&root).unwrap();
    let mut mine = attempt();
    first.save(&mine).unwrap();
    answer(&mut first, &mut mine).unwrap();
    answer(&mut first, &mut mine).unwrap();

    let mut second = FolderStore::open(&root).unwrap();
    let mut theirs = second.claim(&mine.id, &Hold::new(), true).unwrap();
    assert_eq!(
        refusal(answer(&mut first, &mut mine)),
        Refusal::TakenOver,
        "the first sitting is told"
    );
    let late = answers::lines(&mine, 2, &sitting(&mine), "2026-09-01T09:05:00Z");
    answers::append(&lines_of(&root, &mine), &late, false).unwrap();
    assert_eq!(answered(&only(&second)), ids(2));

    answer(&mut second, &mut theirs).unwrap();
    let back = only(&second);
    assert_eq!(answered(&back), ids(3));
    assert_eq!(back.held, theirs.held);
}

#[test]
fn a_line_cut_short_ends_the_reading_and_a_resume_carries_on_from_before_it() {
    let root = new_folder("torn");
    let mut store = FolderStore::open(&root).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    for _ in 0..3 {
        answer(&mut store, &mut r).unwrap();
    }
    // A power cut in the middle of writing the third line.
    let path = lines_of(&root, &r);
    let text = std::fs::read(&path).unwrap();
    std::fs::write(&path, &text[..text.len() - 20]).unwrap();
    assert_eq!(answered(&only(&store)), ids(2));

    let mut again = FolderStore::open(&root).unwrap();
    let mut r = again.claim(&r.id, &Hold::new(), true).unwrap();
    assert_eq!(answered(&r), ids(2));
    answer(&mut again, &mut r).unwrap();
    assert_eq!(answered(&only(&again)), ids(3));
}

/// A store opened afresh by the same sitting (it does not know what was appended before)
/// adds just the answers the folder lacks.
#[test]
fn a_store_opened_again_appends_only_what_the_folder_lacks() {
    let root = new_folder("again");
    let mut r = attempt();
    {
        let mut store = FolderStore::open(&root).unwrap();
        store.save(&r).unwrap();
        answer(&mut store, &mut r).unwrap();
        answer(&mut store, &mut r).unwrap();
    }
    let mut store = FolderStore::open(&root).unwrap();
    r.questions.push(crate::records::store::tests::question(2));
    answer(&mut store, &mut r).unwrap();
    assert_eq!(answered(&only(&store)), ids(4));
    let text = std::fs::read_to_string(lines_of(&root, &r)).unwrap();
    assert_eq!(text.lines().count(), 4, "no answer written twice");
}

/// Every file under `root` whose bytes contain `needle`.
fn files_holding(root: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_holding(&path, needle));
        } else if String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains(needle) {
            found.push(path);
        }
    }
    found
}

#[test]
fn forget_removes_the_answer_lines_and_lines_whose_attempt_has_gone() {
    let root = new_folder("forget");
    let mut store = FolderStore::open(&root).unwrap();
    let mut r = attempt();
    store.save(&r).unwrap();
    answer(&mut store, &mut r).unwrap();
    let mut typed = crate::records::store::tests::question(1);
    typed.response = Value::from("Marmalade Street");
    typed.answer = Answer::Text("Marmalade Street".to_string());
    r.questions.push(typed);
    store.save_answer(&r, &sitting(&r)).unwrap();
    // Lines left behind by a sitting killed while it finished another attempt.
    let orphan = root.join("incomplete/fedcba9876543210fedcba9876543210.answers");
    std::fs::write(&orphan, "{\"question\":\"Quince Lane\"}\n").unwrap();
    assert_eq!(files_holding(&root, "Marmalade Street").len(), 1);

    assert_eq!(store.forget("sam patel").unwrap(), 1);
    assert_eq!(
        files_holding(&root, "Marmalade Street"),
        Vec::<PathBuf>::new()
    );
    assert_eq!(files_holding(&root, "Quince Lane"), Vec::<PathBuf>::new());
    assert!(store.records(&Filter::default()).unwrap().is_empty());
    assert_eq!(refusal(answer(&mut store, &mut r)), Refusal::Erased);
}
