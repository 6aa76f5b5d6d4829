//! The state a live session is served from: what the command gives (`Config`), what it gets
//! back (`App`), each trainee's sitting (`Trainee`) and the shared state the handlers are given
//! (`Served`), with the small helpers every handler uses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use axum::Router;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;

use crate::bank::Bank;
use crate::engine::attempt::Resume;
use crate::engine::marking::Answer;
use crate::engine::plan::{Plan, Settings};
use crate::front::style::Style;
use crate::front::transcript::Look;
use crate::records::record::Record;
use crate::records::session::Session;
use crate::records::store::Store;
use crate::web::guard::JoinLimit;
use crate::web::keeper::Keeper;
use crate::web::pages::{self, Frame};

use super::trainer::{Progress, Sittings};

/// Finds a trainee's unfinished attempt of this session to carry on with: its record, the same
/// plan, and its answers so far; `None` to start afresh. Given by the command, which owns the
/// rules for resuming, so that the browser carries on exactly as `sgquiz run --resume` does.
pub type Resumer =
    Arc<dyn Fn(&mut dyn Store, &str) -> Result<Option<(Record, Plan, Resume)>> + Send + Sync>;

/// What a live session is served from.
pub struct Config {
    pub session: Session,
    pub bank: Bank,
    pub resumer: Resumer,
    pub progress: Arc<dyn Fn(Progress) + Send + Sync>,
    /// Joins allowed from one client address per minute.
    pub joins_per_minute: usize,
    /// The names this computer answers to (its host name, and that name with `.local`); pages
    /// are served for these, `localhost` and IP addresses only.
    pub names: Vec<String>,
}

/// A served session: the routes, the debrief page's address, and the attempts it holds.
pub struct App {
    pub router: Router,
    /// The debrief page's path, with its own random token; printed only for the trainer.
    pub debrief_path: String,
    pub sittings: Sittings,
}

pub(super) struct Trainee {
    pub(super) name: String,
    pub(super) csrf: String,
    /// The attempt as last saved (or as it would have been, if a save failed).
    pub(super) record: Record,
    pub(super) plan: Plan,
    pub(super) answers: Vec<Answer>,
    /// Time spent in earlier sittings, and when this one began.
    pub(super) earlier: Duration,
    pub(super) since: Instant,
    /// Said once, above the next question: welcome back, or the answer saved.
    pub(super) note: Option<String>,
    /// A refused answer, said above the question it was for.
    pub(super) error: Option<String>,
    /// The time taken, once finished; and whether the finished attempt is in the store.
    pub(super) finished: Option<(Duration, bool)>,
}

pub(super) struct Served {
    pub(super) session: Session,
    pub(super) bank: Arc<Bank>,
    pub(super) settings: Settings,
    pub(super) keeper: Keeper,
    pub(super) resumer: Resumer,
    pub(super) progress: Arc<dyn Fn(Progress) + Send + Sync>,
    pub(super) trainees: Mutex<HashMap<String, Trainee>>,
    pub(super) joins: JoinLimit,
    pub(super) debrief_token: String,
    pub(super) names: Vec<String>,
}

pub(super) type Shared = Arc<Served>;

impl Served {
    pub(super) fn frame<'a>(&'a self, title: &'a str) -> Frame<'a> {
        Frame {
            title,
            session: &self.session.title,
            support: &self.bank.quiz.support,
        }
    }

    pub(super) fn page(&self, status: StatusCode, title: &str, main: Markup) -> Response {
        let html = pages::page(&self.frame(title), main).into_string();
        (status, Html(html)).into_response()
    }

    pub(super) fn notice(&self, status: StatusCode, heading: &str, text: &str) -> Response {
        let main = pages::notice(heading, text, Some(("/", "Go to the start")));
        self.page(status, heading, main)
    }

    pub(super) fn total(&self, t: &Trainee) -> usize {
        t.plan.asked.len()
    }
}

/// How the transcript's words are laid out for a page: the browser wraps them, and a verdict keeps
/// its symbol beside its word, as on screen in the terminal.
pub(super) const LOOK: Look = Look {
    style: Style::plain(),
    width: None,
    plain: false,
    height: None,
};

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(super) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_string())]).into_response()
}

/// The submitted form's fields, in order (a field may repeat, as checkboxes do).
pub(super) fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

pub(super) fn value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
