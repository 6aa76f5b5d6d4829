//! The plain, numbered front end: how screen-reader users and scripts take a quiz.
//!
//! Everything is a line of text: choices are printed `1) text`, one per line, and one line of
//! input answers one question. It reads nothing but answers (no "press Enter"), so a file of
//! answer lines drives a whole quiz. An answer it cannot read is explained and asked for again,
//! never scored; `quit` stops the quiz, as Esc does in the interactive front end. A line that
//! cannot be read at all (longer than 64 KiB, or not UTF-8) is asked for again too.

use std::io::{BufRead, ErrorKind, Write};

use crate::engine::marking::Answer;
use crate::engine::plan::Form;
use crate::engine::prompter::{Prompter, Stop};
use crate::front::signals;
use crate::front::transcript::answers::letter;
use crate::util::text::{MAX_TYPED_CHARS, format_count, parse_number, sanitize};

/// The longest line read: no answer comes near it, and a longer one (a file piped by mistake)
/// is passed over rather than held in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// One line of input, as far as it could be read.
enum Line {
    Text(String),
    /// Read, but not as text: why.
    Unreadable(&'static str),
    End,
}

pub struct Plain<R> {
    input: R,
    echo: bool,
}

impl<R: BufRead> Plain<R> {
    pub fn new(input: R) -> Self {
        Plain { input, echo: false }
    }

    /// Writes each line read back to the output, so that a transcript of piped answers shows
    /// them (a terminal echoes typed lines itself).
    pub fn echo(mut self, echo: bool) -> Self {
        self.echo = echo;
        self
    }

    /// Reads one line, keeping at most `MAX_LINE_BYTES` of it.
    fn line(&mut self) -> Result<Line, Stop> {
        let mut bytes = Vec::new();
        let mut too_long = false;
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if signals::is_ctrl_c(&e) => return Err(Stop::Cancelled),
                Err(e) => return Err(e.into()),
            };
            if available.is_empty() {
                if bytes.is_empty() && !too_long {
                    return Ok(Line::End);
                }
                break;
            }
            let (take, ends) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            if !too_long {
                if bytes.len() + take > MAX_LINE_BYTES + 2 {
                    too_long = true;
                    bytes = Vec::new();
                } else {
                    bytes.extend_from_slice(&available[..take]);
                }
            }
            self.input.consume(take);
            if ends {
                break;
            }
        }
        if too_long {
            return Ok(Line::Unreadable("the line was longer than 64 KiB"));
        }
        while matches!(bytes.last(), Some(b'\n' | b'\r')) {
            bytes.pop();
        }
        Ok(String::from_utf8(bytes).map_or(Line::Unreadable("it was not UTF-8 text"), Line::Text))
    }

    /// Asks until a line parses, or input ends.
    fn read<T>(
        &mut self,
        cue: &str,
        out: &mut dyn Write,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<T, Stop> {
        loop {
            write!(out, "{cue}: ")?;
            out.flush()?;
            let line = match self.line()? {
                Line::Text(line) => line,
                Line::End => {
                    writeln!(out)?;
                    return Err(Stop::InputEnded);
                }
                Line::Unreadable(why) => {
                    if self.echo {
                        writeln!(out)?;
                    }
                    writeln!(
                        out,
                        "Sorry, I could not read that answer, try again ({why})."
                    )?;
                    continue;
                }
            };
            if self.echo {
                // What was typed is shown escaped, as everything untrusted is.
                writeln!(out, "{}", sanitize(&line))?;
            }
            if is_quit(&line) {
                return Err(Stop::Cancelled);
            }
            match parse(&line) {
                Ok(answer) => return Ok(answer),
                Err(why) => writeln!(
                    out,
                    "Sorry, I could not read that answer: {why}. Please try again."
                )?,
            }
        }
    }
}

fn is_quit(line: &str) -> bool {
    matches!(line.trim().to_lowercase().as_str(), "quit" | "exit")
}

impl<R: BufRead> Prompter for Plain<R> {
    fn ask(&mut self, form: &Form, out: &mut dyn Write) -> Result<Answer, Stop> {
        write!(out, "{}", options(form))?;
        let cue = cue(form);
        self.read(&cue, out, |line| parse_answer(form, line))
    }

    fn choose(
        &mut self,
        title: &str,
        options: &[String],
        out: &mut dyn Write,
    ) -> Result<usize, Stop> {
        writeln!(out, "{title}")?;
        for (i, o) in options.iter().enumerate() {
            writeln!(out, "{}) {o}", i + 1)?;
        }
        let n = options.len();
        self.read(&format!("Your choice (1 to {n})"), out, |line| {
            one_number(line.trim(), n).map(|i| i - 1)
        })
    }

    fn name(&mut self, question: &str, out: &mut dyn Write) -> Result<String, Stop> {
        writeln!(out, "{question}")?;
        // Whether the name will do is for the caller to say: it knows whether a refused name
        // can be typed again.
        self.read("Your name", out, |line| Ok(line.trim().to_string()))
    }

    fn confirm(&mut self, question: &str, out: &mut dyn Write) -> Result<bool, Stop> {
        writeln!(out, "{question}")?;
        self.read("Type yes or no", out, |line| {
            match line.trim().to_lowercase().as_str() {
                "yes" | "y" => Ok(true),
                "no" | "n" => Ok(false),
                _ => Err("type yes or no".to_string()),
            }
        })
    }

    /// A screen reader's user cannot be shown a cleared screen; one line in words marks where
    /// the next trainee begins, and nothing is read from the keyboard.
    fn hand_over(&mut self, out: &mut dyn Write) -> Result<(), Stop> {
        write!(out, "{}", crate::front::transcript::next_trainee())?;
        out.flush()?;
        Ok(())
    }
}

/// The numbered options of a question, one per line.
pub fn options(form: &Form) -> String {
    let numbered = |items: &[&str]| -> String {
        items
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{}) {t}\n", i + 1))
            .collect()
    };
    match form {
        Form::Single(c) | Form::Multiple(c) | Form::Order(c) => numbered(c),
        Form::Match { lefts, rights } => {
            let mut s = String::from("Items:\n");
            for (i, l) in lefts.iter().enumerate() {
                s.push_str(&format!("{}) {l}\n", letter(i)));
            }
            s.push_str("Options:\n");
            s.push_str(&numbered(rights));
            s
        }
        Form::TrueFalse | Form::Number | Form::Text => String::new(),
    }
}

/// What to type, said before each answer is read.
pub fn cue(form: &Form) -> String {
    match form {
        Form::Single(c) => format!("Your answer (a number from 1 to {})", c.len()),
        Form::Multiple(c) => format!(
            "Your answer (the numbers of all that apply, 1 to {}, such as 1,3)",
            c.len()
        ),
        Form::TrueFalse => "Your answer (true or false)".to_string(),
        Form::Number => "Your answer (a number)".to_string(),
        Form::Text => "Your answer".to_string(),
        Form::Order(c) => format!(
            "Your answer (all {} numbers, first to last, such as {})",
            c.len(),
            example_order(c.len())
        ),
        Form::Match { lefts, rights } => {
            let letters: Vec<String> = (0..lefts.len()).map(letter).collect();
            format!(
                "Your answer (for {} in turn, the number of its option, 1 to {})",
                letters.join(", "),
                rights.len()
            )
        }
    }
}

fn example_order(n: usize) -> String {
    let mut v: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    v.rotate_right(1);
    v.join(" ")
}

/// Reads one line as an answer to `form`, or says why it cannot.
pub fn parse_answer(form: &Form, line: &str) -> Result<Answer, String> {
    let line = line.trim();
    if line.is_empty() {
        return Err("the answer is empty".to_string());
    }
    match form {
        Form::Single(c) => one_number(line, c.len()).map(|n| Answer::Choice(n - 1)),
        Form::Multiple(c) => {
            let mut picked = numbers(line, c.len())?;
            picked.sort_unstable();
            picked.dedup();
            Ok(Answer::Choices(picked.into_iter().map(|n| n - 1).collect()))
        }
        Form::TrueFalse => match line.to_lowercase().as_str() {
            "true" | "t" | "yes" | "y" => Ok(Answer::Bool(true)),
            "false" | "f" | "no" | "n" => Ok(Answer::Bool(false)),
            _ => Err("type true or false".to_string()),
        },
        Form::Number => parse_number(line).map(Answer::Number).ok_or_else(|| {
            format!("\"{line}\" is not a number; type digits, such as 58 or 70,000")
        }),
        Form::Text if line.chars().count() > MAX_TYPED_CHARS => Err(format!(
            "the answer is longer than {} characters",
            format_count(MAX_TYPED_CHARS)
        )),
        Form::Text => Ok(Answer::Text(line.to_string())),
        Form::Order(c) => {
            let given = numbers(line, c.len())?;
            let mut sorted = given.clone();
            sorted.sort_unstable();
            if sorted != (1..=c.len()).collect::<Vec<_>>() {
                return Err(format!(
                    "give each number from 1 to {} once, in the order you choose",
                    c.len()
                ));
            }
            Ok(Answer::Order(given.into_iter().map(|n| n - 1).collect()))
        }
        Form::Match { lefts, rights } => {
            let given = numbers(line, rights.len())?;
            if given.len() != lefts.len() {
                return Err(format!(
                    "give {} numbers, one for each item, in turn (you gave {})",
                    lefts.len(),
                    given.len()
                ));
            }
            Ok(Answer::Match(given.into_iter().map(|n| n - 1).collect()))
        }
    }
}

fn one_number(s: &str, max: usize) -> Result<usize, String> {
    match numbers(s, max)?.as_slice() {
        [n] => Ok(*n),
        _ => Err("give just one number".to_string()),
    }
}

/// Numbers from 1 to `max`, separated by commas and/or spaces.
fn numbers(s: &str, max: usize) -> Result<Vec<usize>, String> {
    let parts: Vec<&str> = s
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err(format!("type a number from 1 to {max}"));
    }
    parts
        .iter()
        .map(|p| match p.trim_end_matches([')', '.']).parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(format!("\"{p}\" is not a number from 1 to {max}")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_answer() {
        let c = vec!["a", "b", "c", "d"];
        assert_eq!(
            parse_answer(&Form::Single(c.clone()), "2"),
            Ok(Answer::Choice(1))
        );
        assert_eq!(
            parse_answer(&Form::Single(c.clone()), " 2) "),
            Ok(Answer::Choice(1))
        );
        assert_eq!(
            parse_answer(&Form::Multiple(c.clone()), "1,3"),
            Ok(Answer::Choices(vec![0, 2]))
        );
        assert_eq!(
            parse_answer(&Form::Multiple(c.clone()), "3 1 3"),
            Ok(Answer::Choices(vec![0, 2]))
        );
        for yes in ["true", "T", "yes", "y"] {
            assert_eq!(
                parse_answer(&Form::TrueFalse, yes),
                Ok(Answer::Bool(true)),
                "{yes}"
            );
        }
        for no in ["false", "f", "No", "n"] {
            assert_eq!(
                parse_answer(&Form::TrueFalse, no),
                Ok(Answer::Bool(false)),
                "{no}"
            );
        }
        assert_eq!(
            parse_answer(&Form::Number, "70,000"),
            Ok(Answer::Number(70000.0))
        );
        assert_eq!(
            parse_answer(&Form::Text, "  CSAM "),
            Ok(Answer::Text("CSAM".to_string()))
        );
        assert_eq!(
            parse_answer(&Form::Order(vec!["x", "y", "z"]), "3 1 2"),
            Ok(Answer::Order(vec![2, 0, 1]))
        );
        let m = Form::Match {
            lefts: vec!["l1", "l2", "l3"],
            rights: vec!["r1", "r2"],
        };
        assert_eq!(parse_answer(&m, "2 1 1"), Ok(Answer::Match(vec![1, 0, 0])));
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let c = vec!["a", "b", "c"];
        for bad in ["", "0", "4", "two", "1 2"] {
            assert!(
                parse_answer(&Form::Single(c.clone()), bad).is_err(),
                "{bad:?}"
            );
        }
        assert!(parse_answer(&Form::Multiple(c.clone()), "1,,9").is_err());
        assert!(parse_answer(&Form::TrueFalse, "maybe").is_err());
        assert!(parse_answer(&Form::Number, "fifty-eight").is_err());
        assert!(parse_answer(&Form::Order(c.clone()), "1 1 2").is_err());
        assert!(parse_answer(&Form::Order(c.clone()), "1 2").is_err());
        let m = Form::Match {
            lefts: vec!["l1", "l2"],
            rights: vec!["r1", "r2"],
        };
        assert!(parse_answer(&m, "1").is_err());
        assert!(parse_answer(&m, "1 3").is_err());
    }

    #[test]
    fn asks_again_after_a_bad_line_and_stops_on_quit() {
        let form = Form::Single(vec!["a", "b"]);
        let mut p = Plain::new("7\n2\n".as_bytes());
        let mut out = Vec::new();
        assert_eq!(p.ask(&form, &mut out).unwrap(), Answer::Choice(1));
        let shown = String::from_utf8(out).unwrap();
        assert!(shown.contains("1) a\n2) b\n"), "{shown}");
        assert!(
            shown.contains("\"7\" is not a number from 1 to 2"),
            "{shown}"
        );

        let mut p = Plain::new("quit\n".as_bytes());
        assert!(matches!(
            p.ask(&form, &mut Vec::new()),
            Err(Stop::Cancelled)
        ));
        let mut p = Plain::new("".as_bytes());
        assert!(matches!(
            p.ask(&form, &mut Vec::new()),
            Err(Stop::InputEnded)
        ));
    }

    #[test]
    fn an_unreadable_line_is_asked_for_again() {
        let form = Form::Single(vec!["a", "b"]);
        let mut input = vec![b'1'; MAX_LINE_BYTES + 10];
        input.extend_from_slice(b"\n\xff\n2");
        let mut p = Plain::new(input.as_slice());
        let mut out = Vec::new();
        assert_eq!(p.ask(&form, &mut out).unwrap(), Answer::Choice(1));
        let shown = String::from_utf8(out).unwrap();
        assert!(
            shown.contains("try again (the line was longer than 64 KiB)"),
            "{shown}"
        );
        assert!(
            shown.contains("try again (it was not UTF-8 text)"),
            "{shown}"
        );
        // A line of exactly the limit is read.
        let mut input = vec![b' '; MAX_LINE_BYTES - 1];
        input.push(b'2');
        let mut p = Plain::new(input.as_slice());
        assert_eq!(p.ask(&form, &mut Vec::new()).unwrap(), Answer::Choice(1));
    }
}
