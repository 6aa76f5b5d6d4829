//! `sgquiz session`: make, list and close training sessions, and run one on a shared machine
//! (the kiosk), one trainee after another, or in the browser (`serve`).

use std::io::{self, Write};

use anyhow::{Result, bail};

use super::run::{Quiz, Recording, RunOptions, ask_name, shell_quote, take_quiz};
use super::terminal::Terminal;
use super::{Exit, day, messages};
use crate::bank::catalog;
use crate::cli::{Cli, SessionCommand};
use crate::engine::plan::Settings;
use crate::engine::prompter::Stop;
use crate::front::{signals, transcript};
use crate::records::record::now;
use crate::records::session::{Session, new_code, parse_code, show_code};
use crate::records::store::{Filter, Location, Store};
use crate::util::table::{self, Column};
use crate::util::text::{MAX_TYPED_CHARS, format_count, format_number};

/// The session with this code, if it can take a new attempt; otherwise a clear error.
pub fn open_session(store: &mut dyn Store, code: &str) -> Result<Session> {
    let code = parse_code(code)?;
    let Some(session) = store.session(&code)? else {
        bail!(
            "there is no session {} in the results store {}; check the code, or see \
             `sgquiz session list`",
            show_code(&code),
            store.location()
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

/// `sgquiz session new | list | close | kiosk`.
pub fn session(cli: &Cli, term: &Terminal, action: &SessionCommand) -> Result<Exit> {
    let location = Location::choose(cli.store.as_deref())?;
    match action {
        SessionCommand::New {
            quiz,
            title,
            pass_mark,
            review_at_end,
            group_shared,
        } => {
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            if title.is_empty() {
                bail!("give the session a title, such as --title \"INSET day, September\"");
            }
            if title.chars().count() > MAX_TYPED_CHARS {
                bail!(
                    "the session title is longer than {} characters; give a shorter one",
                    format_count(MAX_TYPED_CHARS)
                );
            }
            if let Some(mark) = pass_mark
                && !(0.0..=100.0).contains(mark)
            {
                bail!("--pass-mark must be a percentage from 0 to 100");
            }
            let source = catalog::find_source(quiz)?;
            let bank = source.load()?;
            let mut store = if *group_shared {
                location.open_for_group()?
            } else {
                location.open()?
            };
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
            // The lines below are to be copied to other machines, where this one's current
            // folder and SGQUIZ_STORE mean nothing: a store named here is named there, in full.
            let store_arg = store_argument(cli)?;
            let mark = pass_mark.unwrap_or(bank.quiz.pass_mark);
            writeln!(io::stdout(), "Session code: {}", show_code(&code))?;
            let shown = format!("{}{store_arg}", show_code(&code));
            writeln!(
                io::stdout(),
                "\"{}\": {} ({} question{}, pass mark {}%{}).",
                session.title,
                bank.quiz.title,
                bank.questions.len(),
                if bank.questions.len() == 1 { "" } else { "s" },
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
            let store = location.open_to_read()?;
            let sessions = store.sessions()?;
            if sessions.is_empty() {
                writeln!(io::stdout(), "There are no sessions yet.")?;
                writeln!(
                    io::stdout(),
                    "{}",
                    super::report::store_line(store.as_ref())?
                )?;
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
            writeln!(
                io::stdout(),
                "{}",
                super::report::store_line(store.as_ref())?
            )?;
            for warning in store.warnings() {
                messages::warning(warning);
            }
            Ok(Exit::Success)
        }
        SessionCommand::Close { code } => {
            let code = parse_code(code)?;
            let mut store = location.open_existing()?;
            if !store.close_session(&code, &now())? {
                bail!(
                    "there is no session {} in the results store {}",
                    show_code(&code),
                    store.location()
                );
            }
            writeln!(
                io::stdout(),
                "Session {} is closed: it takes no new attempts. Its records are kept.",
                show_code(&code)
            )?;
            Ok(Exit::Success)
        }
        SessionCommand::Kiosk { code } => {
            let store_arg = store_argument(cli)?;
            kiosk(cli, term, &location, code, &store_arg)
        }
        SessionCommand::Serve {
            code,
            listen,
            hosts,
        } => super::serve::serve(cli, *term, &location, code, *listen, hosts),
    }
}

/// ` --store PATH`, with the path in full, when the store was named (by --store or
/// SGQUIZ_STORE); nothing for the default store, which is every machine's own. For the
/// commands sgquiz prints for someone to type: a session's join line, the hint on resuming.
pub(super) fn store_argument(cli: &Cli) -> Result<String> {
    Ok(match Location::given(cli.store.as_deref())? {
        Some(path) => format!(" --store {}", shell_quote(&Location::of(&path).shareable())),
        None => String::new(),
    })
}

/// One shared machine, one trainee after another. Between trainees the front end takes the last
/// one's answers off the screen. Ends when no name is given (Esc, or input ending).
fn kiosk(
    cli: &Cli,
    term: &Terminal,
    location: &Location,
    code: &str,
    store_arg: &str,
) -> Result<Exit> {
    let mut store = location.open_existing()?;
    let session = open_session(store.as_mut(), code)?;
    let quiz = Quiz::of_session(&session, super::setting::chosen(cli)?.as_ref())?;
    let color = term.stdout_color();
    let mut prompter = term.prompter(color);
    // Ended by a signal, the kiosk still takes the last trainee's answers off the screen.
    signals::clear_screen_on_exit(true);
    let look = term.look(color);
    let options = RunOptions {
        settings: Settings {
            review_at_end: session.review_at_end,
            ..Settings::default()
        },
        ..RunOptions::default()
    };
    let mut out = io::stdout();
    loop {
        // A session closed while the kiosk runs takes no more attempts.
        if !store.session(&session.code)?.is_some_and(|s| s.is_open()) {
            write!(out, "{}", transcript::kiosk_session_closed())?;
            break;
        }
        write!(out, "{}", transcript::kiosk_welcome(&session.title, &look))?;
        let name = match ask_name(prompter.as_mut(), &mut out, term.typed())? {
            Ok(name) => name,
            Err(Stop::Io(e)) => return Err(e.into()),
            Err(_) => break,
        };
        let recording = Recording {
            quiz: &quiz,
            name: &name,
            store: store.as_mut(),
            kiosk: true,
        };
        match take_quiz(
            term,
            &quiz.bank,
            &options,
            prompter.as_mut(),
            look,
            Some(recording),
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
    write!(
        out,
        "{}",
        transcript::kiosk_closed(&format!("{}{store_arg}", show_code(&session.code)))
    )?;
    Ok(Exit::Success)
}
