//! How long `sgquiz check` takes on a large bank, against toml parsing the same text alone.
//! Run with `cargo bench --bench check`; the figures are in the README's performance section.

use std::fmt::Write;

fn main() {
    divan::main();
}

/// A valid bank of `n` questions, cycling through every question type.
fn generated_bank(n: usize) -> String {
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
             reference = \"Generated for the benchmark\"\n",
            i % 9
        )
        .expect("writing to a String");
    }
    s
}

#[divan::bench(args = [10_000])]
fn check_bank(bencher: divan::Bencher, n: usize) {
    let text = generated_bank(n);
    assert_eq!(sgquiz::bank::load::check_source(&text).errors(), 0);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| sgquiz::bank::load::check_source(divan::black_box(&text)));
}

#[divan::bench(args = [10_000])]
fn toml_parse_only(bencher: divan::Bencher, n: usize) {
    let text = generated_bank(n);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| toml::from_str::<toml::Table>(divan::black_box(&text)));
}
