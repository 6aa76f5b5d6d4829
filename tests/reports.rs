//! Reports read back from a store: trainee rows in every format, the question analysis, the
//! refresher list, and erasing a trainee.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sgquiz::records::record::Record;
use sgquiz::records::store::Location;

use crate::support::{Sg, attempt, stored, tempdir};

fn save_all(path: &Path, records: &[Record]) {
    let mut store = Location::of(path).open().unwrap();
    for r in records {
        store.save(r).unwrap();
    }
}

fn report(store: &Path, args: &[&str]) -> crate::support::Output {
    Sg::new()
        .args(["report", "--store", store.to_str().unwrap()])
        .args(args)
        .run()
}

fn passed(name: &str, when: &str) -> Record {
    attempt(name, Some(when), &[("a", true, json!("A"))])
}

fn failed(name: &str, when: &str) -> Record {
    attempt(name, Some(when), &[("a", false, json!("B"))])
}

fn db() -> PathBuf {
    tempdir("report").join("results.db")
}

#[test]
fn trainee_rows_show_each_latest_attempt_and_the_count() {
    let db = db();
    save_all(
        &db,
        &[
            failed("Sam Patel", "2026-09-01T09:00:00Z"),
            passed("sam patel", "2026-09-02T09:00:00Z"),
            failed("Alex Jones", "2026-09-01T10:00:00Z"),
            attempt("Unfinished Person", None, &[]),
        ],
    );
    let out = report(&db, &["--format", "json"]);
    out.code(0);
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0]["name"], "Alex Jones");
    assert_eq!(rows[0]["passed"], false);
    assert_eq!(rows[1]["name"], "sam patel");
    assert_eq!(rows[1]["attempts"], 2);
    assert_eq!(rows[1]["passed"], true);
    assert_eq!(rows[1]["percent"], 100.0);
    assert_eq!(rows[1]["duration_seconds"], 125);

    let table = report(&db, &[]);
    table
        .code(0)
        .stdout_has("NAME")
        .stdout_has("ATTEMPTS")
        .stdout_has("2026-09-02")
        .stdout_has("2 min 5 s");
    assert!(!table.stdout.contains("Unfinished Person"));

    let since = report(&db, &["--since", "2026-09-02", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&since.code(0).stdout).unwrap();
    assert_eq!(rows.len(), 1);
    let named = report(&db, &["--name", "ALEX JONES", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&named.code(0).stdout).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "Alex Jones");
    report(&db, &["--since", "last week"])
        .code(1)
        .stderr_has("`last week` is not a date");
}

#[test]
fn the_table_fits_the_terminal_width() {
    let db = db();
    let long = "Professor Bartholomew Fortescue-Wigglesworth-Montgomery the Third";
    save_all(&db, &[passed(long, "2026-09-01T09:00:00Z")]);
    for width in [72, 80] {
        let out = Sg::new()
            .args(["report", "--store", db.to_str().unwrap()])
            .env("COLUMNS", &width.to_string())
            .run();
        out.code(0);
        assert!(!out.stdout.contains('…'), "nothing is cut: {}", out.stdout);
        // The table fits; the last line names the store, whose path cannot be cut.
        for line in out
            .stdout
            .lines()
            .filter(|l| !l.starts_with("Results store: "))
        {
            assert!(line.chars().count() <= width, "{width}: {line:?}");
        }
        // The long name is wrapped in its column: its first and last words are there whole.
        assert!(out.stdout.contains("Professor") && out.stdout.contains("Third"));
    }
    let wide = Sg::new()
        .args(["report", "--store", db.to_str().unwrap()])
        .env("COLUMNS", "200")
        .run();
    wide.code(0).stdout_has(long);
}

#[test]
fn csv_is_safe_in_a_spreadsheet_and_names_survive() {
    let db = db();
    let names = [
        "Patel, Sam",
        "Sam \"The Teacher\" Patel",
        "=HYPERLINK(\"http://example.invalid\")",
        "+44 7700 900000",
        "-Sam",
        "@Sam",
        "Zoë Ó Briain",
    ];
    let records: Vec<Record> = names
        .iter()
        .map(|n| passed(n, "2026-09-01T09:00:00Z"))
        .collect();
    save_all(&db, &records);
    let out = report(&db, &["--format", "csv"]);
    out.code(0);
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "name");
    let read: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    let mut expected: Vec<String> = names
        .iter()
        .map(|n| {
            if n.starts_with(['=', '+', '-', '@']) {
                format!("'{n}")
            } else {
                n.to_string()
            }
        })
        .collect();
    expected.sort_by_key(|n| n.to_lowercase());
    let mut read_sorted = read.clone();
    read_sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(read_sorted, expected);
    // No cell at all begins with a formula character.
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    for row in reader.records() {
        for cell in row.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r'])
                    && (!cell.starts_with('-') || cell.parse::<f64>().is_ok()),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn csv_lines_end_with_crlf_and_a_byte_order_mark_is_an_option_for_excel() {
    let db = db();
    save_all(&db, &[passed("Élodie", "2026-09-01T09:00:00Z")]);
    let plain = report(&db, &["--format", "csv"]);
    let text = &plain.code(0).stdout;
    assert!(text.starts_with("name,"), "{text:?}");
    assert!(text.contains("\r\nÉlodie,"), "{text:?}");
    assert!(text.ends_with("\r\n"), "{text:?}");
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    let excel = report(&db, &["--format", "csv", "--bom"]);
    let with_bom = &excel.code(0).stdout;
    assert_eq!(with_bom.strip_prefix('\u{feff}'), Some(text.as_str()));
    report(&db, &["--bom"])
        .code(1)
        .stderr_has("--bom is for CSV: add --format csv");
}

#[test]
fn a_name_that_starts_with_a_hyphen_is_a_name() {
    let db = db();
    save_all(&db, &[passed("-3", "2026-09-01T09:00:00Z")]);
    report(&db, &["--name", "-3", "--format", "csv"])
        .code(0)
        .stdout_has("\r\n-3,q,");
    Sg::new()
        .args([
            "run",
            "tests/fixtures/clean/clean.toml",
            "--plain",
            "--name",
            "-4",
        ])
        .args(["--store", db.to_str().unwrap()])
        .stdin("true\n")
        .run()
        .code(0);
    assert!(stored(&db).iter().any(|r| r.name == "-4"));
    Sg::new()
        .args([
            "forget",
            "--name",
            "-3",
            "--yes",
            "--store",
            db.to_str().unwrap(),
        ])
        .run()
        .code(0)
        .stdout_has("Erased 1 record of -3.");
}

#[test]
fn a_name_with_a_line_break_survives_the_csv() {
    let db = db();
    // Names typed at the prompt never hold a line break, but a record file might.
    let mut r = passed("x", "2026-09-01T09:00:00Z");
    r.name = "Line one\nline two, with a comma".to_string();
    save_all(&db, &[r]);
    let out = report(&db, &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.code(0).stdout.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[0], "Line one\nline two, with a comma");
    let table = Sg::new()
        .args(["report", "--store", db.to_str().unwrap()])
        .env("COLUMNS", "120")
        .run();
    table.code(0).stdout_has("Line one line two");
}

#[test]
fn question_analysis_puts_the_hardest_first() {
    let db = db();
    let mut records = Vec::new();
    // 20 attempts: "easy" right by all; "hard" right only by the strongest five, and most who
    // miss it pick "C"; "middle" right by half.
    for i in 0..20 {
        let strong = i >= 15;
        let wrong = if i % 3 == 0 { json!("D") } else { json!("C") };
        records.push(attempt(
            &format!("Trainee {i}"),
            Some("2026-09-01T09:00:00Z"),
            &[
                ("easy", true, json!("A")),
                ("hard", strong, if strong { json!("A") } else { wrong }),
                ("middle", i >= 10, json!(if i >= 10 { "A" } else { "B" })),
            ],
        ));
    }
    records.push(attempt("Unfinished", None, &[("hard", false, json!("Z"))]));
    save_all(&db, &records);
    let out = report(&db, &["--questions", "--format", "json"]);
    let rows: Vec<Value> = serde_json::from_str(&out.code(0).stdout).unwrap();
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["question"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["hard", "middle", "easy"]);
    assert_eq!(
        rows[0]["answered"], 20,
        "the unfinished attempt is not counted"
    );
    assert_eq!(rows[0]["facility"], 25.0);
    assert_eq!(rows[0]["common_wrong_answer"], "C");
    assert_eq!(rows[0]["common_wrong_count"], 10);
    // Top 27% (5 attempts) all got "hard" right; bottom 27% none did.
    assert_eq!(rows[0]["discrimination"], 1.0);
    assert_eq!(rows[2]["discrimination"], 0.0);
    assert_eq!(rows[2]["common_wrong_answer"], Value::Null);
    // The same with a filter (which the database reads another way), and from a folder store.
    let filtered = report(&db, &["--questions", "--quiz", "q", "--format", "json"]);
    assert_eq!(filtered.code(0).stdout, out.stdout);
    let folder = db.parent().unwrap().join("folder");
    std::fs::create_dir_all(&folder).unwrap();
    save_all(&folder, &records);
    let from_folder = report(&folder, &["--questions", "--format", "json"]);
    assert_eq!(from_folder.code(0).stdout, out.stdout);
    let table = report(&db, &["--questions"]);
    table
        .code(0)
        .stdout_has("FACILITY")
        .stdout_has("DISCRIMINATION")
        .stdout_has("C (10×)");
}

#[test]
fn the_refresher_list_names_who_is_due() {
    let db = db();
    let now = jiff::Timestamp::now();
    let ago = |days: i64| {
        sgquiz::records::record::timestamp(
            now.checked_sub(jiff::SignedDuration::from_hours(24 * days))
                .unwrap(),
        )
    };
    save_all(
        &db,
        &[
            passed("Old Pass", &ago(500)),
            passed("Recent Pass", &ago(35)),
            failed("Never Passed", &ago(10)),
            passed("Passed Then Failed", &ago(40)),
            failed("Passed Then Failed", &ago(5)),
            attempt("Only Started", None, &[]),
        ],
    );
    // The records' bank is no bundled quiz's, so its passes count once it is named.
    let out = report(
        &db,
        &["--due", "12m", "--format", "json", "--bank", "0000000"],
    );
    let rows: Vec<Value> = serde_json::from_str(&out.code(0).stdout).unwrap();
    let mut names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["Never Passed", "Old Pass", "Only Started"]);
    let out = report(
        &db,
        &["--due", "30d", "--format", "json", "--bank", "0000000"],
    );
    let rows: Vec<Value> = serde_json::from_str(&out.code(0).stdout).unwrap();
    let mut names: Vec<&str> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Never Passed",
            "Old Pass",
            "Only Started",
            "Passed Then Failed",
            "Recent Pass"
        ]
    );
    report(&db, &["--due", "12m"])
        .code(0)
        .stdout_has("never")
        .stdout_has("Due a refresher");
    report(&db, &["--due", "soon"])
        .code(1)
        .stderr_has("`soon` is not a period");
}

#[test]
fn a_report_on_no_store_says_so_and_makes_none() {
    let dir = tempdir("report");
    let db = dir.join("none.db");
    report(&db, &[])
        .code(1)
        .stderr_has("there is no results store at")
        .stderr_has(db.to_str().unwrap());
    assert!(!db.exists());
}

#[test]
fn forget_erases_a_trainee_after_confirmation() {
    let db = db();
    save_all(
        &db,
        &[
            passed("Sam Patel", "2026-09-01T09:00:00Z"),
            failed("sam patel", "2026-09-02T09:00:00Z"),
            attempt("Sam Patel", None, &[]),
            passed("Alex Jones", "2026-09-01T09:00:00Z"),
        ],
    );
    let forget = |stdin: &str, extra: &[&str]| {
        Sg::new()
            .args([
                "forget",
                "--name",
                "Sam Patel",
                "--store",
                db.to_str().unwrap(),
            ])
            .args(extra)
            .stdin(stdin)
            .run()
    };
    forget("n\n", &[])
        .code(0)
        .stdout_has("Erase all 3 records of Sam Patel? This cannot be undone.")
        .stdout_has("Nothing was erased.");
    assert_eq!(stored(&db).len(), 4);
    forget("", &[]).code(3);
    assert_eq!(stored(&db).len(), 4);
    forget("maybe\nyes\n", &[])
        .code(0)
        .stdout_has("type yes or no")
        .stdout_has("Erased 3 records of Sam Patel.");
    let left = stored(&db);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].name, "Alex Jones");
    // Gone from the files too, not just from view: no answer rows left over, and the name's
    // bytes nowhere in the database or its log.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let answers: i64 = conn
        .query_row("SELECT count(*) FROM answers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(answers, 1, "only Alex's answer is left");
    drop(conn);
    for file in [db.clone(), db.with_extension("db-wal")] {
        if let Ok(bytes) = std::fs::read(&file) {
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            assert!(
                !text.contains("sam patel"),
                "{} still holds the name",
                file.display()
            );
        }
    }
    forget("", &["--yes"])
        .code(0)
        .stdout_has("There are no records of Sam Patel.");
    Sg::new()
        .args([
            "forget",
            "--name",
            "Alex Jones",
            "--yes",
            "--store",
            db.to_str().unwrap(),
        ])
        .run()
        .code(0)
        .stdout_has("Erased 1 record of Alex Jones.");
    assert!(stored(&db).is_empty());
}

#[test]
fn forget_works_on_a_folder_store() {
    let dir = tempdir("report");
    let folder = dir.join("shared");
    std::fs::create_dir_all(&folder).unwrap();
    save_all(
        &folder,
        &[
            passed("Sam Patel", "2026-09-01T09:00:00Z"),
            attempt("Sam Patel", None, &[]),
            passed("Alex Jones", "2026-09-01T09:00:00Z"),
        ],
    );
    Sg::new()
        .args([
            "forget",
            "--name",
            "sam patel",
            "--yes",
            "--store",
            folder.to_str().unwrap(),
        ])
        .run()
        .code(0)
        .stdout_has("Erased 2 records");
    let left = stored(&folder);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].name, "Alex Jones");
}
