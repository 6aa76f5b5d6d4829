//! The one integration test binary: its modules are the areas of the tool a user meets.

mod support;

mod authoring;
mod bundled;
mod cli;
mod robustness;
mod scripted;
#[cfg(unix)]
mod terminal;
