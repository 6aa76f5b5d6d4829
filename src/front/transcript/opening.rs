//! The opening screen: its words, laid out for a terminal and cut into pages that fit it,
//! and the support block said before the first question and after the result.

use super::{Look, minutes, plural};
use crate::bank::Bank;
use crate::util::text::format_number;

/// Lines kept free under the last page of the opening screen for the question that asks to
/// start, and under every other page for the key to read on.
const CONSENT_LINES: usize = 4;
const READ_ON_LINES: usize = 3;

/// The opening screen as one page, or, where it is taller than the terminal, as pages: the
/// title and the content note, then the title again with the support and the question to start,
/// each cut into pages that fit if need be. Each page but the last ends with a key to read on.
pub fn opening_pages(bank: &Bank, questions: usize, look: &Look) -> Vec<String> {
    let whole = intro(bank, questions, look);
    let Some(height) = look.height else {
        return vec![whole];
    };
    if whole.lines().count() + CONSENT_LINES <= height {
        return vec![whole];
    }
    let support_at = whole
        .find(&format!("\n{}\n", look.style.heading("Support")))
        .map_or(whole.len(), |i| i + 1);
    let (first, second) = whole.split_at(support_at);
    let parts = [
        first.trim_end().to_string(),
        format!(
            "{}\n{second}",
            look.style.heading(&look.wrap(&bank.quiz.title))
        ),
    ];
    let mut pages = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let lines: Vec<&str> = part.lines().collect();
        let last_part = n + 1 == parts.len();
        let mut at = 0;
        while at < lines.len() {
            let left = lines.len() - at;
            // The last page of the last part keeps room for the question to start.
            let room = if last_part && left + CONSENT_LINES <= height {
                left
            } else {
                height.saturating_sub(READ_ON_LINES).max(1)
            };
            let end = (at + room).min(lines.len());
            pages.push(lines[at..end].join("\n") + "\n");
            at = end;
        }
    }
    pages
}

/// `text` cut into pages that fit the terminal with room for the key to read on under each;
/// one page where no height is known (the plain mode, tests).
pub fn pages(text: &str, look: &Look) -> Vec<String> {
    let Some(height) = look.height else {
        return vec![text.to_string()];
    };
    let room = height.saturating_sub(READ_ON_LINES).max(1);
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= room {
        return vec![text.to_string()];
    }
    lines
        .chunks(room)
        .map(|chunk| chunk.join("\n") + "\n")
        .collect()
}

/// The opening screen's words, for a front end that lays them out itself (the browser); `intro`
/// lays them out for a terminal.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    pub title: String,
    pub summary: Option<String>,
    /// "10 questions · pass mark 80% · about 10 minutes"
    pub counts: String,
    /// When the bank's content was last reviewed, if it says.
    pub reviewed: Option<String>,
    pub note_heading: &'static str,
    pub note: String,
    /// How to stop, true to the front end: said after the note, since the bank cannot know it.
    pub stop: &'static str,
    pub support_heading: &'static str,
    pub support: String,
}

pub const BEFORE_YOU_START: &str = "Before you start";

/// How to stop, in each front end: said after the bank's content note.
pub const STOP_PLAIN: &str = "You may stop at any time: type quit instead of an answer.";
pub const STOP_INTERACTIVE: &str = "You may stop at any time: press Esc.";
pub const STOP_IN_BROWSER: &str =
    "You may stop at any time: close this page. To carry on later, join again under the same name.";
pub const SUPPORT: &str = "Support";

pub fn opening(bank: &Bank, questions: usize, look: &Look) -> Opening {
    let q = &bank.quiz;
    let dot = look.dot();
    Opening {
        title: q.title.clone(),
        summary: q.summary.clone(),
        counts: format!(
            "{questions} question{}{dot}pass mark {}%{dot}about {} minute{}",
            plural(questions),
            format_number(q.pass_mark),
            minutes(questions),
            plural(minutes(questions)),
        ),
        reviewed: q.reviewed_line(),
        note_heading: BEFORE_YOU_START,
        note: q.content_note.clone(),
        stop: if look.plain {
            STOP_PLAIN
        } else {
            STOP_INTERACTIVE
        },
        support_heading: SUPPORT,
        support: q.support.clone(),
    }
}

pub fn intro(bank: &Bank, questions: usize, look: &Look) -> String {
    let o = opening(bank, questions, look);
    let s = &look.style;
    // The interactive opening screen starts on a cleared screen; the plain mode sets it apart.
    let gap = if look.plain { "\n" } else { "" };
    let mut out = format!("{gap}{}\n", s.heading(&look.wrap(&o.title)));
    if let Some(summary) = &o.summary {
        out.push_str(&format!("{}\n", look.wrap(summary)));
    }
    out.push_str(&format!("{}\n", look.wrap(&o.counts)));
    if let Some(line) = &o.reviewed {
        out.push_str(&format!("{}\n", look.wrap(line)));
    }
    out.push_str(&format!(
        "\n{}\n{}\n{}\n\n",
        s.heading(o.note_heading),
        look.wrap(&o.note),
        look.wrap(o.stop)
    ));
    out.push_str(&support(bank, look));
    if !look.plain {
        out.push_str(&format!("{}\n", look.wrap(PLAIN_HINT)));
    }
    out
}

/// Said once on the interactive opening screen.
pub const PLAIN_HINT: &str =
    "Using a screen reader? Run sgquiz with --plain for numbered questions, one line each.";

pub fn support(bank: &Bank, look: &Look) -> String {
    format!(
        "{}\n{}\n",
        look.style.heading(SUPPORT),
        look.wrap(&bank.quiz.support)
    )
}
