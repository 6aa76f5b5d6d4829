//! What only the PostgreSQL store does: the question analysis summed by the server (checked
//! against the same analysis counted in sgquiz, over data with ties, partial credit and
//! unfinished attempts), and erasure that leaves no copy in the tables' files.

use serde_json::json;
use sgquiz::engine::marking::{Answer, Outcome};
use sgquiz::engine::plan::Settings;
use sgquiz::engine::rng::Rng;
use sgquiz::records::record::{Record, RecordedQuestion};
use sgquiz::records::store::{Filter, Location};

use crate::support::postgres::{self as pg, Cluster};

/// `n` attempts of two quizzes, in order of age, with percentages that tie often (few
/// questions), partly right answers, wrong answers that tie in count, and every tenth attempt
/// unfinished.
fn records(n: usize, seed: u64) -> Vec<Record> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let quiz = if i % 3 == 0 { "second" } else { "first" };
            let finished = i % 10 != 7;
            let asked = 3 + rng.below(3);
            let questions: Vec<RecordedQuestion> = (0..asked)
                .map(|q| {
                    let roll = rng.below(4);
                    let (outcome, points) = match roll {
                        0 | 1 => (Outcome::Correct, 2.0),
                        2 => (Outcome::Partial, 1.0),
                        _ => (Outcome::Incorrect, 0.0),
                    };
                    let response = if roll < 2 {
                        json!("Right")
                    } else {
                        [json!("B"), json!("A"), json!("C"), json!(["x", "y"])][rng.below(4)]
                            .clone()
                    };
                    RecordedQuestion {
                        id: format!("q{}", (q + i) % 5),
                        topic: "general".to_string(),
                        kind: "single".to_string(),
                        response,
                        answer: Answer::Choice(0),
                        outcome,
                        points,
                        max_points: 2.0,
                    }
                })
                .collect();
            let score: f64 = questions.iter().map(|q| q.points).sum();
            let max = 2.0 * questions.len() as f64;
            let percent = score / max * 100.0;
            Record {
                id: format!("{i:032x}"),
                quiz: quiz.to_string(),
                title: quiz.to_string(),
                bank_hash: "0".repeat(64),
                name: format!("Trainee {}", i % 17),
                session: (i % 2 == 0).then(|| "ABCDEF".to_string()),
                started: format!("2026-09-{:02}T09:00:00Z", 1 + i % 28),
                finished: finished.then(|| format!("2026-09-{:02}T09:10:00Z", 1 + i % 28)),
                seed: i as u64,
                settings: Settings::default(),
                order: questions.iter().map(|q| q.id.clone()).collect(),
                score: finished.then_some(score),
                max_score: max,
                percent: finished.then_some(percent),
                pass_mark: 50.0,
                passed: finished.then_some(percent >= 50.0),
                duration_seconds: 60,
                questions,
                held: None,
            }
        })
        .collect()
}

#[test]
fn the_servers_question_analysis_is_the_one_counted_here() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("pg-analysis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = pg::fresh_database();
    let mut here = Location::of(&dir.join("results.db")).open().unwrap();
    let mut server = Location::of(std::path::Path::new(&url)).open().unwrap();
    let data = records(400, 7);
    here.save_all(&data).unwrap();
    server.save_all(&data).unwrap();
    let filters = [
        Filter::default(),
        Filter {
            quiz: Some("second".to_string()),
            ..Filter::default()
        },
        Filter {
            session: Some("ABCDEF".to_string()),
            since: Some("2026-09-10T00:00:00Z".to_string()),
            ..Filter::default()
        },
        Filter {
            name: Some("TRAINEE 3".to_string()),
            ..Filter::default()
        },
    ];
    for filter in &filters {
        let counted = serde_json::to_value(here.question_analysis(filter).unwrap()).unwrap();
        let summed = serde_json::to_value(server.question_analysis(filter).unwrap()).unwrap();
        assert_eq!(summed, counted, "{filter:?}");
    }
    let all = here.question_analysis(&Filter::default()).unwrap();
    assert!(
        all.iter().all(|q| q.discrimination.is_some()),
        "enough attempts for the upper and lower groups: {all:?}"
    );
    assert!(all.iter().any(|q| q.common_wrong_answer.is_some()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every file of the database's tables and indexes, as bytes (after a checkpoint, so that
/// what the server holds in memory is on disk).
fn table_files(url: &str) -> Vec<u8> {
    let server = pg::server();
    let db = Cluster::database_of(url);
    let sql = "CHECKPOINT; SELECT current_setting('data_directory') || '/' || \
               pg_relation_filepath(c.oid) FROM pg_class c \
               JOIN pg_namespace n ON n.oid = c.relnamespace \
               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')";
    let mut bytes = Vec::new();
    for path in server.psql(&db, sql).lines().filter(|l| l.starts_with('/')) {
        for entry in std::fs::read_dir(std::path::Path::new(path).parent().unwrap()).unwrap() {
            let entry = entry.unwrap().path();
            let base = std::path::Path::new(path)
                .file_name()
                .unwrap()
                .to_str()
                .unwrap();
            let name = entry.file_name().unwrap().to_str().unwrap().to_string();
            // The relation's file and its further segments (`N.1`), not its free-space map.
            if name == base || name.starts_with(&format!("{base}.")) {
                bytes.extend(std::fs::read(&entry).unwrap());
            }
        }
    }
    bytes
}

#[test]
fn forget_leaves_no_copy_of_the_name_in_the_tables_files() {
    let url = pg::fresh_database();
    let mut store = Location::of(std::path::Path::new(&url)).open().unwrap();
    let mut data = records(60, 11);
    for r in data.iter_mut().step_by(4) {
        r.name = "Zebedee Quartermain".to_string();
    }
    store.save_all(&data).unwrap();
    let contains =
        |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(
        contains(&table_files(&url), "Zebedee Quartermain"),
        "the test can see a name in the files"
    );
    let gone = store.forget("zebedee quartermain").unwrap();
    assert_eq!(gone, 15);
    let files = table_files(&url);
    assert!(!contains(&files, "Zebedee Quartermain"));
    assert!(!contains(&files, "zebedee quartermain"), "nor its key");
    assert!(contains(&files, "Trainee 1"), "the others are kept");
    assert_eq!(store.count().unwrap(), 45);
}

#[test]
fn every_attempt_is_read_back_whole_through_the_cursor_however_many() {
    let url = pg::fresh_database();
    let mut store = Location::of(std::path::Path::new(&url)).open().unwrap();
    // More than two of the cursor's batches of 500, and not a multiple of them.
    let data = records(1234, 5);
    store.save_all(&data).unwrap();
    let mut read = Vec::new();
    store
        .each_record(&Filter::default(), &mut |r| {
            read.push(r);
            Ok(())
        })
        .unwrap();
    assert_eq!(read.len(), data.len());
    for (got, want) in read.iter().zip(&data) {
        assert_eq!(got.id, want.id, "in the order they were saved");
        assert_eq!(
            serde_json::to_value(&got.questions).unwrap(),
            serde_json::to_value(&want.questions).unwrap(),
            "{}",
            want.id
        );
    }
    let mut seen = 0;
    let stopped = store.each_record(&Filter::default(), &mut |_| {
        seen += 1;
        if seen == 700 {
            anyhow::bail!("the target is full")
        }
        Ok(())
    });
    assert_eq!(stopped.unwrap_err().to_string(), "the target is full");
    assert_eq!(seen, 700, "nothing is visited after the first error");
}
