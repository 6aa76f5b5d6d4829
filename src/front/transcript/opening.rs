//! The opening screen: its words, laid out for a terminal and cut into pages that fit it,
//! and the support block said before the first question and after the result.

use super::{Look, minutes, plural};
use crate::bank::Bank;
use crate::util::text::{format_number, list_marker_width, reflow};

/// Lines kept free under the last page of the opening screen for the question that asks to
/// start (a blank line, the question and its keys), and under every other page for the key to
/// read on.
const CONSENT_LINES: usize = 3;
const READ_ON_LINES: usize = 3;

/// The opening screen as one page where it fits the terminal with the question to start under
/// it: the whole of it if it fits, or else, where the bank gives its support contacts one line
/// each (`support_brief`), the compact screen (`compact_intro`), with the summary if there is
/// room. Where neither fits (a long custom note, a short or narrow terminal), it comes as pages:
/// the title and the content note, then the title again with the support (one line each, if
/// only that fits) and the question to start, each cut into pages that fit if need be. Each
/// page but the last ends with a key to read on.
pub fn opening_pages(bank: &Bank, questions: usize, look: &Look) -> Vec<String> {
    let whole = intro(bank, questions, look);
    let Some(height) = look.height else {
        return vec![whole];
    };
    let fits = |text: &str| text.lines().count() + CONSENT_LINES <= height;
    if fits(&whole) {
        return vec![whole];
    }
    for summary in [true, false] {
        if let Some(compact) = compact_intro(bank, questions, look, summary)
            && fits(&compact)
        {
            return vec![compact];
        }
    }
    paged(bank, &whole, height, look)
}

/// The opening screen in pages that each fit `height` lines.
fn paged(bank: &Bank, whole: &str, height: usize, look: &Look) -> Vec<String> {
    let support_at = whole
        .find(&format!("\n{}\n", look.style.heading("Support")))
        .map_or(whole.len(), |i| i + 1);
    let (first, second) = whole.split_at(support_at);
    let title = look.style.heading(&look.wrap(&bank.quiz.title));
    let mut last = format!("{title}\n{second}");
    // Where the whole support is too long for the page that asks to start, but the contacts
    // one line each are not (a setting's contacts as well as the bank's, at 80 by 24), they
    // are all on that page.
    if let Some(brief) = &bank.quiz.support_brief
        && last.lines().count() + CONSENT_LINES > height
    {
        let briefly = format!(
            "{title}\n{}\n{}\n{}\n",
            look.style.heading(SUPPORT),
            look.wrap(brief),
            look.wrap(PLAIN_HINT)
        );
        if briefly.lines().count() + CONSENT_LINES <= height {
            last = briefly;
        }
    }
    let parts = [first.trim_end().to_string(), last];
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
            let end = page_end(&lines, at, room);
            pages.push(lines[at..end].join("\n") + "\n");
            at = end;
        }
    }
    pages
}

/// The opening screen made to fit 80 columns by 24 rows, saying all that the whole one does
/// but the summary (kept if `summary`): the support contacts one line each (the bank's
/// `support_brief`; the whole text is said at the end), the review date on the line of counts,
/// how to stop at the end of the note, and headings on the line they head. None when the bank
/// gives no `support_brief`, or in the plain mode, which keeps every word.
pub fn compact_intro(bank: &Bank, questions: usize, look: &Look, summary: bool) -> Option<String> {
    let brief = bank.quiz.support_brief.as_deref().filter(|_| !look.plain)?;
    let o = opening(bank, questions, look);
    let s = &look.style;
    let mut out = format!("{}\n", s.heading(&look.wrap(&o.title)));
    if let (true, Some(summary)) = (summary, &o.summary) {
        out.push_str(&format!("{}\n", look.wrap(summary)));
    }
    let counts = match bank.quiz.reviewed {
        Some(date) => format!(
            "{}{}reviewed {}",
            o.counts,
            look.dot(),
            date.strftime("%B %Y")
        ),
        None => o.counts.clone(),
    };
    out.push_str(&format!("{}\n\n", look.wrap(&counts)));
    // How to stop ends the note's last paragraph, unless that is an item of a list.
    let note = reflow(&o.note);
    let note = note.trim_end();
    if note
        .lines()
        .last()
        .is_some_and(|l| list_marker_width(l) > 0)
    {
        out.push_str(&headed(o.note_heading, note, look));
        out.push_str(&format!("{}\n\n", look.wrap(o.stop)));
    } else {
        out.push_str(&headed(o.note_heading, &format!("{note} {}", o.stop), look));
        out.push('\n');
    }
    out.push_str(&headed(o.support_heading, brief, look));
    out.push_str(&format!("{}\n", look.wrap(PLAIN_HINT)));
    Some(out)
}

/// `heading: text`, wrapped, the heading on the line of the text's first paragraph; on a line
/// of its own when the text starts with an item of a list.
fn headed(heading: &str, text: &str, look: &Look) -> String {
    let text = reflow(text);
    let heading = look.style.heading(&format!("{heading}:"));
    if text
        .lines()
        .next()
        .is_some_and(|l| list_marker_width(l) > 0)
    {
        format!("{heading}\n{}\n", look.wrap(&text))
    } else {
        format!("{}\n", look.wrap(&format!("{heading} {text}")))
    }
}

/// `text` cut into pages that fit the terminal with room for the key to read on under each;
/// one page where no height is known (the plain mode, tests).
pub fn pages(text: &str, look: &Look) -> Vec<String> {
    pages_above(text, look, READ_ON_LINES)
}

/// `text` cut into pages that each leave `below` lines of the terminal free under them (for a
/// key to read on, or what the caller says under the last); one page where no height is known.
pub fn pages_above(text: &str, look: &Look, below: usize) -> Vec<String> {
    let Some(height) = look.height else {
        return vec![text.to_string()];
    };
    let room = height.saturating_sub(below.max(READ_ON_LINES)).max(1);
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= room {
        return vec![text.to_string()];
    }
    let mut pages = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let end = page_end(&lines, at, room);
        pages.push(lines[at..end].join("\n") + "\n");
        at = end;
    }
    pages
}

/// Where a page that starts at line `at` and holds at most `room` lines ends, so that a
/// paragraph or an item of a list is not cut in two: before a blank line, after one, or before
/// an item ("- ", "a) ", "1) "), the last such place in the second half of the page; or,
/// failing that, the last such place in the last two thirds from which the rest fits on one
/// page; otherwise where the room ends.
fn page_end(lines: &[&str], at: usize, room: usize) -> usize {
    let full = (at + room).min(lines.len());
    if full == lines.len() {
        return full;
    }
    let starts_item = |line: &str| {
        let t = line.trim_start();
        t.starts_with("- ")
            || t.split_once(") ").is_some_and(|(marker, _)| {
                (1..=2).contains(&marker.len())
                    && marker
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            })
    };
    let starts_a_part = |i: usize| {
        lines[i].trim().is_empty() || lines[i - 1].trim().is_empty() || starts_item(lines[i])
    };
    let mut parts = (at + 1..=full).rev().filter(|&i| starts_a_part(i));
    parts
        .clone()
        .find(|&i| i >= at + room.div_ceil(2))
        .or_else(|| parts.find(|&i| i >= at + room.div_ceil(3) && lines.len() - i <= room))
        .unwrap_or(full)
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
    "Screen reader? Run sgquiz with --plain for numbered questions, one line each.";

pub fn support(bank: &Bank, look: &Look) -> String {
    format!(
        "{}\n{}\n",
        look.style.heading(SUPPORT),
        look.wrap(&bank.quiz.support)
    )
}
