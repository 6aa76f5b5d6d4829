//! The loader's tests: every rule and lint, with its place.

use super::*;
use crate::bank::DEFAULT_SUPPORT;
use crate::bank::diagnostic::line_col;

const HEAD: &str = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\n";

/// The errors for `src` as `line:col: message`.
fn errors(src: &str) -> Vec<String> {
    match validate_source(src) {
        Ok(_) => Vec::new(),
        Err(ds) => ds
            .iter()
            .map(|d| {
                let (l, c) = line_col(src, d.span.start);
                format!("{l}:{c}: {}", d.message)
            })
            .collect(),
    }
}

#[test]
fn a_minimal_bank_loads_with_defaults() {
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    let bank = validate_source(&src).expect("valid");
    assert_eq!(bank.quiz.pass_mark, 80.0);
    assert!(bank.quiz.shuffle);
    assert_eq!(bank.quiz.support, DEFAULT_SUPPORT);
    assert_eq!(bank.questions[0].topic, "general");
    assert_eq!(bank.questions[0].points, 1.0);
}

#[test]
fn every_problem_is_reported_with_its_place() {
    let src = format!(
        "{HEAD}pass_mark = 101\n\
             [[question]]\nid = \"q\"\ntype = \"single\"\nprompt = \"P\"\nexplanation = \"E\"\n\
             choices = [{{ text = \"a\" }}, {{ text = \"b\" }}]\n\
             [[question]]\nid = \"q\"\ntype = \"matching\"\nprompt = \"\"\nexplanation = \"E\"\n"
    );
    assert_eq!(
        errors(&src),
        [
            "5:13: `pass_mark` is a percentage from 0 to 100, found 101",
            "11:11: a single question needs exactly one right choice; this one has 0",
            "13:6: question id `q` is used twice in this bank",
            "14:8: unknown question type `matching`",
            "15:10: `prompt` must not be empty",
        ]
    );
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplenation = \"E\"\n"
    );
    let ds = validate_source(&src).unwrap_err();
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0].message, "unknown key `explenation` in question `q`");
    assert_eq!(ds[0].help.as_deref(), Some("did you mean `explanation`?"));
    assert_eq!(line_col(&src, ds[0].span.start), (10, 1));
}

#[test]
fn keys_of_another_type_are_refused() {
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\ntolerance = 1\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    assert_eq!(
        errors(&src),
        ["9:1: `tolerance` is not used by a true_false question (question `q`)"]
    );
}

#[test]
fn type_rules_are_checked() {
    let q = |body: &str| {
        format!("{HEAD}[[question]]\nid = \"q\"\nprompt = \"P\"\nexplanation = \"E\"\n{body}\n")
    };
    let cases = [
        (
            "type = \"multiple\"\nchoices = [{ text = \"a\" }, { text = \"b\" }]",
            "at least one right choice",
        ),
        (
            "type = \"single\"\nchoices = [{ text = \"a\", correct = true }]",
            "at least two choices",
        ),
        (
            "type = \"single\"\nchoices = [{ text = \"a\", correct = true }, { text = \"A\" }]",
            "same text",
        ),
        (
            "type = \"number\"\nanswer = 5\ntolerance = -1",
            "must not be negative",
        ),
        (
            "type = \"number\"\nanswer = \"five\"",
            "`answer` must be a number, found a string",
        ),
        (
            "type = \"text\"\naccept = []",
            "at least one accepted answer",
        ),
        ("type = \"order\"\nitems = [\"a\"]", "at least 2 entries"),
        (
            "type = \"match\"\npairs = [{ left = \"a\", right = \"x\" }]",
            "at least two pairs",
        ),
        (
            "type = \"match\"\npairs = [{ left = \"a\", right = \"x\" }, { left = \"a\", right = \"y\" }]",
            "used twice",
        ),
        ("type = \"true_false\"\nanswer = \"yes\"", "true or false"),
        (
            "type = \"multiple\"\nscoring = \"some\"\nchoices = [{ text = \"a\", correct = true }, { text = \"b\" }]",
            "\"partial\" or \"all\"",
        ),
    ];
    for (body, expected) in cases {
        let found = errors(&q(body));
        assert!(
            found.iter().any(|e| e.contains(expected)),
            "{body}\n=> {found:?}"
        );
    }
}

#[test]
fn format_version_is_required_and_known() {
    assert!(
        errors("[quiz]\nid = \"t\"\ntitle = \"T\"\n")
            .iter()
            .any(|e| e.contains("missing `format = 1`"))
    );
    let src = HEAD.replace("format = 1", "format = 2");
    assert!(
        errors(&src)
            .iter()
            .any(|e| e == "1:10: unknown format version 2")
    );
}

#[test]
fn syntax_errors_have_a_place() {
    let found = errors("format = 1\n[quiz\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("2:"), "{found:?}");
}

#[test]
fn bank_text_is_made_safe_for_the_terminal() {
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\\u001b[2J\"\nexplanation = \"E\\u0007\"\n"
    );
    let bank = validate_source(&src).expect("valid");
    assert_eq!(bank.questions[0].prompt, "P\\x1b[2J");
    assert_eq!(bank.questions[0].explanation, "E\\x07");
}

#[test]
fn oversized_banks_are_refused_before_parsing() {
    let big = "#".repeat(MAX_BANK_BYTES as usize + 1);
    let err = load_str("big.toml", &big).unwrap_err();
    assert!(err.to_string().contains("at most 16 MiB"), "{err}");
}

/// Every error for `src` as `line:col: code: message`.
fn codes(src: &str) -> Vec<String> {
    check_source(src)
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let (l, c) = line_col(src, d.span.start);
            format!("{l}:{c}: {}: {}", d.code, d.message)
        })
        .collect()
}

#[test]
fn one_question_in_single_brackets_is_named() {
    let src = format!(
        "{HEAD}[question]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    let found = codes(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("5:1: single-brackets: "), "{found:?}");
}

#[test]
fn a_closed_list_missing_a_comma_is_not_called_unclosed() {
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntype = \"text\"\naccept = [\"a\" \"b\"]\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    let found = codes(&src);
    assert!(!found.is_empty());
    assert!(
        found.iter().all(|f| !f.contains("unclosed-list")),
        "{found:?}"
    );
}

#[test]
fn each_question_without_its_line_is_reported_once() {
    let q = |id: &str| {
        format!(
            "id = \"{id}\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplanation = \"E\"\n"
        )
    };
    let src = format!("{HEAD}[[question]]\n{}\n{}\n{}", q("a"), q("b"), q("c"));
    let found = codes(&src);
    assert_eq!(
        found,
        [
            "12:1: missing-question-line: `id` is given twice in one question: the question from line 12 has no `[[question]]` line of its own",
            "18:1: missing-question-line: `id` is given twice in one question: the question from line 18 has no `[[question]]` line of its own",
        ]
    );
}

#[test]
fn a_misspelt_key_is_not_also_reported_missing() {
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntpye = \"true_false\"\ncorrect = true\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    let found: Vec<String> = codes(&src)
        .into_iter()
        .filter(|f| f.contains("error") || f.contains("key"))
        .collect();
    assert!(
        found.iter().all(|f| !f.contains("missing-key")),
        "{found:?}"
    );
}

#[test]
fn a_missing_brace_or_table_bracket_is_named_where_it_belongs() {
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntype = \"single\"\nchoices = [{{ text = \"A\", correct = true }}, {{ text = \"B\" ]\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    assert_eq!(
        codes(&src),
        ["8:44: unclosed-bracket: the `{` here is never closed: a `}` is missing"]
    );
    let src = format!(
        "{HEAD}[[question]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    assert_eq!(
        codes(&src),
        [
            "5:1: table-line: this line is not closed as it was opened: `[[question]` needs `]]` at the end"
        ]
    );
}

#[test]
fn a_number_or_true_in_quotes_is_told_to_lose_them() {
    let src = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\npass_mark = \"80%\"\n[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = \"True\"\nprompt = \"P\"\nexplanation = \"E\"\n";
    let helps: Vec<String> = check_source(src)
        .diagnostics
        .iter()
        .filter(|d| d.code == "wrong-type")
        .map(|d| format!("{} / {}", d.message, d.help.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        helps,
        [
            "`pass_mark` must be a number, found a string / write it without quotes: pass_mark = 80",
            "`answer` must be true or false, found a string / write it without quotes: answer = true",
        ]
    );
}

#[test]
fn points_must_be_finite_and_at_most_1000() {
    for (points, code) in [
        ("1e308", "too-many-points"),
        ("1001", "too-many-points"),
        // `number` reads only finite numbers.
        ("inf", "wrong-type"),
        ("-inf", "wrong-type"),
        ("nan", "wrong-type"),
        ("-1", "negative-points"),
    ] {
        let src = format!(
            "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\npoints = {points}\nprompt = \"P\"\nexplanation = \"E\"\n"
        );
        let diagnostics = validate_source(&src).expect_err(points);
        assert!(
            diagnostics.iter().any(|d| d.code == code),
            "{points}: {diagnostics:?}"
        );
    }
    let src = format!(
        "{HEAD}[[question]]\nid = \"q\"\ntype = \"true_false\"\nanswer = true\npoints = 1000\nprompt = \"P\"\nexplanation = \"E\"\n"
    );
    assert_eq!(
        validate_source(&src).expect("valid").questions[0].points,
        1000.0
    );
}
