//! The one integration test binary: its modules are the areas of the tool a user meets.

mod support;

mod authoring;
mod browser;
mod bundled;
mod cli;
mod conformance;
mod gift_corpus;
mod gift_export;
mod integrity;
mod layers;
mod postgres;
mod records;
mod reliability;
mod reports;
mod robustness;
mod safety;
mod scripted;
mod sessions;
mod snapshots;
mod store;
mod strategies;
#[cfg(unix)]
mod terminal;
mod web;
