//! The bundled question banks: they load, every one can be passed and failed through the plain
//! front end, and together they meet the content rules of the project.

use sgquiz::bank::catalog::bundled;
use sgquiz::bank::{Bank, Kind};
use sgquiz::engine::marking::Outcome;
use sgquiz::engine::plan::{Plan, PlanOptions};
use sgquiz::front::plain::Plain;
use sgquiz::front::style::Style;
use sgquiz::front::take::{TakeOptions, Taken, take};
use sgquiz::front::transcript::Look;

use crate::support::Sg;
use crate::support::answers::{Want, script};

fn banks() -> Vec<Bank> {
    bundled().unwrap_or_else(|e| panic!("a bundled bank does not load:\n{e}"))
}

/// Takes `bank` through the plain front end with answer lines built from the bank.
fn walk(bank: &Bank, seed: u64, want: Want) -> sgquiz::engine::attempt::Scorecard {
    let plan = Plan::new(
        bank,
        &PlanOptions {
            seed,
            ..PlanOptions::default()
        },
    )
    .unwrap();
    let input = script(bank, &plan, want);
    let mut prompter = Plain::new(input.as_bytes());
    let mut out = Vec::new();
    let options = TakeOptions {
        review_at_end: false,
        look: Look::plain(Style::plain()),
    };
    match take(bank, plan, &mut prompter, &mut out, options) {
        Ok(Taken::Finished(report)) => report,
        other => panic!(
            "{}: {other:?}\n{}",
            bank.quiz.id,
            String::from_utf8_lossy(&out)
        ),
    }
}

#[test]
fn every_bank_scores_full_marks_with_right_answers_and_nothing_with_wrong_ones() {
    for bank in banks() {
        for seed in [1, 2, 3] {
            let right = walk(&bank, seed, Want::Right);
            assert_eq!(right.percent, 100.0, "{} seed {seed}", bank.quiz.id);
            let wrong = walk(&bank, seed, Want::Wrong);
            for q in &wrong.questions {
                assert_eq!(
                    q.points, 0.0,
                    "{}: question {} scored with a wrong answer",
                    bank.quiz.id, q.id
                );
                assert_eq!(q.outcome, Outcome::Incorrect, "{} {}", bank.quiz.id, q.id);
            }
        }
    }
}

#[test]
fn words_matter_runs_through_the_binary() {
    let bank = banks()
        .into_iter()
        .find(|b| b.quiz.id == "words-matter")
        .expect("words-matter is bundled");
    let plan = Plan::new(
        &bank,
        &PlanOptions {
            seed: 11,
            ..PlanOptions::default()
        },
    )
    .unwrap();
    let out = Sg::new()
        .args(["run", "words-matter", "--seed", "11"])
        .stdin(script(&bank, &plan, Want::Right))
        .run();
    out.code(0).stdout_has("(100%)").stdout_has("\nPassed.");
}

#[test]
fn the_banks_are_sized_and_typed_as_the_project_asks() {
    let banks = banks();
    assert!(
        banks.len() >= 6,
        "at least six banks, found {}",
        banks.len()
    );
    let total: usize = banks.iter().map(|b| b.questions.len()).sum();
    assert!(total >= 70, "at least 70 questions in all, found {total}");
    let mut types = std::collections::BTreeSet::new();
    for bank in &banks {
        let n = bank.questions.len();
        assert!(
            (8..=20).contains(&n),
            "{} has {n} questions; a bank has 8 to 20",
            bank.quiz.id
        );
        for q in &bank.questions {
            types.insert(q.kind.name());
        }
    }
    assert_eq!(
        types.len(),
        7,
        "every question type is used somewhere: {types:?}"
    );
    let mut ids = std::collections::HashSet::new();
    for bank in &banks {
        assert!(
            ids.insert(bank.quiz.id.clone()),
            "quiz id {} is used twice",
            bank.quiz.id
        );
    }
}

#[test]
fn every_question_teaches_and_cites() {
    for bank in banks() {
        for q in &bank.questions {
            let at = format!("{} / {}", bank.quiz.id, q.id);
            assert!(q.reference.is_some(), "{at}: no reference");
            let sentences = q.explanation.matches(['.', '?']).count();
            assert!(
                (2..=6).contains(&sentences),
                "{at}: explanation of {sentences} sentences"
            );
            if let Kind::Multiple { choices, .. } = &q.kind {
                assert!(
                    choices.iter().any(|c| !c.correct),
                    "{at}: every choice is right"
                );
            }
        }
    }
}

#[test]
fn every_bank_carries_a_content_note_and_the_support_contacts() {
    let contacts = [
        "999",
        "0808 800 5000",
        "0800 1111",
        "CEOP Safety Centre",
        "IWF",
        "0808 1000 900",
        "DSL",
    ];
    for bank in banks() {
        for c in contacts {
            assert!(
                bank.quiz.support.contains(c),
                "{}: support text lacks {c}",
                bank.quiz.id
            );
        }
        let note = bank.quiz.content_note.to_lowercase();
        // How to stop is said by each front end after the note (transcript::STOP_*), since
        // only the front end knows which key or word does it.
        assert!(
            note.contains("2012"),
            "{}: content note does not say the figures are of 2012",
            bank.quiz.id
        );
        assert!(
            ["All staff", "Designated safeguarding leads"].contains(&bank.quiz.audience.as_str()),
            "{}: audience {:?}",
            bank.quiz.id,
            bank.quiz.audience
        );
    }
}

#[test]
fn no_bank_uses_the_words_the_framing_rules_rule_out() {
    // "Offenders", not "paedophiles"; no question on offender ethnicity or race.
    let banned = [
        "paedophile",
        "paedophiles",
        "pedophile",
        "pedophiles",
        "asian",
        "ethnic",
        "ethnicity",
        "race",
    ];
    for bank in banks() {
        let text = serde_json::to_string(&bank).unwrap().to_lowercase();
        for word in text.split(|c: char| !c.is_alphabetic()) {
            assert!(!banned.contains(&word), "{} uses {word:?}", bank.quiz.id);
        }
        assert!(!text.contains("white british"), "{}", bank.quiz.id);
    }
}

#[test]
fn the_quizzes_readme_table_matches_the_banks() {
    let readme = include_str!("../quizzes/README.md");
    for bank in banks() {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", bank.quiz.id)))
            .unwrap_or_else(|| panic!("quizzes/README.md has no row for {}", bank.quiz.id));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[2], bank.quiz.title, "{row}");
        assert_eq!(cells[3], bank.quiz.audience, "{row}");
        let mut listed: Vec<&str> = cells[4].split(", ").collect();
        let mut topics = bank.topics();
        listed.sort_unstable();
        topics.sort_unstable();
        assert_eq!(listed, topics, "{row}");
        assert_eq!(cells[5], bank.questions.len().to_string(), "{row}");
        assert_eq!(cells[6], bank.minutes().to_string(), "{row}");
    }
    let total: usize = banks().iter().map(|b| b.questions.len()).sum();
    assert!(readme.contains(&format!("{total} questions in all")));
}
