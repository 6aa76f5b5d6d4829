//! What the records say, for a trainer: each trainee's latest result, the analysis of each
//! question for the debrief, and who is due a refresher. Pure functions over records, so they
//! work the same on either kind of store.

use std::collections::HashMap;

use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde_json::Value;

use crate::records::record::{Record, name_key, timestamp};
use crate::records::store::AnswerRow;
use crate::util::text::format_quantity;

/// Each trainee's latest finished attempt of each quiz.
#[derive(Debug, Clone, Serialize)]
pub struct TraineeRow {
    pub name: String,
    pub quiz: String,
    /// When the latest attempt finished (RFC 3339, UTC).
    pub finished: String,
    pub score: f64,
    pub max_score: f64,
    pub percent: f64,
    pub passed: bool,
    pub duration_seconds: u64,
    /// Finished attempts of this quiz by this trainee.
    pub attempts: usize,
    /// Which text of the quiz the latest attempt was taken on (see `bank_version`).
    pub bank_version: String,
    /// The whole hash of that text.
    #[serde(skip)]
    pub bank_hash: String,
}

/// The key that groups one trainee's records: names match as `record::same_name` says.
fn person(name: &str) -> String {
    name_key(name)
}

/// A bank's version as reports show it: the first 12 hex digits of the SHA-256 of its text,
/// enough to tell versions apart and short enough to read out or type.
pub fn bank_version(hash: &str) -> String {
    hash.chars().take(12).collect()
}

/// The banks a trainer recognises, so that a pass on some other bank that borrows a quiz's id
/// (perhaps with a pass mark of 0) is not taken for a pass of the real quiz: the bundled text
/// of each bundled quiz, and the versions the trainer names (`--bank HASH`).
#[derive(Debug, Clone, Default)]
pub struct Recognised {
    /// Bundled quiz id → the hash of its bundled text.
    bundled: HashMap<String, String>,
    /// Hashes, or their beginnings, named by the trainer (lower case).
    named: Vec<String>,
}

impl Recognised {
    /// `named` are hashes or their first digits (at least 7), as reports show them.
    pub fn new(bundled: HashMap<String, String>, named: &[String]) -> Result<Recognised> {
        let named = named
            .iter()
            .map(|n| {
                let n = n.trim().to_ascii_lowercase();
                if n.len() < 7 || n.len() > 64 || !n.chars().all(|c| c.is_ascii_hexdigit()) {
                    bail!(
                        "`{}` is not a bank version; give --bank the version a report shows (12 \
                         hex digits, such as 807b97afd03d; at least 7)",
                        crate::util::text::sanitize(&n)
                    );
                }
                Ok(n)
            })
            .collect::<Result<_>>()?;
        Ok(Recognised { bundled, named })
    }

    /// Whether a pass on this text of this quiz counts.
    pub fn counts(&self, quiz: &str, hash: &str) -> bool {
        self.bundled.get(quiz).is_some_and(|h| h == hash)
            || self.named.iter().any(|n| hash.starts_with(n.as_str()))
    }

    /// Whether the quiz is a bundled one taken on some other text.
    pub fn differs_from_bundled(&self, quiz: &str, hash: &str) -> bool {
        self.bundled.get(quiz).is_some_and(|h| h != hash)
    }
}

pub fn trainee_rows(records: &[Record]) -> Vec<TraineeRow> {
    let mut rows: HashMap<(String, String), TraineeRow> = HashMap::new();
    for r in records {
        let (Some(finished), Some(score), Some(percent), Some(passed)) =
            (&r.finished, r.score, r.percent, r.passed)
        else {
            continue;
        };
        let row = TraineeRow {
            name: r.name.clone(),
            quiz: r.quiz.clone(),
            finished: finished.clone(),
            score,
            max_score: r.max_score,
            percent,
            passed,
            duration_seconds: r.duration_seconds,
            attempts: 1,
            bank_version: bank_version(&r.bank_hash),
            bank_hash: r.bank_hash.clone(),
        };
        rows.entry((person(&r.name), r.quiz.clone()))
            .and_modify(|old| {
                let attempts = old.attempts + 1;
                if row.finished >= old.finished {
                    *old = row.clone();
                }
                old.attempts = attempts;
            })
            .or_insert(row);
    }
    let mut rows: Vec<(String, TraineeRow)> = rows
        .into_iter()
        .map(|((person, _), row)| (person, row))
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1.quiz).cmp(&(&b.0, &b.1.quiz)));
    rows.into_iter().map(|(_, row)| row).collect()
}

/// One question's figures, over the finished attempts that were asked it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionStats {
    pub quiz: String,
    pub question: String,
    pub answered: usize,
    /// Share of the question's points earned, as a percentage: for a question marked right or
    /// wrong, the percentage who got it right.
    pub facility: f64,
    /// Facility among the top 27% of attempts (by score) less facility among the bottom 27%, from
    /// -1 to 1. Near 0 or below: the question does not tell stronger from weaker trainees.
    /// Left out when a quiz has fewer than `MIN_FOR_DISCRIMINATION` attempts.
    pub discrimination: Option<f64>,
    /// The wrong (or partly right) answer given most often, and how often.
    pub common_wrong_answer: Option<String>,
    pub common_wrong_count: usize,
}

/// Fewer attempts than this make the upper and lower groups too small to mean anything.
pub const MIN_FOR_DISCRIMINATION: usize = 10;

#[derive(Default)]
struct QuestionTally {
    answered: usize,
    earned: f64,
    wrong: HashMap<String, usize>,
}

/// One finished attempt, as the discrimination index needs it: its percentage, and where its
/// answers are in `Analysis::asked` and `Analysis::shares`.
struct Counted {
    percent: f64,
    start: usize,
    len: usize,
}

/// The question analysis, built one attempt at a time so that a large store need not be held in
/// memory whole. What it keeps of each answer is 12 bytes: which question, and the share earned.
#[derive(Default)]
pub struct Analysis {
    /// quiz → question → index into `questions`. Looked up by `&str`, so that counting an
    /// answer allocates nothing.
    index: HashMap<String, HashMap<String, usize>>,
    questions: Vec<((String, String), QuestionTally)>,
    /// quiz → its finished attempts.
    quizzes: HashMap<String, Vec<Counted>>,
    /// Every counted answer's question (an index into `questions`), attempt after attempt.
    asked: Vec<u32>,
    /// The share of the points each counted answer earned, in step with `asked`.
    shares: Vec<f64>,
}

impl Analysis {
    /// Counts one attempt; unfinished attempts are not counted.
    pub fn add(&mut self, record: &Record, answers: &[AnswerRow]) {
        let Some(percent) = record.percent.filter(|_| record.is_complete()) else {
            return;
        };
        if !self.index.contains_key(&record.quiz) {
            self.index.insert(record.quiz.clone(), HashMap::new());
        }
        let index = self.index.get_mut(&record.quiz).expect("just added");
        let start = self.asked.len();
        for a in answers {
            let i = match index.get(a.question.as_str()) {
                Some(&i) => i,
                None => {
                    let i = self.questions.len();
                    index.insert(a.question.clone(), i);
                    self.questions.push((
                        (record.quiz.clone(), a.question.clone()),
                        QuestionTally::default(),
                    ));
                    i
                }
            };
            let tally = &mut self.questions[i].1;
            tally.answered += 1;
            tally.earned += a.share;
            if !a.correct {
                match tally.wrong.get_mut(a.response.as_str()) {
                    Some(n) => *n += 1,
                    None => {
                        tally.wrong.insert(a.response.clone(), 1);
                    }
                }
            }
            // Fewer than 2^32 distinct questions: each has a row in the report.
            self.asked.push(i as u32);
            self.shares.push(a.share);
        }
        let counted = Counted {
            percent,
            start,
            len: answers.len(),
        };
        match self.quizzes.get_mut(&record.quiz) {
            Some(q) => q.push(counted),
            None => {
                self.quizzes.insert(record.quiz.clone(), vec![counted]);
            }
        }
    }

    /// The figures, hardest question (lowest facility) first.
    pub fn finish(self) -> Vec<QuestionStats> {
        let mut upper = vec![(0.0, 0usize); self.questions.len()];
        let mut lower = vec![(0.0, 0usize); self.questions.len()];
        let answers_of = |c: &Counted| {
            (c.start..c.start + c.len).map(|k| (self.asked[k] as usize, self.shares[k]))
        };
        for mut attempts in self.quizzes.into_values() {
            if attempts.len() < MIN_FOR_DISCRIMINATION {
                continue;
            }
            attempts.sort_by(|a, b| a.percent.total_cmp(&b.percent));
            let n = (attempts.len() as f64 * 0.27).round() as usize;
            for c in &attempts[..n] {
                for (q, s) in answers_of(c) {
                    lower[q].0 += s;
                    lower[q].1 += 1;
                }
            }
            for c in &attempts[attempts.len() - n..] {
                for (q, s) in answers_of(c) {
                    upper[q].0 += s;
                    upper[q].1 += 1;
                }
            }
        }
        let tallies = self
            .questions
            .into_iter()
            .enumerate()
            .map(|(i, ((quiz, question), t))| Tally {
                quiz,
                question,
                answered: t.answered,
                earned: t.earned,
                upper: upper[i],
                lower: lower[i],
                common: t
                    .wrong
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))),
            })
            .collect();
        stats_of(tallies)
    }
}

/// One question's sums, from which its figures are worked out: counted here, or by a database
/// server that sums them itself.
#[derive(Debug, Clone)]
pub struct Tally {
    pub quiz: String,
    pub question: String,
    pub answered: usize,
    /// The shares of the points earned, summed.
    pub earned: f64,
    /// The sum of the shares, and how many answers, among the quiz's top 27% of attempts (by
    /// score; only for a quiz with at least `MIN_FOR_DISCRIMINATION`).
    pub upper: (f64, usize),
    /// The same among the bottom 27%.
    pub lower: (f64, usize),
    /// The wrong answer given most often (its stored JSON; the smallest text of those tied)
    /// and how often.
    pub common: Option<(String, usize)>,
}

/// The figures from the sums, hardest question (lowest facility) first.
pub fn stats_of(tallies: Vec<Tally>) -> Vec<QuestionStats> {
    let mut stats: Vec<QuestionStats> = tallies
        .into_iter()
        .map(|t| {
            let (common, count) = t
                .common
                .map_or((None, 0), |(r, n)| (Some(show_response(&r)), n));
            let (upper, lower) = (t.upper, t.lower);
            let discrimination = (upper.1 > 0 && lower.1 > 0)
                .then(|| round2(upper.0 / upper.1 as f64 - lower.0 / lower.1 as f64));
            QuestionStats {
                quiz: t.quiz,
                question: t.question,
                answered: t.answered,
                facility: round1(t.earned / t.answered.max(1) as f64 * 100.0),
                discrimination,
                common_wrong_answer: common,
                common_wrong_count: count,
            }
        })
        .collect();
    stats.sort_by(|a, b| {
        a.facility
            .total_cmp(&b.facility)
            .then_with(|| (&a.quiz, &a.question).cmp(&(&b.quiz, &b.question)))
    });
    stats
}

/// A stored response (JSON text in the bank's terms) as a person reads it.
pub fn show_response(json: &str) -> String {
    fn show(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Bool(true) => "True".to_string(),
            Value::Bool(false) => "False".to_string(),
            Value::Number(n) => n.as_f64().map_or(n.to_string(), format_quantity),
            Value::Array(items) if items.is_empty() => "(nothing chosen)".to_string(),
            Value::Array(items) => items.iter().map(show).collect::<Vec<_>>().join("; "),
            Value::Object(o) => match (o.get("left"), o.get("right")) {
                (Some(l), Some(r)) => format!("{} → {}", show(l), show(r)),
                _ => v.to_string(),
            },
            Value::Null => "(no answer)".to_string(),
        }
    }
    match serde_json::from_str::<Value>(json) {
        Ok(v) => show(&v),
        Err(_) => json.to_string(),
    }
}

/// Someone whose refresher is due: their last counted pass of the quiz is older than the
/// cut-off, or they have none.
#[derive(Debug, Clone, Serialize)]
pub struct DueRow {
    pub name: String,
    pub quiz: String,
    pub last_passed: Option<String>,
    pub last_attempt: String,
    /// Which text of the quiz the last attempt was taken on (see `bank_version`).
    pub bank_version: String,
}

/// Passes the refresher list did not count, because their bank is not one the trainer
/// recognises: how many, of which quiz, on which version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Uncounted {
    pub quiz: String,
    pub bank_version: String,
    pub passes: usize,
}

/// The refresher list: everyone whose last pass (on a recognised bank) is older than `cutoff`,
/// longest ago first, and the passes that were not counted.
pub fn due(
    records: &[Record],
    cutoff: &str,
    recognised: &Recognised,
) -> (Vec<DueRow>, Vec<Uncounted>) {
    let mut people: HashMap<(String, String), DueRow> = HashMap::new();
    let mut uncounted: HashMap<(String, String), usize> = HashMap::new();
    for r in records {
        let when = r.finished.clone().unwrap_or_else(|| r.started.clone());
        let mut passed = r.passed.unwrap_or(false).then(|| when.clone());
        if passed.is_some() && !recognised.counts(&r.quiz, &r.bank_hash) {
            *uncounted
                .entry((r.quiz.clone(), bank_version(&r.bank_hash)))
                .or_default() += 1;
            passed = None;
        }
        let row = people
            .entry((person(&r.name), r.quiz.clone()))
            .or_insert_with(|| DueRow {
                name: r.name.clone(),
                quiz: r.quiz.clone(),
                last_passed: None,
                last_attempt: when.clone(),
                bank_version: bank_version(&r.bank_hash),
            });
        if when >= row.last_attempt {
            row.last_attempt = when;
            row.name = r.name.clone();
            row.bank_version = bank_version(&r.bank_hash);
        }
        if passed > row.last_passed {
            row.last_passed = passed;
        }
    }
    let mut rows: Vec<DueRow> = people
        .into_values()
        .filter(|r| r.last_passed.as_deref().is_none_or(|p| p < cutoff))
        .collect();
    rows.sort_by_cached_key(|r| (r.last_passed.clone(), person(&r.name), r.quiz.clone()));
    let mut uncounted: Vec<Uncounted> = uncounted
        .into_iter()
        .map(|((quiz, bank_version), passes)| Uncounted {
            quiz,
            bank_version,
            passes,
        })
        .collect();
    uncounted.sort();
    (rows, uncounted)
}

/// A period such as `12m`, `6m`, `30d`, `2w` or `1y`.
pub fn parse_period(text: &str) -> Result<jiff::Span> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let help = "give a number and a unit: d (days), w (weeks), m (months) or y (years), such as \
                12m or 30d";
    let n: i64 = number
        .parse()
        .ok()
        .filter(|&n| (1..=1000).contains(&n))
        .with_context(|| format!("`{text}` is not a period; {help}"))?;
    let span = match unit.trim() {
        "d" | "day" | "days" => jiff::Span::new().try_days(n),
        "w" | "week" | "weeks" => jiff::Span::new().try_weeks(n),
        "m" | "month" | "months" => jiff::Span::new().try_months(n),
        "y" | "year" | "years" => jiff::Span::new().try_years(n),
        _ => bail!("`{text}` is not a period; {help}"),
    };
    span.with_context(|| format!("`{text}` is too long a period"))
}

/// The moment `period` before `now`, as records write times.
pub fn cutoff(now: jiff::Timestamp, period: jiff::Span) -> Result<String> {
    let then = now
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .checked_sub(period)
        .context("that period reaches back too far")?;
    Ok(timestamp(then.timestamp()))
}

/// `--since`: a date (`2026-09-01`, the start of that day in UTC) or a full RFC 3339 time.
pub fn parse_since(text: &str) -> Result<String> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Ok(timestamp(ts));
    }
    let date: jiff::civil::Date = t.parse().with_context(|| {
        format!("`{text}` is not a date; give one as YEAR-MONTH-DAY, such as 2026-09-01")
    })?;
    let start = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .with_context(|| format!("`{text}` is out of range"))?;
    Ok(timestamp(start.timestamp()))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_dates() {
        let now: jiff::Timestamp = "2026-11-29T12:00:00Z".parse().unwrap();
        assert_eq!(
            cutoff(now, parse_period("12m").unwrap()).unwrap(),
            "2025-11-29T12:00:00Z"
        );
        assert_eq!(
            cutoff(now, parse_period("30d").unwrap()).unwrap(),
            "2026-10-30T12:00:00Z"
        );
        assert_eq!(
            cutoff(now, parse_period("1y").unwrap()).unwrap(),
            "2025-11-29T12:00:00Z"
        );
        assert_eq!(
            cutoff(now, parse_period("6M").unwrap()).unwrap(),
            "2026-05-29T12:00:00Z"
        );
        for bad in ["", "12", "m", "12x", "-3m", "0d"] {
            assert!(parse_period(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_since("2026-09-01").unwrap(), "2026-09-01T00:00:00Z");
        assert_eq!(
            parse_since("2026-09-01T10:00:00+01:00").unwrap(),
            "2026-09-01T09:00:00Z"
        );
        assert!(parse_since("1 September").is_err());
        assert!(parse_since("2026-13-01").is_err());
    }

    #[test]
    fn responses_read_as_text() {
        assert_eq!(show_response("\"B\""), "B");
        assert_eq!(show_response("[\"A\",\"C\"]"), "A; C");
        assert_eq!(show_response("false"), "False");
        assert_eq!(show_response("70000.0"), "70,000");
        assert_eq!(show_response("[{\"left\":\"L\",\"right\":\"R\"}]"), "L → R");
    }
}
