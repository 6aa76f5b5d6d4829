//! The `Observer` of an attempt: told when the trainee starts and after each answer is marked.
//! The quiz loop calls it; the recorder implements it to save progress, so that the engine
//! knows the store only through this trait.

use std::time::Duration;

use crate::engine::attempt::{Attempt, Scorecard};
use crate::engine::marking::Answer;

/// Hears of an attempt's progress. Its methods cannot fail the quiz: an observer that cannot do
/// its work keeps the error to say so later.
pub trait Observer {
    /// The trainee has read the opening screen and is starting (or carrying on).
    fn started(&mut self, _attempt: &Attempt) {}

    /// An answer has just been marked; `elapsed` counts every sitting of the attempt.
    fn answered(&mut self, _attempt: &Attempt, _answer: &Answer, _elapsed: Duration) {}

    /// The last answer is marked and the attempt scored; called before the result is shown, so
    /// that a result is kept even if showing it fails.
    fn finished(&mut self, _scorecard: &Scorecard) {}

    /// Whether the attempt must end now, unfinished: the observer can no longer do its work and
    /// carrying on would mislead (a recorder whose attempt was taken over or erased).
    fn halted(&self) -> bool {
        false
    }
}

/// Observes nothing.
pub struct Unobserved;

impl Observer for Unobserved {}
