//! The trainers' tools for bank files: checking files and folders, the JSON Schema, Moodle GIFT
//! export and import, the printable handout, and the starter bank `sgquiz new` writes.
//!
//! May import: `bank`, `engine` (the handout lays sheets out with a `Plan`), `util`.

pub mod check;
pub mod gift;
pub mod handout;
pub mod schema;

/// The bank `sgquiz new` writes: one commented example of every question type.
pub const STARTER_BANK: &str = include_str!("authoring/starter.toml");

/// The setting file `sgquiz setting init` writes: every contact key, commented, to fill in.
pub const SETTING_TEMPLATE: &str = include_str!("authoring/setting.toml");
