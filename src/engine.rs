//! The quiz engine, pure: a seeded random number generator, the plan (which questions, in what
//! order, laid out how), marking one answer (data, no sentences), the attempt with its totals,
//! the observer of an attempt's progress, and the `Prompter` seam a front end implements.
//!
//! May import: `bank`, `util`. Never a terminal, a file or a database: no standard input or
//! output, no colour, no inquire, no SQLite (`tests/layers.rs` checks this).

pub mod attempt;
pub mod marking;
pub mod observer;
pub mod plan;
pub mod prompter;
pub mod rng;
