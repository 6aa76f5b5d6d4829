//! What is kept of training: an attempt's `Record`, the `Recorder` that keeps it in step with
//! the quiz, sessions, the analysis behind reports, and the results store.
//!
//! May import: `engine`, `bank`, `util`. Only `store` touches SQLite or writes record files.

pub mod analysis;
pub mod record;
pub mod recorder;
pub mod session;
pub mod store;
