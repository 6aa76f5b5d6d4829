//! Small helpers every layer may use: text (sanitising, wrapping, normalising, numbers), tables
//! and CSV, and spelling suggestions.
//!
//! May import: nothing of this crate.

pub mod suggest;
pub mod table;
pub mod text;
