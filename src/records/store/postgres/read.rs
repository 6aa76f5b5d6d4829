//! Reading the PostgreSQL store: the attempts a filter picks, with or without answers, an
//! unfinished attempt to resume, sessions, and the question analysis, which the server works out
//! itself (a trust's millions of answers are summed where they are, not sent to be summed).

use anyhow::{Context, Result};
use postgres::Row;
use postgres::types::ToSql;

use super::{PostgresStore, TxError};
use crate::engine::marking::Outcome;
use crate::records::analysis::{MIN_FOR_DISCRIMINATION, QuestionStats, Tally, stats_of};
use crate::records::record::{Hold, Record, RecordedQuestion, name_key, same_name};
use crate::records::session::Session;
use crate::records::store::Filter;

type Params = Vec<Box<dyn ToSql + Sync>>;

/// The `WHERE` clause for a filter (`t` is the attempts table), and its parameters.
fn clause(filter: &Filter) -> (String, Params) {
    let mut sql = String::from("WHERE true");
    let mut args: Params = Vec::new();
    let mut add = |sql: &mut String, column: &str, value: String| {
        args.push(Box::new(value));
        sql.push_str(&format!(" AND t.{column} ${}", args.len()));
    };
    if let Some(s) = &filter.session {
        add(&mut sql, "session =", s.clone());
    }
    if let Some(q) = &filter.quiz {
        add(&mut sql, "quiz =", q.clone());
    }
    if let Some(n) = &filter.name {
        add(&mut sql, "name_key =", name_key(n));
    }
    if let Some(s) = &filter.since {
        add(&mut sql, "started >=", s.clone());
    }
    if filter.finished_only {
        sql.push_str(" AND t.finished IS NOT NULL");
    }
    (sql, args)
}

fn refs(args: &Params) -> Vec<&(dyn ToSql + Sync)> {
    args.iter()
        .map(|a| a.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// The attempts `clause` picks, oldest first, without answers; `brief` leaves out what only
/// resuming needs.
fn attempts_sql(clause: &str, brief: bool) -> String {
    let (settings, order) = if brief {
        ("'{}'", "'[]'")
    } else {
        ("settings", "question_order")
    };
    format!(
        "SELECT seq, id, quiz, title, bank_hash, name, session, started, finished, seed,
                {settings}, {order}, score, max_score, percent, pass_mark, passed,
                duration_seconds, held_by, held_at
         FROM attempts t {clause} ORDER BY seq"
    )
}

fn attempt_row(r: &Row) -> Result<(i64, Record), postgres::Error> {
    let settings: String = r.try_get(10)?;
    let order: String = r.try_get(11)?;
    let held_by: Option<String> = r.try_get(18)?;
    let held_at: Option<String> = r.try_get(19)?;
    Ok((
        r.try_get(0)?,
        Record {
            id: r.try_get(1)?,
            quiz: r.try_get(2)?,
            title: r.try_get(3)?,
            bank_hash: r.try_get(4)?,
            name: r.try_get(5)?,
            session: r.try_get(6)?,
            started: r.try_get(7)?,
            finished: r.try_get(8)?,
            // Kept as the same 64 bits in a signed column.
            seed: r.try_get::<_, i64>(9)? as u64,
            settings: serde_json::from_str(&settings).unwrap_or_default(),
            order: serde_json::from_str(&order).unwrap_or_default(),
            score: r.try_get(12)?,
            max_score: r.try_get(13)?,
            percent: r.try_get(14)?,
            pass_mark: r.try_get(15)?,
            passed: r.try_get(16)?,
            duration_seconds: r.try_get::<_, i64>(17)?.max(0) as u64,
            questions: Vec::new(),
            held: held_by.map(|sitting| Hold {
                sitting,
                saved: held_at.unwrap_or_default(),
            }),
        },
    ))
}

/// The answers of the attempts `$1` (their row numbers), each attempt's in order.
const ANSWERS: &str = "SELECT attempt, question, topic, kind, response, answer, outcome, points,
            max_points
     FROM answers WHERE attempt = ANY($1) ORDER BY attempt, position";

/// Answer rows (`ANSWERS`) as each attempt's recorded questions.
fn answers_from(
    rows: &[Row],
    shown: &str,
) -> Result<std::collections::HashMap<i64, Vec<RecordedQuestion>>> {
    let mut out: std::collections::HashMap<i64, Vec<RecordedQuestion>> = Default::default();
    for row in rows {
        let response: String = row.get(4);
        let answer: String = row.get(5);
        let outcome: String = row.get(6);
        out.entry(row.get(0)).or_default().push(RecordedQuestion {
            id: row.get(1),
            topic: row.get(2),
            kind: row.get(3),
            response: serde_json::from_str(&response)
                .with_context(|| format!("reading a stored response in {shown}"))?,
            answer: serde_json::from_str(&answer)
                .with_context(|| format!("reading a stored answer in {shown}"))?,
            outcome: outcome_from(&outcome),
            points: row.get(7),
            max_points: row.get(8),
        });
    }
    Ok(out)
}

fn outcome_from(s: &str) -> Outcome {
    match s {
        "correct" => Outcome::Correct,
        "partial" => Outcome::Partial,
        _ => Outcome::Incorrect,
    }
}

impl PostgresStore {
    fn attempts_where(
        &self,
        clause: &str,
        args: &Params,
        brief: bool,
    ) -> Result<Vec<(i64, Record)>> {
        let sql = attempts_sql(clause, brief);
        self.run(std::time::Duration::ZERO, |conn| {
            let rows = conn.client.query(&sql, &refs(args))?;
            Ok(rows
                .iter()
                .map(attempt_row)
                .collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// The answers of the attempts `seqs`, each attempt's in order.
    fn answers_of(
        &self,
        seqs: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<RecordedQuestion>>> {
        let rows = self.run(std::time::Duration::ZERO, |conn| {
            Ok(conn.client.query(ANSWERS, &[&seqs])?)
        })?;
        answers_from(&rows, &self.target.shown)
    }

    /// The attempts that match, each with its answers, handed to `visit` one at a time: read
    /// through a cursor in one transaction, 500 attempts at a time, so that copying a trust's
    /// database does not hold it in memory.
    pub(super) fn each_record_of(
        &self,
        filter: &Filter,
        visit: &mut dyn FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let (clause, args) = clause(filter);
        let sql = attempts_sql(&clause, false);
        let shown = self.target.shown.clone();
        self.run(std::time::Duration::ZERO, |conn| {
            let mut tx = conn.client.transaction()?;
            let portal = tx.bind(sql.as_str(), &refs(&args))?;
            loop {
                let rows = tx.query_portal(&portal, 500)?;
                if rows.is_empty() {
                    break;
                }
                let attempts = rows
                    .iter()
                    .map(attempt_row)
                    .collect::<Result<Vec<_>, _>>()?;
                let seqs: Vec<i64> = attempts.iter().map(|(seq, _)| *seq).collect();
                let mut answers =
                    answers_from(&tx.query(ANSWERS, &[&seqs])?, &shown).map_err(TxError::Other)?;
                for (seq, mut r) in attempts {
                    r.questions = answers.remove(&seq).unwrap_or_default();
                    visit(r).map_err(TxError::Other)?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// Attempts with their answers.
    fn with_answers(&self, rows: Vec<(i64, Record)>) -> Result<Vec<Record>> {
        let mut out = Vec::with_capacity(rows.len());
        // In chunks, so that no one query asks for too much at once.
        for chunk in rows.chunks(1000) {
            let seqs: Vec<i64> = chunk.iter().map(|(seq, _)| *seq).collect();
            let mut answers = self.answers_of(&seqs)?;
            for (seq, r) in chunk {
                let mut r = r.clone();
                r.questions = answers.remove(seq).unwrap_or_default();
                out.push(r);
            }
        }
        Ok(out)
    }

    pub(super) fn records_of(&self, filter: &Filter, answers: bool) -> Result<Vec<Record>> {
        let (clause, args) = clause(filter);
        let rows = self.attempts_where(&clause, &args, !answers)?;
        if answers {
            self.with_answers(rows)
        } else {
            Ok(rows.into_iter().map(|(_, r)| r).collect())
        }
    }

    pub(super) fn by_id(&self, id: &str) -> Result<Option<Record>> {
        let args: Params = vec![Box::new(id.to_string())];
        let rows = self.attempts_where("WHERE t.id = $1", &args, false)?;
        Ok(self.with_answers(rows)?.into_iter().next())
    }

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
        let (mut clause, mut args) = clause(&filter);
        args.push(Box::new(session.map(str::to_string)));
        clause.push_str(&format!(
            " AND t.finished IS NULL AND t.session IS NOT DISTINCT FROM ${}",
            args.len()
        ));
        let latest = self
            .attempts_where(&clause, &args, false)?
            .into_iter()
            .rev()
            .find(|(_, r)| same_name(&r.name, name));
        Ok(self
            .with_answers(latest.into_iter().collect())?
            .into_iter()
            .next())
    }

    pub(super) fn count_of(&self) -> Result<usize> {
        let n: i64 = self.run(std::time::Duration::ZERO, |conn| {
            Ok(conn
                .client
                .query_one("SELECT count(*) FROM attempts", &[])?
                .get(0))
        })?;
        Ok(usize::try_from(n).unwrap_or_default())
    }

    pub(super) fn sessions_where(&self, code: Option<&str>) -> Result<Vec<Session>> {
        self.run(std::time::Duration::ZERO, |conn| {
            let rows = conn.client.query(
                "SELECT code, title, quiz, bank_file, bank_text, bank_hash, pass_mark,
                        review_at_end, created, closed
                 FROM sessions WHERE $1::text IS NULL OR code = $1 ORDER BY created, code",
                &[&code],
            )?;
            Ok(rows
                .iter()
                .map(|r| Session {
                    code: r.get(0),
                    title: r.get(1),
                    quiz: r.get(2),
                    bank_file: r.get(3),
                    bank_text: r.get(4),
                    bank_hash: r.get(5),
                    pass_mark: r.get(6),
                    review_at_end: r.get(7),
                    created: r.get(8),
                    closed: r.get(9),
                })
                .collect())
        })
    }

    /// The question analysis, summed by the server: for each question, how many answered and
    /// the points' share earned, in all and among each quiz's top and bottom 27% of finished
    /// attempts (ranked by percentage, then by age, as `Analysis` ranks them), and its most
    /// common wrong answer.
    pub(super) fn analysis_of(&self, filter: &Filter) -> Result<Vec<QuestionStats>> {
        let (clause, args) = clause(filter);
        let min = MIN_FOR_DISCRIMINATION;
        let finished = format!(
            "SELECT seq, quiz, percent FROM attempts t {clause}
             AND t.finished IS NOT NULL AND t.percent IS NOT NULL"
        );
        let attempts = format!(
            "counted AS (
                 SELECT seq, quiz,
                        row_number() OVER (PARTITION BY quiz ORDER BY percent, seq) AS rank,
                        count(*) OVER (PARTITION BY quiz) AS n
                 FROM ({finished}) t
             ), banded AS (
                 SELECT seq, quiz,
                        CASE WHEN n < {min} THEN 0
                             WHEN rank <= round(n * 0.27) THEN -1
                             WHEN rank > n - round(n * 0.27) THEN 1
                             ELSE 0 END AS band
                 FROM counted
             )"
        );
        let totals = format!(
            "WITH {attempts}
             SELECT b.quiz, a.question, count(*), sum(a.share),
                    coalesce(sum(a.share) FILTER (WHERE b.band = 1), 0),
                    count(*) FILTER (WHERE b.band = 1),
                    coalesce(sum(a.share) FILTER (WHERE b.band = -1), 0),
                    count(*) FILTER (WHERE b.band = -1)
             FROM banded b JOIN answers a ON a.attempt = b.seq
             GROUP BY b.quiz, a.question"
        );
        let wrong = format!(
            "SELECT DISTINCT ON (f.quiz, a.question) f.quiz, a.question, a.wrong, count(*) AS c
             FROM ({finished}) f JOIN answers a ON a.attempt = f.seq
             WHERE a.wrong IS NOT NULL
             GROUP BY f.quiz, a.question, a.wrong
             ORDER BY f.quiz, a.question, c DESC, a.wrong COLLATE \"C\""
        );
        let (totals, wrong) = self.run(std::time::Duration::ZERO, |conn| {
            let params = refs(&args);
            let totals = conn.client.query(&totals, &params)?;
            let wrong = conn.client.query(&wrong, &params)?;
            Ok::<_, TxError>((totals, wrong))
        })?;
        let mut common: std::collections::HashMap<(String, String), (String, usize)> = wrong
            .iter()
            .map(|r| {
                (
                    (r.get(0), r.get(1)),
                    (r.get(2), usize::try_from(r.get::<_, i64>(3)).unwrap_or(0)),
                )
            })
            .collect();
        let count = |r: &Row, i: usize| usize::try_from(r.get::<_, i64>(i)).unwrap_or(0);
        let tallies = totals
            .iter()
            .map(|r| {
                let key: (String, String) = (r.get(0), r.get(1));
                Tally {
                    common: common.remove(&key),
                    quiz: key.0,
                    question: key.1,
                    answered: count(r, 2),
                    earned: r.get(3),
                    upper: (r.get(4), count(r, 5)),
                    lower: (r.get(6), count(r, 7)),
                }
            })
            .collect();
        Ok(stats_of(tallies))
    }
}
