//! The binary as a trainee or a script meets it: plain mode on piped standard input.

use serde_json::Value;
use sgquiz::bank::load::load_path;
use sgquiz::engine::plan::{Plan, PlanOptions};

use crate::support::answers::{self, FIXTURE_SEED, Want};
use crate::support::{Sg, fixture, tempdir};

const SEED: u64 = FIXTURE_SEED;

/// The plain-mode answer lines for the fixture bank run with `--seed SEED`.
fn fixture_script(want: Want) -> String {
    answers::fixture_script(want, None)
}

fn run_fixture(extra: &[&str], stdin: String) -> crate::support::Output {
    let path = fixture("all-types.toml");
    let seed = SEED.to_string();
    let mut args = vec!["run", path.to_str().unwrap(), "--seed", &seed];
    args.extend_from_slice(extra);
    Sg::new().args(args).stdin(stdin).run()
}

#[test]
fn all_right_answers_pass_with_full_marks() {
    let out = run_fixture(&[], fixture_script(Want::Right));
    out.code(0)
        .stdout_has("All seven question types")
        .stdout_has("7 questions, pass mark 50%")
        .stdout_has("Before you start")
        .stdout_has("Score: 7 of 7 (100%). Pass mark: 50%.")
        .stdout_has("\nPassed.")
        .stdout_has("By topic")
        .stdout_has("choosing: 2 of 2 right (2 of 2 points)")
        .stdout_has("Time taken: ");
    assert_eq!(
        out.stdout.matches("\nCorrect (").count(),
        7,
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains('✓'),
        "the plain mode says words, not symbols"
    );
    out.stdout_has("Not recorded: no name was given.");
    assert_eq!(
        out.stdout.matches("NSPCC Helpline 0808 800 5000").count(),
        2,
        "support shown at the start and the end"
    );
    // A topic name could give an answer away, so topics appear only in the breakdown.
    assert_eq!(out.stdout.matches("choosing").count(), 1, "{}", out.stdout);
    let first_question = out.stdout.find("Question 1 of 7").unwrap();
    assert!(out.stdout.find("Support").unwrap() < first_question);
}

#[test]
fn wrong_answers_are_explained() {
    // In bank order, the first wrong choice of the single question is "A", which has feedback.
    let out = run_fixture(
        &["--no-shuffle"],
        answers::fixture_script(Want::Wrong, Some(false)),
    );
    out.code(0)
        .stdout_has("Score: 0 of 7 (0%)")
        .stdout_has("\nNot passed this time.")
        .stdout_has("The right answer: B")
        .stdout_has("About your choice: A comes first.")
        .stdout_has("About your choice: B is a consonant.")
        .stdout_has("Why: The alphabet runs A, B, C, so B is second.")
        .stdout_has("Source: The alphabet")
        .stdout_has("190,000 (anything from 180,000 to 200,000 is accepted)")
        .stdout_has("Each item:\n  a) Level 1: you chose ")
        .stdout_has(", wrong: it is Category C\n");
    assert_eq!(
        out.stdout.matches("\nIncorrect (").count(),
        7,
        "{}",
        out.stdout
    );
}

#[test]
fn json_result_is_the_only_thing_on_stdout() {
    let out = run_fixture(&["--json"], fixture_script(Want::Right));
    out.code(0).stderr_has("Question 7 of 7");
    let doc: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON document");
    assert_eq!(doc["quiz"], "all-types");
    assert_eq!(doc["score"], 7.0);
    assert_eq!(doc["max_score"], 7.0);
    assert_eq!(doc["percent"], 100.0);
    assert_eq!(doc["passed"], true);
    let questions = doc["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 7);
    for q in questions {
        assert_eq!(q["outcome"], "correct", "{q}");
        for key in ["id", "points", "max_points", "response"] {
            assert!(!q[key].is_null(), "{key} in {q}");
        }
    }
    let single = questions.iter().find(|q| q["id"] == "pick-b").unwrap();
    assert_eq!(single["response"], "B");
}

#[test]
fn partial_credit_is_said_and_counted() {
    let bank = load_path(&fixture("all-types.toml")).unwrap();
    let plan = Plan::new(
        &bank,
        &PlanOptions {
            seed: SEED,
            ..PlanOptions::default()
        },
    )
    .unwrap();
    let mut answers = crate::support::answers::answers(&bank, &plan, Want::Right);
    // Tick only one of the two vowels.
    let multiple = plan
        .asked
        .iter()
        .position(|a| bank.questions[a.question].id == "pick-vowels")
        .unwrap();
    if let sgquiz::engine::marking::Answer::Choices(picked) = &mut answers[multiple] {
        picked.truncate(1);
    }
    let stdin: String = answers
        .iter()
        .map(|a| crate::support::answers::line(a) + "\n")
        .collect();
    let out = run_fixture(&["--json"], stdin);
    out.code(0)
        .stderr_has("Partly correct (0.5 of 1 point)")
        .stderr_has("- you left it out, but it is a right answer: ")
        .stderr_has("You chose 1 of the 2 right answers, each worth an equal share, and none of the wrong ones: 0.5 of 1 point.");
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["score"], 6.5);
    assert_eq!(doc["questions"][multiple]["outcome"], "partial");
}

#[test]
fn an_unreadable_answer_is_asked_again_not_scored() {
    let stdin = format!("banana\n99\n{}", fixture_script(Want::Right));
    let out = run_fixture(&[], stdin);
    out.code(0)
        .stdout_has("Sorry, I could not read that answer")
        .stdout_has("Score: 7 of 7 (100%)");
}

#[test]
fn input_ending_early_scores_nothing_and_exits_3() {
    let lines: Vec<String> = fixture_script(Want::Right)
        .lines()
        .map(String::from)
        .collect();
    let out = run_fixture(&["--json"], format!("{}\n{}\n", lines[0], lines[1]));
    out.code(3)
        .stderr_has("input ended before the quiz finished; nothing was scored");
    let doc: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    assert_eq!(
        doc["status"], "input-ended",
        "no result for an unfinished quiz"
    );
    assert!(doc["score"].is_null(), "{doc}");
}

#[test]
fn quit_stops_the_quiz_with_130() {
    let out = run_fixture(&[], "quit\n".to_string());
    out.code(130)
        .stdout_has("Quiz stopped; no score recorded.")
        .stdout_has("NSPCC Helpline");
    assert!(!out.stdout.contains("Your result"));
}

#[test]
fn review_at_end_reveals_nothing_until_the_end() {
    let out = run_fixture(&["--review-at-end"], fixture_script(Want::Right));
    out.code(0).stdout_has("Review of your answers");
    let review = out.stdout.find("Review of your answers").unwrap();
    let last_question = out.stdout.find("Question 7 of 7").unwrap();
    assert!(!out.stdout[..review].contains("Correct"), "{}", out.stdout);
    assert!(!out.stdout[..review].contains("Why:"));
    assert!(last_question < review);
    assert_eq!(out.stdout[review..].matches("\nCorrect (").count(), 7);
    assert!(out.stdout[..review].contains("Feedback is held back until the end"));
}

#[test]
fn a_seed_repeats_the_order_and_no_shuffle_keeps_it() {
    let order = |extra: &[&str]| {
        let out = run_fixture(extra, "quit\n".to_string());
        let start = out.stdout.find("Question 1 of").expect("a first question");
        out.stdout[start..].lines().nth(1).unwrap().to_string()
    };
    assert_eq!(order(&[]), order(&[]));
    assert_eq!(
        order(&["--no-shuffle"]),
        "Which letter comes second in the alphabet?"
    );
}

#[test]
fn count_and_topic_choose_the_questions() {
    let path = fixture("all-types.toml");
    let path = path.to_str().unwrap();
    let out = Sg::new()
        .args(["run", path, "--count", "2", "--json"])
        .stdin("quit\n")
        .run();
    out.code(130).stderr_has("2 questions, pass mark");
    let out = Sg::new()
        .args(["run", path, "--topic", "ordering", "--no-shuffle"])
        .stdin("quit\n")
        .run();
    out.code(130)
        .stdout_has("2 questions, pass mark")
        .stdout_has("Put these numbers in order");
    Sg::new()
        .args(["run", path, "--topic", "nonsense"])
        .run()
        .code(1)
        .stderr_has(
            "the bank has no topic \"nonsense\"; its topics are: choosing, facts, ordering",
        );
}

#[test]
fn a_broken_bank_is_refused_with_its_place() {
    let dir = tempdir("cli");
    let path = dir.join("broken.toml");
    std::fs::write(
        &path,
        "format = 1\n[quiz]\nid = \"b\"\ntitle = \"B\"\n[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplenation = \"E\"\n",
    )
    .unwrap();
    let out = Sg::new().args(["run", path.to_str().unwrap()]).run();
    out.code(1);
    let first = out.stderr.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "{}:10:1: error: unknown key `explenation` in question `q`",
            path.display()
        )
    );
    out.stderr_has("= help: did you mean `explanation`?");
    assert_eq!(out.stdout, "");
}

#[test]
fn an_absurdly_large_bank_is_refused() {
    let dir = tempdir("cli");
    let path = dir.join("huge.toml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    Sg::new()
        .args(["run", path.to_str().unwrap()])
        .run()
        .code(1)
        .stderr_has("a bank may be at most 16 MiB");
}

#[test]
fn an_unknown_quiz_suggests_the_nearest() {
    Sg::new()
        .args(["run", "words-mater"])
        .run()
        .code(1)
        .stderr_has("there is no quiz called `words-mater`; did you mean `words-matter`?");
}

#[test]
fn usage_errors_exit_2() {
    Sg::new().args(["run"]).run().code(2);
    Sg::new()
        .args(["run", "x", "--count", "many"])
        .run()
        .code(2);
    Sg::new().args(["--color", "purple", "list"]).run().code(2);
}

#[test]
fn bank_text_never_reaches_the_terminal_raw() {
    let dir = tempdir("cli");
    let path = dir.join("escapes.toml");
    std::fs::write(
        &path,
        "format = 1\n[quiz]\nid = \"e\"\ntitle = \"Clear \\u001b[2J screen\"\n[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"Bell \\u0007 and \\u009b31m\"\nexplanation = \"E \\u001b]0;title\\u0007\"\n",
    )
    .unwrap();
    let out = Sg::new()
        .args(["run", path.to_str().unwrap()])
        .stdin("true\n")
        .run();
    out.code(0)
        .stdout_has("Clear \\x1b[2J screen")
        .stdout_has("Bell \\x07");
    assert!(
        !out.stdout.chars().any(|c| c.is_control() && c != '\n'),
        "{:?}",
        out.stdout
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let run = |extra: &[&str], env: Option<(&str, &str)>| {
        let mut sg = Sg::new();
        if let Some((k, v)) = env {
            sg = sg.env(k, v);
        }
        let mut args = vec!["--color"];
        args.extend_from_slice(extra);
        args.extend(["run", "words-matter", "--count", "1"]);
        sg.args(args).stdin("quit\n").run()
    };
    assert!(run(&["always"], None).stdout.contains('\u{1b}'));
    assert!(
        !run(&["auto"], None).stdout.contains('\u{1b}'),
        "piped output has no colour"
    );
    assert!(!run(&["never"], None).stdout.contains('\u{1b}'));
    assert!(
        !run(&["auto"], Some(("NO_COLOR", "1")))
            .stdout
            .contains('\u{1b}')
    );
}

#[test]
fn list_shows_the_bundled_quizzes() {
    let out = Sg::new().args(["list"]).run();
    out.code(0)
        .stdout_has("words-matter")
        .stdout_has("QUESTIONS");
    let out = Sg::new().args(["list", "--json"]).run();
    out.code(0);
    let list: Vec<Value> = serde_json::from_str(&out.stdout).expect("a JSON array");
    let banks = sgquiz::bank::catalog::bundled().unwrap();
    assert_eq!(list.len(), banks.len());
    for (entry, bank) in list.iter().zip(&banks) {
        assert_eq!(entry["id"], bank.quiz.id.as_str());
        assert_eq!(entry["title"], bank.quiz.title.as_str());
        assert_eq!(entry["questions"], bank.questions.len());
        assert_eq!(entry["audience"], bank.quiz.audience.as_str());
        assert!(entry["topics"].as_array().is_some_and(|t| !t.is_empty()));
        assert!(entry["minutes"].as_u64().is_some_and(|m| m > 0));
    }
}

#[test]
fn the_menu_works_in_plain_mode() {
    let out = Sg::new().stdin("1\nno\nquit\n").run();
    let first = &sgquiz::bank::catalog::bundled().unwrap()[0];
    out.code(130)
        .stdout_has("Which quiz would you like to take?")
        .stdout_has(&format!("1) {}", first.quiz.title))
        .stdout_has("Question 1 of");
}
