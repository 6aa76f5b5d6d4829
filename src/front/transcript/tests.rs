//! Unit tests of the transcript's words: the opening screen, resuming, feedback and the
//! result, each checked exactly.

use std::time::Duration;

use super::*;
use crate::bank::Bank;
use crate::bank::load::validate_source;
use crate::engine::attempt::Attempt;
use crate::engine::marking::{Answer, mark};
use crate::engine::plan::{Plan, PlanOptions};

const BANK: &str = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"A quiz\"\n\
    summary = \"What it covers.\"\nshuffle = false\ncontent_note = \"A note.\"\n\
    support = \"Who to ask.\"\n\
    [[question]]\nid = \"a\"\nprompt = \"Which?\"\nexplanation = \"Because B.\"\n\
    reference = \"A guide\"\npoints = 2\ntype = \"single\"\n\
    choices = [{ text = \"A\", feedback = \"Not A.\" }, { text = \"B\", correct = true }]\n\
    [[question]]\nid = \"b\"\ntopic = \"other\"\nprompt = \"Pick\"\nexplanation = \"E.\"\n\
    type = \"multiple\"\n\
    choices = [{ text = \"X\", correct = true }, { text = \"Y\", correct = true }, { text = \"Z\" }]\n";

fn plain() -> Look {
    Look::plain(Style::plain())
}

fn bank_and_plan() -> (Bank, Plan) {
    let bank = validate_source(BANK).unwrap();
    let plan = Plan::new(&bank, &PlanOptions::default()).unwrap();
    (bank, plan)
}

#[test]
fn the_opening_screen_has_the_note_and_the_support() {
    let (bank, _) = bank_and_plan();
    assert_eq!(
        intro(&bank, 2, &plain()),
        "\nA quiz\nWhat it covers.\n2 questions, pass mark 80%, about 2 minutes\n\n\
         Before you start\nA note.\nYou may stop at any time: type quit instead of an answer.\n\n\
         Support\nWho to ask.\n"
    );
}

#[test]
fn a_wrong_answer_is_told_with_the_right_one_the_feedback_and_why() {
    let (bank, plan) = bank_and_plan();
    let m = mark(&bank.questions[0], &plan.asked[0], &Answer::Choice(0));
    assert_eq!(
        feedback(&bank.questions[0], &m, &plain()),
        "\nIncorrect (0 of 2 points)\nYou answered: A\nThe right answer: B\n\
         About your choice: Not A.\nWhy: Because B.\nSource: A guide\n"
    );
}

#[test]
fn a_partly_right_answer_says_how_partial_credit_works() {
    let (bank, plan) = bank_and_plan();
    let m = mark(
        &bank.questions[1],
        &plan.asked[1],
        &Answer::Choices(vec![0]),
    );
    assert_eq!(
        feedback(&bank.questions[1], &m, &plain()),
        "\nPartly correct (0.5 of 1 point)\nEach choice:\n\
         \x20 - you chose it, right: X\n\
         \x20 - you left it out, but it is a right answer: Y\n\
         \x20 - you left it out, right: Z\n\
         You chose 1 of the 2 right answers, each worth an equal share, and none of the wrong \
         ones: 0.5 of 1 point.\nWhy: E.\n"
    );
}

#[test]
fn the_result_gives_the_score_the_topics_the_time_and_the_seed() {
    let (bank, plan) = bank_and_plan();
    let mut attempt = Attempt::new(&bank, plan);
    attempt.answer(&Answer::Choice(1));
    attempt.answer(&Answer::Choices(vec![2]));
    assert_eq!(
        result(&attempt, Duration::from_secs(75), &plain()),
        "\nYour result\nScore: 2 of 3 (66.7%). Pass mark: 80%.\nNot passed this time.\n\
         Read the explanations again and take the quiz once more when you are ready.\n\n\
         By topic\n  general: 1 of 1 right (2 of 2 points)\n  other: 0 of 1 right (0 of 1 point)\n\n\
         Time taken: 1 min 15 s\n\
         Seed 0: run the quiz again with --seed 0 for the same questions in the same order.\n\n"
    );
}

#[test]
fn durations_and_the_resume_hint() {
    assert_eq!(duration(Duration::from_secs(59)), "59 s");
    assert_eq!(duration(Duration::from_secs(600)), "10 min 0 s");
    assert_eq!(
        how_to_resume(1, "words-matter", "'Sam O'\\''Neil'"),
        "Your 1 answer so far is kept. To carry on later where you stopped:\n  \
         sgquiz run words-matter --name 'Sam O'\\''Neil' --resume\n"
    );
    assert!(how_to_resume(2, "q", "n").starts_with("Your 2 answers so far are kept."));
}

#[test]
fn the_interactive_result_lines_the_topics_up_with_symbols_and_words() {
    let (bank, plan) = bank_and_plan();
    let mut attempt = Attempt::new(&bank, plan);
    attempt.answer(&Answer::Choice(1));
    attempt.answer(&Answer::Choices(vec![0, 1]));
    let shown = result(
        &attempt,
        Duration::from_secs(5),
        &Look::interactive(Style::plain(), 80),
    );
    assert!(shown.contains("✓ Passed."), "{shown}");
    assert!(
        shown.contains("  general  1 of 1 right (2 of 2 points)\n  other    1 of 1 right"),
        "{shown}"
    );
}

#[test]
fn the_plain_opening_says_no_symbol_and_the_interactive_one_mentions_plain() {
    let (bank, _) = bank_and_plan();
    let plain = intro(&bank, 2, &plain());
    assert!(
        !plain.contains('·') && !plain.contains("--plain"),
        "{plain}"
    );
    let screen = intro(&bank, 2, &Look::interactive(Style::plain(), 80));
    assert_eq!(screen.matches("--plain").count(), 1, "{screen}");
    assert!(screen.contains("2 questions · pass mark 80%"), "{screen}");
}

#[test]
fn an_opening_screen_taller_than_the_terminal_is_paged_at_the_support() {
    let (bank, _) = bank_and_plan();
    let look = Look::interactive(Style::plain(), 80);
    assert_eq!(
        opening_pages(&bank, 2, &look).len(),
        1,
        "no height: one page"
    );
    let tall = look.with_height(Some(40));
    assert_eq!(opening_pages(&bank, 2, &tall), [intro(&bank, 2, &look)]);
    let short = look.with_height(Some(10));
    let pages = opening_pages(&bank, 2, &short);
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages[0].contains("A note.") && !pages[0].contains("Who to ask."));
    assert!(
        pages[1].starts_with("A quiz\nSupport\nWho to ask.\n"),
        "{pages:?}"
    );
    // Shorter still: more pages, none taller than the screen leaves room for.
    let tiny = look.with_height(Some(6));
    let pages = opening_pages(&bank, 2, &tiny);
    assert!(pages.len() > 2, "{pages:?}");
    assert!(pages.iter().all(|p| p.lines().count() <= 3), "{pages:?}");
    assert_eq!(pages.concat().matches("Who to ask.").count(), 1);
}

#[test]
fn a_short_terminal_gets_the_compact_opening_where_the_bank_gives_its_contacts_briefly() {
    let source = BANK.replace(
        "support = \"Who to ask.\"\n",
        "support = \"Who to ask, at length.\"\nreviewed = 2026-11-15\n\
         support_brief = \"If this affects you, stop.\\n- Helpline 0800 1111.\"\n",
    );
    let bank = validate_source(&source).unwrap();
    let look = Look::interactive(Style::plain(), 80);
    let whole = intro(&bank, 2, &look);
    assert_eq!(whole.lines().count(), 12, "{whole}");
    assert_eq!(
        compact_intro(&bank, 2, &look, true).unwrap(),
        "A quiz\nWhat it covers.\n2 questions · pass mark 80% · about 2 minutes · reviewed \
         November 2026\n\nBefore you start: A note. You may stop at any time: press Esc.\n\n\
         Support: If this affects you, stop.\n- Helpline 0800 1111.\n\
         Screen reader? Run sgquiz with --plain for numbered questions, one line each.\n"
    );
    // The whole screen where it fits with the question to start (three lines) under it; the
    // compact one, with the summary while there is room, then without; pages below that.
    let at = |height| opening_pages(&bank, 2, &look.with_height(Some(height)));
    assert_eq!(at(15), [whole]);
    assert_eq!(at(14), [compact_intro(&bank, 2, &look, true).unwrap()]);
    assert_eq!(at(12), [compact_intro(&bank, 2, &look, true).unwrap()]);
    assert_eq!(at(11), [compact_intro(&bank, 2, &look, false).unwrap()]);
    assert!(at(10).len() > 1, "{:?}", at(10));
    assert!(at(10).concat().contains("Who to ask, at length."));
    // Never in the plain mode, which keeps every word; nor for a bank without the brief.
    assert_eq!(compact_intro(&bank, 2, &plain(), true), None);
    let (without, _) = bank_and_plan();
    assert_eq!(compact_intro(&without, 2, &look, true), None);
}

#[test]
fn long_text_is_cut_into_pages_that_fit() {
    let text = "one\ntwo\nthree\nfour\nfive\n";
    let look = Look::interactive(Style::plain(), 80);
    assert_eq!(pages(text, &look), [text]);
    assert_eq!(pages(text, &look.with_height(Some(8))), [text]);
    assert_eq!(
        pages(text, &look.with_height(Some(5))),
        ["one\ntwo\n", "three\nfour\n", "five\n"]
    );
}

#[test]
fn a_page_ends_between_paragraphs_or_items_rather_than_inside_one() {
    let text = "Support\n- one\n- two, which\n  runs on\n- three, which\n  runs on too\n";
    let look = Look::interactive(Style::plain(), 80).with_height(Some(8));
    // Five lines fit; the fifth would be the first of an item.
    assert_eq!(
        pages(text, &look),
        [
            "Support\n- one\n- two, which\n  runs on\n",
            "- three, which\n  runs on too\n"
        ]
    );
    // With no such place in the second half of the page, it ends where the room ends...
    let prose = "a\nb\nc\nd\ne\nf\n";
    assert_eq!(pages(prose, &look), ["a\nb\nc\nd\ne\n", "f\n"]);
    // ...unless there is one from which the rest fits on the next page: no line left alone.
    let headed = "Title\nsummary\n\nnote\nnote\nstop\n";
    assert_eq!(
        pages(headed, &look),
        ["Title\nsummary\n\n", "note\nnote\nstop\n"]
    );
    // A year at the start of a wrapped line ("2013. They...") does not start an item.
    let year = "a\nb\nc\nd\n2013. e\nf\n";
    assert_eq!(pages(year, &look), ["a\nb\nc\nd\n2013. e\n", "f\n"]);
}

#[test]
fn topics_are_said_as_words() {
    assert_eq!(topic_words("sentencing-scale"), "sentencing scale");
}

#[test]
fn wrapping_keeps_within_the_width() {
    let look = Look::interactive(Style::plain(), 20);
    let text = look.wrap("one two three four five six seven eight nine ten");
    assert!(text.lines().all(|l| l.chars().count() <= 20), "{text}");
    assert_eq!(text.split_whitespace().count(), 10);
}
