//! No bundled bank can be passed without knowing the content.
//!
//! Each test-wise strategy below answers every question of every bundled bank through the binary
//! (`run --plain --json --no-shuffle`), with answer lines worked out from the bank's TOML alone,
//! and must score under 50%. This module reads the banks with the `toml` crate and talks to
//! sgquiz only through its command line, so it checks what a trainee meets, not how the code is
//! laid out. The item-writing rules that keep the strategies weak (right choices not the longest,
//! right choices in varied places, true/false keys balanced) are checked here too, so a failure
//! names the question to rewrite.

use std::collections::BTreeMap;
use std::path::PathBuf;

use toml::Value;

use crate::support::Sg;

/// A way of answering that needs no knowledge of the subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strategy {
    /// The longest choice; in a multiple-choice question, the longest choice alone.
    Longest,
    /// The shortest choice; in a multiple-choice question, the shortest choice alone.
    Shortest,
    /// The first choice in the file (A on the paper sheet); true on true/false.
    First,
    /// The last choice in the file; false on true/false.
    Last,
    /// True on every true/false question.
    AlwaysTrue,
    /// False on every true/false question.
    AlwaysFalse,
    /// Every choice of a multiple-choice question ticked.
    TickEvery,
    /// The choices at or above the median length ticked; the longest single choice; false.
    LongerHalf,
    /// Order items numbered bottom up, as the paper sheet once listed them (the bank's order
    /// reversed; sheets are shuffled with a seed now), taken as getting every order question right.
    OrderReversed,
    /// The review's test-wise trainee: longest single choice, longer half of a multiple,
    /// false on true/false.
    TestWise,
    /// The review's paper-sheet trainee: A on single, only A on multiple, false on
    /// true/false, order items bottom up.
    PaperSheet,
}

const STRATEGIES: [Strategy; 11] = [
    Strategy::Longest,
    Strategy::Shortest,
    Strategy::First,
    Strategy::Last,
    Strategy::AlwaysTrue,
    Strategy::AlwaysFalse,
    Strategy::TickEvery,
    Strategy::LongerHalf,
    Strategy::OrderReversed,
    Strategy::TestWise,
    Strategy::PaperSheet,
];

impl Strategy {
    fn name(self) -> &'static str {
        match self {
            Strategy::Longest => "longest",
            Strategy::Shortest => "shortest",
            Strategy::First => "first",
            Strategy::Last => "last",
            Strategy::AlwaysTrue => "always true",
            Strategy::AlwaysFalse => "always false",
            Strategy::TickEvery => "tick every",
            Strategy::LongerHalf => "longer half",
            Strategy::OrderReversed => "order reversed",
            Strategy::TestWise => "test-wise",
            Strategy::PaperSheet => "paper sheet",
        }
    }

    /// The choice picked in a single-choice question (0-based, file order), given each choice's
    /// length and whether it is right. Strategies that say nothing about choices pick the first,
    /// as a trainee filling in a paper sheet blind would.
    fn single(self, choices: &[(usize, bool)]) -> usize {
        match self {
            Strategy::Longest | Strategy::LongerHalf | Strategy::TestWise => longest(choices),
            Strategy::Shortest => shortest(choices),
            Strategy::Last => choices.len() - 1,
            _ => 0,
        }
    }

    /// The choices ticked in a multiple-choice question (0-based, file order).
    fn multiple(self, choices: &[(usize, bool)]) -> Vec<usize> {
        let lengths: Vec<usize> = choices.iter().map(|c| c.0).collect();
        match self {
            Strategy::Longest => vec![longest(choices)],
            Strategy::Shortest => vec![shortest(choices)],
            Strategy::Last => vec![lengths.len() - 1],
            Strategy::TickEvery => (0..lengths.len()).collect(),
            Strategy::LongerHalf | Strategy::TestWise => {
                let mut sorted = lengths.to_vec();
                sorted.sort_unstable();
                let n = sorted.len();
                // Twice the median, to stay in whole numbers.
                let median2 = sorted[(n - 1) / 2] + sorted[n / 2];
                (0..n).filter(|&i| 2 * lengths[i] >= median2).collect()
            }
            _ => vec![0],
        }
    }

    /// The answer to a true/false question: read as the two choices "true" and "false".
    fn true_false(self) -> bool {
        !matches!(
            self,
            Strategy::AlwaysFalse
                | Strategy::Longest
                | Strategy::Last
                | Strategy::LongerHalf
                | Strategy::TestWise
                | Strategy::PaperSheet
        )
    }

    /// Whether order questions are answered as the paper sheet gives them away.
    fn orders_right(self) -> bool {
        matches!(self, Strategy::OrderReversed | Strategy::PaperSheet)
    }
}

/// The longest choice. A tie is broken in the trainee's favour (a right choice among the
/// longest is picked), so a bank cannot pass only because of lucky file order.
fn longest(choices: &[(usize, bool)]) -> usize {
    let max = choices.iter().map(|c| c.0).max().expect("choices");
    favoured(choices, max)
}

/// The shortest choice, ties broken in the trainee's favour.
fn shortest(choices: &[(usize, bool)]) -> usize {
    let min = choices.iter().map(|c| c.0).min().expect("choices");
    favoured(choices, min)
}

/// Of the choices `length` long, a right one if there is one, else the first.
fn favoured(choices: &[(usize, bool)], length: usize) -> usize {
    let tied = || choices.iter().enumerate().filter(|(_, c)| c.0 == length);
    tied()
        .find(|(_, c)| c.1)
        .or_else(|| tied().next())
        .map(|(i, _)| i)
        .expect("a choice of that length")
}

/// One bundled bank as its TOML file says it.
struct BankFile {
    path: PathBuf,
    file: String,
    id: String,
    questions: Vec<toml::Table>,
}

fn bank_files() -> Vec<BankFile> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("quizzes");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("quizzes/ reads")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no banks in {}", dir.display());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("the bank reads");
            let doc: toml::Table = text
                .parse()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let id = doc["quiz"]["id"].as_str().expect("quiz.id").to_string();
            let questions = doc["question"]
                .as_array()
                .expect("[[question]]")
                .iter()
                .map(|q| q.as_table().expect("a question table").clone())
                .collect();
            BankFile {
                path: path.clone(),
                file: path.file_name().unwrap().to_string_lossy().into_owned(),
                id,
                questions,
            }
        })
        .collect()
}

fn kind(q: &toml::Table) -> &str {
    q["type"].as_str().expect("type")
}

fn qid(q: &toml::Table) -> &str {
    q["id"].as_str().expect("id")
}

/// Each choice's text length (in characters) and whether it is right, in file order.
fn choices(q: &toml::Table) -> Vec<(usize, bool)> {
    q["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|c| {
            let text = c["text"].as_str().expect("choice text");
            let correct = c.get("correct").and_then(Value::as_bool).unwrap_or(false);
            (text.chars().count(), correct)
        })
        .collect()
}

fn joined(ns: impl IntoIterator<Item = usize>) -> String {
    ns.into_iter()
        .map(|n| (n + 1).to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The answer lines `strategy` types for `bank`. `shown` gives, for each order question, its
/// items in the order the run shows them (learnt from a first run that keeps that order).
fn script(bank: &BankFile, strategy: Strategy, shown: &BTreeMap<String, Vec<String>>) -> String {
    let mut lines = String::new();
    for q in &bank.questions {
        let line = match kind(q) {
            "single" => joined([strategy.single(&choices(q))]),
            "multiple" => joined(strategy.multiple(&choices(q))),
            "true_false" => strategy.true_false().to_string(),
            "order" => {
                let items: Vec<&str> = q["items"]
                    .as_array()
                    .expect("items")
                    .iter()
                    .map(|i| i.as_str().expect("an item"))
                    .collect();
                match shown.get(qid(q)) {
                    Some(shown) if strategy.orders_right() => joined(items.iter().map(|item| {
                        shown
                            .iter()
                            .position(|s| s == item)
                            .expect("every item is shown")
                    })),
                    _ => joined(0..items.len()),
                }
            }
            // The first option for every item.
            "match" => vec!["1"; q["pairs"].as_array().expect("pairs").len()].join(" "),
            "number" => "0".to_string(),
            "text" => "I do not know".to_string(),
            other => panic!("{}: unknown type {other}", bank.file),
        };
        lines.push_str(&line);
        lines.push('\n');
    }
    lines
}

/// Plays the answer lines through the binary and returns its JSON result. The bank is run from
/// its file, which is what `build.rs` bundles, so the run and the answers read the same text.
#[track_caller]
fn play(bank: &BankFile, input: String) -> serde_json::Value {
    let out = Sg::new()
        .args([
            "run",
            bank.path.to_str().expect("a UTF-8 path"),
            "--plain",
            "--json",
            "--no-shuffle",
            "--seed",
            "1",
        ])
        .stdin(input)
        .run();
    out.code(0);
    let result: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{}: the JSON result does not parse: {e}", bank.id));
    let asked: Vec<&str> = result["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|q| q["id"].as_str().expect("id"))
        .collect();
    let written: Vec<&str> = bank.questions.iter().map(qid).collect();
    assert_eq!(
        asked, written,
        "{}: --no-shuffle keeps the file order",
        bank.id
    );
    result
}

#[test]
fn no_test_wise_strategy_scores_half_marks_on_any_bundled_bank() {
    let banks = bank_files();
    let mut table = String::from("| bank |");
    for s in STRATEGIES {
        table.push_str(&format!(" {} |", s.name()));
    }
    table.push('\n');
    table.push_str(&"|---".repeat(STRATEGIES.len() + 1));
    table.push_str("|\n");
    let mut failures = Vec::new();
    for bank in &banks {
        // A first run keeps each order question's shown order (answer "1 2 3 ..."), and its
        // result lists the items in that order.
        let probe = play(bank, script(bank, Strategy::First, &BTreeMap::new()));
        let shown: BTreeMap<String, Vec<String>> = probe["questions"]
            .as_array()
            .expect("questions")
            .iter()
            .filter(|q| q["type"] == "order")
            .map(|q| {
                let items = q["response"]
                    .as_array()
                    .expect("an order response")
                    .iter()
                    .map(|i| i.as_str().expect("an item").to_string())
                    .collect();
                (q["id"].as_str().expect("id").to_string(), items)
            })
            .collect();
        table.push_str(&format!("| {} |", bank.id));
        for strategy in STRATEGIES {
            let result = play(bank, script(bank, strategy, &shown));
            let percent = result["percent"].as_f64().expect("percent");
            if strategy.orders_right() {
                // The strategy must really get the order questions right, or it proves nothing.
                for q in result["questions"].as_array().unwrap() {
                    if q["type"] == "order" {
                        assert_eq!(q["outcome"], "correct", "{}: {}", bank.id, q["id"]);
                    }
                }
            }
            table.push_str(&format!(" {percent:.1}% |"));
            if percent >= 50.0 {
                failures.push(format!(
                    "{} scores {percent}% on {}",
                    strategy.name(),
                    bank.id
                ));
            }
        }
        table.push('\n');
    }
    println!("{table}");
    assert!(
        failures.is_empty(),
        "strategies that need no knowledge score half marks or more:\n{}\n\n{table}",
        failures.join("\n")
    );
}

#[test]
fn right_choices_are_neither_the_longest_nor_in_one_place() {
    let mut problems = Vec::new();
    for bank in bank_files() {
        let mut right_positions = Vec::new();
        for q in &bank.questions {
            if !matches!(kind(q), "single" | "multiple") {
                continue;
            }
            let cs = choices(q);
            let wrong: Vec<usize> = cs.iter().filter(|c| !c.1).map(|c| c.0).collect();
            let (min, max) = (
                *wrong.iter().min().expect("a wrong choice"),
                *wrong.iter().max().expect("a wrong choice"),
            );
            for (i, (len, right)) in cs.iter().enumerate() {
                if !right {
                    continue;
                }
                // A single choice sits strictly inside the range, so it is neither the longest
                // nor the shortest even on a tie; a right choice of a multiple may equal an end.
                let strict = kind(q) == "single";
                let outside = if strict {
                    *len <= min || *len >= max
                } else {
                    *len < min || *len > max
                };
                if outside {
                    problems.push(format!(
                        "{} / {}: right choice {} has {len} characters, the wrong ones {min} to {max}{}",
                        bank.file,
                        qid(q),
                        i + 1,
                        if strict { " (a single choice must lie strictly between)" } else { "" }
                    ));
                }
                if kind(q) == "single" {
                    right_positions.push(i);
                }
            }
        }
        // No position holds the right single choice in more than half the questions.
        for p in 0..5 {
            let n = right_positions.iter().filter(|&&i| i == p).count();
            if right_positions.len() >= 2 && 2 * n > right_positions.len() {
                problems.push(format!(
                    "{}: the right single choice is choice {} in {n} of {} questions",
                    bank.file,
                    p + 1,
                    right_positions.len()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn true_false_keys_are_balanced() {
    let (mut trues, mut all) = (0, 0);
    let mut problems = Vec::new();
    for bank in bank_files() {
        let keys: Vec<bool> = bank
            .questions
            .iter()
            .filter(|q| kind(q) == "true_false")
            .map(|q| q["answer"].as_bool().expect("answer"))
            .collect();
        if keys.len() >= 2 && keys.iter().all(|&k| k == keys[0]) {
            problems.push(format!(
                "{}: all {} true/false questions are keyed {}",
                bank.file,
                keys.len(),
                keys[0]
            ));
        }
        trues += keys.iter().filter(|&&k| k).count();
        all += keys.len();
    }
    assert!(all > 0, "no true/false questions at all");
    let share = trues as f64 / all as f64;
    assert!(
        (0.4..=0.6).contains(&share),
        "{trues} of {all} true/false questions are keyed true; between 40% and 60% should be"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_bank_asks_for_at_most_one_exact_figure() {
    // Recalling a 2012 count is of no use in a school; a bank keeps one figure as an anchor at
    // most and asks what the others mean, count or leave out.
    for bank in bank_files() {
        let numbers: Vec<&str> = bank
            .questions
            .iter()
            .filter(|q| kind(q) == "number")
            .map(qid)
            .collect();
        assert!(
            numbers.len() <= 1,
            "{} asks for {} exact figures: {numbers:?}",
            bank.file,
            numbers.len()
        );
    }
}
