//! Exact output of the binary, as insta snapshots in `tests/snapshots/`: `check` on broken banks,
//! whole plain-mode transcripts, reports, exports, every `--help`, and the order a seed gives.
//!
//! Everything here runs the `sgquiz` binary, never the library, so that moving code inside the
//! crate cannot change these tests; only a change a user would see can. Each snapshot holds the
//! command, the exit status, standard output and standard error. What varies from run to run
//! (times, dates, durations, temporary paths) is replaced by a placeholder of the same width, so
//! tables stay aligned.
//!
//! To re-accept after a deliberate change: `INSTA_UPDATE=always cargo test --test tests
//! snapshots::`, then read every changed `.snap` file (or use `cargo insta review`).

use std::path::Path;

use crate::support::{Output, Sg, fixture, tempdir};

/// The bundled banks, by id.
const BUNDLED: [&str; 7] = [
    "abuse-abroad-and-online",
    "four-threats",
    "reading-the-figures",
    "then-and-now",
    "what-to-do",
    "who-offends",
    "words-matter",
];

/// The seed the transcripts are taken with.
const SEED: &str = "2013";

/// `sgquiz` in the environment every snapshot is taken in: no colour, a fixed width, and none
/// of the variables that change the output (`Sg::new` clears the rest).
pub(crate) fn sg() -> Sg {
    Sg::new()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("SGQUIZ_STORE")
}

/// Runs `sgquiz ARGS` with `stdin` and shows it as the snapshot records it.
pub(crate) fn shown(args: &[&str], stdin: &str) -> String {
    let out = sg().args(args).stdin(stdin).run();
    transcript(args, &out)
}

fn transcript(args: &[&str], out: &Output) -> String {
    let status = match out.code {
        Some(code) => code.to_string(),
        None => "killed by a signal".to_string(),
    };
    format!(
        "$ sgquiz {}\nexit status: {status}\n--- stdout ---\n{}--- stderr ---\n{}",
        args.join(" "),
        out.stdout,
        out.stderr
    )
}

/// Asserts `text` against the snapshot `name`, with what varies between runs filtered out.
#[track_caller]
pub(crate) fn snap(name: &str, text: &str) {
    let tmp = regex_escape(env!("CARGO_TARGET_TMPDIR"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots");
    settings.add_filter(&format!(r"{tmp}/[A-Za-z-]+-\d+-\d+"), "[TMP]");
    settings.add_filter(&tmp, "[TARGET-TMP]");
    settings.add_filter(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
        "YYYY-MM-DDTHH:MM:SSZ",
    );
    settings.add_filter(r"\b\d{4}-\d{2}-\d{2}\b", "YYYY-MM-DD");
    settings.add_filter(r"Time taken: .*", "Time taken: [DURATION]");
    settings.add_filter(r#""duration_seconds": \d+"#, r#""duration_seconds": [N]"#);
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

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_broken_and_clean_banks() {
    let mut banks: Vec<_> = std::fs::read_dir(fixture("broken"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("tests/fixtures/broken/{n}"))
        .collect();
    banks.sort();
    // The clean bank, reviewed today: a fixed date would be more than 12 months old one day.
    let dir = tempdir("clean");
    let clean = std::fs::read_to_string(fixture("clean/clean.toml"))
        .unwrap()
        .replacen(
            "pass_mark = 50\n",
            &format!("pass_mark = 50\nreviewed = {}\n", today()),
            1,
        );
    std::fs::write(dir.join("clean.toml"), clean).unwrap();
    banks.push(dir.join("clean.toml").display().to_string());
    for bank in &banks {
        let name = Path::new(bank).file_stem().unwrap().to_str().unwrap();
        let text = shown(&["check", bank], "");
        let json = shown(&["check", "--format", "json", bank], "");
        snap(&format!("check-{name}"), &format!("{text}\n{json}"));
    }
}

#[test]
fn check_a_folder_with_deny_warnings() {
    snap(
        "check-folder",
        &shown(&["check", "--deny-warnings", "tests/fixtures/broken/"], ""),
    );
}

/// Today's date in UTC, as `check` reckons it.
fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

#[test]
fn check_each_item_writing_lint() {
    for name in [
        "longest-right",
        "of-the-above",
        "same-true-false-key",
        "right-same-position",
        "allow",
        "reviewed-old",
        "reviewed-not-a-date",
        "support-brief-incomplete",
    ] {
        let bank = format!("tests/fixtures/lints/{name}.toml");
        snap(&format!("lint-{name}"), &shown(&["check", &bank], ""));
    }
    snap(
        "lint-near-duplicate-prompt",
        &shown(&["check", "tests/fixtures/lints/near-duplicate/"], ""),
    );
}

// ---------------------------------------------------------------------------------------------
// The setting file

#[test]
fn setting_init_writes_a_commented_file_that_must_be_filled_in() {
    let dir = tempdir("setting");
    let file = dir.join("setting.toml");
    let path = file.to_str().unwrap();
    let first = shown(&["setting", "init", path], "");
    let text = std::fs::read_to_string(&file).unwrap();
    let again = shown(&["setting", "init", path], "");
    let unfilled = shown(&["--setting", path, "run", "what-to-do", "--plain"], "");
    snap(
        "setting-init",
        &format!("{first}\n--- {path} ---\n{text}\n{again}\n{unfilled}"),
    );
}

#[test]
fn setting_contacts_in_the_support_block_questions_and_handout() {
    let setting = "tests/fixtures/setting/setting.toml";
    let bank = "tests/fixtures/setting/contacts.toml";
    snap(
        "setting-run",
        &shown(
            &["--setting", setting, "run", bank, "--plain", "--seed", SEED],
            "2\ntrue\n1\n",
        ),
    );
    snap(
        "setting-handout",
        &shown(
            &[
                "--setting",
                setting,
                "export",
                bank,
                "--format",
                "markdown",
                "--seed",
                SEED,
            ],
            "",
        ),
    );
    snap(
        "setting-none",
        &shown(&["run", bank, "--plain", "--seed", SEED], "true\n"),
    );
    snap(
        "setting-malformed",
        &shown(
            &[
                "--setting",
                "tests/fixtures/setting/malformed.toml",
                "run",
                bank,
                "--plain",
            ],
            "",
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Plain-mode transcripts

#[test]
fn plain_transcripts_of_the_bundled_banks() {
    for quiz in BUNDLED {
        let args = ["run", quiz, "--plain", "--seed", SEED];
        let script = answer_script(&args);
        snap(&format!("run-{quiz}"), &shown(&args, &script));
    }
}

#[test]
fn plain_transcript_with_json_result() {
    let args = ["run", "what-to-do", "--plain", "--seed", SEED];
    let script = answer_script(&args);
    let json = ["run", "what-to-do", "--plain", "--seed", SEED, "--json"];
    snap("run-what-to-do-json", &shown(&json, &script));
}

#[test]
fn plain_transcript_of_every_question_type() {
    let bank = "tests/fixtures/all-types.toml";
    let args = ["run", bank, "--plain", "--seed", SEED];
    let script = answer_script(&args);
    snap("run-all-types", &shown(&args, &script));
    let review = ["run", bank, "--plain", "--seed", SEED, "--review-at-end"];
    snap("run-all-types-review-at-end", &shown(&review, &script));
}

/// With `plain_transcript_of_every_question_type`, every type answered right, wrong and partly
/// right (or right again, where a type gives no partial credit).
#[test]
fn plain_transcripts_of_every_question_type_answered_every_way() {
    let bank = "tests/fixtures/all-types.toml";
    let args = ["run", bank, "--plain", "--seed", SEED];
    for shift in [1, 2] {
        let script = answer_script_from(&args, shift);
        snap(
            &format!("run-all-types-shifted-{shift}"),
            &shown(&args, &script),
        );
    }
}

#[test]
fn plain_mode_asks_again_after_unreadable_answers_and_stops_on_quit() {
    let bank = "tests/fixtures/all-types.toml";
    let args = ["run", bank, "--plain", "--no-shuffle", "--seed", "1"];
    snap(
        "run-unreadable-then-quit",
        &shown(&args, "banana\n0\n4\n2\nmaybe\nquit\n"),
    );
}

#[test]
fn colour_when_forced_keeps_every_word_and_symbol() {
    let bank = "tests/fixtures/all-types.toml";
    let args = ["run", bank, "--plain", "--no-shuffle", "--seed", "1"];
    let script = answer_script(&args);
    let coloured = [
        "run",
        bank,
        "--plain",
        "--no-shuffle",
        "--seed",
        "1",
        "--color",
        "always",
    ];
    // The escape character shown as a visible symbol, so the snapshot can be read.
    let text = shown(&coloured, &script).replace('\u{1b}', "␛");
    snap("run-all-types-colour", &text);
}

// ---------------------------------------------------------------------------------------------
// The order a seed gives

/// Which questions, in what order, with which choice order: the property `--resume` and the
/// README's "the same seed gives the same quiz" rest on.
fn order_for_seeds(quiz: &str) -> String {
    let mut text = String::new();
    for seed in ["1", "2", "3"] {
        let args = ["run", quiz, "--plain", "--seed", seed];
        let script = answer_script(&args);
        let out = sg().args(args).stdin(script).run();
        text.push_str(&format!("--- seed {seed} ---\n"));
        for (i, q) in questions_shown(&out.stdout).iter().enumerate() {
            text.push_str(&format!("{}. {}\n", i + 1, q.prompt));
            for line in &q.lines {
                text.push_str(&format!("   {line}\n"));
            }
        }
    }
    text
}

#[test]
fn a_seed_pins_the_questions_and_choice_order_of_a_bundled_bank() {
    snap("seed-order-what-to-do", &order_for_seeds("what-to-do"));
}

#[test]
fn a_seed_pins_the_questions_and_choice_order_of_every_question_type() {
    snap(
        "seed-order-all-types",
        &order_for_seeds("tests/fixtures/all-types.toml"),
    );
}

// ---------------------------------------------------------------------------------------------
// Recording, resuming, sessions and forgetting

#[test]
fn a_recorded_attempt_stopped_then_resumed() {
    let dir = tempdir("snap-resume");
    let store = dir.join("results.db");
    let store = store.to_str().unwrap();
    let bank = "tests/fixtures/all-types.toml";
    let args = |resume: bool| {
        let mut args = vec![
            "run",
            bank,
            "--plain",
            "--seed",
            "5",
            "--store",
            store,
            "--name",
            "Alice Smith",
        ];
        if resume {
            args.push("--resume");
        }
        args
    };
    // The whole script, learnt from an unrecorded run with the same seed.
    let script = answer_script(&["run", bank, "--plain", "--seed", "5"]);
    let lines: Vec<&str> = script.lines().collect();
    let first = format!("{}\n{}\nquit\n", lines[0], lines[1]);
    let rest: String = lines[2..].iter().map(|l| format!("{l}\n")).collect();
    let stopped = shown(&args(false), &first);
    let resumed = shown(&args(true), &rest);
    let again = shown(&args(true), "");
    snap(
        "run-stopped-then-resumed",
        &format!("{stopped}\n{resumed}\n{again}"),
    );
}

#[test]
fn a_session_from_making_to_closing_and_forgetting() {
    let dir = tempdir("snap-session");
    let store = dir.join("results.db");
    let store = store.to_str().unwrap();
    // One true-or-false question: the same for every trainee whatever the seed, so the kiosk,
    // which draws a fresh order for each trainee, gives the same transcript every time.
    let bank = "tests/fixtures/clean/clean.toml";
    let mut text = String::new();
    let mut step = |args: &[&str], stdin: &str| {
        let out = sg().args(args).stdin(stdin).run();
        text.push_str(&transcript(args, &out));
        text.push('\n');
        out
    };
    let made = step(
        &[
            "session",
            "new",
            "--quiz",
            bank,
            "--title",
            "INSET day",
            "--store",
            store,
        ],
        "",
    );
    let code = made
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("Session code: "))
        .expect("a session code")
        .to_string();
    let code = code.as_str();
    step(&["session", "list", "--store", store], "");
    step(
        &["session", "kiosk", code, "--plain", "--store", store],
        "Dana Green\ntrue\nEli Ford\nfalse\n",
    );
    step(
        &[
            "run",
            "--session",
            code,
            "--plain",
            "--store",
            store,
            "--name",
            "Fay Hill",
        ],
        "true\n",
    );
    step(&["report", "--session", code, "--store", store], "");
    step(
        &["report", "--questions", "--session", code, "--store", store],
        "",
    );
    step(&["session", "close", code, "--store", store], "");
    step(&["session", "list", "--store", store], "");
    step(
        &[
            "run",
            "--session",
            code,
            "--plain",
            "--store",
            store,
            "--name",
            "Gus Ives",
        ],
        "true\n",
    );
    step(
        &["forget", "--name", "eli ford", "--yes", "--store", store],
        "",
    );
    step(&["report", "--store", store], "");
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&regex_escape(code), "XXX-XXX");
    // A session's attempts draw a fresh seed each.
    settings.add_filter(r"--seed \d+", "--seed [RANDOM]");
    settings.add_filter(r"Seed \d+:", "Seed [RANDOM]:");
    settings.add_filter(r"\b\d+ s\b", "N s");
    settings.bind(|| snap("session", &text));
}

// ---------------------------------------------------------------------------------------------
// report

#[test]
fn report_in_every_format() {
    let dir = tempdir("snap-report");
    let store = dir.join("results.db");
    let store = store.to_str().unwrap();
    let bank = "tests/fixtures/all-types.toml";
    let run = |name: &str, stdin: &str| {
        let args = [
            "run",
            bank,
            "--plain",
            "--no-shuffle",
            "--seed",
            "1",
            "--store",
            store,
            "--name",
            name,
        ];
        sg().args(args).stdin(stdin).run();
    };
    const ALL_RIGHT: &str = "2\n1 3\ntrue\n190000\ncsam\n3 1 2\n3 2 1\n";
    const MOSTLY_WRONG: &str = "1\n1\nfalse\n5\nfoo\n3 1 2\n1 2 3\n";
    run("Alice Smith", MOSTLY_WRONG);
    run("Alice Smith", ALL_RIGHT);
    run("Bob Jones", MOSTLY_WRONG);
    // Stops after two answers: unfinished, so in no report but the due list's "never passed".
    run("Cara Patel", "2\n1 3\n");
    sg().args([
        "run",
        "tests/fixtures/clean/clean.toml",
        "--plain",
        "--store",
        store,
        "--name",
        "Bob Jones",
    ])
    .stdin("true\n")
    .run()
    .code(0);

    for (view, extra) in [
        ("trainees", &[][..]),
        ("questions", &["--questions"][..]),
        ("due", &["--due", "12m"][..]),
    ] {
        let mut text = String::new();
        for format in ["table", "csv", "json"] {
            let mut args = vec!["report", "--store", store, "--format", format];
            args.extend(extra);
            text.push_str(&shown(&args, ""));
            text.push('\n');
        }
        let mut settings = insta::Settings::clone_current();
        // Durations: the table's TIME column and the CSV's duration_seconds.
        settings.add_filter(r"\b\d+ s\b", "N s");
        settings.add_filter(
            r"(?m)^((?:[^,\n]*,){7})\d+(,\d+,[0-9a-f]{12}\r?)$",
            "${1}N${2}",
        );
        settings.bind(|| snap(&format!("report-{view}"), &text));
    }
}

// ---------------------------------------------------------------------------------------------
// export

#[test]
fn export_in_every_format_with_and_without_answers() {
    let bank = "tests/fixtures/all-types.toml";
    for format in ["gift", "markdown", "json"] {
        for (label, extra) in [
            ("default", None),
            ("answers", Some("--answers")),
            ("no-answers", Some("--no-answers")),
        ] {
            let mut args = vec!["export", "--format", format, bank];
            args.extend(extra);
            if format == "markdown" {
                args.extend(["--seed", SEED]);
            }
            snap(&format!("export-{format}-{label}"), &shown(&args, ""));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// list, schema, new, import

#[test]
fn list_as_a_table_and_as_json() {
    snap("list", &shown(&["list"], ""));
    snap("list-json", &shown(&["list", "--json"], ""));
}

#[test]
fn schema() {
    snap("schema", &shown(&["schema"], ""));
}

#[test]
fn new_writes_the_starter_bank_once() {
    let dir = tempdir("snap-new");
    let bank = dir.join("starter.toml");
    let bank = bank.to_str().unwrap();
    let first = shown(&["new", bank], "");
    let written = std::fs::read_to_string(bank).unwrap();
    let again = shown(&["new", bank], "");
    let check = shown(&["check", "--deny-warnings", bank], "");
    snap(
        "new",
        &format!(
            "{first}
--- {bank} ---
{written}
{again}
{check}"
        ),
    );
}

#[test]
fn gift_export_then_import() {
    let dir = tempdir("snap-gift");
    let gift = dir.join("all-types.gift");
    let gift = gift.to_str().unwrap();
    let bank = dir.join("imported.toml");
    let bank = bank.to_str().unwrap();
    let export = shown(
        &[
            "export",
            "--format",
            "gift",
            "tests/fixtures/all-types.toml",
            "-o",
            gift,
        ],
        "",
    );
    let import = shown(&["import", gift, "-o", bank], "");
    let written = std::fs::read_to_string(bank).unwrap();
    let check = shown(&["check", bank], "");
    snap(
        "gift-round-trip",
        &format!(
            "{export}
{import}
--- {bank} ---
{written}
{check}"
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// Mistakes on the command line

#[test]
fn errors_a_user_can_make() {
    let dir = tempdir("snap-errors");
    let store = dir.join("results.db");
    let store = store.to_str().unwrap();
    let bank = "tests/fixtures/all-types.toml";
    let mut text = String::new();
    for args in [
        &["bogus"][..],
        &["run", "no-such-quiz"],
        &["run", "tests/fixtures/no-such-file.toml"],
        &["run", "tests/fixtures/broken/duplicate-id.toml"],
        &["run", bank, "--seed", "abc"],
        &["run", bank, "--count", "0"],
        &["run", bank, "--topic", "nope"],
        &["run", bank, "--plain", "--seed", "1"],
        &["export", "--format", "pdf", bank],
        &["report", "--store", store, "--due", "5x"],
        &["report", "--store", store, "--since", "yesterday"],
    ] {
        text.push_str(&shown(args, ""));
        text.push('\n');
    }
    snap("errors", &text);
}

// ---------------------------------------------------------------------------------------------
// --help

/// The subcommands listed under `Commands:` in a `--help` text, `help` left out.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn help_of_every_command() {
    let mut pending = vec![Vec::<String>::new()];
    let mut seen = Vec::new();
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let out = sg().args(&args).run();
        out.code(0);
        for sub in subcommands(&out.stdout) {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
        let name = if path.is_empty() {
            "help-sgquiz".to_string()
        } else {
            format!("help-{}", path.join("-"))
        };
        snap(&name, &transcript(&args, &out));
        seen.push(path.join(" "));
    }
    seen.sort();
    // The walk found the commands, not just the top level.
    assert!(
        seen.iter().any(|s| s == "session kiosk") && seen.len() > 10,
        "{seen:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Answering a quiz through the binary alone

/// One question as the plain mode shows it.
#[derive(Debug)]
struct Shown {
    /// The first line of the prompt.
    prompt: String,
    /// Its numbered or lettered lines (choices, items, options), as shown.
    lines: Vec<String>,
    /// The line that asks for the answer, up to its colon.
    cue: String,
}

#[derive(Debug, Clone, Copy)]
enum Shape {
    Single,
    Multiple,
    TrueFalse,
    Number,
    Text,
    Order,
    Match,
}

impl Shown {
    fn shape(&self) -> Shape {
        let cue = &self.cue;
        if cue.contains("(a number from 1 to") {
            Shape::Single
        } else if cue.contains("(the numbers of all that apply") {
            Shape::Multiple
        } else if cue.contains("(true or false)") {
            Shape::TrueFalse
        } else if cue.contains("(a number)") {
            Shape::Number
        } else if cue.contains("numbers, first to last") {
            Shape::Order
        } else if cue.contains("(for a") {
            Shape::Match
        } else if cue == "Your answer:" {
            Shape::Text
        } else {
            panic!("an answer cue this test does not know: {cue:?}")
        }
    }

    /// The texts of the numbered lines (`1) text`), in shown order.
    fn numbered(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter_map(|l| after_marker(l, false))
            .collect()
    }

    /// The texts of the lettered lines (`a) text`), in shown order.
    fn lettered(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter_map(|l| after_marker(l, true))
            .collect()
    }

    fn number_of(&self, text: &str) -> usize {
        1 + self
            .numbered()
            .iter()
            .position(|t| *t == text)
            .unwrap_or_else(|| panic!("{text:?} is not among {:?}", self.numbered()))
    }
}

/// `text` from `1) text` (or `a) text` when `letter`).
fn after_marker(line: &str, letter: bool) -> Option<&str> {
    let (mark, text) = line.split_once(") ")?;
    let ok = if letter {
        mark.len() == 1 && mark.chars().all(|c| c.is_ascii_lowercase())
    } else {
        !mark.is_empty() && mark.chars().all(|c| c.is_ascii_digit())
    };
    ok.then_some(text)
}

/// Every question in a plain-mode transcript, in order.
fn questions_shown(stdout: &str) -> Vec<Shown> {
    let lines: Vec<&str> = stdout.lines().collect();
    let mut shown = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("Question ") && lines[i].contains(" of ") {
            let start = i + 1;
            let cue = (start..lines.len())
                .find(|&j| lines[j].starts_with("Your answer"))
                .expect("every question asks for an answer");
            let body = &lines[start..cue];
            shown.push(Shown {
                prompt: body[0].to_string(),
                lines: body
                    .iter()
                    .filter(|l| after_marker(l, false).is_some() || after_marker(l, true).is_some())
                    .map(|l| l.to_string())
                    .collect(),
                cue: lines[cue].split_once(':').unwrap().0.to_string() + ":",
            });
            i = cue;
        }
        i += 1;
    }
    shown
}

/// The feedback lines after the `n`th question's answer (1-based), up to the next heading.
fn feedback(stdout: &str, n: usize) -> Vec<&str> {
    let mut seen = 0;
    let mut lines = stdout.lines();
    for line in lines.by_ref() {
        if line.starts_with("Question ") && line.contains(" of ") {
            seen += 1;
            if seen == n {
                break;
            }
        }
    }
    lines
        .skip_while(|l| !l.starts_with("Your answer"))
        .skip(1)
        .take_while(|l| !(l.starts_with("Question ") || l.starts_with("Your result")))
        .collect()
}

/// What the feedback gives as the right answer: one value, or a list.
fn right_answer(feedback: &[&str]) -> Vec<String> {
    let at = feedback
        .iter()
        .position(|l| l.starts_with("The right answer:"))
        .unwrap_or_else(|| panic!("no right answer in {feedback:#?}"));
    let rest = feedback[at].trim_start_matches("The right answer:").trim();
    if !rest.is_empty() {
        return vec![rest.to_string()];
    }
    feedback[at + 1..]
        .iter()
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("- ").unwrap_or(l);
            match l.split_once(". ") {
                Some((n, t)) if n.chars().all(|c| c.is_ascii_digit()) => t.to_string(),
                _ => l.to_string(),
            }
        })
        .collect()
}

/// The right choices of a multiple-choice question, from its feedback's marked choices.
fn right_choices(feedback: &[&str]) -> Vec<String> {
    let right: Vec<String> = feedback
        .iter()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("- you chose it, right: ")
                .or_else(|| l.strip_prefix("- you left it out, but it is a right answer: "))
        })
        .map(str::to_string)
        .collect();
    assert!(!right.is_empty(), "no right choice in {feedback:#?}");
    right
}

/// The right option for the match item `left`, from its feedback's marked items:
/// "a) Level 1: you chose Category C, right" or "..., wrong: it is Category B".
fn right_match(feedback: &[&str], left: &str) -> String {
    let line = feedback
        .iter()
        .find_map(|l| after_marker(l.trim_start(), true)?.strip_prefix(&format!("{left}: ")))
        .unwrap_or_else(|| panic!("no item {left:?} in {feedback:#?}"));
    if let Some((_, right)) = line.split_once(", wrong: it is ") {
        right.to_string()
    } else if let Some(right) = line.strip_prefix("you chose nothing, it is ") {
        right.to_string()
    } else {
        let chose = line.strip_prefix("you chose ").unwrap();
        chose.strip_suffix(", right").unwrap().to_string()
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Want {
    Right,
    Wrong,
    /// Partly right where the type gives partial credit, otherwise right.
    Partly,
}

fn numbers(ns: &[usize]) -> String {
    ns.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A first answer that any question of its shape accepts.
fn probe(q: &Shown) -> String {
    match q.shape() {
        Shape::Single | Shape::Multiple => "1".to_string(),
        Shape::TrueFalse => "true".to_string(),
        Shape::Number => "0".to_string(),
        Shape::Text => "probe".to_string(),
        Shape::Order => numbers(&(1..=q.numbered().len()).collect::<Vec<_>>()),
        Shape::Match => numbers(&vec![1; q.lettered().len()]),
    }
}

/// The answer line that is right, wrong or partly right for `q`, given the feedback to `probe`.
fn answer(q: &Shown, probe: &str, feedback: &[&str], want: Want) -> String {
    let probe_right = feedback.iter().any(|l| l.starts_with("Correct ("));
    let parse =
        |s: &str| -> Vec<usize> { s.split_whitespace().map(|n| n.parse().unwrap()).collect() };
    match q.shape() {
        Shape::Single => {
            let right = if probe_right {
                1
            } else {
                q.number_of(&right_answer(feedback)[0])
            };
            match want {
                Want::Wrong => (if right == 1 { 2 } else { 1 }).to_string(),
                _ => right.to_string(),
            }
        }
        Shape::Multiple => {
            let right: Vec<usize> = if probe_right {
                vec![1]
            } else {
                right_choices(feedback)
                    .iter()
                    .map(|t| q.number_of(t))
                    .collect()
            };
            let mut right = right;
            right.sort();
            let wrong: Vec<usize> = (1..=q.numbered().len())
                .filter(|n| !right.contains(n))
                .collect();
            match want {
                Want::Right => numbers(&right),
                Want::Wrong if !wrong.is_empty() => numbers(&wrong),
                _ if right.len() >= 2 => numbers(&right[..right.len() - 1]),
                _ => numbers(&[right, wrong[..1].to_vec()].concat()),
            }
        }
        Shape::TrueFalse => {
            let right = if probe_right {
                true
            } else {
                right_answer(feedback)[0].eq_ignore_ascii_case("true")
            };
            (right == (want != Want::Wrong)).to_string()
        }
        Shape::Number => {
            let right = if probe_right {
                "0".to_string()
            } else {
                let shown = right_answer(feedback)[0].clone();
                let value = shown.split(" (").next().unwrap();
                value
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
                    .collect()
            };
            match want {
                Want::Wrong => {
                    let n: f64 = right.parse().unwrap();
                    (n.abs() * 10.0 + 1000.0).to_string()
                }
                _ => right,
            }
        }
        Shape::Text => {
            let right = if probe_right {
                probe.to_string()
            } else {
                let shown = right_answer(feedback)[0].clone();
                shown.split(" (also accepted").next().unwrap().to_string()
            };
            match want {
                Want::Wrong => "not one of the accepted answers".to_string(),
                _ => right,
            }
        }
        Shape::Order => {
            let mut right: Vec<usize> = if probe_right {
                parse(probe)
            } else {
                right_answer(feedback)
                    .iter()
                    .map(|t| q.number_of(t))
                    .collect()
            };
            match want {
                Want::Right => {}
                Want::Wrong => right.rotate_left(1),
                Want::Partly => right.swap(0, 1),
            }
            numbers(&right)
        }
        Shape::Match => {
            let mut right: Vec<usize> = if probe_right {
                parse(probe)
            } else {
                q.lettered()
                    .iter()
                    .map(|left| q.number_of(&right_match(feedback, left)))
                    .collect()
            };
            match want {
                Want::Right => {}
                Want::Wrong => right.rotate_left(1),
                Want::Partly => right.swap(0, 1),
            }
            numbers(&right)
        }
    }
}

/// Answer lines for `sgquiz ARGS` (a plain-mode run), found through the binary alone: each
/// question is first answered with a probe to learn its right answer from the feedback. The
/// answers go right, wrong, partly right, in turn, so every kind of feedback appears.
fn answer_script(args: &[&str]) -> String {
    answer_script_from(args, 0)
}

/// As `answer_script`, with the turn of right, wrong and partly right answers started `shift`
/// places on: three scripts with shifts 0, 1 and 2 answer every question each way.
fn answer_script_from(args: &[&str], shift: usize) -> String {
    let mut script = String::new();
    let mut out = sg().args(args).run();
    for n in 1.. {
        let shown = questions_shown(&out.stdout);
        let Some(q) = shown.get(n - 1) else {
            assert!(
                out.stdout.contains("Your result"),
                "the quiz neither asked question {n} nor finished\n{}",
                transcript(args, &out)
            );
            break;
        };
        let probe = probe(q);
        out = sg().args(args).stdin(format!("{script}{probe}\n")).run();
        let want = [Want::Right, Want::Wrong, Want::Partly][(n - 1 + shift) % 3];
        let line = answer(q, &probe, &feedback(&out.stdout, n), want);
        script.push_str(&line);
        script.push('\n');
    }
    script
}
