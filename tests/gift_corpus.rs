//! GIFT files written by others, read by `sgquiz import` as Moodle's own importer reads them.
//!
//! The corpus (`../shared/gift-corpus`, beside the checkout) holds real GIFT files and, for each,
//! how Moodle's `qformat_gift` reads it. Every question a bank can hold must come out of
//! `sgquiz import` the same: type, prompt, right answers and their credit, choice feedback,
//! general feedback, tolerance, pairs. Every question a bank cannot hold must be named on
//! standard error. The corpus is required: without it this test fails rather than passing
//! unchecked.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{Sg, tempdir};

/// Where the corpus is: beside the checkout, as CI lays it out.
pub fn corpus() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gift-corpus");
    assert!(
        root.join("files").is_dir() && root.join("moodle").is_dir(),
        "the GIFT corpus is missing: expected `files/` and `moodle/` in {}",
        root.display()
    );
    root
}

/// Every file under `dir`, sorted, as paths relative to it.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// What a bank should hold for a question as Moodle reads it, or why it cannot hold it.
fn expected(q: &Value) -> Result<Value, &'static str> {
    let mut answers = q["answers"].as_array().cloned().unwrap_or_default();
    if q["qtype"] == "multichoice" {
        // Moodle saves no empty choice (`qtype_multichoice::save_question_options`).
        answers.retain(|a| a["text"] != "");
    }
    let fraction = |a: &Value| a["fraction"].as_f64().unwrap();
    let text = |a: &Value| a["text"].as_str().unwrap().to_string();
    let feedback = |a: &Value| a["feedback"].as_str().unwrap_or("").to_string();
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let kind = match q["qtype"].as_str().unwrap() {
        "truefalse" => json!({"type": "true_false", "answer": q["correctanswer"] == 1}),
        "multichoice" if q["single"] == 1 => {
            let right = answers.iter().filter(|a| fraction(a) == 1.0).count();
            if right != 1 || answers.iter().any(|a| ![0.0, 1.0].contains(&fraction(a))) {
                return Err("part marks or several right answers in a single-answer question");
            }
            json!({"type": "single", "choices": answers.iter().map(|a| json!([text(a), fraction(a) == 1.0, feedback(a)])).collect::<Vec<_>>()})
        }
        "multichoice" => {
            let right = answers.iter().filter(|a| fraction(a) > 0.0).count() as f64;
            let even = answers.iter().all(|a| {
                let want = if fraction(a) > 0.0 { 1.0 } else { -1.0 } / right;
                (fraction(a) - want).abs() < 1e-6
            });
            if right == 0.0 || !even {
                return Err("grades that are not equal shares");
            }
            json!({"type": "multiple", "choices": answers.iter().map(|a| json!([text(a), fraction(a) > 0.0, feedback(a)])).collect::<Vec<_>>()})
        }
        "shortanswer" => {
            let fits = answers.iter().all(|a| {
                (fraction(a) == 1.0 && text(a) != "*" || fraction(a) <= 0.0)
                    && feedback(a).is_empty()
            });
            if !fits || !answers.iter().any(|a| fraction(a) == 1.0) {
                return Err("part marks or feedback on typed answers");
            }
            let accept: Vec<String> = answers
                .iter()
                .filter(|a| fraction(a) == 1.0)
                .map(text)
                .collect();
            json!({"type": "text", "accept": accept})
        }
        "numerical" => {
            let right: Vec<&Value> = answers
                .iter()
                .filter(|a| fraction(a) == 1.0 && number(&a["text"]).is_some())
                .collect();
            let rest_silent = answers.iter().all(|a| {
                feedback(a).is_empty() && (fraction(a) <= 0.0 || right.first() == Some(&a))
            });
            if right.len() != 1 || !rest_silent {
                return Err("several numeric answers, part marks or feedback");
            }
            json!({"type": "number", "answer": number(&right[0]["text"]), "tolerance": number(&right[0]["tolerance"]).unwrap_or(0.0).abs()})
        }
        "match" => {
            let pairs = q["pairs"].as_array().unwrap();
            if pairs.iter().any(|p| p[0] == "") {
                return Err("extra wrong answers in a matching question");
            }
            json!({"type": "match", "pairs": pairs})
        }
        _ => return Err("a question type a bank does not have"),
    };
    if q["text"] == "" {
        return Err("no question text");
    }
    let mut kind = kind;
    kind["prompt"] = q["text"].clone();
    if q["general"] != "" {
        kind["general"] = q["general"].clone();
    }
    Ok(kind)
}

/// The same shape, from a question of the bank `sgquiz import` wrote.
pub fn held(q: &toml::Value) -> Value {
    let s = |key: &str| {
        q.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let num = |key: &str| {
        q.get(key)
            .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
    };
    let kind = s("type");
    let mut out = json!({"type": kind, "prompt": s("prompt")});
    match kind.as_str() {
        "true_false" => out["answer"] = json!(q["answer"].as_bool()),
        "single" | "multiple" => {
            out["choices"] = q["choices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    let get = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                    json!([
                        get("text"),
                        c.get("correct").and_then(|v| v.as_bool()).unwrap_or(false),
                        get("feedback")
                    ])
                })
                .collect()
        }
        "text" => out["accept"] = serde_json::to_value(&q["accept"]).unwrap(),
        "number" => {
            out["answer"] = json!(num("answer"));
            out["tolerance"] = json!(num("tolerance").unwrap_or(0.0));
        }
        "match" => {
            out["pairs"] = q["pairs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| json!([p["left"].as_str(), p["right"].as_str()]))
                .collect()
        }
        _ => {}
    }
    let general = match q.get("reference") {
        Some(r) => format!("{}\n\nSource: {}", s("explanation"), r.as_str().unwrap()),
        None => s("explanation"),
    };
    out["general"] = json!(general);
    out
}

/// Whether `got` holds what `want` says (numbers to a billionth; the general feedback only when
/// Moodle has one, since the importer writes an explanation where it has none).
fn same(want: &Value, got: &Value) -> bool {
    let mut got = got.clone();
    if want.get("general").is_none() {
        got.as_object_mut().unwrap().remove("general");
    }
    match (want["answer"].as_f64(), got["answer"].as_f64()) {
        (Some(a), Some(b)) => {
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
            let (ta, tb) = (
                want["tolerance"].as_f64().unwrap(),
                got["tolerance"].as_f64().unwrap(),
            );
            close(a, b) && close(ta, tb) && {
                let strip = |v: &Value| {
                    let mut v = v.clone();
                    v.as_object_mut()
                        .unwrap()
                        .retain(|k, _| k != "answer" && k != "tolerance");
                    v
                };
                strip(want) == strip(&got)
            }
        }
        _ => *want == got,
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

const GRADABLE: [&str; 5] = [
    "multichoice",
    "truefalse",
    "shortanswer",
    "numerical",
    "match",
];

#[test]
fn the_corpus_reads_as_moodle_reads_it() {
    let root = corpus();
    let dir = tempdir("gift-corpus");
    let (mut gradable, mut matching) = (0, 0);
    let mut failures = Vec::new();
    for (n, rel) in files(&root.join("files")).iter().enumerate() {
        let moodle_path = root.join("moodle").join(format!("{}.json", rel.display()));
        let moodle: Value =
            serde_json::from_str(&std::fs::read_to_string(&moodle_path).unwrap()).unwrap();
        let questions: Vec<&Value> = moodle["questions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|q| q["qtype"] != "category")
            .collect();
        if !questions
            .iter()
            .any(|q| GRADABLE.contains(&q["qtype"].as_str().unwrap()))
        {
            continue;
        }
        gradable += 1;
        let out_path = dir.join(format!("{n}.toml"));
        let out = Sg::new()
            .args(["import", root.join("files").join(rel).to_str().unwrap()])
            .args(["-o", out_path.to_str().unwrap()])
            .run();
        let bank: toml::Table = std::fs::read_to_string(&out_path)
            .ok()
            .and_then(|t| toml::from_str(&t).ok())
            .unwrap_or_default();
        let got: Vec<Value> = bank
            .get("question")
            .and_then(|q| q.as_array())
            .map(|qs| qs.iter().map(held).collect())
            .unwrap_or_default();
        // Each note, on one line however many lines its quoted texts take.
        let notes: Vec<String> = out.stderr.split("sgquiz: note: ").map(collapse).collect();
        let before = failures.len();
        let mut cursor = 0;
        for q in &questions {
            let name = q["name"].as_str().unwrap();
            match expected(q) {
                Ok(want) => match got[cursor..]
                    .iter()
                    .position(|g| g["prompt"] == want["prompt"])
                {
                    Some(i) if same(&want, &got[cursor + i]) => cursor += i + 1,
                    Some(i) => failures.push(format!(
                        "{}: \"{name}\" reads differently\n  Moodle: {want}\n  sgquiz: {}",
                        rel.display(),
                        got[cursor + i]
                    )),
                    None => failures.push(format!("{}: \"{name}\" is missing", rel.display())),
                },
                Err(why) => {
                    let short: String = collapse(name).chars().take(30).collect();
                    let says_what = |n: &String| {
                        ["dropped", "left out", "earns", "became", "kept as text"]
                            .iter()
                            .any(|w| n.contains(w))
                    };
                    if !notes.iter().any(|n| n.contains(&short) && says_what(n)) {
                        failures.push(format!(
                            "{}: \"{name}\" ({why}) is not named on standard error with what was lost:\n{}",
                            rel.display(),
                            out.stderr
                        ));
                    }
                }
            }
        }
        if failures.len() == before {
            matching += 1;
        }
    }
    println!(
        "GIFT corpus: {matching} of {gradable} files with gradable questions read as Moodle reads them"
    );
    assert!(
        failures.is_empty(),
        "{matching} of {gradable} files read as Moodle reads them; {} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
