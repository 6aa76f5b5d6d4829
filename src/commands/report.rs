//! `sgquiz report`: each trainee's latest result, the question analysis, and who is due a
//! refresher, as a table, CSV or JSON.

use std::io::{self, Write};

use anyhow::{Result, bail};
use serde::Serialize;

use super::{Exit, day, messages};
use crate::bank::catalog;
use crate::cli::{Cli, Format, ReportArgs};
use crate::front::transcript;
use crate::records::analysis::{self, Recognised};
use crate::records::record::clean_name;
use crate::records::session::{parse_code, show_code};
use crate::records::store::{Filter, Location, Store};
use crate::util::json;
use crate::util::table::{self, Column};
use crate::util::text::{format_number, sanitize, wrap};

/// `sgquiz report`: trainees, questions, or who is due a refresher.
pub fn report(cli: &Cli, args: &ReportArgs) -> Result<Exit> {
    if args.bom && args.format != Format::Csv {
        bail!("--bom is for CSV: add --format csv");
    }
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
    let recognised = Recognised::new(catalog::bundled_hashes()?, &args.banks)?;
    let location = Location::choose(cli.store.as_deref())?;
    // A store that is not there is an error, never an empty report: a mistyped path must not
    // read as "no one is due".
    let store = location.open_to_read()?;
    if let Some(code) = &filter.session
        && store.session(code)?.is_none()
    {
        bail!(
            "there is no session {} in the results store {}; see `sgquiz session list`",
            show_code(code),
            store.location()
        );
    }
    let exit = rows(args, &filter, due.as_deref(), &recognised, store.as_ref())?;
    for warning in store.warnings() {
        messages::warning(warning);
    }
    Ok(exit)
}

/// The last line of every report drawn as a table: which store was read, and how much is in
/// it, so that a wrong store shows itself.
pub(super) fn store_line(store: &dyn Store) -> Result<String> {
    let n = store.count()?;
    Ok(format!(
        "Results store: {} ({n} attempt{} in all).",
        sanitize(&store.location()),
        if n == 1 { "" } else { "s" }
    ))
}

/// The report's rows, in the format asked for.
fn rows(
    args: &ReportArgs,
    filter: &Filter,
    due: Option<&str>,
    recognised: &Recognised,
    store: &dyn Store,
) -> Result<Exit> {
    let records = |f: &Filter| store.summaries(f);
    if let (Some(cutoff), Some(period)) = (due, &args.due) {
        let (rows, uncounted) = analysis::due(&records(filter)?, cutoff, recognised);
        let mut notes: Vec<String> = uncounted
            .iter()
            .map(|u| {
                format!(
                    "Not counted: {} pass{} of {} on bank version {}, which is not {}.",
                    u.passes,
                    if u.passes == 1 { "" } else { "es" },
                    u.quiz,
                    u.bank_version,
                    if recognised.differs_from_bundled(&u.quiz, &u.bank_version) {
                        "the bundled text of that quiz"
                    } else {
                        "a bank you have named with --bank"
                    }
                )
            })
            .collect();
        if let Some(u) = uncounted.first() {
            notes.push(format!(
                "If you recognise a version, count its passes with --bank VERSION, such as \
                 --bank {}.",
                u.bank_version
            ));
        }
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
            Column::text("bank_version"),
        ];
        let csv_cells = |r: &analysis::DueRow| {
            vec![
                r.name.clone(),
                r.quiz.clone(),
                r.last_passed.clone().unwrap_or_default(),
                r.last_attempt.clone(),
                r.bank_version.clone(),
            ]
        };
        let empty = "No one is due: everyone recorded has passed within that time.";
        return emit(
            args,
            (&heading, empty, &notes, store),
            (&table, cells),
            (&csv, csv_cells),
            &rows,
        );
    }
    if args.questions {
        let rows = store.question_analysis(filter)?;
        let prompts = prompts(store)?;
        let one_quiz = match rows.as_slice() {
            [first, rest @ ..] if rest.iter().all(|r| r.quiz == first.quiz) => {
                Some(first.quiz.clone())
            }
            _ => None,
        };
        let mut heading = String::new();
        if let Some(quiz) = &one_quiz {
            heading.push_str(&format!("Quiz: {quiz}\n"));
        }
        heading.push_str(&format!(
            "Questions, hardest first. Facility: the share of the points earned. Discrimination \
             (shown once a quiz has {} finished attempts): how much better the top 27% did on the \
             question than the bottom 27%.",
            analysis::MIN_FOR_DISCRIMINATION
        ));
        let all_columns = [
            Column::text("QUIZ"),
            Column::shrinking("QUESTION"),
            Column::number("ANSWERED"),
            Column::number("FACILITY"),
            Column::number("DISCRIMINATION"),
            Column::shrinking("MOST COMMON WRONG ANSWER"),
        ];
        // The quiz is said once, as a heading, when every row is of one quiz.
        let table: &[Column] = if one_quiz.is_some() {
            &all_columns[1..]
        } else {
            &all_columns
        };
        let cells = |r: &analysis::QuestionStats| {
            let question = match prompts.get(&(r.quiz.clone(), r.question.clone())) {
                Some(prompt) => format!("{}: {}", r.question, start_of(prompt)),
                None => r.question.clone(),
            };
            let mut cells = vec![
                r.quiz.clone(),
                question,
                r.answered.to_string(),
                format!("{}%", format_number(r.facility)),
                r.discrimination
                    .map_or("–".to_string(), |d| format!("{d:.2}")),
                r.common_wrong_answer.as_ref().map_or(String::new(), |a| {
                    format!("{a} ({}×)", r.common_wrong_count)
                }),
            ];
            if one_quiz.is_some() {
                cells.remove(0);
            }
            cells
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
        let empty = "No finished attempts match, so there is nothing to analyse.";
        return emit(
            args,
            (&heading, empty, &[], store),
            (table, cells),
            (&csv, csv_cells),
            &rows,
        );
    }
    let rows = analysis::trainee_rows(&records(filter)?);
    let other_text =
        |r: &analysis::TraineeRow| recognised.differs_from_bundled(&r.quiz, &r.bank_hash);
    // Only a report with such an attempt has the column that marks it.
    let marked = rows.iter().any(other_text);
    let table = [
        Column::shrinking("NAME"),
        Column::shrinking("QUIZ"),
        Column::text("DATE"),
        Column::number("SCORE"),
        Column::number("PERCENT"),
        Column::text("PASSED"),
        Column::number("TIME"),
        Column::number("ATTEMPTS"),
        Column::text("BANK"),
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
            if other_text(r) { OTHER_TEXT } else { "" }.to_string(),
        ]
    };
    let table = &table[..if marked { table.len() } else { table.len() - 1 }];
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
        Column::text("bank_version"),
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
            r.bank_version.clone(),
        ]
    };
    let notes: Vec<String> = if marked {
        vec![format!(
            "BANK {OTHER_TEXT}: taken on a bank whose text differs from the bundled quiz of the \
             same id, so the result is not one of the bundled quiz."
        )]
    } else {
        Vec::new()
    };
    emit(
        args,
        (
            "Each trainee's latest finished attempt of each quiz:",
            "No finished attempts match.",
            &notes,
            store,
        ),
        (table, cells),
        (&csv, csv_cells),
        &rows,
    )
}

/// The prompt of each question the report can name, by quiz and question id: from the bundled
/// quizzes and from every session's bank in the store. A bank taken from a file elsewhere is not
/// known here; its questions are named by id alone.
fn prompts(store: &dyn Store) -> Result<std::collections::HashMap<(String, String), String>> {
    let mut banks = catalog::bundled()?;
    for session in store.sessions()? {
        if let Ok(bank) = session.bank() {
            banks.push(bank);
        }
    }
    let mut prompts = std::collections::HashMap::new();
    for bank in banks {
        for q in bank.questions {
            prompts.insert((bank.quiz.id.clone(), q.id), q.prompt);
        }
    }
    Ok(prompts)
}

/// The first words of a prompt, enough to recognise the question by: at most about 50
/// characters, cut between words.
fn start_of(prompt: &str) -> String {
    const ABOUT: usize = 50;
    let words: Vec<&str> = prompt.split_whitespace().collect();
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        if !out.is_empty() && out.chars().count() + 1 + word.chars().count() > ABOUT {
            return format!("{out}…");
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// How the table marks a bundled quiz's id taken on some other text (in a BANK column, which
/// is never shortened to fit, so the mark is never cut off).
const OTHER_TEXT: &str = "other text";

/// Prints report rows as a table (with a heading, notes, and the store it read), CSV or JSON.
/// With CSV and JSON, which programs read, the notes are said on standard error instead.
fn emit<T: Serialize>(
    args: &ReportArgs,
    (heading, empty, notes, store): (&str, &str, &[String], &dyn Store),
    table: (&[Column], impl Fn(&T) -> Vec<String>),
    csv: (&[Column], impl Fn(&T) -> Vec<String>),
    rows: &[T],
) -> Result<Exit> {
    let mut out = io::stdout().lock();
    match args.format {
        Format::Json => {
            json::to_writer_pretty(&mut out, rows)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let cells: Vec<Vec<String>> = rows.iter().map(&csv.1).collect();
            if args.bom {
                out.write_all(table::UTF8_BOM.as_bytes())?;
            }
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
    match args.format {
        Format::Table => {
            for note in notes {
                writeln!(out, "{}", wrap(note, table::terminal_width()))?;
            }
            writeln!(out, "{}", store_line(store)?)?;
        }
        Format::Csv | Format::Json => notes.iter().for_each(messages::note),
    }
    Ok(Exit::Success)
}
