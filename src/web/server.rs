//! The live session's state and routes. A trainee joins with the session's code and a name, is
//! given an unguessable token in a cookie, and takes the quiz one question per page: every page
//! is a GET, every answer a POST that redirects (so a reload or the back button never answers
//! twice). The attempt is recorded through the `Recorder` on the store's own thread (`keeper`),
//! saved when the trainee starts, after every answer, and with its score at the end.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, REFERRER_POLICY, SET_COOKIE,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use maud::Markup;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::bank::Bank;
use crate::engine::attempt::{Attempt, Resume};
use crate::engine::marking::Answer;
use crate::engine::observer::Observer;
use crate::engine::plan::{Plan, Settings};
use crate::engine::rng::Rng;
use crate::front::style::Style;
use crate::front::transcript::{self, Look};
use crate::records::analysis::Analysis;
use crate::records::record::{self, Record, clean_name, same_name};
use crate::records::recorder::Recorder;
use crate::records::session::{Session, parse_code, show_code};
use crate::records::store::{self, Filter, Store};
use crate::util::text::format_number;
use crate::web::answer;
use crate::web::guard::{self, JOIN_COOKIE, JoinLimit, MAX_BODY, TRAINEE_COOKIE};
use crate::web::keeper::Keeper;
use crate::web::pages::{self, Frame};

/// Finds a trainee's unfinished attempt of this session to carry on with: its record, the same
/// plan, and its answers so far; `None` to start afresh. Given by the command, which owns the
/// rules for resuming, so that the browser carries on exactly as `sgquiz run --resume` does.
pub type Resumer =
    Arc<dyn Fn(&mut dyn Store, &str) -> Result<Option<(Record, Plan, Resume)>> + Send + Sync>;

/// What the trainer's terminal is told as trainees go.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// A trainee joined; `at` is the question they start on (more than 1 when carrying on).
    Joined {
        name: String,
        at: usize,
        total: usize,
    },
    /// A trainee answered and is on question `at`.
    On {
        name: String,
        at: usize,
        total: usize,
    },
    /// A trainee finished; `score` as the result says it.
    Finished {
        name: String,
        score: String,
        passed: bool,
    },
    /// The store would not take a save.
    NotSaved { name: String, error: String },
}

impl Progress {
    /// The trainer's line for this event.
    pub fn line(&self) -> String {
        match self {
            Progress::Joined { name, at, total } if *at > 1 => {
                format!("{name}: rejoined, carrying on from question {at} of {total}")
            }
            Progress::Joined { name, total, .. } => {
                format!("{name}: joined, on question 1 of {total}")
            }
            Progress::On { name, at, total } => format!("{name}: on question {at} of {total}"),
            Progress::Finished {
                name,
                score,
                passed,
            } => format!(
                "{name}: finished. {score} {}",
                if *passed { "Passed." } else { "Not passed." }
            ),
            Progress::NotSaved { name, error } => {
                format!("{name}: NOT SAVED: {error}")
            }
        }
    }
}

/// What a live session is served from.
pub struct Config {
    pub session: Session,
    pub bank: Bank,
    pub resumer: Resumer,
    pub progress: Arc<dyn Fn(Progress) + Send + Sync>,
    /// Joins allowed from one client address per minute.
    pub joins_per_minute: usize,
}

/// A served session: the routes, the debrief page's address, and the attempts it holds.
pub struct App {
    pub router: Router,
    /// The debrief page's path, with its own random token; printed only for the trainer.
    pub debrief_path: String,
    pub sittings: Sittings,
}

/// The unfinished attempts a server holds (each trainee's sitting), to let go of when it stops.
pub struct Sittings(Shared);

impl Sittings {
    /// Lets go of every unfinished attempt this server holds, so that each can be carried on at
    /// once elsewhere (in a terminal with `--resume`, or when the session is served again).
    /// Returns how many were let go of.
    pub async fn release(&self) -> Result<usize> {
        let held: Vec<Record> = lock(&self.0.trainees)
            .values()
            .filter(|t| t.finished.is_none())
            .map(|t| t.record.clone())
            .collect();
        self.0
            .keeper
            .call(move |store: &mut dyn Store| -> Result<usize> {
                let mut released = 0;
                for record in held {
                    Recorder::resuming(store, record).release()?;
                    released += 1;
                }
                Ok(released)
            })
            .await?
    }
}

struct Trainee {
    name: String,
    csrf: String,
    /// The attempt as last saved (or as it would have been, if a save failed).
    record: Record,
    plan: Plan,
    answers: Vec<Answer>,
    /// Time spent in earlier sittings, and when this one began.
    earlier: Duration,
    since: Instant,
    /// Said once, above the next question: welcome back, or the answer saved.
    note: Option<String>,
    /// A refused answer, said above the question it was for.
    error: Option<String>,
    /// The time taken, once finished; and whether the finished attempt is in the store.
    finished: Option<(Duration, bool)>,
}

struct Served {
    session: Session,
    bank: Arc<Bank>,
    settings: Settings,
    keeper: Keeper,
    resumer: Resumer,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    trainees: Mutex<HashMap<String, Trainee>>,
    joins: JoinLimit,
    debrief_token: String,
}

type Shared = Arc<Served>;

impl Served {
    fn frame<'a>(&'a self, title: &'a str) -> Frame<'a> {
        Frame {
            title,
            session: &self.session.title,
            support: &self.bank.quiz.support,
        }
    }

    fn page(&self, status: StatusCode, title: &str, main: Markup) -> Response {
        let html = pages::page(&self.frame(title), main).into_string();
        (status, Html(html)).into_response()
    }

    fn notice(&self, status: StatusCode, heading: &str, text: &str) -> Response {
        let main = pages::notice(heading, text, Some(("/", "Go to the start")));
        self.page(status, heading, main)
    }

    fn total(&self, t: &Trainee) -> usize {
        t.plan.asked.len()
    }
}

/// How the transcript's words are laid out for a page: the browser wraps them, and a verdict keeps
/// its symbol beside its word, as on screen in the terminal.
const LOOK: Look = Look {
    style: Style::plain(),
    width: None,
    plain: false,
    height: None,
};

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to.to_string())]).into_response()
}

/// The submitted form's fields, in order (a field may repeat, as checkboxes do).
fn fields(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn value<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

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
        .fallback(not_found)
        .with_state(served.clone())
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

async fn not_found(State(s): State<Shared>) -> Response {
    s.notice(
        StatusCode::NOT_FOUND,
        "Page not found",
        "There is no page at this address.",
    )
}

/// The opening page: the quiz, the content note, and the form to join.
async fn opening(State(s): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
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

fn opening_page(
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

async fn join(
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

fn form_expired(s: &Served) -> Response {
    s.notice(
        StatusCode::FORBIDDEN,
        "This form has expired",
        "The form was not sent from this quiz's own page, or it was sent from an old page. \
         Please go back to the start and try again; your answers so far are kept.",
    )
}

/// The trainee's token from the cookie, if it names a trainee here.
fn trainee_token(s: &Served, headers: &HeaderMap) -> Option<String> {
    guard::cookie(headers, TRAINEE_COOKIE).filter(|t| lock(&s.trainees).contains_key(t))
}

async fn question(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let Some(token) = trainee_token(&s, &headers) else {
        return see_other("/");
    };
    let mut trainees = lock(&s.trainees);
    let Some(t) = trainees.get_mut(&token) else {
        return see_other("/");
    };
    if t.finished.is_some() {
        return see_other("/result");
    }
    let total = s.total(t);
    let number = t.answers.len() + 1;
    let asked = &t.plan.asked[number - 1];
    let q = &s.bank.questions[asked.question];
    let form = asked.form(&s.bank);
    let title = transcript::question_title(number, total);
    let note = t.note.take();
    let error = t.error.take();
    let main = pages::question(&pages::Asking {
        title: &title,
        prompt: &q.prompt,
        hint: transcript::question_hint(q),
        form: &form,
        number,
        csrf: &t.csrf,
        name: &t.name,
        note: note.as_deref(),
        error: error.as_deref(),
    });
    let page_title = match &error {
        Some(_) => format!("Error: {title}"),
        None => title.clone(),
    };
    s.page(StatusCode::OK, &page_title, main)
}

async fn answer(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(token) = trainee_token(&s, &headers) else {
        return form_expired(&s);
    };
    let f = fields(&body);
    // Checked, marked and taken as this trainee's answer under the lock, so that the same
    // answer sent twice at once counts once.
    let job = {
        let mut trainees = lock(&s.trainees);
        let Some(t) = trainees.get_mut(&token) else {
            return form_expired(&s);
        };
        if !guard::same_secret(value(&f, "csrf").unwrap_or_default(), &t.csrf) {
            return form_expired(&s);
        }
        let total = s.total(t);
        let current = t.answers.len() + 1;
        let for_question = value(&f, "question").and_then(|v| v.parse::<usize>().ok());
        if t.finished.is_some() || for_question != Some(current) {
            drop(trainees);
            return s.page(
                StatusCode::CONFLICT,
                "That answer was not taken",
                pages::notice(
                    "That answer was not taken",
                    "It was for a question that is already answered, or not yet asked. Each \
                     question takes one answer, in turn.",
                    Some(("/question", "Go on with the quiz")),
                ),
            );
        }
        let asked = &t.plan.asked[current - 1];
        let form = asked.form(&s.bank);
        let given = match answer::read(&form, &f) {
            Ok(a) => a,
            Err(why) => {
                t.error = Some(why);
                return see_other("/question");
            }
        };
        t.answers.push(given.clone());
        let elapsed = t.earlier + t.since.elapsed();
        let finished = t.answers.len() == total;
        if finished {
            t.finished = Some((Duration::from_secs(elapsed.as_secs()), false));
        }
        (
            t.record.clone(),
            t.plan.clone(),
            t.answers.clone(),
            given,
            elapsed,
            t.name.clone(),
        )
    };
    let (record, plan, answers, given, elapsed, name) = job;
    let total = plan.asked.len();
    let bank = s.bank.clone();
    let saved = s
        .keeper
        .call(move |store: &mut dyn Store| {
            let attempt = replayed(&bank, plan, &answers);
            // The record is held by this server's sitting since the trainee started.
            let mut recorder = Recorder::resuming(store, record);
            recorder.answered(&attempt, &given, elapsed);
            let error = recorder.error.take().map(|e| format!("{e:#}"));
            if let Some(refusal) = &recorder.refused {
                // Another sitting has the attempt now: nothing more is recorded here.
                return (
                    recorder.record().clone(),
                    None,
                    error,
                    Some(refusal.to_string()),
                );
            }
            let mut error = error;
            let mut outcome = None;
            if attempt.is_finished() {
                let card = attempt.scorecard(Duration::from_secs(elapsed.as_secs()));
                error = match recorder.finish(&card) {
                    Ok(()) => None,
                    // A finished attempt the store would not take is kept in a file of its
                    // own, as the terminal keeps it.
                    Err(e) => Some(match store::write_fallback(recorder.record()) {
                        Ok(path) => format!(
                            "{e:#}; the whole result was written to {} instead",
                            path.display()
                        ),
                        Err(e2) => format!("{e:#}; nor could it be written to a file: {e2:#}"),
                    }),
                };
                let o = transcript::outcomes(&attempt, Duration::ZERO, &LOOK);
                outcome = Some((o.score, o.passed));
            }
            (recorder.record().clone(), outcome, error, None)
        })
        .await;
    let (record, outcome, error) = match saved {
        Ok((_, _, _, Some(refusal))) => {
            lock(&s.trainees).remove(&token);
            (s.progress)(Progress::NotSaved {
                name,
                error: refusal.clone(),
            });
            let mut said = refusal;
            if let Some(first) = said.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            return s.page(
                StatusCode::CONFLICT,
                "Your attempt carries on elsewhere",
                pages::notice(
                    "Your attempt carries on elsewhere",
                    &format!("{said}."),
                    Some(("/", "Go to the start")),
                ),
            );
        }
        Ok((record, outcome, error, None)) => (record, outcome, error),
        Err(e) => {
            (s.progress)(Progress::NotSaved {
                name,
                error: format!("{e:#}"),
            });
            return s.notice(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, your answer could not be saved",
                "The results store has stopped. Please tell your trainer.",
            );
        }
    };
    let review_at_end = {
        let mut trainees = lock(&s.trainees);
        if let Some(t) = trainees.get_mut(&token) {
            t.record = record;
            if let Some((took, _)) = t.finished {
                t.finished = Some((took, error.is_none()));
            }
        }
        s.settings.review_at_end
            || trainees
                .get(&token)
                .is_some_and(|t| t.record.settings.review_at_end)
    };
    if let Some(error) = error {
        (s.progress)(Progress::NotSaved {
            name: name.clone(),
            error,
        });
    }
    let done = outcome.is_some();
    match outcome {
        Some((score, passed)) => (s.progress)(Progress::Finished {
            name,
            score,
            passed,
        }),
        None => (s.progress)(Progress::On {
            name,
            at: answers_len(&s, &token) + 1,
            total,
        }),
    }
    if review_at_end {
        if !done && let Some(t) = lock(&s.trainees).get_mut(&token) {
            t.note = Some(transcript::answer_saved().trim().to_string());
        }
        see_other(if done { "/result" } else { "/question" })
    } else {
        see_other("/feedback")
    }
}

/// The attempt with these answers given to its plan, as a resumed quiz replays them.
fn replayed<'b>(bank: &'b Bank, plan: Plan, answers: &[Answer]) -> Attempt<'b> {
    let mut attempt = Attempt::new(bank, plan);
    for a in answers {
        attempt.answer(a);
    }
    attempt
}

fn answers_len(s: &Served, token: &str) -> usize {
    lock(&s.trainees).get(token).map_or(0, |t| t.answers.len())
}

async fn feedback(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let Some(token) = trainee_token(&s, &headers) else {
        return see_other("/");
    };
    let trainees = lock(&s.trainees);
    let Some(t) = trainees.get(&token) else {
        return see_other("/");
    };
    if t.answers.is_empty() || t.record.settings.review_at_end {
        return see_other("/question");
    }
    let attempt = replayed(&s.bank, t.plan.clone(), &t.answers);
    let number = attempt.marks().len();
    let asked = &attempt.plan().asked[number - 1];
    let q = &s.bank.questions[asked.question];
    let mark = &attempt.marks()[number - 1];
    let f = transcript::feedback_of(q, mark, &LOOK);
    let title = transcript::question_title(number, s.total(t));
    let next = if attempt.is_finished() {
        ("/result", "See your result")
    } else {
        ("/question", "Next question")
    };
    s.page(
        StatusCode::OK,
        &format!("{title}: {}", f.verdict),
        pages::feedback(&title, &f, next),
    )
}

async fn result(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let Some(token) = trainee_token(&s, &headers) else {
        return see_other("/");
    };
    let trainees = lock(&s.trainees);
    let Some(t) = trainees.get(&token) else {
        return see_other("/");
    };
    let Some((took, saved)) = t.finished else {
        return see_other("/question");
    };
    let attempt = replayed(&s.bank, t.plan.clone(), &t.answers);
    let o = transcript::outcomes(&attempt, took, &LOOK);
    let review = if t.record.settings.review_at_end {
        transcript::reviewed(&attempt, &LOOK)
    } else {
        Vec::new()
    };
    let recorded = transcript::recorded();
    let recorded = saved.then(|| recorded.trim());
    s.page(
        StatusCode::OK,
        o.heading,
        pages::result(&o, &review, recorded),
    )
}

async fn debrief(State(s): State<Shared>, Path(token): Path<String>) -> Response {
    if !guard::same_secret(&token, &s.debrief_token) {
        return not_found(State(s)).await;
    }
    let code = s.session.code.clone();
    let scanned = s
        .keeper
        .call(move |store: &mut dyn Store| -> Result<(usize, Analysis)> {
            let filter = Filter {
                session: Some(code),
                finished_only: true,
                ..Filter::default()
            };
            let mut analysis = Analysis::default();
            let mut finished = 0;
            store.scan(&filter, &mut |record, answers| {
                finished += 1;
                analysis.add(record, answers);
            })?;
            Ok((finished, analysis))
        })
        .await;
    let (finished, analysis) = match scanned {
        Ok(Ok(done)) => done,
        Ok(Err(e)) | Err(e) => {
            return s.notice(
                StatusCode::SERVICE_UNAVAILABLE,
                "The debrief cannot be shown",
                &format!("The results store could not be read: {e:#}"),
            );
        }
    };
    let rows: Vec<pages::DebriefRow> = analysis
        .finish()
        .into_iter()
        .map(|q| pages::DebriefRow {
            prompt: s
                .bank
                .questions
                .iter()
                .find(|b| b.id == q.question)
                .map_or(q.question.clone(), |b| b.prompt.clone()),
            answered: q.answered,
            facility: format!("{}%", format_number(q.facility)),
            common_wrong: q
                .common_wrong_answer
                .map(|a| format!("{a} ({})", q.common_wrong_count)),
        })
        .collect();
    let title = format!("Debrief: {}", s.session.title);
    s.page(
        StatusCode::OK,
        &title,
        pages::debrief(&s.session.title, finished, &rows),
    )
}

/// The join address to print and draw: the address served, with the session's code, so that a
/// scanned QR code fills the code in.
pub fn join_address(listening: SocketAddr, code: &str) -> String {
    format!("http://{listening}/?code={}", show_code(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trainers_lines_say_who_is_where() {
        let name = || "Sam Patel".to_string();
        let lines: Vec<String> = [
            Progress::Joined {
                name: name(),
                at: 1,
                total: 10,
            },
            Progress::Joined {
                name: name(),
                at: 4,
                total: 10,
            },
            Progress::On {
                name: name(),
                at: 5,
                total: 10,
            },
            Progress::Finished {
                name: name(),
                score: "Score: 9 of 10 (90%). Pass mark: 80%.".to_string(),
                passed: true,
            },
            Progress::NotSaved {
                name: name(),
                error: "the disk is full".to_string(),
            },
        ]
        .iter()
        .map(Progress::line)
        .collect();
        assert_eq!(
            lines,
            [
                "Sam Patel: joined, on question 1 of 10",
                "Sam Patel: rejoined, carrying on from question 4 of 10",
                "Sam Patel: on question 5 of 10",
                "Sam Patel: finished. Score: 9 of 10 (90%). Pass mark: 80%. Passed.",
                "Sam Patel: NOT SAVED: the disk is full",
            ]
        );
    }

    #[test]
    fn the_join_address_carries_the_code() {
        let at: SocketAddr = "192.168.1.20:8080".parse().unwrap();
        assert_eq!(
            join_address(at, "KX47PM"),
            "http://192.168.1.20:8080/?code=KX4-7PM"
        );
    }
}
