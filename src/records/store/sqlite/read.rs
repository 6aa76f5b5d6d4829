//! Reading the database store: the attempts a filter picks, with or without their answers,
//! the streaming scan reports walk, an unfinished attempt to resume, and sessions. Also the
//! SQL that works out an attempt's time taken and its hold from its answer rows.

use anyhow::{Context, Result};

use super::SqliteStore;
use crate::engine::marking::Outcome;
use crate::records::record::{Hold, Record, RecordedQuestion, name_key, same_name};
use crate::records::session::Session;
use crate::records::store::{AnswerRow, Filter};

impl SqliteStore {
    pub(super) fn select_attempts(filter: &Filter) -> (String, Vec<Box<dyn rusqlite::ToSql>>) {
        let mut sql = String::from("WHERE 1 = 1");
        let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        if let Some(s) = &filter.session {
            sql.push_str(" AND t.session = ?");
            args.push(Box::new(s.clone()));
        }
        if let Some(q) = &filter.quiz {
            sql.push_str(" AND t.quiz = ?");
            args.push(Box::new(q.clone()));
        }
        if let Some(n) = &filter.name {
            sql.push_str(" AND t.name_key = ?");
            args.push(Box::new(name_key(n)));
        }
        if let Some(s) = &filter.since {
            sql.push_str(" AND t.started >= ?");
            args.push(Box::new(s.clone()));
        }
        if filter.finished_only {
            sql.push_str(" AND t.finished IS NOT NULL");
        }
        (sql, args)
    }

    /// The attempts that match, oldest first, without their answers, each with its row number.
    /// `brief` leaves out the settings and question order, which only resuming needs (reading
    /// them is most of the cost of a large report).
    pub(super) fn attempt_rows(&self, filter: &Filter, brief: bool) -> Result<Vec<(i64, Record)>> {
        let (clause, args) = Self::select_attempts(filter);
        self.summaries_where(&clause, args, brief)
    }

    /// The query for the attempts `clause` picks (`t` is the attempts table), oldest first,
    /// without their answers; its rows are read by `attempt_row`.
    pub(super) fn attempts_sql(clause: &str, brief: bool) -> String {
        let (settings, order) = if brief {
            ("'{}'", "'[]'")
        } else {
            ("settings", "question_order")
        };
        format!(
            "SELECT seq, id, quiz, title, bank_hash, name, session, started, finished, seed,
                    {settings}, {order}, score, max_score, percent, pass_mark, passed,
                    {DURATION}, held_by, {HELD_AT}
             FROM attempts t {clause} ORDER BY seq"
        )
    }

    /// The attempts `clause` picks (`t` is the attempts table), as `summaries` returns them.
    pub(super) fn summaries_where(
        &self,
        clause: &str,
        args: Vec<Box<dyn rusqlite::ToSql>>,
        brief: bool,
    ) -> Result<Vec<(i64, Record)>> {
        let mut stmt = self.conn.prepare(&Self::attempts_sql(clause, brief))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), attempt_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The attempt with this id, with its answers.
    pub(super) fn by_id(&self, id: &str) -> Result<Option<Record>> {
        let found =
            self.summaries_where("WHERE t.id = ?", vec![Box::new(id.to_string())], false)?;
        match found.into_iter().next() {
            Some((seq, mut r)) => {
                r.questions = self.answers_of(seq)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    pub(super) fn answers_of(&self, seq: i64) -> Result<Vec<RecordedQuestion>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT question, topic, kind, response, answer, outcome, points, max_points
             FROM answers WHERE attempt = ? ORDER BY position",
        )?;
        let rows = stmt.query_map([seq], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, f64>(6)?,
                r.get::<_, f64>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, topic, kind, response, answer, outcome, points, max_points) = row?;
            out.push(RecordedQuestion {
                id,
                topic,
                kind,
                response: serde_json::from_str(&response).with_context(|| {
                    format!("reading a stored response in {}", self.path.display())
                })?,
                answer: serde_json::from_str(&answer).with_context(|| {
                    format!("reading a stored answer in {}", self.path.display())
                })?,
                outcome: outcome_from(&outcome),
                points,
                max_points,
            });
        }
        Ok(out)
    }
}

/// One row of `attempts_sql`: the attempt's row number and its record, without answers.
pub(super) fn attempt_row(r: &rusqlite::Row) -> rusqlite::Result<(i64, Record)> {
    let settings: String = r.get(10)?;
    let order: String = r.get(11)?;
    Ok((
        r.get::<_, i64>(0)?,
        Record {
            id: r.get(1)?,
            quiz: r.get(2)?,
            title: r.get(3)?,
            bank_hash: r.get(4)?,
            name: r.get(5)?,
            session: r.get(6)?,
            started: r.get(7)?,
            finished: r.get(8)?,
            // Kept as the same 64 bits in SQLite's signed integer.
            seed: r.get::<_, i64>(9)? as u64,
            settings: serde_json::from_str(&settings).unwrap_or_default(),
            order: serde_json::from_str(&order).unwrap_or_default(),
            score: r.get(12)?,
            max_score: r.get(13)?,
            percent: r.get(14)?,
            pass_mark: r.get(15)?,
            passed: r.get(16)?,
            duration_seconds: r.get::<_, i64>(17)?.max(0) as u64,
            questions: Vec::new(),
            held: hold_of(r.get(18)?, r.get(19)?),
        },
    ))
}

pub(super) fn outcome_from(s: &str) -> Outcome {
    match s {
        "correct" => Outcome::Correct,
        "partial" => Outcome::Partial,
        _ => Outcome::Incorrect,
    }
}

/// The time an attempt (`t`) has taken: for an unfinished one, as of its last answer saved.
pub(super) const DURATION: &str = "CASE WHEN t.finished IS NULL
         THEN coalesce((SELECT a.elapsed FROM answers a WHERE a.attempt = t.seq
                        ORDER BY a.position DESC LIMIT 1), t.duration_seconds)
         ELSE t.duration_seconds END";

/// When the sitting holding an attempt (`t`) last saved: it took hold, or saved an answer.
pub(super) const HELD_AT: &str = "CASE WHEN t.held_by IS NULL THEN NULL
         ELSE max(coalesce(t.held_at, ''),
                  coalesce((SELECT a.saved FROM answers a WHERE a.attempt = t.seq
                            ORDER BY a.position DESC LIMIT 1), ''))
         END";

pub(super) fn hold_of(sitting: Option<String>, saved: Option<String>) -> Option<Hold> {
    Some(Hold {
        sitting: sitting?,
        saved: saved.unwrap_or_default(),
    })
}

impl SqliteStore {
    pub(super) fn incomplete_of(
        &self,
        quiz: &str,
        name: &str,
        session: Option<&str>,
    ) -> Result<Option<Record>> {
        let filter = Filter {
            quiz: Some(quiz.to_string()),
            name: Some(name.to_string()),
            ..Filter::default()
        };
        // Only unfinished attempts are read: a trainee's finished ones may be many, and each
        // carries its question order.
        let (mut clause, mut args) = Self::select_attempts(&filter);
        clause.push_str(" AND t.finished IS NULL AND t.session IS ?");
        args.push(Box::new(session.map(str::to_string)));
        let latest = self
            .summaries_where(&clause, args, false)?
            .into_iter()
            .rev()
            .find(|(_, r)| same_name(&r.name, name));
        match latest {
            Some((seq, mut r)) => {
                r.questions = self.answers_of(seq)?;
                Ok(Some(r))
            }
            None => Ok(None),
        }
    }

    /// The attempts that match, one at a time with their answers, from one query on the
    /// attempts (the answers of each are read by its key as it comes).
    pub(super) fn each_record_of(
        &self,
        filter: &Filter,
        visit: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let (clause, args) = Self::select_attempts(filter);
        let mut stmt = self.conn.prepare(&Self::attempts_sql(&clause, false))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(row) = rows.next()? {
            let (seq, mut r) = attempt_row(row)?;
            r.questions = self.answers_of(seq)?;
            visit(r)?;
        }
        Ok(())
    }

    /// Every attempt's id, with whether it is finished.
    pub(super) fn ids_of(&self) -> Result<std::collections::HashMap<String, bool>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, finished IS NOT NULL FROM attempts")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(super) fn records_of(&self, filter: &Filter) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for (seq, mut r) in self.attempt_rows(filter, false)? {
            r.questions = self.answers_of(seq)?;
            out.push(r);
        }
        Ok(out)
    }

    /// The attempts stream from one query and their answers from another, both in the order
    /// of the attempts' row numbers, stepped side by side: only one attempt is in memory at a
    /// time, however large the store.
    pub(super) fn scan_of(
        &self,
        filter: &Filter,
        visit: &mut dyn FnMut(&Record, &[AnswerRow]),
    ) -> Result<()> {
        let (clause, args) = Self::select_attempts(filter);
        let mut attempts_stmt = self.conn.prepare(&Self::attempts_sql(&clause, true))?;
        let mut attempts = attempts_stmt.query(rusqlite::params_from_iter(args.iter()))?;
        // Without a filter on the attempts, the answers alone are read, in the order of their
        // key, which is much quicker than joining every one to its attempt; the walk below skips
        // the answers of attempts the filter left out (the unfinished ones).
        let narrowed = filter.session.is_some()
            || filter.quiz.is_some()
            || filter.name.is_some()
            || filter.since.is_some();
        let sql = if narrowed {
            format!(
                "SELECT a.attempt, a.question, a.share, a.wrong
                 FROM attempts t JOIN answers a ON a.attempt = t.seq {clause}
                 ORDER BY a.attempt, a.position"
            )
        } else {
            "SELECT attempt, question, share, wrong FROM answers ORDER BY attempt, position"
                .to_string()
        };
        let args = if narrowed { args } else { Vec::new() };
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        let mut next = rows.next()?;
        // One attempt's answers at a time; their strings are reused from one attempt to the
        // next, so that two million answers do not mean four million allocations.
        let mut batch: Vec<AnswerRow> = Vec::new();
        while let Some(summary) = attempts.next()? {
            let (seq, record) = attempt_row(summary)?;
            let mut len = 0;
            while let Some(row) = next {
                let attempt: i64 = row.get(0)?;
                if attempt < seq {
                    next = rows.next()?;
                    continue;
                }
                if attempt > seq {
                    break;
                }
                if len == batch.len() {
                    batch.push(AnswerRow::default());
                }
                let slot = &mut batch[len];
                slot.question.clear();
                slot.question.push_str(row.get_ref(1)?.as_str()?);
                slot.share = row.get(2)?;
                slot.response.clear();
                let wrong = row.get_ref(3)?.as_str_or_null()?;
                slot.correct = wrong.is_none();
                slot.response.push_str(wrong.unwrap_or_default());
                len += 1;
                next = rows.next()?;
            }
            visit(&record, &batch[..len]);
        }
        Ok(())
    }

    pub(super) fn sessions_where<P: rusqlite::Params>(
        &self,
        clause: &str,
        args: P,
    ) -> Result<Vec<Session>> {
        let sql = format!(
            "SELECT code, title, quiz, bank_file, bank_text, bank_hash, pass_mark, review_at_end,
                    created, closed
             FROM sessions {clause} ORDER BY created, code"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok(Session {
                code: r.get(0)?,
                title: r.get(1)?,
                quiz: r.get(2)?,
                bank_file: r.get(3)?,
                bank_text: r.get(4)?,
                bank_hash: r.get(5)?,
                pass_mark: r.get(6)?,
                review_at_end: r.get(7)?,
                created: r.get(8)?,
                closed: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
