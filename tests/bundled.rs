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
use sgquiz::util::text::contact_details;

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
        hand_over: false,
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

#[test]
fn every_bank_gives_its_support_contacts_one_line_each_naming_every_one() {
    for bank in banks() {
        let brief = bank
            .quiz
            .support_brief
            .as_deref()
            .unwrap_or_else(|| panic!("{}: no support_brief", bank.quiz.id));
        let contacts = contact_details(&bank.quiz.support);
        assert!(contacts.len() >= 6, "{}: {contacts:?}", bank.quiz.id);
        for c in contacts {
            assert!(brief.contains(&c), "{}: the brief lacks {c}", bank.quiz.id);
        }
        for c in ["CEOP Safety Centre", "IWF", "NAPAC", "DSL"] {
            assert!(brief.contains(c), "{}: the brief lacks {c}", bank.quiz.id);
        }
    }
    // The default, for a bank that gives no support of its own, too.
    let default = contact_details(sgquiz::bank::DEFAULT_SUPPORT);
    assert!(default.len() >= 5, "{default:?}");
    for c in default {
        assert!(sgquiz::bank::DEFAULT_SUPPORT_BRIEF.contains(&c), "{c}");
    }
}

#[test]
fn every_bank_opens_on_one_screen_of_80_by_24_with_room_to_ask_to_start() {
    use sgquiz::front::transcript::opening_pages;
    let look = Look::interactive(Style::plain(), 80).with_height(Some(24));
    for bank in banks() {
        let pages = opening_pages(&bank, bank.questions.len(), &look);
        assert_eq!(pages.len(), 1, "{}: {pages:#?}", bank.quiz.id);
        let screen = &pages[0];
        // A blank line, "Start the quiz?" and its keys go under it.
        assert!(
            screen.lines().count() + 3 <= 24,
            "{}:\n{screen}",
            bank.quiz.id
        );
        assert!(
            screen.lines().all(|l| l.chars().count() <= 80),
            "{}:\n{screen}",
            bank.quiz.id
        );
        assert!(screen.starts_with(&format!("{}\n", bank.quiz.title)));
        let note_start: String = bank
            .quiz
            .content_note
            .split_whitespace()
            .take(8)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            screen
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(&note_start),
            "{}:\n{screen}",
            bank.quiz.id
        );
        for c in contact_details(&bank.quiz.support) {
            assert!(
                screen.contains(&c),
                "{}: {c} is not on\n{screen}",
                bank.quiz.id
            );
        }
        assert!(
            screen.contains("press Esc") && screen.contains("--plain"),
            "{screen}"
        );
    }
}

#[test]
fn with_a_settings_contacts_too_every_contact_is_on_the_page_that_asks_to_start_at_80_by_24() {
    use sgquiz::bank::setting::{Setting, apply};
    use sgquiz::front::transcript::opening_pages;
    let setting = Setting {
        name: "Hillside Primary".to_string(),
        dsl: "Ms A Jones, room 12, extension 204".to_string(),
        deputies: vec!["Mr B Khan".to_string(), "Mrs C Lee".to_string()],
        children_social_care: Some("01234 567890".to_string()),
        lado: Some("01234 567891".to_string()),
        local_procedures: Some("the staff handbook, section 3".to_string()),
    };
    let look = Look::interactive(Style::plain(), 80).with_height(Some(24));
    for bank in banks() {
        let bank = apply(&bank, Some(&setting)).bank;
        let pages = opening_pages(&bank, bank.questions.len(), &look);
        // The title and the note, then the title and every contact with the question to start.
        assert_eq!(pages.len(), 2, "{}: {pages:#?}", bank.quiz.id);
        assert!(pages[0].contains("Before you start"), "{}", pages[0]);
        let last = &pages[1];
        assert!(last.lines().count() + 3 <= 24, "{last}");
        assert!(last.starts_with(&bank.quiz.title), "{last}");
        for c in contact_details(&bank.quiz.support)
            .into_iter()
            .chain(["Ms A Jones".to_string(), "Mr B Khan; Mrs C Lee".to_string()])
        {
            assert!(last.contains(&c), "{}: {c} is not on\n{last}", bank.quiz.id);
        }
    }
}

#[test]
fn every_banks_result_fits_80_by_24_with_room_to_call_the_next_person() {
    use sgquiz::engine::attempt::Attempt;
    use sgquiz::front::transcript::result;
    let look = Look::interactive(Style::plain(), 80).with_height(Some(24));
    for bank in banks() {
        // Wrong answers say the most: the advice to take the quiz again, every topic.
        let plan = Plan::new(&bank, &PlanOptions::default()).unwrap();
        let wrong = crate::support::answers::answers(&bank, &plan, Want::Wrong);
        let mut attempt = Attempt::new(&bank, plan);
        for answer in &wrong {
            attempt.answer(answer);
        }
        let shown = result(&attempt, std::time::Duration::from_secs(600), &look);
        // Under it on a kiosk: a blank line, "Your result has been recorded." and the question
        // that calls the next person.
        assert!(
            shown.lines().count() + 4 <= 24,
            "{}:\n{shown}",
            bank.quiz.id
        );
        assert!(shown.contains("Score: 0 of "), "{shown}");
    }
}
