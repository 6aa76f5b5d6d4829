//! What a trainee sees and types: the quiz loop (`take`), every sentence around the questions
//! (`transcript`), the interactive front end on inquire, the plain line-based one, and colour.
//!
//! May import: `engine`, `bank`, `util`. The only layer that imports inquire or colored.

pub mod interactive;
pub mod plain;
pub mod style;
pub mod take;
pub mod transcript;
