//! The routes of a live session and the headers every response carries (a strict content
//! security policy, no framing, no sniffing, no referrer, nothing cached unless said), with the
//! stylesheet and the page for an address that is not there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Result;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::engine::plan::Settings;
use crate::records::store;
use crate::web::guard::{self, JoinLimit, MAX_BODY};
use crate::web::keeper::Keeper;
use crate::web::pages;

use super::joining::{join, opening};
use super::state::{App, Config, Served, Shared};
use super::taking::{answer, feedback, question, result};
use super::trainer::{Sittings, debrief};

/// Builds the server for a session. The store is opened on a thread of its own, which ends
/// once the returned `App`'s router is dropped.
pub fn app(config: Config, location: store::Location) -> Result<App> {
    let (keeper, _thread) = Keeper::start(location)?;
    let debrief_token = guard::token();
    let settings = Settings {
        review_at_end: config.session.review_at_end,
        ..Settings::default()
    };
    let served = Arc::new(Served {
        session: config.session,
        bank: Arc::new(config.bank),
        settings,
        keeper,
        resumer: config.resumer,
        progress: config.progress,
        trainees: Mutex::new(HashMap::new()),
        joins: JoinLimit::new(config.joins_per_minute, Duration::from_secs(60)),
        debrief_token: debrief_token.clone(),
        names: config.names,
    });
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    let router = Router::new()
        .route("/", get(opening))
        .route("/join", post(join))
        .route("/question", get(question))
        .route("/answer", post(answer))
        .route("/feedback", get(feedback))
        .route("/result", get(result))
        .route("/debrief/{token}", get(debrief))
        .route("/style.css", get(stylesheet))
        .route("/static/debrief.js", get(debrief_script))
        .fallback(not_found)
        .with_state(served.clone())
        .layer(from_fn_with_state(served.clone(), check_host))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(header(
            CONTENT_SECURITY_POLICY,
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ))
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(REFERRER_POLICY, "no-referrer"))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        .layer(SetResponseHeaderLayer::if_not_present(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    Ok(App {
        router,
        debrief_path: format!("/debrief/{debrief_token}"),
        sittings: Sittings(served),
    })
}

/// Refuses a request for any name but this server's own (`guard::host_allowed`), before it
/// reaches a page: a plain refusal, not the quiz.
async fn check_host(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let allowed = |h: &str| guard::host_allowed(h, &s.names);
    let mut hosts = req.headers().get_all(HOST).iter();
    let host_ok = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().is_ok_and(allowed),
        _ => false,
    };
    if host_ok && req.uri().authority().is_none_or(|a| allowed(a.as_str())) {
        return next.run(req).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        "This server answers only to its own address. Open the address your trainer shows.\n",
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "max-age=3600"),
        ],
        pages::STYLESHEET,
    )
        .into_response()
}

async fn debrief_script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "max-age=3600"),
        ],
        pages::DEBRIEF_SCRIPT,
    )
        .into_response()
}

pub(super) async fn not_found(State(s): State<Shared>) -> Response {
    s.notice(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address.",
    )
}
