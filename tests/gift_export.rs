//! GIFT export, read back two ways: by `sgquiz import` (which reads as Moodle's importer does)
//! and by an independent parser, gift-pegjs from the npm registry, run by
//! `tools/gift-check/gift-check.mjs`. The bundled banks must read back as the banks say, and the
//! corpus must survive a round trip (import, export, read again). Node.js and npm are required:
//! without them these tests fail rather than pass unchecked.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};
use sgquiz::bank::{Bank, Kind, Scoring};
use sgquiz::util::text::reflow;

use crate::gift_corpus::{corpus, files, held};
use crate::support::{Sg, fixture, tempdir};

fn tool_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/gift-check")
}

/// Installs gift-pegjs from the lock file once, if it is not there yet.
fn installed() -> &'static Path {
    static DONE: OnceLock<PathBuf> = OnceLock::new();
    DONE.get_or_init(|| {
        let dir = tool_dir();
        if !dir.join("node_modules/gift-pegjs").is_dir() {
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir)
                .status()
                .expect("npm is needed for the GIFT cross-check: install Node.js and npm");
            assert!(status.success(), "`npm ci` failed in {}", dir.display());
        }
        dir
    })
}

/// What gift-pegjs reads in each file, in the order given.
fn pegjs(files: &[PathBuf]) -> Vec<Value> {
    let dir = installed();
    let out = Command::new("node")
        .arg(dir.join("gift-check.mjs"))
        .args(files)
        .output()
        .expect("node is needed for the GIFT cross-check: install Node.js");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "gift-check.mjs printed no report ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report.as_array().unwrap().clone()
}

/// A bank question in the shape `gift_corpus::held` gives, its texts as the quiz shows them.
fn bank_shape(q: &sgquiz::bank::Question) -> Value {
    let r = |s: &str| reflow(s).trim().to_string();
    let choices = |cs: &[sgquiz::bank::Choice]| -> Vec<Value> {
        cs.iter()
            .map(|c| {
                json!([
                    r(&c.text),
                    c.correct,
                    c.feedback.as_deref().map(r).unwrap_or_default()
                ])
            })
            .collect()
    };
    let mut out = json!({"type": q.kind.name(), "prompt": r(&q.prompt)});
    match &q.kind {
        Kind::Single { choices: cs } | Kind::Multiple { choices: cs, .. } => {
            out["choices"] = json!(choices(cs))
        }
        Kind::TrueFalse { answer } => out["answer"] = json!(answer),
        Kind::Number { answer, tolerance } => {
            out["answer"] = json!(answer);
            out["tolerance"] = json!(tolerance);
        }
        // A typed answer is matched with its spaces collapsed, so GIFT writes it on one line.
        Kind::Text { accept } => {
            let one_line = |a: &String| a.replace('\n', " ").trim().to_string();
            out["accept"] = json!(accept.iter().map(one_line).collect::<Vec<_>>())
        }
        Kind::Match { pairs } => {
            out["pairs"] = pairs
                .iter()
                .map(|p| json!([r(&p.left), r(&p.right)]))
                .collect()
        }
        Kind::Order { .. } => {}
    }
    let mut general = r(&q.explanation);
    if let Some(reference) = &q.reference {
        general.push_str(&format!("\n\nSource: {}", reference.replace('\n', " ")));
    }
    out["general"] = json!(general);
    out
}

/// The same shape from gift-pegjs's reading, with the grades Moodle would give each choice.
fn pegjs_shape(q: &Value) -> (Value, Vec<f64>) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut out = json!({"prompt": q["prompt"], "general": q["general"]});
    let mut weights = Vec::new();
    let choices = q["choices"].as_array().cloned().unwrap_or_default();
    match q["type"].as_str().unwrap() {
        "MC" if choices.iter().any(|c| !c["weight"].is_null()) => {
            out["type"] = json!("multiple");
            weights = choices
                .iter()
                .map(|c| c["weight"].as_f64().unwrap_or(0.0))
                .collect();
            out["choices"] = choices
                .iter()
                .map(|c| {
                    json!([
                        s(&c["text"]),
                        c["weight"].as_f64().unwrap_or(0.0) > 0.0,
                        s(&c["feedback"])
                    ])
                })
                .collect();
        }
        "MC" => {
            out["type"] = json!("single");
            out["choices"] = choices
                .iter()
                .map(|c| json!([s(&c["text"]), c["correct"], s(&c["feedback"])]))
                .collect();
        }
        "TF" => {
            out["type"] = json!("true_false");
            out["answer"] = q["answer"].clone();
        }
        "Numerical" => {
            out["type"] = json!("number");
            let c = &choices[0];
            let (answer, tolerance) = match c["kind"].as_str() {
                Some("high-low") => {
                    let (hi, lo) = (c["high"].as_f64().unwrap(), c["low"].as_f64().unwrap());
                    ((hi + lo) / 2.0, (hi - lo) / 2.0)
                }
                _ => (
                    c["number"].as_f64().unwrap(),
                    c["range"].as_f64().unwrap_or(0.0),
                ),
            };
            out["answer"] = json!(answer);
            out["tolerance"] = json!(tolerance);
        }
        "Short" => {
            out["type"] = json!("text");
            out["accept"] = choices.iter().map(|c| json!(s(&c["text"]))).collect();
        }
        "Matching" => {
            out["type"] = json!("match");
            out["pairs"] = q["pairs"].clone();
        }
        other => out["type"] = json!(other),
    }
    (out, weights)
}

/// The grades a bank's multiple-choice question should carry in GIFT.
fn grades(q: &sgquiz::bank::Question) -> Vec<f64> {
    let Kind::Multiple { choices, scoring } = &q.kind else {
        return Vec::new();
    };
    let right = choices.iter().filter(|c| c.correct).count().max(1);
    let (share, _) = sgquiz::authoring::gift::nearest_grade(100.0 / right as f64);
    let wrong = if *scoring == Scoring::All {
        -100.0
    } else {
        -share
    };
    choices
        .iter()
        .map(|c| if c.correct { share } else { wrong })
        .collect()
}

/// gift-pegjs reads runs of spaces (no-break spaces among them) as one space, as a browser shows
/// them, so they are compared so.
fn squeeze(v: Value) -> Value {
    match v {
        Value::String(s) => {
            let mut out = String::new();
            for c in s.chars().map(|c| if c == '\u{a0}' { ' ' } else { c }) {
                if !(c == ' ' && out.ends_with(' ')) {
                    out.push(c);
                }
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(squeeze).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, squeeze(v))).collect())
        }
        other => other,
    }
}

fn close(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(1.0)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| close(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        _ => a == b,
    }
}

/// The bundled banks, and a fixture of texts that mean something else in GIFT.
fn bundled() -> Vec<(String, String, Bank)> {
    let tricky = std::fs::read_to_string(fixture("gift/tricky.toml")).unwrap();
    sgquiz::bank::catalog::BUNDLED
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .chain([("tricky.toml".to_string(), tricky)])
        .map(|(name, text)| {
            let bank = sgquiz::bank::load::load_str(&name, &text).unwrap();
            (name, text, bank)
        })
        .collect()
}

#[test]
fn bundled_banks_read_back_from_gift_as_the_banks_say() {
    let dir = tempdir("gift-export");
    let mut failures = Vec::new();
    let mut exported = Vec::new();
    for (name, text, bank) in bundled() {
        let source = dir.join(&name);
        let gift = dir.join(format!("{name}.gift"));
        std::fs::write(&source, text).unwrap();
        Sg::new()
            .args(["export", source.to_str().unwrap(), "--format", "gift"])
            .args(["-o", gift.to_str().unwrap()])
            .run()
            .code(0);
        // Read back as Moodle reads it.
        let back = dir.join(format!("{name}.back.toml"));
        Sg::new()
            .args([
                "import",
                gift.to_str().unwrap(),
                "-o",
                back.to_str().unwrap(),
            ])
            .run()
            .code(0);
        let table: toml::Table = toml::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
        let read: Vec<Value> = table["question"]
            .as_array()
            .unwrap()
            .iter()
            .map(held)
            .collect();
        let kept: Vec<_> = bank
            .questions
            .iter()
            .filter(|q| q.kind.name() != "order")
            .collect();
        assert_eq!(read.len(), kept.len(), "{name}: questions lost");
        for (q, got) in kept.iter().zip(&read) {
            if !close(&bank_shape(q), got) {
                failures.push(format!(
                    "{name}: `{}` reads back as\n  {got}\nnot\n  {}",
                    q.id,
                    bank_shape(q)
                ));
            }
        }
        exported.push((name, gift, kept.into_iter().cloned().collect::<Vec<_>>()));
    }
    // And as gift-pegjs reads it.
    let paths: Vec<PathBuf> = exported.iter().map(|(_, g, _)| g.clone()).collect();
    for ((name, _, kept), report) in exported.iter().zip(pegjs(&paths)) {
        assert!(
            report["error"].is_null(),
            "gift-pegjs cannot read {name}: {}",
            report["error"]
        );
        let questions: Vec<&Value> = report["questions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| q["type"] != "Category")
            .collect();
        assert_eq!(
            questions.len(),
            kept.len(),
            "{name}: gift-pegjs found another number of questions"
        );
        for (q, p) in kept.iter().zip(questions) {
            let (shape, weights) = pegjs_shape(p);
            let accepted = |w: &f64| {
                sgquiz::authoring::gift::MOODLE_GRADES
                    .iter()
                    .any(|g| (g - w.abs()).abs() < 1e-9)
            };
            assert!(
                weights.iter().all(accepted),
                "{name}: `{}` has a grade Moodle refuses: {weights:?}",
                q.id
            );
            if !close(&squeeze(bank_shape(q)), &squeeze(shape.clone()))
                || !close(&json!(grades(q)), &json!(weights))
            {
                failures.push(format!(
                    "{name}: gift-pegjs reads `{}` as\n  {shape} {weights:?}\nnot\n  {} {:?}",
                    q.id,
                    bank_shape(q),
                    grades(q)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_survives_a_round_trip_through_sgquiz() {
    let root = corpus();
    let dir = tempdir("gift-round-trip");
    let mut failures = Vec::new();
    let mut trips = Vec::new();
    for (n, rel) in files(&root.join("files")).iter().enumerate() {
        let first = dir.join(format!("{n}.toml"));
        Sg::new()
            .args(["import", root.join("files").join(rel).to_str().unwrap()])
            .args(["-o", first.to_str().unwrap()])
            .run();
        let Ok(bank) = sgquiz::bank::load::load_path(&first) else {
            continue; // nothing a bank can hold, or a bank that `check` refuses
        };
        let gift = dir.join(format!("{n}.gift"));
        Sg::new()
            .args(["export", first.to_str().unwrap(), "--format", "gift"])
            .args(["-o", gift.to_str().unwrap()])
            .run()
            .code(0);
        let second = dir.join(format!("{n}.again.toml"));
        Sg::new()
            .args([
                "import",
                gift.to_str().unwrap(),
                "-o",
                second.to_str().unwrap(),
            ])
            .run()
            .code(0);
        let table: toml::Table =
            toml::from_str(&std::fs::read_to_string(&second).unwrap()).unwrap();
        let again: Vec<Value> = table["question"]
            .as_array()
            .unwrap()
            .iter()
            .map(held)
            .collect();
        assert_eq!(
            again.len(),
            bank.questions.len(),
            "{}: questions lost",
            rel.display()
        );
        for (q, got) in bank.questions.iter().zip(&again) {
            if !close(&bank_shape(q), got) {
                failures.push(format!(
                    "{}: `{}` comes back as\n  {got}\nnot\n  {}",
                    rel.display(),
                    q.id,
                    bank_shape(q)
                ));
            }
        }
        trips.push((rel.clone(), gift, bank));
    }
    println!(
        "GIFT round trips: {} corpus files made a bank that `check` accepts",
        trips.len()
    );
    assert!(
        trips.len() >= 100,
        "only {} corpus files made a bank",
        trips.len()
    );
    let paths: Vec<PathBuf> = trips.iter().map(|(_, g, _)| g.clone()).collect();
    for ((rel, _, bank), report) in trips.iter().zip(pegjs(&paths)) {
        if !report["error"].is_null() {
            failures.push(format!(
                "gift-pegjs cannot read the export of {}: {}",
                rel.display(),
                report["error"]
            ));
            continue;
        }
        let questions: Vec<&Value> = report["questions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| q["type"] != "Category")
            .collect();
        for (q, p) in bank.questions.iter().zip(questions) {
            let (shape, weights) = pegjs_shape(p);
            if !close(&squeeze(bank_shape(q)), &squeeze(shape.clone()))
                || !close(&json!(grades(q)), &json!(weights))
            {
                failures.push(format!(
                    "{}: gift-pegjs reads `{}` as\n  {shape} {weights:?}\nnot\n  {} {:?}",
                    rel.display(),
                    q.id,
                    bank_shape(q),
                    grades(q)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Asserts `text` against the snapshot `name` in `tests/snapshots/`, temporary paths hidden.
#[track_caller]
fn snap(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.add_filter(
        &format!(
            r"{}/[A-Za-z-]+-\d+-\d+",
            regex_escape(env!("CARGO_TARGET_TMPDIR"))
        ),
        "[TMP]",
    );
    settings.bind(|| insta::assert_snapshot!(name, text));
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// `sgquiz ARGS`, shown with its exit status and both streams.
fn shown(args: &[&str]) -> String {
    let out = Sg::new().env("NO_COLOR", "1").args(args).run();
    format!(
        "$ sgquiz {}\nexit status: {}\n--- stdout ---\n{}--- stderr ---\n{}",
        args.join(" "),
        out.code.map_or("killed".to_string(), |c| c.to_string()),
        out.stdout,
        out.stderr
    )
}

#[test]
fn import_of_a_file_with_the_usual_slips() {
    let dir = tempdir("gift-slips");
    let bank = dir.join("slips.toml");
    let bank = bank.to_str().unwrap();
    let import = shown(&["import", "tests/fixtures/gift/slips.gift", "-o", bank]);
    let written = std::fs::read_to_string(bank).unwrap();
    snap(
        "gift-import-slips",
        &format!("{import}\n--- {bank} ---\n{written}"),
    );
}

#[test]
fn export_of_texts_that_mean_something_else_in_gift() {
    let dir = tempdir("gift-tricky");
    let gift = dir.join("tricky.gift");
    let gift = gift.to_str().unwrap();
    let export = shown(&[
        "export",
        "tests/fixtures/gift/tricky.toml",
        "--format",
        "gift",
        "-o",
        gift,
    ]);
    let written = std::fs::read_to_string(gift).unwrap();
    let back = dir.join("back.toml");
    let import = shown(&["import", gift, "-o", back.to_str().unwrap()]);
    let read_back = std::fs::read_to_string(&back).unwrap();
    snap(
        "gift-export-tricky",
        &format!("{export}\n--- {gift} ---\n{written}\n{import}\n--- back.toml ---\n{read_back}"),
    );
}

#[test]
fn a_trainee_is_shown_the_right_number_exactly() {
    let dir = tempdir("gift-number");
    let bank = dir.join("n.toml");
    std::fs::write(
        &bank,
        "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\n[[question]]\nid = \"q\"\ntype = \"number\"\n\
         prompt = \"Type one thousandth.\"\nanswer = 0.001\ntolerance = 0.0005\n\
         explanation = \"One thousandth is 0.001.\"\n",
    )
    .unwrap();
    Sg::new()
        .args(["run", bank.to_str().unwrap()])
        .stdin("5\n")
        .run()
        .code(0)
        .stdout_has("The right answer: 0.001 (anything from 0.0005 to 0.0015 is accepted)");
}
