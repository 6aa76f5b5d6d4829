//! What is kept of one attempt: who took which quiz (and which version of its bank), when, in
//! what order, and every answer with its mark. A record without a finish time is an incomplete
//! attempt: it never carries a score, and it holds what is needed to resume it (the seed, the
//! plan's options and the answers as given).
//!
//! Plain data with serde, so that the database and the folder store keep the same thing.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::attempt::{Scorecard, ScoredQuestion};
use crate::engine::marking::{Answer, Outcome};
use crate::engine::plan::Settings;
use crate::util::text::sanitize;

/// Names longer than this are refused: no one's name is, and a record is personal data to keep
/// small.
pub const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Unique to this attempt.
    pub id: String,
    pub quiz: String,
    pub title: String,
    /// SHA-256 of the bank's text, so that an edited bank is told apart.
    pub bank_hash: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// UTC, RFC 3339, whole seconds.
    pub started: String,
    /// UTC, RFC 3339; `None` while the attempt is incomplete.
    #[serde(default)]
    pub finished: Option<String>,
    pub seed: u64,
    pub settings: Settings,
    /// Question ids in the order they were asked.
    pub order: Vec<String>,
    /// Only for a finished attempt.
    #[serde(default)]
    pub score: Option<f64>,
    pub max_score: f64,
    #[serde(default)]
    pub percent: Option<f64>,
    pub pass_mark: f64,
    #[serde(default)]
    pub passed: Option<bool>,
    pub duration_seconds: u64,
    /// The questions answered so far, in asked order.
    pub questions: Vec<RecordedQuestion>,
    /// The sitting that holds this unfinished attempt, while one does (see `Hold`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<Hold>,
}

/// An unfinished attempt is held by the one sitting (one run of sgquiz) that is taking it, so
/// that two sittings never write over each other. The hold lapses when that sitting ends, or
/// `HOLD_MINUTES` after its last save (a closed window, a machine switched off).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hold {
    /// A new id for each sitting.
    pub sitting: String,
    /// When the sitting last saved: UTC, RFC 3339.
    pub saved: String,
}

/// How long a sitting's hold lasts after its last save.
pub const HOLD_MINUTES: i64 = 10;

impl Hold {
    /// A hold for a new sitting, from now.
    pub fn new() -> Hold {
        Hold {
            sitting: new_id(),
            saved: now(),
        }
    }

    /// Whether the hold has lapsed at `now` (a time that cannot be read has lapsed).
    pub fn lapsed(&self, now: jiff::Timestamp) -> bool {
        match self.saved.parse::<jiff::Timestamp>() {
            Ok(saved) => {
                now.as_second() - saved.as_second() >= HOLD_MINUTES * 60
                    || saved.as_second() > now.as_second() + HOLD_MINUTES * 60
            }
            Err(_) => true,
        }
    }
}

impl Default for Hold {
    fn default() -> Self {
        Hold::new()
    }
}

/// Who is taking which bank, as far as a record needs to know before the first answer.
pub struct Start<'a> {
    pub bank: &'a crate::bank::Bank,
    pub bank_hash: String,
    pub name: String,
    pub session: Option<String>,
    pub seed: u64,
    pub settings: Settings,
}

impl Record {
    /// A new, incomplete record of an attempt at `plan`, started now.
    pub fn start(start: Start, plan: &crate::engine::plan::Plan) -> Record {
        let bank = start.bank;
        Record {
            id: new_id(),
            quiz: bank.quiz.id.clone(),
            title: bank.quiz.title.clone(),
            bank_hash: start.bank_hash,
            name: start.name,
            session: start.session,
            started: now(),
            finished: None,
            seed: start.seed,
            settings: start.settings,
            order: order_of(bank, plan),
            score: None,
            max_score: 0.0,
            percent: None,
            pass_mark: bank.quiz.pass_mark,
            passed: None,
            duration_seconds: 0,
            questions: Vec::new(),
            held: None,
        }
    }
}

/// The ids of a plan's questions, in asked order.
pub fn order_of(bank: &crate::bank::Bank, plan: &crate::engine::plan::Plan) -> Vec<String> {
    plan.asked
        .iter()
        .map(|a| bank.questions[a.question].id.clone())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedQuestion {
    pub id: String,
    pub topic: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The answer in the bank's own terms (choice texts), for people and reports.
    pub response: Value,
    /// The answer as given, in shown positions, for resuming.
    pub answer: Answer,
    pub outcome: Outcome,
    pub points: f64,
    pub max_points: f64,
}

impl RecordedQuestion {
    /// A marked answer, as recorded. A typed answer is the trainee's own text, and reaches a
    /// trainer's terminal and spreadsheet through reports, so control characters in it are kept
    /// as visible escapes.
    pub fn of(q: &ScoredQuestion, answer: &Answer) -> RecordedQuestion {
        RecordedQuestion {
            id: q.id.clone(),
            topic: q.topic.clone(),
            kind: q.kind.to_string(),
            response: escaped(&q.response),
            answer: match answer {
                Answer::Text(typed) => Answer::Text(sanitize(typed)),
                other => other.clone(),
            },
            outcome: q.outcome,
            points: q.points,
            max_points: q.max_points,
        }
    }
}

impl Record {
    pub fn is_complete(&self) -> bool {
        self.finished.is_some()
    }

    /// Brings the record up to date with a report of the answers so far (the report lists them
    /// in asked order, as `answers` does). A finished report also sets the score and finish time.
    pub fn update(&mut self, report: &Scorecard, answers: &[Answer], finished: Option<String>) {
        self.questions = report
            .questions
            .iter()
            .zip(answers)
            .map(|(q, a)| RecordedQuestion::of(q, a))
            .collect();
        self.max_score = report.max_score;
        self.pass_mark = report.pass_mark;
        self.duration_seconds = report.duration_seconds;
        if finished.is_some() {
            self.score = Some(report.score);
            self.percent = Some(report.percent);
            self.passed = Some(report.passed);
            self.finished = finished;
        }
    }

    /// The answers as given, for replaying into a resumed attempt.
    pub fn answers(&self) -> Vec<Answer> {
        self.questions.iter().map(|q| q.answer.clone()).collect()
    }

    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.duration_seconds)
    }
}

/// A response with every string in it made safe to show: a typed answer is the trainee's own
/// text, and reaches a trainer's terminal and spreadsheet through reports. (Bank text is
/// sanitised when the bank is loaded; sanitising it again changes nothing.)
fn escaped(response: &Value) -> Value {
    match response {
        Value::String(s) => Value::String(sanitize(s)),
        Value::Array(items) => Value::Array(items.iter().map(escaped).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), escaped(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A new attempt id: 128 bits from the system's per-process random keys, the clock and the
/// process id, in hex. Unique across processes recording at once.
pub fn new_id() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        h.write_u64(count);
        h.write_u64(salt);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

/// The time now, as records keep it: UTC, RFC 3339, whole seconds.
pub fn now() -> String {
    timestamp(jiff::Timestamp::now())
}

pub fn timestamp(t: jiff::Timestamp) -> String {
    let whole = jiff::Timestamp::from_second(t.as_second()).unwrap_or(t);
    whole.to_string()
}

/// Whether a character is invisible formatting (Unicode's general category Cf: byte-order marks,
/// zero-width spaces, bidirectional controls, soft hyphens, and the like).
fn is_format(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    c.general_category() == GeneralCategory::Format
}

/// Zero-width joiners, which some scripts need inside a word, so they are kept there.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}')
}

/// A name in the one form it is kept and compared in: format characters (such as U+FEFF and
/// U+200B) removed, joiners kept only inside a word, spaces trimmed and collapsed, Unicode NFC,
/// and control characters shown escaped.
pub fn normalize_name(typed: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let visible: String = typed
        .chars()
        .filter(|&c| is_joiner(c) || !is_format(c))
        .collect();
    let words: Vec<&str> = visible
        .split_whitespace()
        .map(|w| w.trim_matches(is_joiner))
        .filter(|w| !w.is_empty())
        .collect();
    sanitize(&words.join(" ").nfc().collect::<String>())
}

/// A name as typed, made fit to keep (see `normalize_name`), or why it cannot be.
pub fn clean_name(typed: &str) -> Result<String, String> {
    let name = normalize_name(typed);
    if name.is_empty() {
        return Err("the trainee's name is empty".to_string());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "the trainee's name is longer than {MAX_NAME_CHARS} characters"
        ));
    }
    Ok(name)
}

/// The key two names of one trainee share: the normalised name with Unicode case folding, so
/// that "ÉLODIE" and "élodie", or "WEISS" and "Weiß", are one person. Stores compare names by it.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let decomposed: String = normalize_name(name).nfd().collect();
    caseless::default_case_fold_str(&decomposed).nfc().collect()
}

/// Whether two names are the same trainee's (see `name_key`).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_differ() {
        let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_id()).collect();
        assert_eq!(ids.len(), 1000);
        assert!(ids.iter().all(|id| id.len() == 32));
    }

    #[test]
    fn names_are_tidied_and_checked() {
        assert_eq!(clean_name("  Sam   Patel \n").unwrap(), "Sam Patel");
        assert!(clean_name("   ").is_err());
        assert!(clean_name(&"x".repeat(201)).is_err());
        assert_eq!(clean_name("A\u{1b}[2JB").unwrap(), "A\\x1b[2JB");
        assert!(same_name("Sam Patel", "sam patel"));
    }

    #[test]
    fn names_are_normalised_and_folded() {
        assert_eq!(
            clean_name("\u{feff}Jose\u{301}\u{200b}  Díaz ").unwrap(),
            "José Díaz"
        );
        assert_eq!(clean_name("Ana\u{00a0}Lima").unwrap(), "Ana Lima");
        for invisible in [
            "\u{200b}\u{feff}",
            " \u{2060} \u{ad} ",
            "\u{202e}",
            "\u{200d}",
        ] {
            assert!(clean_name(invisible).is_err(), "{invisible:?}");
        }
        // Joiners stay inside a word, where some scripts need them.
        assert_eq!(
            clean_name("\u{200d}ab\u{200c}c\u{200d}").unwrap(),
            "ab\u{200c}c"
        );
        assert!(same_name("ÉLODIE Martin", "élodie martin"));
        assert!(same_name("Anna Weiß", "ANNA WEISS"));
        assert!(same_name("\u{feff}JOSE\u{301} DIAZ", "José Diaz"));
        assert!(!same_name("José", "Jose"));
    }

    #[test]
    fn times_are_whole_seconds_in_utc() {
        let t: jiff::Timestamp = "2026-09-01T08:30:15.123456Z".parse().unwrap();
        assert_eq!(timestamp(t), "2026-09-01T08:30:15Z");
        assert!(now().ends_with('Z'));
    }
}
