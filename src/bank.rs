//! A question bank that has passed validation: the only shape the engine ever sees.
//!
//! `load` turns a TOML file into these types or explains why it cannot; nothing here needs to
//! re-check what the loader checked (a single question has exactly one right choice, a match has
//! at least two pairs, and so on). All text is already sanitised for the terminal.
//!
//! The folder holds the format and everything about reading it: the question types in one
//! place (`kind`), the loader (`load`), diagnostics, and the catalog of bundled banks.
//!
//! May import: `util` only. Never a terminal or a database (`tests/layers.rs` checks this).

pub mod catalog;
pub mod diagnostic;
pub mod kind;
pub mod load;
pub mod setting;

use serde::Serialize;

pub use kind::{Choice, Kind, Pair, Scoring};

/// The bank file format this build reads.
pub const FORMAT_VERSION: i64 = 1;

/// Shown before the first question when a bank has no `content_note` of its own.
pub const DEFAULT_CONTENT_NOTE: &str = "\
This quiz is about child sexual abuse and exploitation. It has no images and no
graphic detail. Figures from CEOP's 2013 assessment describe 2012, not today.
Keeping Children Safe in Education covers England; Wales and Scotland have
their own guidance. This quiz supports your setting's own safeguarding training
and policy; it does not replace them.";

/// Shown at the start and the end when a bank has no `support` text of its own.
pub const DEFAULT_SUPPORT: &str = "\
If this topic affects you personally, it is fine to stop and talk to someone.
- A child in immediate danger: call 999.
- In school: tell your designated safeguarding lead (DSL) or a deputy at once.
  If neither is available, do not wait: go to senior leadership or children's
  social care.
- NSPCC Helpline 0808 800 5000: for adults worried about a child.
- Childline 0800 1111: free, confidential, 24 hours, for under-19s.
- CEOP Safety Centre: report online grooming or sexual abuse.
- IWF, iwf.org.uk/report: report online child sexual abuse imagery by its web
  address. Never copy, save or forward it.
- Stop It Now 0808 1000 900: worried about your own or someone else's
  behaviour; also supports survivors.
- NAPAC, napac.org.uk: support for adult survivors.";

/// `DEFAULT_SUPPORT` one line per contact, for an opening screen too short for the whole text
/// beside the content note (see `QuizInfo::support_brief`).
pub const DEFAULT_SUPPORT_BRIEF: &str = "\
If this affects you, you may stop and talk to someone you trust.
- A child in immediate danger: call 999.
- In school: tell your DSL or a deputy now; else senior leaders or social care.
- NSPCC Helpline 0808 800 5000: for adults worried about a child.
- Childline 0800 1111: free and confidential, for under-19s.
- CEOP Safety Centre: online grooming or sexual abuse.
- IWF, iwf.org.uk/report: abuse images online; report the address, never copy.
- Stop It Now 0808 1000 900: worried about your own or another's behaviour.
- NAPAC, napac.org.uk: support for adult survivors.";

#[derive(Debug, Clone, Serialize)]
pub struct Bank {
    pub format: i64,
    pub quiz: QuizInfo,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
    /// Questions about the setting's own contacts (`setting = "dsl"`), kept apart until
    /// `setting::apply` completes them from a setting file or leaves them out: a bank that has
    /// not been applied never shows one.
    #[serde(skip)]
    pub setting_questions: Vec<setting::SettingQuestion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuizInfo {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub audience: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Percent needed to pass, 0 to 100.
    pub pass_mark: f64,
    pub shuffle: bool,
    pub content_note: String,
    pub support: String,
    /// The support contacts one line each, for an opening screen too short to show the whole
    /// `support` text beside the content note (80 by 24): every contact of `support`, with
    /// fewer words. The whole text is still said at the end, and wherever there is room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_brief: Option<String>,
    /// When the content was last checked against current guidance (`reviewed = 2026-11-15`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_date"
    )]
    pub reviewed: Option<jiff::civil::Date>,
}

impl QuizInfo {
    /// "Content last reviewed: November 2026", when the bank says.
    pub fn reviewed_line(&self) -> Option<String> {
        self.reviewed
            .map(|d| format!("Content last reviewed: {}", d.strftime("%B %Y")))
    }
}

fn serialize_date<S: serde::Serializer>(
    date: &Option<jiff::civil::Date>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub id: String,
    pub topic: String,
    pub points: f64,
    pub prompt: String,
    pub explanation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(flatten)]
    pub kind: Kind,
}

impl Bank {
    /// Topics in the order they first appear in the bank.
    pub fn topics(&self) -> Vec<String> {
        let mut topics: Vec<String> = Vec::new();
        for q in &self.questions {
            if !topics.contains(&q.topic) {
                topics.push(q.topic.clone());
            }
        }
        topics
    }

    /// A rough time to allow for the whole bank.
    pub fn minutes(&self) -> usize {
        minutes_for(self.questions.len())
    }
}

/// A rough time to allow for `questions` questions: about 36 seconds each, rounded up to whole
/// minutes (8 questions: 5 minutes; 20: 12).
pub fn minutes_for(questions: usize) -> usize {
    (questions * 3).div_ceil(5).max(1)
}
