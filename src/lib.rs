//! sgquiz: safeguarding training quizzes for the terminal.
//!
//! This file is the table of contents and nothing else. Each folder is a layer, and a layer
//! imports only the layers to its right:
//!
//! ```text
//! commands  →  front, authoring, records  →  engine  →  bank  →  util
//! ```
//!
//! `tests/layers.rs` checks the arrows, and that the engine and the bank never touch a terminal
//! or a database. ARCHITECTURE.md has the map and the data flow.

pub mod authoring;
pub mod bank;
pub mod cli;
pub mod commands;
pub mod engine;
pub mod front;
pub mod records;
pub mod util;

pub use commands::{Exit, run};
