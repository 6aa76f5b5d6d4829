//! Two figures for the PostgreSQL store, on a server of your own (never a trust's live one):
//!
//! 1. The question analysis over 1,000,000 finished attempts of a 20-question quiz (20,000,000
//!    answers), as `sgquiz report --questions` does it (`Store::question_analysis`), side by
//!    side with its yardstick: the same analysis as hand-written SQL (`postgres_analysis.sql`)
//!    run by `psql` on the same server. The target is within 1.5 times the yardstick.
//! 2. Saving one answer (`Store::save_answer`, one statement, so one round trip): the 50th and
//!    99th percentiles and the slowest of 2,000 saves. The target is a 99th percentile under
//!    20 ms on loopback.
//!
//! Run with `SGQUIZ_BENCH_POSTGRES=postgres://USER:PASSWORD@127.0.0.1:PORT/DB cargo bench
//! --bench postgres`; the role must own the database. The data is generated on the server
//! (about 4 GB) on the first run and kept for later ones while it still holds the right
//! number of attempts. `SGQUIZ_BENCH_ATTEMPTS` sets another number of attempts.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sgquiz::engine::marking::{Answer, Outcome};
use sgquiz::engine::plan::Settings;
use sgquiz::records::record::{Hold, Record, RecordedQuestion};
use sgquiz::records::store::{Filter, Location, Store};

const QUESTIONS: i64 = 20;
const RUNS: usize = 5;
const SAVES: usize = 2_000;

fn main() {
    let Ok(url) = std::env::var("SGQUIZ_BENCH_POSTGRES") else {
        eprintln!(
            "set SGQUIZ_BENCH_POSTGRES to the address of a database of your own, such as \
             postgres://bench:secret@127.0.0.1:5432/sgquiz_bench (see the top of \
             benches/postgres.rs)"
        );
        std::process::exit(2);
    };
    let attempts: i64 = std::env::var("SGQUIZ_BENCH_ATTEMPTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let location = Location::of(std::path::Path::new(&url));
    let mut store = location.open().expect("the benchmark's database opens");
    generate(&url, attempts);
    analysis(&url, store.as_ref(), attempts);
    saves(store.as_mut());
}

fn client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("the benchmark connects")
}

/// Fills the database with `attempts` finished attempts, unless it holds them already: each
/// trainee has an ability and each question a difficulty, so that the analysis has real spread.
fn generate(url: &str, attempts: i64) {
    let mut c = client(url);
    let have: i64 = c
        .query_one(
            "SELECT count(*) FROM attempts
             WHERE quiz = 'bench' AND finished IS NOT NULL AND percent IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    if have == attempts {
        return;
    }
    eprintln!("generating {attempts} attempts of {QUESTIONS} questions on the server…");
    let started = Instant::now();
    c.batch_execute(
        "DELETE FROM attempts WHERE quiz = 'bench';
         SELECT setseed(0.2026);",
    )
    .unwrap();
    c.execute(
        "INSERT INTO attempts (id, quiz, title, bank_hash, name, name_key, started, finished,
             seed, settings, question_order, max_score, pass_mark, duration_seconds)
         SELECT lpad(to_hex(i), 32, '0'), 'bench', 'Benchmark', repeat('0', 64),
                'Trainee ' || i, 'trainee ' || i, '2026-09-01T09:00:00Z',
                '2026-09-01T09:10:00Z', i, '{}', '[]', $2, 80, 600
         FROM generate_series(1, $1::int8) AS i",
        &[&attempts, &(QUESTIONS as f64)],
    )
    .unwrap();
    c.execute(
        "INSERT INTO answers (attempt, position, question, share, wrong, outcome, points,
             max_points, response, topic, kind, answer)
         SELECT t.seq, q, 'question-' || lpad(q::text, 2, '0'),
                CASE WHEN a.right THEN 1 ELSE 0 END,
                CASE WHEN a.right THEN NULL ELSE a.wrong END,
                CASE WHEN a.right THEN 'correct' ELSE 'incorrect' END,
                CASE WHEN a.right THEN 1 ELSE 0 END, 1,
                CASE WHEN a.right THEN '\"Right\"' ELSE a.wrong END,
                'general', 'single', '{\"Choice\":0}'
         FROM attempts t
         CROSS JOIN generate_series(0, $1::int4 - 1) AS q
         CROSS JOIN LATERAL (
             SELECT random() < 0.3 + 0.7 * ((t.seq * 7919) % 100) / 100.0 - 0.4 * q / $1::int4
                        AS right,
                    (ARRAY['\"A\"', '\"B\"', '\"C\"'])[1 + floor(random() * 3)::int] AS wrong
         ) AS a
         WHERE t.quiz = 'bench'",
        &[&(QUESTIONS as i32)],
    )
    .unwrap();
    c.execute(
        "UPDATE attempts t SET score = s.score, percent = s.score / t.max_score * 100,
             passed = s.score / t.max_score * 100 >= t.pass_mark
         FROM (SELECT attempt, sum(points) AS score FROM answers GROUP BY attempt) AS s
         WHERE s.attempt = t.seq AND t.quiz = 'bench'",
        &[],
    )
    .unwrap();
    // Each on its own: VACUUM cannot run inside a transaction, and several statements sent at
    // once are one.
    c.batch_execute("VACUUM ANALYZE attempts").unwrap();
    c.batch_execute("VACUUM ANALYZE answers").unwrap();
    eprintln!("generated in {:.0} s", started.elapsed().as_secs_f64());
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The analysis by sgquiz and by psql, taken in turns so that both meet the same machine.
fn analysis(url: &str, store: &dyn Store, attempts: i64) {
    let sql = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/postgres_analysis.sql");
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let started = Instant::now();
        let stats = store
            .question_analysis(&Filter::default())
            .expect("the analysis runs");
        ours.push(started.elapsed());
        assert_eq!(stats.len(), QUESTIONS as usize);
        let started = Instant::now();
        let status = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", sql, url])
            .stdout(Stdio::null())
            .status()
            .expect("psql runs");
        theirs.push(started.elapsed());
        assert!(status.success(), "psql ran the yardstick's SQL");
    }
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "question analysis over {attempts} attempts x {QUESTIONS} questions (median of {RUNS}): \
         sgquiz {:.2} s, psql {:.2} s, ratio {:.2}",
        ours.as_secs_f64(),
        theirs.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

/// Saves `SAVES` answers of one held attempt, one at a time, as a quiz does.
fn saves(store: &mut dyn Store) {
    let hold = Hold::new();
    let mut record = Record {
        id: format!("{:032x}", std::process::id() as u128 + (1 << 100)),
        quiz: "bench-saves".to_string(),
        title: "Saving answers".to_string(),
        bank_hash: "0".repeat(64),
        name: "Bench Saver".to_string(),
        session: None,
        started: "2026-09-01T09:00:00Z".to_string(),
        finished: None,
        seed: 1,
        settings: Settings::default(),
        order: Vec::new(),
        score: None,
        max_score: SAVES as f64,
        percent: None,
        pass_mark: 80.0,
        passed: None,
        duration_seconds: 0,
        questions: Vec::new(),
        held: Some(hold.clone()),
    };
    store.save(&record).expect("the attempt is saved");
    let mut times = Vec::with_capacity(SAVES);
    for i in 0..SAVES {
        record.questions.push(RecordedQuestion {
            id: format!("q{i}"),
            topic: "general".to_string(),
            kind: "single".to_string(),
            response: serde_json::json!("Right"),
            answer: Answer::Choice(0),
            outcome: Outcome::Correct,
            points: 1.0,
            max_points: 1.0,
        });
        record.duration_seconds = i as u64;
        let started = Instant::now();
        store
            .save_answer(&record, &hold.sitting)
            .expect("the answer is saved");
        times.push(started.elapsed());
    }
    store
        .discard(&record.id, &hold.sitting)
        .expect("the attempt is removed");
    times.sort();
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "saving one answer ({SAVES} saves): p50 {:.2} ms, p99 {:.2} ms, slowest {:.2} ms",
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0
    );
}
