//! The fallback for a finished attempt the store will not take: it is written to a file of its
//! own (or, failing that, printed), so that it is never lost.

use anyhow::Result;

use super::super::{Exit, messages};
use crate::records::record::Record;
use crate::records::store;

/// The store would not take a finished attempt: keep it in a file of its own, say so, and fail.
pub(super) fn keep_unsaved(record: &Record, quiz: &str, error: anyhow::Error) -> Result<Exit> {
    messages::line("");
    messages::error(format_args!(
        "the result of {quiz} could not be saved to the results store: {error:#}"
    ));
    match store::write_fallback(record) {
        Ok(path) => messages::line(format_args!(
            "Nothing is lost: the whole result was written to {} instead. Please keep that file \
             and give it to whoever looks after your training records.",
            path.display()
        )),
        Err(e) => {
            messages::line(format_args!(
                "It could not be written to a file either ({e:#}). Here it is, so that it is not \
                 lost; please copy it and give it to whoever looks after your training records:"
            ));
            messages::line(serde_json::to_string_pretty(record)?);
        }
    }
    Ok(Exit::Failure)
}
