//! `sgquiz list`: the bundled quizzes, as a table or JSON.

use std::io::{self, Write};

use anyhow::Result;
use serde::Serialize;

use super::Exit;
use crate::bank::catalog;
use crate::util::table::{self, Column};

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
    // Drawn to the terminal's width: a long title or audience is wrapped, never cut.
    let columns = [
        Column::text("ID"),
        Column::shrinking("TITLE"),
        Column::number("QUESTIONS"),
        Column::number("MINUTES"),
        Column::shrinking("AUDIENCE"),
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.title.to_string(),
                r.questions.to_string(),
                r.minutes.to_string(),
                r.audience.to_string(),
            ]
        })
        .collect();
    write!(
        out,
        "{}",
        table::render(&columns, &cells, table::terminal_width())
    )?;
    writeln!(out, "\nTake one with: sgquiz run ID")?;
    Ok(Exit::Success)
}
