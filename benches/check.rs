//! How long `sgquiz check` takes on a large bank, against toml parsing the same text alone.
//! Run with `cargo bench --bench check`; the figures are in the README's performance section.

use std::fmt::Write;

fn main() {
    divan::main();
}

/// A valid bank of `n` questions, cycling through every question type; with `references` false,
/// no question has a `reference`, so the bank has `n` warnings.
fn generated_bank(n: usize, references: bool) -> String {
    let mut s = String::from(
        "format = 1\n\n[quiz]\nid = \"generated\"\ntitle = \"Generated\"\npass_mark = 80\n",
    );
    for i in 0..n {
        let body = match i % 7 {
            0 => {
                "type = \"single\"\nchoices = [\n  { text = \"Right\", correct = true },\n  { text = \"Wrong\", feedback = \"Not this one.\" },\n  { text = \"Also wrong\" },\n]"
            }
            1 => {
                "type = \"multiple\"\nchoices = [{ text = \"A\", correct = true }, { text = \"B\", correct = true }, { text = \"C\" }]"
            }
            2 => "type = \"true_false\"\nanswer = true",
            3 => "type = \"number\"\nanswer = 190000\ntolerance = 10000",
            4 => "type = \"text\"\naccept = [\"child sexual abuse material\", \"CSAM\"]",
            5 => "type = \"order\"\nitems = [\"first\", \"second\", \"third\"]",
            _ => {
                "type = \"match\"\npairs = [{ left = \"Level 1\", right = \"Category C\" }, { left = \"Level 4\", right = \"Category A\" }]"
            }
        };
        write!(
            s,
            "\n[[question]]\nid = \"q{i}\"\ntopic = \"topic-{}\"\nprompt = \"Question number {i}: which of these is right?\"\n{body}\n\
             explanation = \"The first answer is right because the bank was generated that way; the others are there to be wrong.\"\n\
             {}",
            i % 9,
            if references {
                "reference = \"Generated for the benchmark\"\n"
            } else {
                ""
            }
        )
        .expect("writing to a String");
    }
    s
}

#[divan::bench(args = [10_000])]
fn check_bank(bencher: divan::Bencher, n: usize) {
    let text = generated_bank(n, true);
    assert_eq!(sgquiz::bank::load::check_source(&text).errors(), 0);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| render(divan::black_box(&text)));
}

/// The same bank with no references: one warning per question, each rendered as `check` prints
/// it. Problems cost the same however many there are: this stays within twice `check_bank`.
#[divan::bench(args = [10_000])]
fn check_bank_with_a_warning_per_question(bencher: divan::Bencher, n: usize) {
    let text = generated_bank(n, false);
    let checked = sgquiz::bank::load::check_source(&text);
    assert_eq!((checked.errors(), checked.warnings()), (0, n));
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| render(divan::black_box(&text)));
}

/// `n` questions whose keys are all misspelt (about 90 bytes a question): four unknown keys
/// each, every one with a "did you mean".
#[divan::bench(args = [10_000])]
fn check_unknown_keys(bencher: divan::Bencher, n: usize) {
    let mut text = String::from("format = 1\n\n[quiz]\nid = \"typos\"\ntitle = \"Typos\"\n");
    for i in 0..n {
        write!(
            text,
            "\n[[question]]\nid = \"q{i}\"\ntpye = \"text\"\npromt = \"P\"\nexplenation = \"E\"\nacept = [\"a\"]\n"
        )
        .expect("writing to a String");
    }
    assert!(sgquiz::bank::load::check_source(&text).errors() >= 4 * n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| render(divan::black_box(&text)));
}

/// `check_source`, then every diagnostic rendered with its line, as `sgquiz check` prints it.
fn render(text: &str) -> usize {
    let checked = sgquiz::bank::load::check_source(text);
    let lines = sgquiz::bank::diagnostic::LineIndex::new(text);
    checked
        .diagnostics
        .iter()
        .map(|d| d.render("bank.toml", &lines).to_string().len())
        .sum()
}

#[divan::bench(args = [10_000])]
fn toml_parse_only(bencher: divan::Bencher, n: usize) {
    let text = generated_bank(n, true);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| toml::from_str::<toml::Table>(divan::black_box(&text)));
}
