//! Small helpers every layer may use: text (sanitising, wrapping, normalising, numbers), tables
//! and CSV, spelling suggestions, JSON that escapes what could fool a terminal, and files read
//! with a bound and written whole.
//!
//! May import: nothing of this crate.

pub mod files;
pub mod json;
pub mod suggest;
pub mod table;
pub mod text;
