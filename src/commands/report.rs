//! `sgquiz report`: each trainee's latest result, the question analysis, and who is due a
//! refresher, as a table, CSV or JSON.

use std::io::{self, Write};

use anyhow::{Result, bail};
use serde::Serialize;

use super::{Exit, day};
use crate::cli::{Cli, Format, ReportArgs};
use crate::front::transcript;
use crate::records::analysis::{self, Analysis};
use crate::records::record::clean_name;
use crate::records::session::{parse_code, show_code};
use crate::records::store::{Filter, Location};
use crate::util::table::{self, Column};
use crate::util::text::format_number;

/// `sgquiz report`: trainees, questions, or who is due a refresher.
pub fn report(cli: &Cli, args: &ReportArgs) -> Result<Exit> {
    let filter = Filter {
        session: args.session.as_deref().map(parse_code).transpose()?,
        quiz: args.quiz.clone(),
        name: args
            .name
            .as_deref()
            .map(clean_name)
            .transpose()
            .map_err(anyhow::Error::msg)?,
        since: args
            .since
            .as_deref()
            .map(analysis::parse_since)
            .transpose()?,
        finished_only: args.due.is_none(),
    };
    let due = args
        .due
        .as_deref()
        .map(|p| analysis::cutoff(jiff::Timestamp::now(), analysis::parse_period(p)?))
        .transpose()?;
    let location = Location::choose(cli.store.as_deref())?;
    let store = if location.exists() {
        Some(location.open()?)
    } else {
        None
    };
    if let (Some(code), Some(s)) = (&filter.session, &store)
        && s.session(code)?.is_none()
    {
        bail!(
            "there is no session {} in the results store {}; see `sgquiz session list`",
            show_code(code),
            s.location().display()
        );
    }
    let records = |f: &Filter| match &store {
        Some(s) => s.summaries(f),
        None => Ok(Vec::new()),
    };
    if let (Some(cutoff), Some(period)) = (&due, &args.due) {
        let rows = analysis::due(&records(&filter)?, cutoff);
        let heading = format!(
            "Due a refresher: last passed more than {period} ago (before {}), or never passed.",
            day(cutoff)
        );
        let table = [
            Column::shrinking("NAME"),
            Column::text("QUIZ"),
            Column::text("LAST PASSED"),
            Column::text("LAST ATTEMPT"),
        ];
        let cells = |r: &analysis::DueRow| {
            vec![
                r.name.clone(),
                r.quiz.clone(),
                r.last_passed.as_deref().map_or("never".to_string(), day),
                day(&r.last_attempt),
            ]
        };
        let csv = [
            Column::text("name"),
            Column::text("quiz"),
            Column::text("last_passed"),
            Column::text("last_attempt"),
        ];
        let csv_cells = |r: &analysis::DueRow| {
            vec![
                r.name.clone(),
                r.quiz.clone(),
                r.last_passed.clone().unwrap_or_default(),
                r.last_attempt.clone(),
            ]
        };
        let empty = "No one is due: everyone recorded has passed within that time.";
        return emit(
            args.format,
            &heading,
            empty,
            (&table, cells),
            (&csv, csv_cells),
            &rows,
        );
    }
    if args.questions {
        let mut analysis = Analysis::default();
        if let Some(s) = &store {
            s.scan(&filter, &mut |record, answers| {
                analysis.add(record, answers)
            })?;
        }
        let rows = analysis.finish();
        let heading = format!(
            "Questions, hardest first. Facility: the share of the points earned. Discrimination \
             (shown once a quiz has {} finished attempts): how much better the top 27% did on the \
             question than the bottom 27%.",
            analysis::MIN_FOR_DISCRIMINATION
        );
        let table = [
            Column::text("QUIZ"),
            Column::text("QUESTION"),
            Column::number("ANSWERED"),
            Column::number("FACILITY"),
            Column::number("DISCRIMINATION"),
            Column::shrinking("MOST COMMON WRONG ANSWER"),
        ];
        let cells = |r: &analysis::QuestionStats| {
            vec![
                r.quiz.clone(),
                r.question.clone(),
                r.answered.to_string(),
                format!("{}%", format_number(r.facility)),
                r.discrimination
                    .map_or("–".to_string(), |d| format!("{d:.2}")),
                r.common_wrong_answer.as_ref().map_or(String::new(), |a| {
                    format!("{a} ({}×)", r.common_wrong_count)
                }),
            ]
        };
        let csv = [
            Column::text("quiz"),
            Column::text("question"),
            Column::number("answered"),
            Column::number("facility"),
            Column::number("discrimination"),
            Column::text("common_wrong_answer"),
            Column::number("common_wrong_count"),
        ];
        let csv_cells = |r: &analysis::QuestionStats| {
            vec![
                r.quiz.clone(),
                r.question.clone(),
                r.answered.to_string(),
                r.facility.to_string(),
                r.discrimination.map_or(String::new(), |d| d.to_string()),
                r.common_wrong_answer.clone().unwrap_or_default(),
                r.common_wrong_count.to_string(),
            ]
        };
        return emit(
            args.format,
            &heading,
            "No finished attempts match, so there is nothing to analyse.",
            (&table, cells),
            (&csv, csv_cells),
            &rows,
        );
    }
    let rows = analysis::trainee_rows(&records(&filter)?);
    let table = [
        Column::shrinking("NAME"),
        Column::shrinking("QUIZ"),
        Column::text("DATE"),
        Column::number("SCORE"),
        Column::number("PERCENT"),
        Column::text("PASSED"),
        Column::number("TIME"),
        Column::number("ATTEMPTS"),
    ];
    let cells = |r: &analysis::TraineeRow| {
        vec![
            r.name.clone(),
            r.quiz.clone(),
            day(&r.finished),
            format!("{}/{}", format_number(r.score), format_number(r.max_score)),
            format!("{}%", format_number(r.percent)),
            if r.passed { "yes" } else { "no" }.to_string(),
            transcript::duration(std::time::Duration::from_secs(r.duration_seconds)),
            r.attempts.to_string(),
        ]
    };
    let csv = [
        Column::text("name"),
        Column::text("quiz"),
        Column::text("finished"),
        Column::number("score"),
        Column::number("max_score"),
        Column::number("percent"),
        Column::text("passed"),
        Column::number("duration_seconds"),
        Column::number("attempts"),
    ];
    let csv_cells = |r: &analysis::TraineeRow| {
        vec![
            r.name.clone(),
            r.quiz.clone(),
            r.finished.clone(),
            r.score.to_string(),
            r.max_score.to_string(),
            r.percent.to_string(),
            r.passed.to_string(),
            r.duration_seconds.to_string(),
            r.attempts.to_string(),
        ]
    };
    emit(
        args.format,
        "Each trainee's latest finished attempt of each quiz:",
        "No finished attempts match.",
        (&table, cells),
        (&csv, csv_cells),
        &rows,
    )
}

/// Prints report rows as a table (with a heading), CSV or JSON.
fn emit<T: Serialize>(
    format: Format,
    heading: &str,
    empty: &str,
    table: (&[Column], impl Fn(&T) -> Vec<String>),
    csv: (&[Column], impl Fn(&T) -> Vec<String>),
    rows: &[T],
) -> Result<Exit> {
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let cells: Vec<Vec<String>> = rows.iter().map(&csv.1).collect();
            table::write_csv(csv.0, &cells, &mut out)?;
        }
        Format::Table if rows.is_empty() => writeln!(out, "{empty}")?,
        Format::Table => {
            let cells: Vec<Vec<String>> = rows.iter().map(&table.1).collect();
            writeln!(
                out,
                "{}\n",
                crate::util::text::wrap(heading, table::terminal_width())
            )?;
            write!(
                out,
                "{}",
                table::render(table.0, &cells, table::terminal_width())
            )?;
        }
    }
    Ok(Exit::Success)
}
