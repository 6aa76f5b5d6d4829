//! `sgquiz list`: the bundled quizzes, as a table or JSON.

use std::io::{self, Write};

use anyhow::Result;
use serde::Serialize;

use super::Exit;
use crate::bank::catalog;

#[derive(Serialize)]
struct Listing<'a> {
    id: &'a str,
    title: &'a str,
    questions: usize,
    topics: Vec<String>,
    audience: &'a str,
    minutes: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    /// When the content was last reviewed (YEAR-MONTH-DAY).
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewed: Option<String>,
}

/// `sgquiz list`.
pub fn list(json: bool) -> Result<Exit> {
    let banks = catalog::bundled()?;
    let rows: Vec<Listing> = banks
        .iter()
        .map(|b| Listing {
            id: &b.quiz.id,
            title: &b.quiz.title,
            questions: b.questions.len(),
            topics: b.topics(),
            audience: &b.quiz.audience,
            minutes: b.minutes(),
            summary: b.quiz.summary.as_deref(),
            reviewed: b.quiz.reviewed.map(|d| d.to_string()),
        })
        .collect();
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(Exit::Success);
    }
    let id_w = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let title_w = rows
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    writeln!(
        out,
        "{:id_w$}  {:title_w$}  {:>9}  {:>7}  AUDIENCE",
        "ID", "TITLE", "QUESTIONS", "MINUTES"
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:id_w$}  {:title_w$}  {:>9}  {:>7}  {}",
            r.id, r.title, r.questions, r.minutes, r.audience
        )?;
    }
    writeln!(out, "\nTake one with: sgquiz run ID")?;
    Ok(Exit::Success)
}
