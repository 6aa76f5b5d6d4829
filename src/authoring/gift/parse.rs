//! Reading GIFT as Moodle's own importer (`qformat_gift`) reads it: each question's type, text,
//! answers with their grades and feedback, general feedback, tolerance and pairs, before any of
//! it is fitted to a bank (`convert` does that).
//!
//! Moodle splits a file at blank lines. Where Moodle would lose a question, this reader keeps
//! it: a `$CATEGORY:` line followed at once by a question, a question that starts with `::` on
//! the line after the previous one's `}`, and a blank line inside an answer block that is then
//! closed. A block Moodle cannot read costs that block only.

use super::escape::{hide_escapes, restore, weight_len, weight_value};

/// How a text is to be shown, from its `[html]`, `[plain]`, `[markdown]` or `[moodle]` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Moodle,
    Html,
    Plain,
    Markdown,
}

/// One answer of a choice or short-answer question, with its grade from -1 to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub text: String,
    pub fraction: f64,
    pub feedback: String,
}

/// One numeric answer; `value` is `None` for `*`, Moodle's "any other answer".
#[derive(Debug, Clone, PartialEq)]
pub struct NumAnswer {
    pub value: Option<f64>,
    pub tolerance: f64,
    pub fraction: f64,
    pub feedback: String,
}

/// A question's answers, by Moodle's question type.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Description,
    Essay,
    Choice {
        single: bool,
        answers: Vec<Answer>,
    },
    TrueFalse {
        answer: bool,
        wrong_feedback: String,
        right_feedback: String,
    },
    Short {
        answers: Vec<Answer>,
    },
    Numerical {
        answers: Vec<NumAnswer>,
    },
    Match {
        pairs: Vec<(String, String)>,
    },
}

/// A question as Moodle reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The `::title::`, if any.
    pub title: Option<String>,
    /// The title, or the first words of the text as Moodle names an untitled question.
    pub name: String,
    pub text: String,
    pub format: Format,
    pub general: String,
    pub body: Body,
}

/// One thing in a GIFT file.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Category(String),
    /// A `// sgquiz quiz id:` or `// sgquiz title:` comment: (which, value).
    Comment(&'static str, String),
    Question(Parsed),
    /// A block Moodle would refuse, with its name (or first words) and why.
    Broken {
        name: String,
        problem: String,
    },
}

pub(super) const ID_COMMENT: &str = "// sgquiz quiz id: ";
pub(super) const TITLE_COMMENT: &str = "// sgquiz title: ";

/// Splits a GIFT file into categories, comments and questions.
pub fn read(text: &str) -> Vec<Item> {
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().map(trim).collect();
    // For each line, the next line that is not blank: does an answer block go on after a gap?
    let mut next_text = vec![""; lines.len() + 1];
    for i in (0..lines.len()).rev() {
        next_text[i] = if lines[i].is_empty() {
            next_text[i + 1]
        } else {
            lines[i]
        };
    }
    let mut items = Vec::new();
    let mut block = Block::default();
    for (i, line) in lines.iter().enumerate() {
        if line.is_empty() {
            let answers_follow = next_text[i].starts_with(['}', '~', '=', '#']);
            if !(answers_follow && block.braces == Braces::Open) {
                block.flush(&mut items);
            }
        } else if line.starts_with("//") {
            if let Some(id) = line.strip_prefix(ID_COMMENT.trim_end()) {
                items.push(Item::Comment(ID_COMMENT, id.trim().to_string()));
            } else if let Some(title) = line.strip_prefix(TITLE_COMMENT.trim_end()) {
                items.push(Item::Comment(TITLE_COMMENT, title.trim().to_string()));
            }
            // Moodle keeps a commented line as a space.
            if !block.lines.is_empty() {
                block.lines.push(" ".to_string());
            }
        } else if let Some(category) = line.strip_prefix("$CATEGORY:") {
            block.flush(&mut items);
            items.push(Item::Category(category.trim().to_string()));
        } else {
            if line.starts_with("::") && block.braces != Braces::None {
                block.flush(&mut items);
            }
            block.push(line);
        }
    }
    block.flush(&mut items);
    items
}

/// The lines of the question being gathered, and how far its answer block has got.
#[derive(Default)]
struct Block {
    lines: Vec<String>,
    braces: Braces,
}

#[derive(Default, PartialEq)]
enum Braces {
    /// No `{` or `}` yet.
    #[default]
    None,
    /// A `{` and no `}`.
    Open,
    /// A `}`: Moodle's answer block ends at the first one.
    Closed,
}

impl Block {
    fn push(&mut self, line: &str) {
        if self.braces != Braces::Closed {
            for c in hide_escapes(line).chars() {
                match c {
                    '{' => self.braces = Braces::Open,
                    '}' => {
                        self.braces = Braces::Closed;
                        break;
                    }
                    _ => {}
                }
            }
        }
        self.lines.push(line.to_string());
    }

    fn flush(&mut self, items: &mut Vec<Item>) {
        if !self.lines.is_empty() {
            items.extend(question(&self.lines));
        }
        *self = Block::default();
    }
}

/// Trims as PHP's `trim` does: ASCII spaces, tabs and line ends only, so that a no-break space
/// stays part of the text, as it does in Moodle.
pub(super) fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0B'])
}

/// Reads one block of lines as Moodle's `readquestion` does.
fn question(lines: &[String]) -> Option<Item> {
    let text = hide_escapes(trim(&lines.join("\n")));
    if text.is_empty() {
        return None;
    }
    let mut title = None;
    let mut text = text.as_str();
    if let Some(after) = text.strip_prefix("::") {
        text = after;
        if let Some(end) = after.find("::") {
            title = Some(clean_name(&restore(&after[..end])));
            text = trim(&after[end + 2..]);
        }
    }
    let broken = |problem: &str| {
        Some(Item::Broken {
            name: title
                .clone()
                .unwrap_or_else(|| default_name(&restore(text))),
            problem: problem.to_string(),
        })
    };
    let (start, finish) = (text.find('{'), text.find('}'));
    let (question_text, answer_text) = match (start, finish) {
        (None, None) => (text.to_string(), None),
        (Some(s), Some(f)) if f > s => {
            let blank = if text.ends_with('}') { "" } else { "_____" };
            (
                format!("{}{blank}{}", &text[..s], &text[f + 1..]),
                Some(trim(&text[s + 1..f])),
            )
        }
        (Some(_), None) => return broken("its answer block has no closing `}`"),
        _ => return broken("it has a `}` with no `{` before it"),
    };
    let (answer_text, general) = match answer_text.and_then(|a| a.rfind("####").map(|i| (a, i))) {
        Some((a, i)) => (Some(trim(&a[..i])), &a[i + 4..]),
        None => (answer_text, ""),
    };
    let (text, format) = with_format(&question_text, Format::Moodle);
    let (general, _) = with_format(general, format);
    let name = title.clone().unwrap_or_else(|| default_name(&text));
    let parsed = |body| {
        Some(Item::Question(Parsed {
            title: title.clone(),
            name: name.clone(),
            text: text.clone(),
            format,
            general: general.clone(),
            body,
        }))
    };
    let fail = |problem: &str| {
        Some(Item::Broken {
            name: name.clone(),
            problem: problem.to_string(),
        })
    };
    let Some(answers) = answer_text else {
        return parsed(Body::Description);
    };
    if answers.is_empty() {
        return parsed(Body::Essay);
    }
    let body = if let Some(numeric) = answers.strip_prefix('#') {
        numerical(numeric, format)
    } else if answers.contains('~') {
        choice(answers, format)
    } else if answers.contains('=') && answers.contains("->") {
        matching(answers, format)
    } else if let Some(tf) = true_false(answers, format) {
        Ok(tf)
    } else {
        short(answers, format)
    };
    match body {
        Ok(body) => parsed(body),
        Err(problem) => fail(problem),
    }
}

/// Strips a leading format marker, restores escapes and trims (Moodle's `parse_text_with_format`).
fn with_format(text: &str, default: Format) -> (String, Format) {
    let mut format = default;
    let mut text = text;
    if let Some(after) = text.strip_prefix('[')
        && let Some(end) = after.find(']')
    {
        let named = match &after[..end] {
            "moodle" => Some(Format::Moodle),
            "html" => Some(Format::Html),
            "plain" => Some(Format::Plain),
            "markdown" => Some(Format::Markdown),
            _ => None,
        };
        if let Some(named) = named {
            format = named;
            text = &after[end + 1..];
        }
    }
    (trim(&restore(text)).to_string(), format)
}

/// Splits `answer#feedback` at the first `#` (Moodle's `commentparser`).
fn comment(answer: &str, format: Format) -> (String, String) {
    let (a, f) = answer.split_once('#').unwrap_or((answer, ""));
    (
        with_format(trim(a), format).0,
        with_format(trim(f), format).0,
    )
}

/// Splits at `sep`, dropping the first part when it is empty, as Moodle does.
fn parts(text: &str, sep: char) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split(sep).collect();
    if parts.first().is_some_and(|p| trim(p).is_empty()) {
        parts.remove(0);
    }
    parts
}

/// Takes a leading `%50%` weight off `answer`, if it has one.
fn weight(answer: &str) -> (Option<f64>, &str) {
    match weight_len(answer) {
        Some(n) => (Some(weight_value(&answer[..n])), &answer[n..]),
        None => (None, answer),
    }
}

fn choice(answers: &str, format: Format) -> Result<Body, &'static str> {
    let single = answers.contains('=');
    let replaced = answers.replace('=', "~=");
    let list = parts(&replaced, '~');
    if list.len() < 2 {
        return Err("a choice question needs at least two answers");
    }
    let answers = list
        .into_iter()
        .map(|a| {
            let a = trim(a);
            let (fraction, rest) = match a.strip_prefix('=') {
                Some(rest) => (1.0, rest),
                None => {
                    let (w, rest) = weight(a);
                    (w.unwrap_or(0.0), rest)
                }
            };
            let (text, feedback) = comment(rest, format);
            Answer {
                text,
                fraction,
                feedback,
            }
        })
        .collect();
    Ok(Body::Choice { single, answers })
}

fn matching(answers: &str, format: Format) -> Result<Body, &'static str> {
    let list = parts(answers, '=');
    if list.len() < 2 {
        return Err("a matching question needs at least two pairs");
    }
    let mut pairs = Vec::new();
    for a in list {
        let a = trim(a);
        let Some(marker) = a.find("->") else {
            return Err("one of its pairs has no `->`");
        };
        pairs.push((
            with_format(&a[..marker], format).0,
            trim(&restore(&a[marker + 2..])).to_string(),
        ));
    }
    Ok(Body::Match { pairs })
}

fn true_false(answers: &str, format: Format) -> Option<Body> {
    let check = match answers.find('#') {
        Some(i) if i > 0 => trim(&answers[..i]),
        _ => answers,
    };
    let answer = match check {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return None,
    };
    let mut bits = answers.splitn(3, '#').skip(1);
    let mut next = || with_format(trim(bits.next().unwrap_or("")), format).0;
    let wrong_feedback = next();
    let right_feedback = next();
    Some(Body::TrueFalse {
        answer,
        wrong_feedback,
        right_feedback,
    })
}

fn short(answers: &str, format: Format) -> Result<Body, &'static str> {
    let list = parts(answers, '=');
    if list.is_empty() {
        return Err("it has no answers");
    }
    let answers = list
        .into_iter()
        .map(|a| {
            let (w, rest) = weight(trim(a));
            let (text, feedback) = comment(rest, format);
            Answer {
                text,
                fraction: w.unwrap_or(1.0),
                feedback,
            }
        })
        .collect();
    Ok(Body::Short { answers })
}

fn numerical(answers: &str, format: Format) -> Result<Body, &'static str> {
    let (answers, wrong) = match answers.find('~') {
        Some(i) => (&answers[..i], Some(&answers[i..])),
        None => (answers, None),
    };
    let list = parts(answers, '=');
    if list.is_empty() {
        return Err("it has no numeric answers");
    }
    let mut out = Vec::new();
    for a in list {
        let (w, rest) = weight(trim(a));
        let (value, feedback) = comment(rest, format);
        let number = |s: &str| {
            trim(s)
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or("one of its numeric answers is not a number")
        };
        let (value, tolerance) = match value.find("..").filter(|i| *i > 0) {
            Some(i) => {
                let (min, max) = (number(&value[..i])?, number(&value[i + 2..])?);
                let mid = (min + max) / 2.0;
                (Some(mid), max - mid)
            }
            None => match value.find(':').filter(|i| *i > 0) {
                Some(i) => {
                    let tolerance = number(&value[i + 1..])?;
                    let v = trim(&value[..i]);
                    (if v == "*" { None } else { Some(number(v)?) }, tolerance)
                }
                None if trim(&value) == "*" => (None, 0.0),
                None => (Some(number(&value)?), 0.0),
            },
        };
        out.push(NumAnswer {
            value,
            tolerance,
            fraction: w.unwrap_or(1.0),
            feedback,
        });
    }
    if let Some(wrong) = wrong {
        out.push(NumAnswer {
            value: None,
            tolerance: 0.0,
            fraction: 0.0,
            feedback: comment(wrong, format).1,
        });
    }
    Ok(Body::Numerical { answers: out })
}

/// A question name as Moodle keeps it: one line, trimmed.
fn clean_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Moodle's name for an untitled question: its text without tags, cut at 80 characters.
pub(super) fn default_name(text: &str) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let name: String = plain.trim().chars().take(80).collect();
    clean_name(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Parsed {
        match read(text).into_iter().next() {
            Some(Item::Question(q)) => q,
            other => panic!("not a question: {other:?}"),
        }
    }

    fn answers(q: &Parsed) -> Vec<(String, f64, String)> {
        match &q.body {
            Body::Choice { answers, .. } | Body::Short { answers } => answers
                .iter()
                .map(|a| (a.text.clone(), a.fraction, a.feedback.clone()))
                .collect(),
            other => panic!("no answers: {other:?}"),
        }
    }

    #[test]
    fn moodle_short_answers_with_grades_are_short_answers() {
        let q = one("What does DSL stand for?{\n=%100%designated safeguarding lead#\n=%0%*#No.\n}");
        assert!(matches!(q.body, Body::Short { .. }));
        assert_eq!(
            answers(&q),
            [
                ("designated safeguarding lead".into(), 1.0, String::new()),
                ("*".into(), 0.0, "No.".into())
            ]
        );
    }

    #[test]
    fn choices_keep_their_grades_and_feedback() {
        let q = one("::T::Pick{=right#Yes ~%50%half ~%-25%bad ~wrong}");
        assert_eq!(q.title.as_deref(), Some("T"));
        assert!(matches!(q.body, Body::Choice { single: true, .. }));
        assert_eq!(
            answers(&q).iter().map(|(_, f, _)| *f).collect::<Vec<_>>(),
            [1.0, 0.5, -0.25, 0.0]
        );
        assert_eq!(answers(&q)[0].2, "Yes");
        let multi = one("Pick{~%50%a ~%50%b ~c}");
        assert!(matches!(multi.body, Body::Choice { single: false, .. }));
    }

    #[test]
    fn numbers_with_wrong_answer_feedback() {
        let q = one("::Q::Three?{#3:2~#Completely wrong}");
        let Body::Numerical { answers } = q.body else {
            panic!()
        };
        assert_eq!(answers[0].value, Some(3.0));
        assert_eq!(answers[0].tolerance, 2.0);
        assert_eq!(answers[1].value, None);
        assert_eq!(answers[1].feedback, "Completely wrong");
        let range = one("Roughly?{#6.021..6.022}");
        let Body::Numerical { answers } = range.body else {
            panic!()
        };
        assert!((answers[0].value.unwrap() - 6.0215).abs() < 1e-12);
    }

    #[test]
    fn missing_word_and_escapes() {
        let q = one("Call {=999} now\\: it is \\{urgent\\}.");
        assert_eq!(q.text, "Call _____ now: it is {urgent}.");
        let q = one("[html]<b>Bold</b>{T#no#yes}");
        assert_eq!(q.format, Format::Html);
        assert_eq!(q.name, "Bold");
        assert!(
            matches!(q.body, Body::TrueFalse { answer: true, ref right_feedback, .. } if right_feedback == "yes")
        );
    }

    #[test]
    fn questions_without_blank_lines_and_comments_after_the_last() {
        let items = read(
            "$CATEGORY: Sécurité\n::A::One?{T}\n::B::Two?{F}\n$CATEGORY: Other\n::C::Three?{=x =y}\n// the end\n",
        );
        let names: Vec<String> = items
            .iter()
            .map(|i| match i {
                Item::Category(c) => format!("category {c}"),
                Item::Question(q) => q.name.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            names,
            ["category Sécurité", "A", "B", "category Other", "C"]
        );
    }

    #[test]
    fn a_missing_brace_costs_that_question_only() {
        let items = read("::A::One?{=x\n\n::B::Two?{=y}\n\nThree?{\n~a\n\n=b\n}\n");
        assert!(matches!(&items[0], Item::Broken { name, .. } if name == "A"));
        assert!(matches!(&items[1], Item::Question(q) if q.name == "B"));
        assert!(matches!(&items[2], Item::Question(q) if q.name == "Three?"));
    }

    #[test]
    fn descriptions_essays_and_pairs() {
        assert_eq!(one("Just text.").body, Body::Description);
        assert_eq!(one("Write.{}").body, Body::Essay);
        assert_eq!(
            one("Match{=a -> b =c->d}").body,
            Body::Match {
                pairs: vec![("a".into(), "b".into()), ("c".into(), "d".into())]
            }
        );
    }
}
