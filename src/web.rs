//! The browser front end for a live session (`sgquiz session serve`): a room of staff take the
//! session's quiz on their own phones and laptops, in plain HTML forms that work without
//! JavaScript. The words are the transcript's (`front::transcript`), the marking is the engine's,
//! and every attempt is recorded through the records layer's `Recorder`, exactly as
//! `sgquiz run --session` records it.
//!
//! `server` holds the state and the routes, `pages` the HTML (maud, which escapes everything it
//! is given), `answer` reads a question's form into an `Answer` through the plain front end's
//! parser, `guard` the tokens, cookies and limits, and `keeper` the thread that owns the store.
//!
//! May import: `front`, `records`, `engine`, `bank`, `util`. The only layer that imports axum,
//! tokio or maud.

pub mod answer;
pub mod guard;
pub mod keeper;
pub mod pages;
pub mod server;

pub use server::{App, Config, Progress};
