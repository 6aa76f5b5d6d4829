//! What recording costs: one 1,000-question attempt taken through the binary in the plain mode
//! with its answers piped in, recorded into a new SQLite store, against the same attempt not
//! recorded. Each answer is saved as it is given (one small write), so the target is that the
//! recorded run takes at most twice as long as the unrecorded one.
//!
//! The bank and the stores are made under Cargo's temporary folder for benchmarks. Run with
//! `cargo bench --bench record`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const QUESTIONS: usize = 1_000;

fn main() {
    divan::main();
}

fn folder() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-record");
    std::fs::create_dir_all(&dir).expect("the benchmark folder");
    dir
}

/// A bank of `QUESTIONS` true-or-false questions in a fixed order, all answered `true`.
fn bank() -> PathBuf {
    let path = folder().join(format!("tf-{QUESTIONS}.toml"));
    if !path.exists() {
        let mut text = String::from(
            "format = 1\n[quiz]\nid = \"tf\"\ntitle = \"True or false\"\nshuffle = false\n\
             pass_mark = 60\n",
        );
        for i in 1..=QUESTIONS {
            text.push_str(&format!(
                "[[question]]\nid = \"question-{i}\"\ntype = \"true_false\"\nanswer = true\n\
                 prompt = \"Statement number {i}.\"\nexplanation = \"It is true.\"\n"
            ));
        }
        std::fs::write(&path, text).expect("the benchmark bank");
    }
    path
}

/// Takes the whole quiz through the binary; `extra` are further arguments.
fn take(bank: &Path, extra: &[&str]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args(["run", bank.to_str().unwrap(), "--plain"])
        .args(extra)
        .env_remove("SGQUIZ_STORE")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the sgquiz binary starts");
    let mut stdin = child.stdin.take().expect("piped");
    stdin
        .write_all("true\n".repeat(QUESTIONS).as_bytes())
        .expect("the answers are read");
    drop(stdin);
    assert!(child.wait().expect("sgquiz ends").success());
}

#[divan::bench(sample_count = 5)]
fn unrecorded(bencher: divan::Bencher) {
    let bank = bank();
    bencher.bench(|| take(&bank, &[]));
}

/// Into a school's store, which exists already: each sample adds one attempt to it.
#[divan::bench(sample_count = 5)]
fn recorded(bencher: divan::Bencher) {
    let bank = bank();
    let store = folder().join(format!("store-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", store.display()));
    }
    drop(sgquiz::records::store::SqliteStore::open(&store).expect("the store is made"));
    let store = store.to_str().unwrap();
    bencher.bench(|| take(&bank, &["--name", "Sam Patel", "--store", store]));
}
