//! What recording costs: one 1,000-question attempt taken through the binary in the plain mode
//! with its answers piped in, recorded into a school's SQLite store and into a folder store,
//! against the same attempt not recorded. Each answer is saved as it is given (one small
//! write), so the target is that the recorded run takes at most twice as long as the
//! unrecorded one.
//!
//! The yardstick for the database store is `sqlite_floor`: the least that SQLite itself takes
//! to commit 1,000 one-row transactions to a store like it, in the same journal and sync mode,
//! with nothing of sgquiz around them. Each saved answer is one such transaction (that is what
//! keeps it when sgquiz is killed a moment later), so the recorded run cannot take less than the
//! unrecorded run plus this floor.
//!
//! The bank and the stores are made under Cargo's temporary folder for benchmarks. Run with
//! `cargo bench --bench record`.
//!
//! On a shared machine the wall-clock time divan reports depends as much on the other work as
//! on sgquiz (every wait for the disk is also a wait for a core again), so after divan's table
//! the benchmark also prints the median processor time (user and system) of each kind of run,
//! as the operating system counted it for the child process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

const QUESTIONS: usize = 1_000;

/// The processor time of each run, in milliseconds: unrecorded, recorded into the database,
/// recorded into the folder.
static CPU: Mutex<[Vec<f64>; 3]> = Mutex::new([Vec::new(), Vec::new(), Vec::new()]);

fn main() {
    divan::main();
    let cpu = CPU.lock().unwrap();
    let median = |runs: &[f64]| {
        let mut runs = runs.to_vec();
        runs.sort_by(f64::total_cmp);
        runs.get(runs.len() / 2).copied()
    };
    let Some(unrecorded) = median(&cpu[0]).filter(|&u| u > 0.0) else {
        return;
    };
    println!(
        "processor time, median: unrecorded {unrecorded:.1} ms ({} runs)",
        cpu[0].len()
    );
    for (kind, store) in [(1, "database"), (2, "folder")] {
        if let Some(recorded) = median(&cpu[kind]) {
            println!(
                "  recorded into the {store}: {recorded:.1} ms ({} runs): {:.2} times",
                cpu[kind].len(),
                recorded / unrecorded
            );
        }
    }
}

/// The processor time (user and system) of the children this process has waited for, in
/// milliseconds.
#[cfg(unix)]
fn children_cpu() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: `getrusage` fills the struct it is given, which is large enough and zeroed.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    ms(usage.ru_utime) + ms(usage.ru_stime)
}

#[cfg(not(unix))]
fn children_cpu() -> f64 {
    0.0
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

/// Takes the whole quiz through the binary; `extra` are further arguments. Its processor time
/// is kept under `kind` (0: unrecorded, 1: into the database, 2: into the folder).
fn take(bank: &Path, extra: &[&str], kind: usize) {
    let before = children_cpu();
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
    let cpu = children_cpu() - before;
    CPU.lock().unwrap()[kind].push(cpu);
}

#[divan::bench(sample_count = 21)]
fn unrecorded(bencher: divan::Bencher) {
    let bank = bank();
    bencher.bench(|| take(&bank, &[], 0));
}

/// Into a school's store, which exists already: each sample adds one attempt to it.
#[divan::bench(sample_count = 21)]
fn recorded(bencher: divan::Bencher) {
    let bank = bank();
    let store = folder().join(format!("store-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", store.display()));
    }
    drop(sgquiz::records::store::SqliteStore::open(&store).expect("the store is made"));
    let store = store.to_str().unwrap();
    bencher.bench(|| take(&bank, &["--name", "Sam Patel", "--store", store], 1));
}

/// Into a folder store, which exists already: each sample adds one attempt to it.
#[divan::bench(sample_count = 21)]
fn recorded_in_folder(bencher: divan::Bencher) {
    let bank = bank();
    let store = folder().join(format!("folder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    drop(sgquiz::records::store::FolderStore::open(&store).expect("the store is made"));
    let store = format!("{}/", store.display());
    bencher.bench(|| take(&bank, &["--name", "Sam Patel", "--store", &store], 2));
}

/// The yardstick: `QUESTIONS` one-row transactions committed by SQLite alone, into a table
/// keyed like the store's answers, with the store's journal and sync mode for answers (WAL,
/// `synchronous = NORMAL`). Each sample has a new database, made before it is timed.
#[divan::bench(sample_count = 21)]
fn sqlite_floor(bencher: divan::Bencher) {
    let path = folder().join(format!("floor-{}.db", std::process::id()));
    bencher
        .with_inputs(|| {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            let conn = rusqlite::Connection::open(&path).expect("the database opens");
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
                .expect("WAL");
            conn.pragma_update(None, "synchronous", "NORMAL")
                .expect("NORMAL");
            conn.execute_batch(
                "CREATE TABLE answers (attempt INTEGER NOT NULL, position INTEGER NOT NULL,
                     question TEXT NOT NULL, response TEXT NOT NULL,
                     PRIMARY KEY (attempt, position)) WITHOUT ROWID",
            )
            .expect("the table");
            conn
        })
        .bench_local_values(|conn| {
            {
                let mut insert = conn
                    .prepare("INSERT INTO answers VALUES (1, ?1, ?2, 'true')")
                    .expect("the statement");
                for i in 0..QUESTIONS {
                    insert
                        .execute(rusqlite::params![i as i64, format!("question-{i}")])
                        .expect("the row");
                }
            }
            // Closed after the sample, not timed.
            conn
        });
}
