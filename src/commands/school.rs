//! The commands a school's trainer uses: sessions (new, list, close, the kiosk), reports, and
//! erasing a trainee's records. Each opens the store, does one thing, and says what it did.

use std::io::{self, IsTerminal, Write};

use anyhow::{Result, bail};
use serde::Serialize;

use super::{Exit, Quiz, ask_name, look, prompter, run_recorded, use_color};
use crate::bank::catalog;
use crate::cli::{Cli, Format, ReportArgs, RunArgs, SessionCommand};
use crate::engine::prompter::Stop;
use crate::records::analysis::{self, Analysis};
use crate::records::record::{clean_name, now};
use crate::records::session::{Session, new_code, parse_code, show_code};
use crate::records::store::{Filter, Location, Store};
use crate::util::table::{self, Column};
use crate::util::text::format_number;

/// The session with this code, if it can take a new attempt; otherwise a clear error.
pub(crate) fn open_session(store: &mut dyn Store, code: &str) -> Result<Session> {
    let code = parse_code(code)?;
    let Some(session) = store.session(&code)? else {
        bail!(
            "there is no session {} in the results store {}; check the code, or see \
             `sgquiz session list`",
            show_code(&code),
            store.location().display()
        );
    };
    if let Some(closed) = &session.closed {
        bail!(
            "the session {} (\"{}\") was closed on {}, so it takes no new attempts; please ask \
             your trainer for the code of a current session",
            show_code(&code),
            session.title,
            day(closed)
        );
    }
    Ok(session)
}

pub fn session(cli: &Cli, action: &SessionCommand) -> Result<Exit> {
    let location = Location::choose(cli.store.as_deref())?;
    match action {
        SessionCommand::New {
            quiz,
            title,
            pass_mark,
            review_at_end,
        } => {
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            if title.is_empty() {
                bail!("give the session a title, such as --title \"INSET day, September\"");
            }
            if let Some(mark) = pass_mark
                && !(0.0..=100.0).contains(mark)
            {
                bail!("--pass-mark must be a percentage from 0 to 100");
            }
            let source = catalog::find_source(quiz)?;
            let bank = source.load()?;
            let mut store = location.open()?;
            let mut code = new_code();
            for _ in 0..20 {
                if store.session(&code)?.is_none() {
                    break;
                }
                code = new_code();
            }
            let session = Session {
                code: code.clone(),
                title: crate::util::text::sanitize(&title),
                quiz: bank.quiz.id.clone(),
                bank_file: source.file.clone(),
                bank_text: source.text.clone(),
                bank_hash: source.hash(),
                pass_mark: *pass_mark,
                review_at_end: *review_at_end,
                created: now(),
                closed: None,
            };
            store.add_session(&session)?;
            let shown = show_code(&code);
            let mark = pass_mark.unwrap_or(bank.quiz.pass_mark);
            writeln!(io::stdout(), "Session code: {shown}")?;
            writeln!(
                io::stdout(),
                "\"{}\": {} ({} questions, pass mark {}%{}).",
                session.title,
                bank.quiz.title,
                bank.questions.len(),
                format_number(mark),
                if *review_at_end {
                    ", answers reviewed at the end"
                } else {
                    ""
                }
            )?;
            writeln!(
                io::stdout(),
                "Each trainee joins with:   sgquiz run --session {shown}"
            )?;
            writeln!(
                io::stdout(),
                "On one shared machine:     sgquiz session kiosk {shown}"
            )?;
            writeln!(
                io::stdout(),
                "Results afterwards:        sgquiz report --session {shown}"
            )?;
            Ok(Exit::Success)
        }
        SessionCommand::List => {
            if !location.exists() {
                writeln!(io::stdout(), "There are no sessions yet.")?;
                return Ok(Exit::Success);
            }
            let store = location.open()?;
            let sessions = store.sessions()?;
            if sessions.is_empty() {
                writeln!(io::stdout(), "There are no sessions yet.")?;
                return Ok(Exit::Success);
            }
            let columns = [
                Column::text("CODE"),
                Column::shrinking("TITLE"),
                Column::text("QUIZ"),
                Column::text("CREATED"),
                Column::text("STATUS"),
                Column::number("FINISHED ATTEMPTS"),
            ];
            let mut rows = Vec::new();
            for s in &sessions {
                let filter = Filter {
                    session: Some(s.code.clone()),
                    finished_only: true,
                    ..Filter::default()
                };
                let finished = store.summaries(&filter)?.len();
                rows.push(vec![
                    show_code(&s.code),
                    s.title.clone(),
                    s.quiz.clone(),
                    day(&s.created),
                    match &s.closed {
                        Some(c) => format!("closed {}", day(c)),
                        None => "open".to_string(),
                    },
                    finished.to_string(),
                ]);
            }
            write!(
                io::stdout(),
                "{}",
                table::render(&columns, &rows, table::terminal_width())
            )?;
            Ok(Exit::Success)
        }
        SessionCommand::Close { code } => {
            let code = parse_code(code)?;
            let mut store = location.open_existing()?;
            if !store.close_session(&code, &now())? {
                bail!(
                    "there is no session {} in the results store {}",
                    show_code(&code),
                    store.location().display()
                );
            }
            writeln!(
                io::stdout(),
                "Session {} is closed: it takes no new attempts. Its records are kept.",
                show_code(&code)
            )?;
            Ok(Exit::Success)
        }
        SessionCommand::Kiosk { code } => kiosk(cli, &location, code),
    }
}

/// One shared machine, one trainee after another. Between trainees the front end takes the last
/// one's answers off the screen. Ends when no name is given (Esc, or input ending).
fn kiosk(cli: &Cli, location: &Location, code: &str) -> Result<Exit> {
    let mut store = location.open_existing()?;
    let session = open_session(store.as_mut(), code)?;
    let quiz = Quiz::of_session(&session)?;
    let color = use_color(cli.color, io::stdout().is_terminal());
    let mut prompter = prompter(cli, color);
    let look = look(cli, color);
    let args = RunArgs {
        review_at_end: session.review_at_end,
        ..RunArgs::default()
    };
    let mut out = io::stdout();
    loop {
        // A session closed while the kiosk runs takes no more attempts.
        if !store.session(&session.code)?.is_some_and(|s| s.is_open()) {
            writeln!(
                out,
                "\nThis session has been closed, so the kiosk stops here."
            )?;
            break;
        }
        let welcome = "Welcome. Please give your name, then take the quiz. When you have read \
                       your result, the screen is cleared for the next person.";
        writeln!(
            out,
            "\n{}\n{}\n",
            look.style.heading(&session.title),
            look.width
                .map_or(welcome.to_string(), |w| crate::util::text::wrap(welcome, w))
        )?;
        let name = match ask_name(prompter.as_mut(), &mut out)? {
            Ok(name) => name,
            Err(Stop::Io(e)) => return Err(e.into()),
            Err(_) => break,
        };
        match run_recorded(
            cli,
            &quiz,
            &args,
            &name,
            prompter.as_mut(),
            look,
            store.as_mut(),
        )? {
            Exit::InputEnded => return Ok(Exit::InputEnded),
            Exit::Success | Exit::Stopped | Exit::Failure => {}
        }
        match prompter.hand_over(&mut out) {
            Ok(()) => {}
            Err(Stop::Io(e)) => return Err(e.into()),
            Err(_) => break,
        }
    }
    writeln!(
        out,
        "\nThe kiosk has closed. See the results with: sgquiz report --session {}",
        show_code(&session.code)
    )?;
    Ok(Exit::Success)
}

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
            crate::front::transcript::duration(std::time::Duration::from_secs(r.duration_seconds)),
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

pub fn forget(cli: &Cli, name: &str, yes: bool) -> Result<Exit> {
    let name = clean_name(name).map_err(anyhow::Error::msg)?;
    let location = Location::choose(cli.store.as_deref())?;
    if !location.exists() {
        writeln!(
            io::stdout(),
            "There are no records of {name}: nothing has been recorded yet."
        )?;
        return Ok(Exit::Success);
    }
    let mut store = location.open()?;
    let filter = Filter {
        name: Some(name.clone()),
        ..Filter::default()
    };
    let n = store.summaries(&filter)?.len();
    if n == 0 {
        writeln!(io::stdout(), "There are no records of {name}.")?;
        return Ok(Exit::Success);
    }
    let records = if n == 1 { "record" } else { "records" };
    if !yes {
        let mut prompter = prompter(cli, use_color(cli.color, io::stdout().is_terminal()));
        let question = format!("Erase all {n} {records} of {name}? This cannot be undone.");
        match prompter.confirm(&question, &mut io::stdout()) {
            Ok(true) => {}
            Ok(false) => {
                writeln!(io::stdout(), "Nothing was erased.")?;
                return Ok(Exit::Success);
            }
            Err(Stop::Io(e)) => return Err(e.into()),
            Err(Stop::Cancelled) => {
                writeln!(io::stdout(), "Nothing was erased.")?;
                return Ok(Exit::Stopped);
            }
            Err(Stop::InputEnded) => {
                eprintln!("sgquiz: input ended before an answer was given; nothing was erased.");
                return Ok(Exit::InputEnded);
            }
        }
    }
    let gone = store.forget(&name)?;
    let records = if gone == 1 { "record" } else { "records" };
    writeln!(io::stdout(), "Erased {gone} {records} of {name}.")?;
    Ok(Exit::Success)
}

/// The date part of a record's time.
fn day(time: &str) -> String {
    time.get(..10).unwrap_or(time).to_string()
}
