//! A trainee joining a live session: the opening page and its form, the checks on the code and
//! the name, and starting (or carrying on with) their attempt, saved on the store's thread as
//! the terminal saves it; with the checks on a trainee's cookie and form that the quiz pages share.

use std::net::SocketAddr;
use std::time::Instant;

use anyhow::Result;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;

use crate::engine::attempt::Resume;
use crate::engine::observer::Observer;
use crate::engine::plan::Plan;
use crate::engine::rng::Rng;
use crate::front::transcript;
use crate::records::record::{self, Record, clean_name, same_name};
use crate::records::recorder::Recorder;
use crate::records::session::parse_code;
use crate::records::store::Store;
use crate::web::guard::{self, JOIN_COOKIE, TRAINEE_COOKIE};
use crate::web::pages;

use super::state::{LOOK, Served, Shared, Trainee, fields, lock, see_other, value};
use super::taking::replayed;
use super::trainer::Progress;

/// The opening page: the quiz, the content note, and the form to join.
pub(super) async fn opening(State(s): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let code = uri
        .query()
        .map(|q| fields(q.as_bytes()))
        .and_then(|f| value(&f, "code").map(str::to_string))
        .unwrap_or_default();
    let csrf = guard::cookie(&headers, JOIN_COOKIE).filter(|c| c.len() == 64);
    let fresh = csrf.is_none();
    let csrf = csrf.unwrap_or_else(guard::token);
    let mut response = opening_page(&s, StatusCode::OK, &code, "", &csrf, None);
    if fresh {
        set_cookie(&mut response, JOIN_COOKIE, &csrf);
    }
    response
}

pub(super) fn opening_page(
    s: &Served,
    status: StatusCode,
    code: &str,
    name: &str,
    csrf: &str,
    error: Option<(&str, String)>,
) -> Response {
    // A session asks every question of its bank.
    let o = transcript::opening(&s.bank, s.bank.questions.len(), &LOOK);
    let join = pages::Join {
        code,
        name,
        csrf,
        error,
    };
    let title = if join.error.is_some() {
        format!("Error: {}", o.title)
    } else {
        o.title.clone()
    };
    s.page(status, &title, pages::opening(&o, &join))
}

fn set_cookie(response: &mut Response, name: &str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(&guard::set_cookie(name, value)) {
        response.headers_mut().append(SET_COOKIE, v);
    }
}

pub(super) async fn join(
    State(s): State<Shared>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let f = fields(&body);
    let csrf = value(&f, "csrf").unwrap_or_default();
    let code = value(&f, "code").unwrap_or_default();
    let typed_name = value(&f, "name").unwrap_or_default();
    let Some(expected) = guard::cookie(&headers, JOIN_COOKIE) else {
        return form_expired(&s);
    };
    if !guard::same_secret(csrf, &expected) {
        return form_expired(&s);
    }
    if !s.joins.allow(from.ip()) {
        return s.notice(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many tries",
            "There have been too many tries to join from this device. Please wait a minute, \
             then try again.",
        );
    }
    let refuse = |field: &str, why: String| {
        opening_page(
            &s,
            StatusCode::BAD_REQUEST,
            code,
            typed_name,
            &expected,
            Some((field, why)),
        )
    };
    match parse_code(code) {
        Ok(c) if c == s.session.code => {}
        _ => {
            return refuse(
                "code",
                "That is not this session's code. Check the code your trainer shows.".to_string(),
            );
        }
    }
    let name = match clean_name(typed_name) {
        Ok(name) => name,
        Err(why) => {
            let mut why = transcript::name_refused(&why).trim().to_string();
            why = why.replace(" Please try again.", ".");
            return refuse("name", why);
        }
    };
    match start(&s, &name).await {
        Ok(token) => {
            let mut response = see_other("/question");
            set_cookie(&mut response, TRAINEE_COOKIE, &token);
            response
        }
        Err(Refused::Closed) => s.notice(
            StatusCode::FORBIDDEN,
            "This session is closed",
            "This session takes no new attempts. Please ask your trainer for the code of a \
             current session.",
        ),
        Err(Refused::Store(e)) => s.notice(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sorry, the quiz cannot start",
            &format!("The results store could not be used: {e}. Please tell your trainer."),
        ),
    }
}

enum Refused {
    Closed,
    Store(String),
}

/// Starts (or carries on with) the named trainee's attempt and gives their new token.
async fn start(s: &Shared, name: &str) -> Result<String, Refused> {
    let total_of = |t: &Trainee| t.plan.asked.len();
    // A trainee already here under this name (another device, a closed tab) carries on.
    let here = {
        let mut trainees = lock(&s.trainees);
        let old = trainees
            .iter()
            .find(|(_, t)| same_name(&t.name, name) && t.finished.is_none())
            .map(|(k, _)| k.clone());
        old.and_then(|k| trainees.remove(&k))
    };
    let mut trainee = match here {
        Some(mut t) => {
            t.note = Some(
                transcript::welcome_back(t.answers.len(), total_of(&t))
                    .trim()
                    .to_string(),
            );
            t
        }
        None => {
            let code = s.session.code.clone();
            let bank = s.bank.clone();
            let resumer = s.resumer.clone();
            let settings = s.settings.clone();
            let hash = s.session.bank_hash.clone();
            let name = name.to_string();
            // The attempt to carry on (claimed for this server's sitting), or a new one; saved
            // as the trainee starts, as the terminal saves it.
            let started = s
                .keeper
                .call(
                    move |store: &mut dyn Store| -> Result<Option<(Record, Plan, Resume)>> {
                        if !store.session(&code)?.is_some_and(|x| x.is_open()) {
                            return Ok(None);
                        }
                        let (record, plan, earlier, carried) = match resumer(store, &name)? {
                            Some((record, plan, earlier)) => (record, plan, earlier, true),
                            None => {
                                let seed = Rng::fresh_seed();
                                let plan = Plan::new(&bank, &settings.plan_options(seed))?;
                                let record = Record::start(
                                    record::Start {
                                        bank: &bank,
                                        bank_hash: hash,
                                        name,
                                        session: Some(code),
                                        seed,
                                        settings,
                                    },
                                    &plan,
                                );
                                (record, plan, Resume::default(), false)
                            }
                        };
                        let attempt = replayed(&bank, plan.clone(), &earlier.answers);
                        let mut recorder = if carried {
                            Recorder::resuming(store, record)
                        } else {
                            Recorder::new(store, record)
                        };
                        recorder.started(&attempt);
                        if let Some(e) = recorder.error.take() {
                            return Err(e);
                        }
                        if let Some(refusal) = recorder.refused.take() {
                            return Err(refusal.into());
                        }
                        Ok(Some((recorder.record().clone(), plan, earlier)))
                    },
                )
                .await;
            let (record, plan, earlier) = match started {
                Ok(Ok(Some(found))) => found,
                Ok(Ok(None)) => return Err(Refused::Closed),
                Ok(Err(e)) | Err(e) => return Err(Refused::Store(format!("{e:#}"))),
            };
            let note = if !earlier.answers.is_empty() {
                Some(
                    transcript::welcome_back(earlier.answers.len(), plan.asked.len())
                        .trim()
                        .to_string(),
                )
            } else if record.settings.review_at_end {
                Some(transcript::held_back(&LOOK).trim().to_string())
            } else {
                None
            };
            Trainee {
                name: record.name.clone(),
                csrf: String::new(),
                record,
                plan,
                answers: earlier.answers,
                earlier: earlier.elapsed,
                since: Instant::now(),
                note,
                error: None,
                finished: None,
            }
        }
    };
    trainee.csrf = guard::token();
    let token = guard::token();
    (s.progress)(Progress::Joined {
        name: trainee.name.clone(),
        at: trainee.answers.len() + 1,
        total: total_of(&trainee),
    });
    lock(&s.trainees).insert(token.clone(), trainee);
    Ok(token)
}

pub(super) fn form_expired(s: &Served) -> Response {
    s.notice(
        StatusCode::FORBIDDEN,
        "This form has expired",
        "The form was not sent from this quiz's own page, or it was sent from an old page. \
         Please go back to the start and try again; your answers so far are kept.",
    )
}

/// The trainee's token from the cookie, if it names a trainee here.
pub(super) fn trainee_token(s: &Served, headers: &HeaderMap) -> Option<String> {
    guard::cookie(headers, TRAINEE_COOKIE).filter(|t| lock(&s.trainees).contains_key(t))
}
