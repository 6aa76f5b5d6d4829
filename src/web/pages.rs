//! The HTML of every page, written with maud, which escapes every value it is given: text from a
//! bank, a name or an answer can never become markup. Pages follow the GOV.UK Design System's
//! patterns: one question per page, the question as the legend of its fieldset, an error
//! summary first when an answer is refused, and the support contacts in the same place on every
//! page. No inline script or style (the Content-Security-Policy allows neither); the one script,
//! `debrief.js`, is served from its own address and only keeps the debrief up to date.

use maud::{DOCTYPE, Markup, html};

use crate::engine::plan::Form;
use crate::front::transcript::{
    Feedback, Line, Opening, Outcomes, REVIEW, Reviewed, STOP_IN_BROWSER,
};
use crate::util::text::{list_marker_width, reflow};
use crate::web::answer::{MAX_ANSWER_CHARS, field};

/// The stylesheet, compiled in: no file from disk is ever served.
pub const STYLESHEET: &str = include_str!("style.css");

/// The debrief's script, compiled in: it keeps the page up to date, and can be stopped. The only
/// script served; no page works less without it.
pub const DEBRIEF_SCRIPT: &str = include_str!("debrief.js");

/// How often the debrief updates itself, in seconds.
pub const DEBRIEF_EVERY_SECONDS: u64 = 5;

/// What every page has around its content.
pub struct Frame<'a> {
    /// The page's own title, first in the browser's tab.
    pub title: &'a str,
    /// The session's title, shown at the top.
    pub session: &'a str,
    /// The quiz's support contacts, shown at the foot of every page.
    pub support: &'a str,
}

pub fn page(frame: &Frame, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (frame.title) " · " (frame.session) }
                link rel="stylesheet" href="/style.css";
            }
            body {
                a class="skip" href="#main" { "Skip to main content" }
                header { p class="session" { (frame.session) } }
                main id="main" { (main) }
                footer {
                    h2 { "Support" }
                    (support(frame.support))
                }
            }
        }
    }
}

/// Bank text as paragraphs: soft line breaks joined as the terminal joins them, blank lines
/// between paragraphs, and the lines of a list kept apart.
pub fn prose(text: &str) -> Markup {
    let text = reflow(text);
    html! {
        @for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            p {
                @for (i, line) in para.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}

/// The support contacts: each paragraph's opening words as a paragraph, and its contacts (the
/// lines that begin with a list marker, as the terminal shows them) as a list, one contact an
/// item, so that a screen reader says how many there are and can step through them.
pub fn support(text: &str) -> Markup {
    let text = reflow(text);
    html! {
        @for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            @for run in runs(para) {
                @match run {
                    Run::Said(lines) => p {
                        @for (i, line) in lines.iter().enumerate() {
                            @if i > 0 { br; }
                            (line)
                        }
                    },
                    Run::Items(items) => ul class="contacts" {
                        @for item in items { li { (item) } }
                    },
                }
            }
        }
    }
}

enum Run<'a> {
    Said(Vec<&'a str>),
    Items(Vec<&'a str>),
}

/// A paragraph's lines grouped into runs of plain lines and runs of list items; a "- " marker
/// is dropped (the list says it), a numbered one kept.
fn runs(para: &str) -> Vec<Run<'_>> {
    let mut runs: Vec<Run> = Vec::new();
    for line in para.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let item = list_marker_width(line) > 0;
        let line = if item {
            line.strip_prefix("- ").unwrap_or(line).trim_start()
        } else {
            line
        };
        match (runs.last_mut(), item) {
            (Some(Run::Items(items)), true) => items.push(line),
            (Some(Run::Said(lines)), false) => lines.push(line),
            (_, true) => runs.push(Run::Items(vec![line])),
            (_, false) => runs.push(Run::Said(vec![line])),
        }
    }
    runs
}

fn error_summary(error: &str, target: &str) -> Markup {
    html! {
        div class="error-summary" role="alert" aria-labelledby="error-title" tabindex="-1" {
            h2 id="error-title" { "There is a problem" }
            ul { li { a href=(format!("#{target}")) { (error) } } }
        }
    }
}

/// The opening page: the quiz, its content note, and the form to join.
pub struct Join<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub csrf: &'a str,
    /// A refused join: which field, and why.
    pub error: Option<(&'a str, String)>,
}

pub fn opening(o: &Opening, join: &Join) -> Markup {
    let field_error = |f: &str| join.error.as_ref().filter(|(w, _)| *w == f).map(|(_, e)| e);
    html! {
        @if let Some((target, error)) = &join.error { (error_summary(error, target)) }
        h1 { (o.title) }
        @if let Some(summary) = &o.summary { (prose(summary)) }
        p { (o.counts) }
        @if let Some(reviewed) = &o.reviewed { p { (reviewed) } }
        section aria-labelledby="note-heading" class="note" {
            h2 id="note-heading" { (o.note_heading) }
            (prose(&o.note))
            p { (STOP_IN_BROWSER) }
        }
        form method="post" action="/join" novalidate {
            input type="hidden" name="csrf" value=(join.csrf);
            div class=(if field_error("code").is_some() { "field error" } else { "field" }) {
                label for="code" { "Session code" }
                p class="hint" id="code-hint" { "Your trainer will show it, such as KX4-7PM." }
                @if let Some(e) = field_error("code") { p class="message" id="code-error" { (e) } }
                input id="code" name="code" type="text" value=(join.code)
                    autocomplete="off" autocapitalize="characters" spellcheck="false"
                    maxlength="20" aria-describedby="code-hint";
            }
            div class=(if field_error("name").is_some() { "field error" } else { "field" }) {
                label for="name" { "Your name, for the training record" }
                @if let Some(e) = field_error("name") { p class="message" id="name-error" { (e) } }
                input id="name" name="name" type="text" value=(join.name)
                    autocomplete="name" spellcheck="false" maxlength="200";
            }
            button type="submit" { "Start the quiz" }
        }
    }
}

/// One question, as a form.
pub struct Asking<'a> {
    pub title: &'a str,
    pub prompt: &'a str,
    pub hint: Option<&'a str>,
    pub form: &'a Form<'a>,
    pub number: usize,
    pub csrf: &'a str,
    pub name: &'a str,
    /// Said above the question: welcome back, or the last answer saved.
    pub note: Option<&'a str>,
    pub error: Option<&'a str>,
}

pub fn question(a: &Asking) -> Markup {
    // What the question's fieldset is described by: the hint under the prompt, how an order or
    // match question is answered, and a refused answer's message.
    let mut ids = Vec::new();
    if a.hint.is_some() {
        ids.push("hint");
    }
    if matches!(a.form, Form::Order(_) | Form::Match { .. }) {
        ids.push("how");
    }
    if a.error.is_some() {
        ids.push("answer-error");
    }
    let described = (!ids.is_empty()).then(|| ids.join(" "));
    html! {
        @if let Some(error) = a.error { (error_summary(error, "answer")) }
        @if let Some(note) = a.note { p class="notice" role="status" { (note) } }
        form method="post" action="/answer" novalidate {
            input type="hidden" name="csrf" value=(a.csrf);
            input type="hidden" name="question" value=(a.number);
            div class=(if a.error.is_some() { "field error" } else { "field" }) {
                fieldset aria-describedby=[described] {
                    legend {
                        span class="caption" { (a.title) }
                        h1 { (prose(a.prompt)) }
                    }
                    @if let Some(hint) = a.hint { p class="hint" id="hint" { (hint) } }
                    @if let Some(error) = a.error { p class="message" id="answer-error" { (error) } }
                    (controls(a.form))
                }
            }
            button type="submit" { "Save and continue" }
        }
        p class="who" { "Taking the quiz as " (a.name) "." }
    }
}

fn controls(form: &Form) -> Markup {
    let choices = |kind: &str, texts: &[&str]| {
        html! {
            div class="choices" {
                @for (i, text) in texts.iter().enumerate() {
                    div class="choice" {
                        input type=(kind) name="answer" value=(i + 1)
                            id=(if i == 0 { "answer".to_string() } else { format!("answer-{}", i + 1) });
                        label for=(if i == 0 { "answer".to_string() } else { format!("answer-{}", i + 1) }) { (text) }
                    }
                }
            }
        }
    };
    match form {
        Form::Single(texts) => choices("radio", texts),
        Form::Multiple(texts) => choices("checkbox", texts),
        Form::TrueFalse => html! {
            div class="choices" {
                div class="choice" {
                    input type="radio" name="answer" value="true" id="answer";
                    label for="answer" { "True" }
                }
                div class="choice" {
                    input type="radio" name="answer" value="false" id="answer-2";
                    label for="answer-2" { "False" }
                }
            }
        },
        Form::Number => html! {
            label for="answer" { "Your answer (a number)" }
            input id="answer" name="answer" type="text" inputmode="decimal"
                autocomplete="off" spellcheck="false" class="short";
        },
        Form::Text => html! {
            label for="answer" { "Your answer" }
            input id="answer" name="answer" type="text" autocomplete="off"
                maxlength=(MAX_ANSWER_CHARS);
        },
        Form::Order(items) => html! {
            p class="hint" id="how" { "Give each item its place, from 1 (first) to " (items.len()) " (last)." }
            @for (i, item) in items.iter().enumerate() {
                div class="pair" {
                    label for=(if i == 0 { "answer".to_string() } else { field(i) }) { (item) }
                    select name=(field(i)) id=(if i == 0 { "answer".to_string() } else { field(i) }) {
                        option value="" { "Choose a place" }
                        @for p in 1..=items.len() { option value=(p) { (p) } }
                    }
                }
            }
        },
        Form::Match { lefts, rights } => html! {
            p class="hint" id="how" { "Choose the option that goes with each item." }
            @for (i, left) in lefts.iter().enumerate() {
                div class="pair" {
                    label for=(if i == 0 { "answer".to_string() } else { field(i) }) { (left) }
                    select name=(field(i)) id=(if i == 0 { "answer".to_string() } else { field(i) }) {
                        option value="" { "Choose an option" }
                        @for (r, right) in rights.iter().enumerate() { option value=(r + 1) { (right) } }
                    }
                }
            }
        },
    }
}

fn feedback_body(f: &Feedback) -> Markup {
    html! {
        @for line in &f.lines {
            @match line {
                Line::Labelled(label, text) => {
                    p { strong { (label) } " " (lines(text)) }
                }
                Line::Parts(heading, parts) => {
                    p { strong { (heading) } }
                    ul class="parts" { @for part in parts { li { (lines(part.strip_prefix("- ").unwrap_or(part))) } } }
                }
                Line::Said(text) => { (prose(text)) }
                Line::Source(text) => { p class="source" { (text) } }
            }
        }
    }
}

/// A text that may be a list, one item per line.
fn lines(text: &str) -> Markup {
    html! {
        @for (i, line) in text.lines().enumerate() {
            @if i > 0 || text.contains('\n') { br; }
            (line)
        }
    }
}

fn verdict_class(f: &Feedback) -> &'static str {
    match f.outcome {
        crate::engine::marking::Outcome::Correct => "verdict good",
        crate::engine::marking::Outcome::Partial => "verdict partial",
        crate::engine::marking::Outcome::Incorrect => "verdict bad",
    }
}

/// The feedback on the answer just given; `next` is where to go on.
pub fn feedback(title: &str, f: &Feedback, next: (&str, &str)) -> Markup {
    html! {
        span class="caption" { (title) }
        h1 class=(verdict_class(f)) { (f.verdict) " (" (f.points) ")" }
        (feedback_body(f))
        p { a class="button" href=(next.0) { (next.1) } }
    }
}

/// The result, with the review of every answer first when the session asks for it.
pub fn result(o: &Outcomes, review: &[Reviewed], recorded: Option<&str>) -> Markup {
    html! {
        h1 { (o.heading) }
        p class="score" { (o.score) }
        p class=(if o.passed { "verdict good" } else { "verdict bad" }) { (o.verdict) }
        @if let Some(advice) = o.advice { p { (advice) } }
        @if let Some(recorded) = recorded { p role="status" { (recorded) } }
        h2 { (o.topics_heading) }
        table {
            thead { tr { th scope="col" { "Topic" } th scope="col" { "How it went" } } }
            tbody {
                @for (topic, how) in &o.topics { tr { th scope="row" { (topic) } td { (how) } } }
            }
        }
        p { (o.time) }
        @if !review.is_empty() {
            section aria-labelledby="review-heading" {
                h2 id="review-heading" { (REVIEW) }
                @for r in review {
                    article class="reviewed" {
                        h3 { (r.title) }
                        (prose(&r.prompt))
                        @if let Some(given) = &r.answered {
                            p { strong { "You answered:" } " " (lines(given)) }
                        }
                        p class=(verdict_class(&r.feedback)) { (r.feedback.verdict) " (" (r.feedback.points) ")" }
                        (feedback_body(&r.feedback))
                    }
                }
            }
        }
    }
}

/// A page that refuses or redirects in words: an unknown page, a closed session, a form that
/// cannot be taken.
pub fn notice(heading: &str, text: &str, link: Option<(&str, &str)>) -> Markup {
    html! {
        h1 { (heading) }
        p { (text) }
        @if let Some((href, words)) = link { p { a href=(href) { (words) } } }
    }
}

/// One row of the debrief: a question and how the room answered it.
pub struct DebriefRow {
    pub prompt: String,
    pub answered: usize,
    pub facility: String,
    pub common_wrong: Option<String>,
}

pub fn debrief(title: &str, finished: usize, rows: &[DebriefRow]) -> Markup {
    html! {
        h1 { "Debrief: " (title) }
        // `debrief.js` fetches this page again every few seconds and puts the new count and the
        // new table in place of these (the ids are its); without it, the page says to reload.
        div id="live" data-every=(DEBRIEF_EVERY_SECONDS) {
            p id="finished" role="status" {
                (finished) " finished attempt" (if finished == 1 { "" } else { "s" }) "."
            }
            p { "Questions hardest first; no names are shown." }
            p id="updating" { "Reload the page to see the latest." }
            p { button type="button" id="pause" class="secondary" hidden { "Stop updating" } }
            // A data table keeps its columns on a narrow screen: it scrolls in its own box
            // (which the keyboard can reach), and the page does not.
            div class="scroll" id="analysis" role="region" aria-label="Questions" tabindex="0" {
                @if rows.is_empty() {
                    p { "No attempt is finished yet." }
                } @else {
                    table class="debrief" {
                        thead { tr {
                            th scope="col" { "Question" }
                            th scope="col" { "Answered" }
                            th scope="col" { "Share of points earned" }
                            th scope="col" { "Most common wrong answer" }
                        } }
                        tbody {
                            @for r in rows { tr {
                                th scope="row" { (prose(&r.prompt)) }
                                td { (r.answered) }
                                td { (r.facility) }
                                td { (r.common_wrong.as_deref().unwrap_or("none")) }
                            } }
                        }
                    }
                }
            }
        }
        script src="/static/debrief.js" defer {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_support_contacts_are_a_list_with_their_opening_words_before_it() {
        let text = "Your setting's safeguarding contacts (St <Anne>'s):\n\
                    - Designated safeguarding lead (DSL): Ms <b>Okafor</b> & co\n\
                    - Deputy DSLs: A; B\n\
                    \n\
                    If this topic affects you, it is fine to stop\n\
                    and talk to someone.\n\
                    - A child in immediate danger: call 999.\n\
                    - In school: tell your DSL\n  straight away.\n\
                    \n\
                    1. A numbered item keeps its number.";
        assert_eq!(
            support(text).into_string(),
            "<p>Your setting's safeguarding contacts (St &lt;Anne&gt;'s):</p>\
             <ul class=\"contacts\">\
             <li>Designated safeguarding lead (DSL): Ms &lt;b&gt;Okafor&lt;/b&gt; &amp; co</li>\
             <li>Deputy DSLs: A; B</li></ul>\
             <p>If this topic affects you, it is fine to stop and talk to someone.</p>\
             <ul class=\"contacts\"><li>A child in immediate danger: call 999.</li>\
             <li>In school: tell your DSL straight away.</li></ul>\
             <ul class=\"contacts\"><li>1. A numbered item keeps its number.</li></ul>"
        );
        assert_eq!(support("").into_string(), "");
    }
}
