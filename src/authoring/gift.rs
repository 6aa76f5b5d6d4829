//! Moodle GIFT, both ways: `export --format gift` writes a bank for Moodle's question bank, and
//! `import` reads a GIFT file back into a bank.
//!
//! GIFT cannot carry everything a bank can (order questions, points, all-or-nothing scoring,
//! quiz settings), and a bank cannot carry everything GIFT can (essays, partial numeric answers,
//! per-answer feedback on true/false). Whatever does not fit is reported as a `Note`, never
//! dropped silently. The quiz id, the title and each question's reference survive a round trip
//! through comment lines and the general feedback.

use crate::bank::{Bank, Choice, Kind, Pair, Question, Scoring};
use crate::util::suggest::to_kebab;
use crate::util::text::format_number;

/// Something that could not be carried across, named for the trainer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(pub String);

const ID_COMMENT: &str = "// sgquiz quiz id: ";
const TITLE_COMMENT: &str = "// sgquiz title: ";
const SOURCE_LABEL: &str = "Source: ";

/// Writes `bank` as GIFT, with notes on what GIFT could not carry.
pub fn export(bank: &Bank) -> (String, Vec<Note>) {
    let mut out = String::new();
    let mut notes = Vec::new();
    out.push_str(&format!("{TITLE_COMMENT}{}\n", one_line(&bank.quiz.title)));
    out.push_str(&format!("{ID_COMMENT}{}\n", bank.quiz.id));
    out.push_str("// Exported by sgquiz. Import into Moodle's question bank as GIFT.\n");
    notes.push(Note(
        "the quiz settings (pass mark, shuffle, audience, content note, support) do not travel in GIFT; \
         set them in Moodle's quiz, and show the support contacts there too"
            .to_string(),
    ));
    let mut topic: Option<&str> = None;
    for q in &bank.questions {
        if let Kind::Order { .. } = q.kind {
            notes.push(Note(format!(
                "question `{}` was skipped: GIFT has no ordering question",
                q.id
            )));
            continue;
        }
        if q.points != 1.0 {
            notes.push(Note(format!(
                "question `{}` is worth {} points; GIFT cannot say so, so set its mark in Moodle",
                q.id,
                format_number(q.points)
            )));
        }
        if topic != Some(q.topic.as_str()) {
            out.push_str(&format!("\n$CATEGORY: {}\n", one_line(&q.topic)));
            topic = Some(&q.topic);
        }
        out.push_str(&format!("\n::{}::{}{{\n", escape(&q.id), escape(&q.prompt)));
        match &q.kind {
            Kind::Single { choices } => {
                for c in choices {
                    let mark = if c.correct { "=" } else { "~" };
                    out.push_str(&format!("\t{mark}{}{}\n", escape(&c.text), feedback(c)));
                }
            }
            Kind::Multiple { choices, scoring } => {
                let right = choices.iter().filter(|c| c.correct).count().max(1);
                let share = moodle_percent(100.0 / right as f64);
                let penalty = match scoring {
                    Scoring::Partial => format!("-{share}"),
                    Scoring::All => {
                        notes.push(Note(format!(
                            "question `{}` scores all or nothing; in GIFT each wrong choice takes away 100% instead",
                            q.id
                        )));
                        "-100".to_string()
                    }
                };
                for c in choices {
                    let weight = if c.correct { &share } else { &penalty };
                    out.push_str(&format!(
                        "\t~%{weight}%{}{}\n",
                        escape(&c.text),
                        feedback(c)
                    ));
                }
            }
            Kind::TrueFalse { answer } => {
                out.push_str(if *answer { "\tTRUE\n" } else { "\tFALSE\n" });
            }
            Kind::Number { answer, tolerance } => {
                out.push_str(&format!(
                    "\t#{}:{}\n",
                    format_number(*answer),
                    format_number(*tolerance)
                ));
            }
            Kind::Text { accept } => {
                for a in accept {
                    out.push_str(&format!("\t={}\n", escape(a)));
                }
            }
            Kind::Match { pairs } => {
                for p in pairs {
                    out.push_str(&format!("\t={} -> {}\n", escape(&p.left), escape(&p.right)));
                }
            }
            Kind::Order { .. } => unreachable!("skipped above"),
        }
        let mut general = q.explanation.clone();
        if let Some(r) = &q.reference {
            general.push_str(&format!("\n\n{SOURCE_LABEL}{r}"));
        }
        out.push_str(&format!("\t####{}\n}}\n", escape(&general)));
    }
    (out, notes)
}

fn feedback(c: &Choice) -> String {
    c.feedback
        .as_deref()
        .map_or(String::new(), |f| format!("#{}", escape(f)))
}

/// The nearest percentage Moodle accepts for a share of the marks, as GIFT writes it.
fn moodle_percent(p: f64) -> String {
    let s = format!("{p:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// Escapes GIFT's special characters and newlines.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Reverses `escape`: `\:` becomes `:`, `\n` a newline.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A bank read from GIFT, before it is written as TOML.
#[derive(Debug)]
pub struct Imported {
    pub id: Option<String>,
    pub title: Option<String>,
    pub questions: Vec<Question>,
    pub notes: Vec<Note>,
}

/// Reads GIFT text. Questions it cannot represent are left out with a note; nothing fails.
pub fn import(text: &str) -> Imported {
    let mut imported = Imported {
        id: None,
        title: None,
        questions: Vec::new(),
        notes: Vec::new(),
    };
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut topic = "general".to_string();
    let mut block = String::new();
    let mut ids = std::collections::HashSet::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if let Some(id) = trimmed.strip_prefix(ID_COMMENT) {
            imported.id = Some(id.trim().to_string());
            continue;
        }
        if let Some(title) = trimmed.strip_prefix(TITLE_COMMENT) {
            imported.title = Some(title.trim().to_string());
            continue;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(category) = trimmed.strip_prefix("$CATEGORY:") {
            let last = category.trim().rsplit('/').next().unwrap_or("").trim();
            let kebab = to_kebab(last);
            topic = if kebab.is_empty() {
                "general".to_string()
            } else {
                kebab
            };
            continue;
        }
        if !trimmed.is_empty() {
            block.push_str(line);
            block.push('\n');
        }
        let ends = trimmed.is_empty() || lines.peek().is_none();
        if ends && !block.trim().is_empty() && braces_closed(&block) {
            let n = imported.questions.len() + imported.notes.len() + 1;
            match question(&block, &topic, n) {
                Ok((mut q, notes)) => {
                    while !ids.insert(q.id.clone()) {
                        q.id = format!("{}-{n}", q.id);
                    }
                    imported.notes.extend(notes);
                    imported.questions.push(q);
                }
                Err(note) => imported.notes.push(note),
            }
            block.clear();
        }
    }
    if !block.trim().is_empty() {
        imported.notes.push(Note(format!(
            "the file ends inside a question (an answer block is not closed): {}",
            first_words(&block)
        )));
    }
    imported
}

fn braces_closed(block: &str) -> bool {
    let mut depth = 0i32;
    let mut escaped = false;
    for c in block.chars() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '{') => depth += 1,
            (false, '}') => depth -= 1,
            _ => {}
        }
    }
    depth <= 0
}

fn first_words(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().take(8).collect();
    format!("\"{}…\"", words.join(" "))
}

/// Splits `s` at unescaped occurrences of `sep` (one character).
fn split_unescaped(s: &str, is_sep: impl Fn(char) -> bool) -> Vec<(Option<char>, String)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut lead: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            current.push(c);
            if let Some(next) = chars.next() {
                current.push(next);
            }
        } else if is_sep(c) {
            parts.push((lead, std::mem::take(&mut current)));
            lead = Some(c);
        } else {
            current.push(c);
        }
    }
    parts.push((lead, current));
    parts
}

/// Finds the first unescaped `target` in `s`.
fn find_unescaped(s: &str, target: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, c) if c == target => return Some(i),
            _ => {}
        }
    }
    None
}

/// Finds the first unescaped `target` string in `s`.
fn find_unescaped_str(s: &str, target: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            continue;
        }
        if s[i..].starts_with(target) {
            return Some(i);
        }
    }
    None
}

fn question(block: &str, topic: &str, n: usize) -> Result<(Question, Vec<Note>), Note> {
    let mut notes = Vec::new();
    let mut rest = block.trim();
    let mut title = None;
    if let Some(after) = rest.strip_prefix("::")
        && let Some(end) = find_unescaped_str(after, "::")
    {
        title = Some(unescape(after[..end].trim()));
        rest = after[end + 2..].trim_start();
    }
    let id = match &title {
        Some(t) if !to_kebab(t).is_empty() => to_kebab(t),
        _ => format!("q{n}"),
    };
    if let Some(t) = &title
        && to_kebab(t) != *t
    {
        notes.push(Note(format!("the title \"{t}\" became the id `{id}`")));
    }
    for marker in ["[html]", "[moodle]", "[plain]", "[markdown]"] {
        if let Some(after) = rest.strip_prefix(marker) {
            if marker == "[html]" {
                notes.push(Note(format!(
                    "question `{id}` is HTML; its tags are kept as text, so tidy them by hand"
                )));
            }
            rest = after.trim_start();
        }
    }
    let Some(open) = find_unescaped(rest, '{') else {
        return Err(Note(format!(
            "question `{id}` has no answers (a description), so it was left out"
        )));
    };
    let Some(close_rel) = find_unescaped(&rest[open + 1..], '}') else {
        return Err(Note(format!(
            "question `{id}` has an answer block that is not closed"
        )));
    };
    let close = open + 1 + close_rel;
    let before = unescape(rest[..open].trim());
    let after = unescape(rest[close + 1..].trim());
    let prompt = if after.is_empty() {
        before
    } else {
        format!("{before} _____ {after}")
    };
    let body = &rest[open + 1..close];
    let (body, general) = match find_unescaped_str(body, "####") {
        Some(i) => (&body[..i], Some(unescape(body[i + 4..].trim()))),
        None => (body, None),
    };
    let body = body.trim();
    if body.is_empty() {
        return Err(Note(format!(
            "question `{id}` is an essay question, which a bank cannot hold, so it was left out"
        )));
    }
    let kind = if let Some(numeric) = body.strip_prefix('#') {
        number(numeric, &id, &mut notes)?
    } else if let Some(tf) = true_false(body, &id, &mut notes) {
        tf
    } else {
        answers(body, &id, &mut notes)?
    };
    let (explanation, reference) = match general {
        Some(g) => match g.rfind(&format!("\n{SOURCE_LABEL}")) {
            Some(i) => (
                g[..i].trim().to_string(),
                Some(g[i + 1 + SOURCE_LABEL.len()..].trim().to_string()),
            ),
            None => (g, None),
        },
        None => {
            notes.push(Note(format!(
                "question `{id}` has no general feedback; its explanation only gives the answer, so write one that teaches"
            )));
            (
                format!("The right answer is: {}.", kind.answer_text()),
                None,
            )
        }
    };
    if prompt.is_empty() {
        return Err(Note(format!("question `{id}` has no question text")));
    }
    Ok((
        Question {
            id,
            topic: topic.to_string(),
            points: 1.0,
            prompt,
            explanation,
            reference,
            kind,
        },
        notes,
    ))
}

fn true_false(body: &str, id: &str, notes: &mut Vec<Note>) -> Option<Kind> {
    let parts = split_unescaped(body, |c| c == '#');
    let answer = match parts[0].1.trim() {
        "T" | "TRUE" => true,
        "F" | "FALSE" => false,
        _ => return None,
    };
    if parts.len() > 1 {
        notes.push(Note(format!(
            "question `{id}`: feedback on the true/false answers was dropped (put it in the explanation)"
        )));
    }
    Some(Kind::TrueFalse { answer })
}

fn number(body: &str, id: &str, notes: &mut Vec<Note>) -> Result<Kind, Note> {
    let body = body.trim();
    // "# =58:0 =%50%57:0" lists several answers; keep the fully right one.
    let first = if body.starts_with('=') {
        let options = split_unescaped(body, |c| c == '=');
        let mut full = None;
        for (_, o) in options.iter().filter(|(lead, _)| lead.is_some()) {
            if o.trim_start().starts_with('%') && !o.trim_start().starts_with("%100%") {
                notes.push(Note(format!(
                    "question `{id}`: a part-credit numeric answer was dropped"
                )));
            } else if full.is_none() {
                full = Some(o.trim().trim_start_matches("%100%").to_string());
            }
        }
        full.ok_or_else(|| Note(format!("question `{id}` has no fully right numeric answer")))?
    } else {
        body.to_string()
    };
    let value = match find_unescaped(&first, '#') {
        Some(i) => first[..i].trim().to_string(),
        None => first.trim().to_string(),
    };
    let bad = || {
        Note(format!(
            "question `{id}` has a numeric answer that cannot be read: {value}"
        ))
    };
    if let Some((low, high)) = value.split_once("..") {
        let low: f64 = low.trim().parse().map_err(|_| bad())?;
        let high: f64 = high.trim().parse().map_err(|_| bad())?;
        return Ok(Kind::Number {
            answer: (low + high) / 2.0,
            tolerance: (high - low).abs() / 2.0,
        });
    }
    let (answer, tolerance) = match value.split_once(':') {
        Some((a, t)) => (a, t),
        None => (value.as_str(), "0"),
    };
    Ok(Kind::Number {
        answer: answer.trim().parse().map_err(|_| bad())?,
        tolerance: tolerance.trim().parse::<f64>().map_err(|_| bad())?.abs(),
    })
}

/// Parses `=right ~wrong#feedback`, weighted `~%50%right`, short answers and `=a -> b` pairs.
fn answers(body: &str, id: &str, notes: &mut Vec<Note>) -> Result<Kind, Note> {
    let mut options = Vec::new();
    for (lead, text) in split_unescaped(body, |c| c == '=' || c == '~') {
        let Some(lead) = lead else {
            if !text.trim().is_empty() {
                notes.push(Note(format!(
                    "question `{id}`: text before the first answer was dropped: {}",
                    text.trim()
                )));
            }
            continue;
        };
        let mut text = text.trim().to_string();
        let mut weight = None;
        if let Some(after) = text.strip_prefix('%')
            && let Some(end) = after.find('%')
        {
            weight = after[..end].trim().parse::<f64>().ok();
            text = after[end + 1..].trim().to_string();
        }
        let (answer, feedback) = match find_unescaped(&text, '#') {
            Some(i) => (
                text[..i].trim().to_string(),
                Some(unescape(text[i + 1..].trim())).filter(|f| !f.is_empty()),
            ),
            None => (text.clone(), None),
        };
        options.push((lead, weight, answer, feedback));
    }
    if options.is_empty() {
        return Err(Note(format!(
            "question `{id}` has no answers that can be read"
        )));
    }
    if options.iter().all(|(lead, ..)| *lead == '=')
        && options
            .iter()
            .any(|(_, _, a, _)| find_unescaped_str(a, "->").is_some())
    {
        let mut pairs = Vec::new();
        for (_, _, a, _) in &options {
            let Some(i) = find_unescaped_str(a, "->") else {
                return Err(Note(format!(
                    "question `{id}` mixes pairs with other answers"
                )));
            };
            pairs.push(Pair {
                left: unescape(a[..i].trim()),
                right: unescape(a[i + 2..].trim()),
            });
        }
        return Ok(Kind::Match { pairs });
    }
    let weighted = options.iter().any(|(_, w, ..)| w.is_some());
    if options.iter().all(|(lead, ..)| *lead == '=') && !weighted {
        if options.iter().any(|(.., f)| f.is_some()) {
            notes.push(Note(format!(
                "question `{id}`: feedback on short answers was dropped"
            )));
        }
        return Ok(Kind::Text {
            accept: options
                .into_iter()
                .map(|(_, _, a, _)| unescape(&a))
                .collect(),
        });
    }
    let choices: Vec<Choice> = options
        .iter()
        .map(|(lead, weight, answer, feedback)| Choice {
            text: unescape(answer),
            correct: match weight {
                Some(w) => *w > 0.0,
                None => *lead == '=',
            },
            feedback: feedback.clone(),
        })
        .collect();
    let right = choices.iter().filter(|c| c.correct).count();
    if weighted || right > 1 {
        Ok(Kind::Multiple {
            choices,
            scoring: Scoring::Partial,
        })
    } else {
        Ok(Kind::Single { choices })
    }
}

/// Writes imported questions as a bank file.
pub fn to_toml(id: &str, title: &str, questions: &[Question]) -> String {
    let s = |text: &str| toml::Value::String(text.to_string()).to_string();
    let mut out = format!(
        "# Imported from GIFT by sgquiz. Check it with `sgquiz check`, and add a reference to\n# every question.\nformat = 1\n\n[quiz]\nid = {}\ntitle = {}\n",
        s(id),
        s(title)
    );
    for q in questions {
        out.push_str(&format!(
            "\n[[question]]\nid = {}\ntype = \"{}\"\ntopic = {}\nprompt = {}\n",
            s(&q.id),
            q.kind.name(),
            s(&q.topic),
            s(&q.prompt)
        ));
        match &q.kind {
            Kind::Single { choices } | Kind::Multiple { choices, .. } => {
                out.push_str("choices = [\n");
                for c in choices {
                    let mut fields = vec![format!("text = {}", s(&c.text))];
                    if c.correct {
                        fields.push("correct = true".to_string());
                    }
                    if let Some(f) = &c.feedback {
                        fields.push(format!("feedback = {}", s(f)));
                    }
                    out.push_str(&format!("  {{ {} }},\n", fields.join(", ")));
                }
                out.push_str("]\n");
            }
            Kind::TrueFalse { answer } => out.push_str(&format!("answer = {answer}\n")),
            Kind::Number { answer, tolerance } => out.push_str(&format!(
                "answer = {}\ntolerance = {}\n",
                toml_number(*answer),
                toml_number(*tolerance)
            )),
            Kind::Text { accept } => out.push_str(&format!(
                "accept = [{}]\n",
                accept.iter().map(|a| s(a)).collect::<Vec<_>>().join(", ")
            )),
            Kind::Order { items } => out.push_str(&format!(
                "items = [{}]\n",
                items.iter().map(|a| s(a)).collect::<Vec<_>>().join(", ")
            )),
            Kind::Match { pairs } => {
                out.push_str("pairs = [\n");
                for p in pairs {
                    out.push_str(&format!(
                        "  {{ left = {}, right = {} }},\n",
                        s(&p.left),
                        s(&p.right)
                    ));
                }
                out.push_str("]\n");
            }
        }
        out.push_str(&format!("explanation = {}\n", s(&q.explanation)));
        if let Some(r) = &q.reference {
            out.push_str(&format!("reference = {}\n", s(r)));
        }
    }
    out
}

fn toml_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}
