//! How long the question analysis takes over a large store: 100,000 finished attempts of a
//! 20-question quiz (2,000,000 answers) in one SQLite database. The target is under a second.
//!
//! The database is generated once, in one transaction, under the system's temporary folder, and
//! reused by later runs while it still holds the right number of attempts.
//!
//! After the timings, the benchmark runs `sgquiz report --questions` over the same store once and
//! prints its peak memory (the largest resident set, from getrusage) and time. The target is under
//! 64 MiB. The report is run from a fresh copy of this benchmark (the probe): on Linux a child's
//! peak starts from its parent's, and this process has just held the generated store in memory.
//!
//! Run with `cargo bench --bench report`.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::json;
use sgquiz::engine::marking::{Answer, Outcome};
use sgquiz::engine::plan::Settings;
use sgquiz::engine::rng::Rng;
use sgquiz::records::analysis::Analysis;
use sgquiz::records::record::{Record, RecordedQuestion};
use sgquiz::records::store::{Filter, SqliteStore, Store};

const ATTEMPTS: usize = 100_000;
const QUESTIONS: usize = 20;

/// Set in the copy of the benchmark that runs the report and measures it.
const PROBE: &str = "SGQUIZ_BENCH_PEAK_OF_REPORT_ON";

fn main() {
    if let Some(db) = std::env::var_os(PROBE) {
        probe(&PathBuf::from(db));
        return;
    }
    divan::main();
    peak_of_report();
}

/// Runs the probe over the benchmark's store and prints what it found.
fn peak_of_report() {
    drop(generated());
    let probe = Command::new(std::env::current_exe().expect("the benchmark binary"))
        .env(PROBE, store_path())
        .output()
        .expect("the probe runs");
    print!("{}", String::from_utf8_lossy(&probe.stdout));
    eprint!("{}", String::from_utf8_lossy(&probe.stderr));
}

/// Runs `sgquiz report --questions` once and prints its peak memory and time.
fn probe(db: &std::path::Path) {
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args(["report", "--questions", "--format", "json", "--store"])
        .arg(db)
        .stdout(Stdio::null())
        .status()
        .expect("sgquiz runs");
    let elapsed = started.elapsed();
    assert!(status.success(), "sgquiz report failed");
    #[cfg(unix)]
    {
        // SAFETY: `usage` is a plain struct that getrusage fills in.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: a valid pointer to an rusage.
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
        // Kilobytes on Linux, bytes on macOS.
        let kib = if cfg!(target_os = "macos") {
            usage.ru_maxrss / 1024
        } else {
            usage.ru_maxrss
        };
        println!(
            "sgquiz report --questions over {ATTEMPTS} attempts: peak memory {:.1} MiB, {:.2} s",
            kib as f64 / 1024.0,
            elapsed.as_secs_f64()
        );
    }
}

fn store_path() -> PathBuf {
    std::env::temp_dir().join(format!(
        "sgquiz-bench-{ATTEMPTS}x{QUESTIONS}-v{}.db",
        sgquiz::records::store::SCHEMA_VERSION
    ))
}

/// A store with `ATTEMPTS` attempts: each trainee has an ability, and each question a difficulty,
/// so that the analysis has real spread to find.
fn generated() -> SqliteStore {
    let path = store_path();
    if let Ok(store) = SqliteStore::open(&path) {
        let finished = Filter {
            finished_only: true,
            ..Filter::default()
        };
        let mut n = 0;
        if store.scan(&finished, &mut |_, _| n += 1).is_ok() && n == ATTEMPTS {
            return store;
        }
    }
    let _ = std::fs::remove_file(&path);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut store = SqliteStore::open(&path).expect("the benchmark store opens");
    let mut rng = Rng::new(2026);
    let mut records = Vec::with_capacity(ATTEMPTS);
    for i in 0..ATTEMPTS {
        let ability = rng.below(100) as f64 / 100.0;
        let questions: Vec<RecordedQuestion> = (0..QUESTIONS)
            .map(|q| {
                let difficulty = q as f64 / QUESTIONS as f64;
                let right =
                    (rng.below(100) as f64 / 100.0) < 0.3 + 0.7 * ability - 0.4 * difficulty;
                let wrong = ["A", "B", "C"][rng.below(3)];
                RecordedQuestion {
                    id: format!("question-{q:02}"),
                    topic: "general".to_string(),
                    kind: "single".to_string(),
                    response: json!(if right { "Right" } else { wrong }),
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
        let percent = score / QUESTIONS as f64 * 100.0;
        records.push(Record {
            id: format!("{i:032x}"),
            quiz: "bench".to_string(),
            title: "Benchmark".to_string(),
            bank_hash: "0".repeat(64),
            name: format!("Trainee {i}"),
            session: None,
            started: "2026-09-01T09:00:00Z".to_string(),
            finished: Some("2026-09-01T09:10:00Z".to_string()),
            seed: i as u64,
            settings: Settings::default(),
            order: questions.iter().map(|q| q.id.clone()).collect(),
            score: Some(score),
            max_score: QUESTIONS as f64,
            percent: Some(percent),
            pass_mark: 80.0,
            passed: Some(percent >= 80.0),
            duration_seconds: 600,
            questions,
            held: None,
        });
    }
    store
        .save_all(&records)
        .expect("the benchmark data is saved");
    store
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn question_analysis(bencher: divan::Bencher) {
    let store = generated();
    bencher.bench_local(|| {
        let mut analysis = Analysis::default();
        store
            .scan(&Filter::default(), &mut |record, answers| {
                analysis.add(record, answers)
            })
            .expect("the store reads");
        let stats = analysis.finish();
        assert_eq!(stats.len(), QUESTIONS);
        stats
    });
}
