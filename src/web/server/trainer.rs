//! The trainer's side of a live session: the lines their terminal is told as trainees go
//! (`Progress`), the join address to print, the debrief page, and letting go of unfinished
//! attempts when the server stops (`Sittings`).

use std::net::SocketAddr;

use anyhow::Result;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::records::analysis::QuestionStats;
use crate::records::record::Record;
use crate::records::recorder::Recorder;
use crate::records::session::show_code;
use crate::records::store::{Filter, Store};
use crate::util::text::format_number;
use crate::web::guard;
use crate::web::pages;

use super::routes::not_found;
use super::state::{Shared, lock};

/// What the trainer's terminal is told as trainees go.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// A trainee joined; `at` is the question they start on (more than 1 when carrying on).
    Joined {
        name: String,
        at: usize,
        total: usize,
    },
    /// A trainee answered and is on question `at`.
    On {
        name: String,
        at: usize,
        total: usize,
    },
    /// A trainee finished; `score` as the result says it.
    Finished {
        name: String,
        score: String,
        passed: bool,
    },
    /// The store would not take a save.
    NotSaved { name: String, error: String },
}

impl Progress {
    /// The trainer's line for this event.
    pub fn line(&self) -> String {
        match self {
            Progress::Joined { name, at, total } if *at > 1 => {
                format!("{name}: rejoined, carrying on from question {at} of {total}")
            }
            Progress::Joined { name, total, .. } => {
                format!("{name}: joined, on question 1 of {total}")
            }
            Progress::On { name, at, total } => format!("{name}: on question {at} of {total}"),
            Progress::Finished {
                name,
                score,
                passed,
            } => format!(
                "{name}: finished. {score} {}",
                if *passed { "Passed." } else { "Not passed." }
            ),
            Progress::NotSaved { name, error } => {
                format!("{name}: NOT SAVED: {error}")
            }
        }
    }
}

/// The unfinished attempts a server holds (each trainee's sitting), to let go of when it stops.
pub struct Sittings(pub(super) Shared);

impl Sittings {
    /// Lets go of every unfinished attempt this server holds, so that each can be carried on at
    /// once elsewhere (in a terminal with `--resume`, or when the session is served again).
    /// Returns how many were let go of.
    pub async fn release(&self) -> Result<usize> {
        let held: Vec<Record> = lock(&self.0.trainees)
            .values()
            .filter(|t| t.finished.is_none())
            .map(|t| t.record.clone())
            .collect();
        self.0
            .keeper
            .call(move |store: &mut dyn Store| -> Result<usize> {
                let mut released = 0;
                for record in held {
                    Recorder::resuming(store, record).release()?;
                    released += 1;
                }
                Ok(released)
            })
            .await?
    }
}

pub(super) async fn debrief(State(s): State<Shared>, Path(token): Path<String>) -> Response {
    if !guard::same_secret(&token, &s.debrief_token) {
        return not_found(State(s)).await;
    }
    let code = s.session.code.clone();
    let scanned = s
        .keeper
        .call(
            move |store: &mut dyn Store| -> Result<(usize, Vec<QuestionStats>)> {
                let filter = Filter {
                    session: Some(code),
                    finished_only: true,
                    ..Filter::default()
                };
                let finished = store.summaries(&filter)?.len();
                Ok((finished, store.question_analysis(&filter)?))
            },
        )
        .await;
    let (finished, analysis) = match scanned {
        Ok(Ok(done)) => done,
        Ok(Err(e)) | Err(e) => {
            return s.notice(
                StatusCode::SERVICE_UNAVAILABLE,
                "The debrief cannot be shown",
                &format!("The results store could not be read: {e:#}"),
            );
        }
    };
    let rows: Vec<pages::DebriefRow> = analysis
        .into_iter()
        .map(|q| pages::DebriefRow {
            prompt: s
                .bank
                .questions
                .iter()
                .find(|b| b.id == q.question)
                .map_or(q.question.clone(), |b| b.prompt.clone()),
            answered: q.answered,
            facility: format!("{}%", format_number(q.facility)),
            common_wrong: q
                .common_wrong_answer
                .map(|a| format!("{a} ({})", q.common_wrong_count)),
        })
        .collect();
    let title = format!("Debrief: {}", s.session.title);
    s.page(
        StatusCode::OK,
        &title,
        pages::debrief(&s.session.title, finished, &rows),
    )
}

/// The join address to print and draw: the address served, with the session's code, so that a
/// scanned QR code fills the code in.
pub fn join_address(listening: SocketAddr, code: &str) -> String {
    format!("http://{listening}/?code={}", show_code(code))
}
