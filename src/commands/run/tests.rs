//! Unit tests of a run: asking for a name, building the options from the command line, and
//! quoting a name for the shell.

use super::*;
use crate::engine::plan::Settings;
use crate::engine::prompter::Scripted;

#[test]
fn a_name_is_asked_for_again_until_it_will_do() {
    let long = "x".repeat(201);
    let mut prompter = Scripted::new([]).with_names(["  ", long.as_str(), " Sam   Patel "]);
    let mut out = Vec::new();
    let name = ask_name(&mut prompter, &mut out, true).unwrap();
    assert_eq!(name.unwrap(), "Sam Patel");
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "Sorry, the trainee's name is empty. Please try again.\n\
         Sorry, the trainee's name is longer than 200 characters. Please try again.\n"
    );
    let stop = ask_name(&mut prompter, &mut Vec::new(), true).unwrap();
    assert!(matches!(stop, Err(Stop::InputEnded)));
}

#[test]
fn a_name_read_from_a_file_is_not_asked_for_again() {
    let mut prompter = Scripted::new([]).with_names(["\u{200b}", "Sam Patel"]);
    let mut out = Vec::new();
    let refused = ask_name(&mut prompter, &mut out, false).unwrap_err();
    assert!(refused.to_string().contains("name is empty"), "{refused}");
    assert!(out.is_empty());
}

#[test]
fn options_are_built_once_from_the_command_line() {
    use clap::Parser;
    let cli = Cli::try_parse_from([
        "sgquiz",
        "run",
        "q",
        "--seed",
        "9",
        "--no-shuffle",
        "--count",
        "3",
        "--topic",
        "a",
        "--review-at-end",
        "--json",
        "--resume",
    ])
    .unwrap();
    let Some(crate::cli::Command::Run(args)) = cli.command else {
        panic!("run")
    };
    let options = RunOptions::of(&args);
    assert_eq!(options.seed, Some(9));
    assert!(options.resume && options.json);
    assert_eq!(
        options.settings,
        Settings {
            shuffle: Some(false),
            count: Some(3),
            topics: vec!["a".to_string()],
            review_at_end: true,
        }
    );
}

#[test]
fn names_are_quoted_for_the_shell_only_when_they_need_it() {
    assert_eq!(shell_quote("words-matter"), "words-matter");
    assert_eq!(shell_quote("Sam Patel"), "'Sam Patel'");
    assert_eq!(shell_quote("O'Neil"), "'O'\\''Neil'");
    assert_eq!(shell_quote(""), "''");
}
