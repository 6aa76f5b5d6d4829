//! The live session's state and routes. A trainee joins with the session's code and a name, is
//! given an unguessable token in a cookie, and takes the quiz one question per page: every page
//! is a GET, every answer a POST that redirects (so a reload or the back button never answers
//! twice). The attempt is recorded through the `Recorder` on the store's own thread (`keeper`),
//! saved when the trainee starts, after every answer, and with its score at the end.
//!
//! `state` holds what is served and each trainee's sitting, `routes` the router and the headers
//! every response carries, `joining` the opening page and starting an attempt, `taking` the
//! questions, answers, feedback and result, and `trainer` the trainer's lines, the debrief and
//! letting go of unfinished attempts.

mod joining;
mod routes;
mod state;
mod taking;
mod trainer;

pub use routes::app;
pub use state::{App, Config, Resumer};
pub use trainer::{Progress, Sittings, join_address};

#[cfg(test)]
mod tests;
