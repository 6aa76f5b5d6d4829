//! A trainee taking the quiz: one question per page, each answer a POST that is checked, marked
//! and recorded through the `Recorder` on the store's thread before it redirects; then the
//! feedback on each answer and the result.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use crate::bank::Bank;
use crate::engine::attempt::Attempt;
use crate::engine::marking::Answer;
use crate::engine::observer::Observer;
use crate::engine::plan::Plan;
use crate::front::transcript;
use crate::records::recorder::Recorder;
use crate::records::store::{self, Store};
use crate::web::answer;
use crate::web::guard;
use crate::web::pages;

use super::joining::{form_expired, trainee_token};
use super::state::{LOOK, Served, Shared, fields, lock, see_other, value};
use super::trainer::Progress;

pub(super) async fn question(State(s): State<Shared>, headers: HeaderMap) -> Response {
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

pub(super) async fn answer(State(s): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
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
pub(super) fn replayed<'b>(bank: &'b Bank, plan: Plan, answers: &[Answer]) -> Attempt<'b> {
    let mut attempt = Attempt::new(bank, plan);
    for a in answers {
        attempt.answer(a);
    }
    attempt
}

fn answers_len(s: &Served, token: &str) -> usize {
    lock(&s.trainees).get(token).map_or(0, |t| t.answers.len())
}

pub(super) async fn feedback(State(s): State<Shared>, headers: HeaderMap) -> Response {
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

pub(super) async fn result(State(s): State<Shared>, headers: HeaderMap) -> Response {
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
