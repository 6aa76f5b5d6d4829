//! What a trainee sees and types: the quiz loop (`take`), every sentence around the questions
//! (`transcript`), the interactive front end on inquire, the plain line-based one, colour, and
//! putting the terminal back when the program is ended by a signal (`signals`).
//!
//! May import: `engine`, `bank`, `util`. The only layer that imports inquire, crossterm or
//! colored.

pub mod interactive;
pub mod plain;
pub mod signals;
pub mod style;
pub mod take;
pub mod transcript;
