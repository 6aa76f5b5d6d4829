//! Live sessions in the browser, over HTTP: the whole flow for every question type, reviewing at
//! the end, rejoining, a closed session, forged and replayed forms, hostile text, and limits. The
//! requests go straight to the router (`tower::ServiceExt::oneshot`), as a browser's would.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use sgquiz::commands::serve::web_app;
use sgquiz::records::store::Location;
use sgquiz::web::Progress;
use tower::ServiceExt;

use crate::support::{Sg, fixture, stored, tempdir};

/// A session made through the binary, and its store.
pub struct Room {
    pub db: PathBuf,
    pub code: String,
    pub heard: Arc<Mutex<Vec<Progress>>>,
}

impl Room {
    /// A session on the bank at `bank`, with `extra` arguments to `session new`.
    pub fn new(bank: &Path, extra: &[&str]) -> Room {
        Room::new_in(bank, extra, tempdir("web").join("results.db"))
    }

    /// The same, in the store `db` (a file, a folder, or a PostgreSQL address).
    pub fn new_in(bank: &Path, extra: &[&str], db: PathBuf) -> Room {
        let out = Sg::new()
            .args(["session", "new", "--quiz", bank.to_str().unwrap()])
            .args(["--title", "INSET day <b>September</b>"])
            .args(["--store", db.to_str().unwrap()])
            .args(extra)
            .run();
        out.code(0);
        let code = out.stdout.lines().next().unwrap()["Session code: ".len()..].to_string();
        Room {
            db,
            code,
            heard: Arc::default(),
        }
    }

    /// The server for the session, as `session serve` builds it.
    pub fn serve(&self) -> (Router, String) {
        let app = self.serve_app();
        (app.router, app.debrief_path)
    }

    pub fn serve_app(&self) -> sgquiz::web::App {
        self.serve_with(None)
    }

    /// The server, as `session serve --setting FILE` builds it.
    pub fn serve_with(&self, setting: Option<&sgquiz::bank::setting::Setting>) -> sgquiz::web::App {
        let heard = self.heard.clone();
        web_app(
            &Location::of(&self.db),
            &self.code,
            setting,
            Arc::new(move |p| heard.lock().unwrap().push(p)),
            &[],
        )
        .expect("the session serves")
    }

    pub fn lines(&self) -> Vec<String> {
        self.heard
            .lock()
            .unwrap()
            .iter()
            .map(|p| p.line())
            .collect()
    }
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

/// One browser: keeps its cookies, comes from one address.
pub struct Browser {
    router: Router,
    cookies: HashMap<String, String>,
    from: SocketAddr,
}

impl Browser {
    pub fn new(router: &Router) -> Browser {
        Browser::from(router, "192.0.2.10:50000")
    }

    pub fn from(router: &Router, addr: &str) -> Browser {
        Browser {
            router: router.clone(),
            cookies: HashMap::new(),
            from: addr.parse().unwrap(),
        }
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Page {
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req.headers_mut()
                .insert("cookie", jar.join("; ").parse().unwrap());
        }
        // A browser always says which address it asked for.
        if !req.headers().contains_key("host") {
            req.headers_mut()
                .insert("host", "127.0.0.1:8080".parse().unwrap());
        }
        req.extensions_mut().insert(ConnectInfo(self.from));
        let res = self.router.clone().oneshot(req).await.unwrap();
        for c in res.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let (pair, attrs) = c.split_once(';').unwrap();
            assert!(
                attrs.contains("HttpOnly") && attrs.contains("SameSite=Strict"),
                "{c}"
            );
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.insert(k.to_string(), v.to_string());
        }
        let status = res.status();
        let headers = res.headers().clone();
        let location = headers
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        Page {
            status,
            location,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.post_raw(path, body).await
    }

    pub async fn post_raw(&mut self, path: &str, body: String) -> Page {
        self.send(
            Request::post(path)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Opens the start page and joins as `name`; returns the page the join redirects to.
    pub async fn join(&mut self, code: &str, name: &str) -> Page {
        let start = self.get("/").await;
        assert_eq!(start.status, StatusCode::OK);
        let csrf = hidden(&start.body, "csrf");
        self.post(
            "/join",
            &pairs(&[("csrf", &csrf), ("code", code), ("name", name)]),
        )
        .await
    }
}

pub fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The value of the hidden field `name`.
pub fn hidden(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    let rest = &body[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Each `<tag …>` of the page with its attributes.
fn tags(body: &str, tag: &str) -> Vec<HashMap<String, String>> {
    let open = format!("<{tag} ");
    body.match_indices(&open)
        .map(|(i, _)| {
            let end = body[i..].find('>').unwrap() + i;
            let mut attrs = HashMap::new();
            let mut rest = &body[i + open.len()..end];
            while let Some(eq) = rest.find("=\"") {
                let key = rest[..eq].trim().rsplit(' ').next().unwrap().to_string();
                let after = &rest[eq + 2..];
                let close = after.find('"').unwrap();
                attrs.insert(key, unescape(&after[..close]));
                rest = &after[close + 1..];
            }
            attrs
        })
        .collect()
}

/// Each label's `for` and its text.
fn labels(body: &str) -> Vec<(String, String)> {
    body.match_indices("<label for=\"")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            let id = &rest[..rest.find('"').unwrap()];
            let text_at = rest.find('>').unwrap() + 1;
            let text = &rest[text_at..text_at + rest[text_at..].find("</label>").unwrap()];
            (id.to_string(), unescape(text))
        })
        .collect()
}

/// The name and value of the control labelled `text`.
fn control(body: &str, text: &str) -> (String, String) {
    let (id, _) = labels(body)
        .into_iter()
        .find(|(_, t)| t == text)
        .unwrap_or_else(|| panic!("no label {text:?} in {body}"));
    let input = tags(body, "input")
        .into_iter()
        .chain(tags(body, "select"))
        .find(|a| a.get("id") == Some(&id))
        .unwrap();
    (
        input["name"].clone(),
        input.get("value").cloned().unwrap_or_default(),
    )
}

/// The value of the option `text` of the select labelled `label`.
fn option(body: &str, label: &str, text: &str) -> (String, String) {
    let (name, _) = control(body, label);
    let at = body.find(&format!("<select name=\"{name}\"")).unwrap();
    let select = &body[at..at + body[at..].find("</select>").unwrap()];
    let value = select
        .match_indices("<option value=\"")
        .map(|(i, m)| {
            let rest = &select[i + m.len()..];
            let value = &rest[..rest.find('"').unwrap()];
            let text_at = rest.find('>').unwrap() + 1;
            let shown = &rest[text_at..text_at + rest[text_at..].find("</option>").unwrap()];
            (value.to_string(), unescape(shown))
        })
        .find(|(_, shown)| shown == text)
        .unwrap_or_else(|| panic!("no option {text:?} for {label:?}"))
        .0;
    (name, value)
}

/// The fields that answer the all-types fixture's question on this page, right or wrong.
pub fn answer_all_types(body: &str, right: bool) -> Vec<(String, String)> {
    let mut f = vec![
        ("csrf".to_string(), hidden(body, "csrf")),
        ("question".to_string(), hidden(body, "question")),
    ];
    let h1 = &body[body.find("<h1>").unwrap()..body.find("</h1>").unwrap()];
    let mut add = |pair: (String, String)| f.push(pair);
    if h1.contains("second in the alphabet") {
        add(control(body, if right { "B" } else { "A" }));
    } else if h1.contains("vowels") {
        add(control(body, "A"));
        add(control(body, if right { "E" } else { "B" }));
    } else if h1.contains("sky looks blue") {
        add((
            "answer".into(),
            (if right { "true" } else { "false" }).into(),
        ));
    } else if h1.contains("example town") {
        add((
            "answer".into(),
            (if right { "190,000" } else { "5" }).into(),
        ));
    } else if h1.contains("short name") {
        add((
            "answer".into(),
            (if right { " csam " } else { "CSE" }).into(),
        ));
    } else if h1.contains("smallest first") {
        let places = if right {
            ["1", "2", "3"]
        } else {
            ["3", "2", "1"]
        };
        for (item, place) in ["one", "two", "three"].iter().zip(places) {
            add((control(body, item).0, place.to_string()));
        }
    } else if h1.contains("old level") {
        let rights = if right {
            ["Category C", "Category B", "Category A"]
        } else {
            ["Category A", "Category B", "Category C"]
        };
        for (left, r) in ["Level 1", "Levels 2 and 3", "Levels 4 and 5"]
            .iter()
            .zip(rights)
        {
            add(option(body, left, r));
        }
    } else {
        panic!("an unknown question: {h1}");
    }
    f
}

/// Answers the question on the current page; returns where the answer redirects.
pub async fn answer_current(b: &mut Browser, right: bool) -> Page {
    let page = b.get("/question").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let fields = answer_all_types(&page.body, right);
    let res = b.post("/answer", &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res
}

fn all_types() -> PathBuf {
    fixture("all-types.toml")
}

#[tokio::test]
async fn a_whole_quiz_of_every_question_type_is_taken_and_recorded_as_the_terminal_records_it() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    let start = b.get(&format!("/?code={}", room.code)).await;
    assert!(start.body.contains("<html lang=\"en-GB\">"));
    assert!(
        start
            .body
            .contains("<h2 id=\"note-heading\">Before you start</h2>")
    );
    assert!(start.body.contains("7 questions · pass mark 50%"));
    // How to stop is said as it is true in a browser, not as the terminal's keys.
    assert!(
        start
            .body
            .contains("close this page. To carry on later, join again")
    );
    assert!(!start.body.contains("quit") && !start.body.contains("Esc"));
    assert!(start.body.contains(&format!("value=\"{}\"", room.code)));
    let joined = b.join(&room.code, "  Sam   Patel ").await;
    assert_eq!(joined.location.as_deref(), Some("/question"));
    for n in 1..=7 {
        let page = b.get("/question").await;
        assert!(
            page.body.contains(&format!("Question {n} of 7")),
            "{}",
            page.body
        );
        assert_eq!(page.body.matches("<h1>").count(), 1);
        assert!(page.body.contains("<fieldset") && page.body.contains("<legend>"));
        if page.body.contains("id=\"how\"") {
            assert!(
                page.body.contains("<fieldset aria-describedby=\"how\">"),
                "{}",
                page.body
            );
        }
        let fields = answer_all_types(&page.body, true);
        let res = b.post("/answer", &fields).await;
        assert_eq!(res.location.as_deref(), Some("/feedback"));
        let fb = b.get("/feedback").await;
        assert!(fb.body.contains("✓ Correct"), "{}", fb.body);
        assert!(fb.body.contains("<strong>Why:</strong>"));
        let next = if n < 7 { "/question" } else { "/result" };
        assert!(fb.body.contains(&format!("href=\"{next}\"")));
    }
    let result = b.get("/result").await;
    assert!(
        result
            .body
            .contains("Score: 7 of 7 (100%). Pass mark: 50%."),
        "{}",
        result.body
    );
    assert!(result.body.contains("✓ Passed."));
    assert!(result.body.contains("Your result has been recorded."));
    assert!(result.body.contains("<th scope=\"row\">choosing</th>"));
    // Finished: the question page now sends to the result.
    assert_eq!(
        b.get("/question").await.location.as_deref(),
        Some("/result")
    );

    let records = stored(&room.db);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert!(r.is_complete());
    assert_eq!(r.name, "Sam Patel");
    assert_eq!(
        r.session.as_deref(),
        Some(room.code.replace('-', "").as_str())
    );
    assert_eq!((r.score, r.passed), (Some(r.max_score), Some(true)));
    assert_eq!(r.questions.len(), 7);
    Sg::new()
        .args([
            "report",
            "--session",
            &room.code,
            "--store",
            room.db.to_str().unwrap(),
        ])
        .run()
        .code(0)
        .stdout_has("Sam Patel");
    let lines = room.lines();
    assert_eq!(
        lines.first().unwrap(),
        "Sam Patel: joined, on question 1 of 7"
    );
    assert!(lines.contains(&"Sam Patel: on question 4 of 7".to_string()));
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("Sam Patel: finished. Score: 7 of 7 (100%)"),
        "{lines:?}"
    );
}

#[tokio::test]
async fn wrong_answers_get_the_terminals_words_and_are_marked_as_it_marks_them() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    b.join(&room.code, "Alex").await;
    let mut seen = String::new();
    for _ in 0..7 {
        answer_current(&mut b, false).await;
        seen.push_str(&b.get("/feedback").await.body);
    }
    for words in [
        "✗ Incorrect",
        "<strong>You answered:</strong> A",
        "<strong>The right answer:</strong> B",
        "<strong>About your choice:</strong> A comes first.",
        "<p class=\"source\">Source: The alphabet</p>",
        "◐ Partly correct",
        "190,000 (anything from 180,000 to 200,000 is accepted)",
        "<strong>Each choice:</strong>",
        "(0 of 1 point)",
    ] {
        assert!(seen.contains(words), "{words:?} missing from\n{seen}");
    }
    let result = b.get("/result").await.body;
    assert!(result.contains("✗ Not passed this time."), "{result}");
    let r = &stored(&room.db)[0];
    assert!(r.is_complete() && r.passed == Some(false));
}

#[tokio::test]
async fn a_refused_answer_is_said_above_the_question_and_nothing_is_recorded() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    b.join(&room.code, "Sam").await;
    let page = b.get("/question").await;
    let f = pairs(&[("csrf", &hidden(&page.body, "csrf")), ("question", "1")]);
    let res = b.post("/answer", &f).await;
    assert_eq!(res.location.as_deref(), Some("/question"));
    let again = b.get("/question").await.body;
    assert!(again.contains("There is a problem"), "{again}");
    assert!(again.contains("<title>Error: Question 1 of 7"));
    assert!(again.contains("href=\"#answer\""));
    assert!(again.contains("Question 1 of 7"));
    assert_eq!(stored(&room.db)[0].questions.len(), 0);
}

#[tokio::test]
async fn answers_reviewed_at_the_end_reveal_nothing_until_the_result() {
    let room = Room::new(&all_types(), &["--review-at-end"]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    b.join(&room.code, "Sam").await;
    let first = b.get("/question").await.body;
    assert!(
        first.contains("Feedback is held back until the end"),
        "{first}"
    );
    for n in 1..=7 {
        let res = answer_current(&mut b, n % 2 == 0).await;
        let to = if n < 7 { "/question" } else { "/result" };
        assert_eq!(res.location.as_deref(), Some(to));
        // Nothing is revealed on the way.
        assert_eq!(
            b.get("/feedback").await.location.as_deref(),
            Some("/question")
        );
        if n < 7 {
            let next = b.get("/question").await.body;
            assert!(next.contains("Answer saved."), "{next}");
            assert!(!next.contains("Correct"), "{next}");
        }
    }
    let result = b.get("/result").await.body;
    assert!(result.contains("Review of your answers"), "{result}");
    assert!(result.contains("✓ Correct") && result.contains("✗ Incorrect"));
    assert_eq!(result.matches("<h3>Question ").count(), 7);
    let r = &stored(&room.db)[0];
    assert!(r.is_complete() && r.settings.review_at_end);
}

#[tokio::test]
async fn a_trainee_who_rejoins_under_the_same_name_carries_on_even_after_a_restart() {
    rejoins_and_carries_on(Room::new(&all_types(), &[])).await;
}

/// The same in a folder store, where each answer is a line added to the attempt's answers.
#[tokio::test]
async fn in_a_folder_store_a_trainee_who_rejoins_carries_on_even_after_a_restart() {
    let folder = PathBuf::from(format!(
        "{}/",
        tempdir("web-folder").join("shared").display()
    ));
    rejoins_and_carries_on(Room::new_in(&all_types(), &[], folder.clone())).await;
    let left: Vec<_> = std::fs::read_dir(folder.join("incomplete"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "nothing unfinished is left: {left:?}");
}

async fn rejoins_and_carries_on(room: Room) {
    let (router, _) = room.serve();
    let mut phone = Browser::new(&router);
    phone.join(&room.code, "Sam Patel").await;
    answer_current(&mut phone, true).await;
    answer_current(&mut phone, true).await;
    // The same trainee on another device, the name typed in another case.
    let mut laptop = Browser::from(&router, "192.0.2.11:50000");
    laptop.join(&room.code, "sam patel").await;
    let page = laptop.get("/question").await.body;
    assert!(page.contains("Question 3 of 7"), "{page}");
    assert!(page.contains(
        "Welcome back. You answered 2 of 7 questions last time; carrying on from question 3."
    ));
    // The old device's token no longer names the attempt.
    assert_eq!(phone.get("/question").await.location.as_deref(), Some("/"));
    answer_current(&mut laptop, true).await;
    drop((router, phone, laptop));

    // The server is stopped and started again: the store carries the attempt on.
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    b.join(&room.code, "Sam Patel").await;
    let page = b.get("/question").await.body;
    assert!(page.contains("Question 4 of 7"), "{page}");
    for _ in 4..=7 {
        answer_current(&mut b, true).await;
    }
    assert!(b.get("/result").await.body.contains("Score: 7 of 7 (100%)"));
    let records = stored(&room.db);
    assert_eq!(records.len(), 1, "one attempt, carried on");
    assert!(records[0].is_complete());
    assert_eq!(records[0].questions.len(), 7);
    assert!(
        room.lines()
            .contains(&"Sam Patel: rejoined, carrying on from question 4 of 7".to_string())
    );
}

#[tokio::test]
async fn a_closed_session_refuses_new_trainees() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut early = Browser::new(&router);
    early.join(&room.code, "Early").await;
    Sg::new()
        .args([
            "session",
            "close",
            &room.code,
            "--store",
            room.db.to_str().unwrap(),
        ])
        .run()
        .code(0);
    let mut late = Browser::from(&router, "192.0.2.12:1");
    let res = late.join(&room.code, "Late").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("This session is closed"));
    // Whoever had started may finish.
    for _ in 0..7 {
        answer_current(&mut early, true).await;
    }
    let names: Vec<String> = stored(&room.db).into_iter().map(|r| r.name).collect();
    assert_eq!(names, ["Early"]);
    // And a closed session is not served at all.
    let refused = web_app(
        &Location::of(&room.db),
        &room.code,
        None,
        Arc::new(|_| {}),
        &[],
    );
    assert!(refused.err().unwrap().to_string().contains("was closed"));
}

#[tokio::test]
async fn forms_without_the_trainees_own_token_are_refused() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    // A join whose form did not come from the opening page.
    let mut forger = Browser::new(&router);
    let res = forger
        .post(
            "/join",
            &pairs(&[("csrf", "x"), ("code", &room.code), ("name", "Mallory")]),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(stored(&room.db).is_empty());

    let mut a = Browser::new(&router);
    a.join(&room.code, "Ann").await;
    let mut bob = Browser::from(&router, "192.0.2.20:1");
    bob.join(&room.code, "Bob").await;
    let page = a.get("/question").await.body;
    let mut fields = answer_all_types(&page, true);
    // Ann's answer with a wrong token, then sent by Bob with Ann's token: both refused.
    let good = fields[0].1.clone();
    fields[0].1 = "0".repeat(64);
    assert_eq!(
        a.post("/answer", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    fields[0].1 = good;
    assert_eq!(
        bob.post("/answer", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    // Without any cookie.
    let mut stranger = Browser::from(&router, "192.0.2.30:1");
    assert_eq!(
        stranger.post("/answer", &fields).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(stored(&room.db).iter().all(|r| r.questions.is_empty()));
    // The right trainee with the right token is taken.
    assert_eq!(
        a.post("/answer", &fields).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_replayed_or_out_of_turn_answer_is_not_taken() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    b.join(&room.code, "Sam").await;
    let page = b.get("/question").await.body;
    let fields = answer_all_types(&page, false);
    assert_eq!(
        b.post("/answer", &fields).await.status,
        StatusCode::SEE_OTHER
    );
    // The same form again (a double click, or the back button), then a later question's.
    let replay = b.post("/answer", &fields).await;
    assert_eq!(replay.status, StatusCode::CONFLICT);
    assert!(replay.body.contains("That answer was not taken"));
    let mut ahead = fields.clone();
    ahead[1].1 = "3".to_string();
    assert_eq!(b.post("/answer", &ahead).await.status, StatusCode::CONFLICT);
    let r = &stored(&room.db)[0];
    assert_eq!(r.questions.len(), 1, "one answer recorded");
}

#[tokio::test]
async fn hostile_bank_text_and_names_are_shown_as_text_never_as_markup() {
    let dir = tempdir("web-hostile");
    let bank = dir.join("hostile.toml");
    std::fs::write(
        &bank,
        "format = 1\n[quiz]\nid = \"hostile\"\ntitle = \"<script>alert('t')</script>\"\n\
         shuffle = false\ncontent_note = \"<img src=x onerror=alert(1)>\"\n\
         support = \"<a href='javascript:alert(2)'>help</a>\"\n\
         [[question]]\nid = \"q\"\nprompt = \"<iframe src=//evil>\"\n\
         explanation = \"</p><script>alert(3)</script>\"\nreference = \"<b>ref</b>\"\n\
         type = \"single\"\nchoices = [{ text = \"<svg onload=alert(4)>\", correct = true }, \
         { text = \"\\\"><script>x</script>\", feedback = \"<style>*{}</style>\" }]\n",
    )
    .unwrap();
    let room = Room::new(&bank, &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    let start = b.get("/").await.body;
    b.join(&room.code, "<b onmouseover=alert(5)>Eve</b>").await;
    let question = b.get("/question").await.body;
    let (name, value) = control(&question, "\"><script>x</script>");
    let f = pairs(&[
        ("csrf", &hidden(&question, "csrf")),
        ("question", "1"),
        (&name, &value),
    ]);
    b.post("/answer", &f).await;
    let feedback = b.get("/feedback").await.body;
    let result = b.get("/result").await.body;
    for page in [&start, &question, &feedback, &result] {
        for tag in [
            "<script",
            "<img",
            "<iframe",
            "<svg",
            "<style",
            "<b>",
            "<b ",
            "<a href='",
        ] {
            assert!(!page.contains(tag), "{tag} unescaped in\n{page}");
        }
    }
    assert!(
        start.contains("&lt;script&gt;alert('t')&lt;/script&gt;"),
        "{start}"
    );
    assert!(question.contains("&lt;iframe src=//evil&gt;"));
    assert!(question.contains("&lt;b onmouseover=alert(5)&gt;Eve&lt;/b&gt;"));
    assert!(feedback.contains("&lt;style&gt;"));
    assert_eq!(stored(&room.db)[0].name, "<b onmouseover=alert(5)>Eve</b>");
}

/// The page's footer: the support contacts.
fn footer(body: &str) -> &str {
    let from = body.find("<footer>").expect("a footer");
    &body[from..body.find("</footer>").expect("the footer's end")]
}

#[tokio::test]
async fn the_support_contacts_are_a_list_on_every_page_with_the_settings_own_escaped() {
    let dir = tempdir("web-setting");
    let file = dir.join("setting.toml");
    Sg::new()
        .args(["setting", "init", file.to_str().unwrap()])
        .run()
        .code(0);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("name = \"\"", "name = \"St <Anne>'s & Co\"")
        .replace("dsl = \"\"", "dsl = \"Ms <b>Okafor</b>, room 12\"")
        .replace(
            "deputies = [\"\", \"\"]",
            "deputies = [\"Mr Lee <i>ext 204</i>\", \"Ms Roy\"]",
        )
        .replace(
            "children_social_care = \"\"",
            "children_social_care = \"<script>alert(1)</script> 0300 123 4567\"",
        )
        .replace("lado = \"\"", "lado = \"LADO team 0300 765 4321\"")
        .replace(
            "local_procedures = \"\"",
            "local_procedures = \"The red folder in the staff room\"",
        );
    std::fs::write(&file, text).unwrap();
    let setting = sgquiz::bank::load::setting::load_setting_path(&file).unwrap();
    let room = Room::new(&all_types(), &[]);
    let app = room.serve_with(Some(&setting));
    let mut b = Browser::new(&app.router);
    let opening = b.get("/").await.body;
    b.join(&room.code, "Sam Patel").await;
    let question = b.get("/question").await.body;
    for _ in 0..7 {
        answer_current(&mut b, true).await;
    }
    let result = b.get("/result").await;
    assert_eq!(result.status, StatusCode::OK);
    let contacts = "<h2>Support</h2>\
        <p>Your setting's safeguarding contacts (St &lt;Anne&gt;'s &amp; Co):</p>\
        <ul class=\"contacts\">\
        <li>Designated safeguarding lead (DSL): Ms &lt;b&gt;Okafor&lt;/b&gt;, room 12</li>\
        <li>Deputy DSLs: Mr Lee &lt;i&gt;ext 204&lt;/i&gt;; Ms Roy</li>\
        <li>Children's social care: &lt;script&gt;alert(1)&lt;/script&gt; 0300 123 4567</li>\
        <li>Local authority designated officer (LADO): LADO team 0300 765 4321</li>\
        <li>Local procedures: The red folder in the staff room</li></ul>";
    for (what, page) in [
        ("opening", &opening),
        ("question", &question),
        ("result", &result.body),
    ] {
        let footer = footer(page);
        assert!(
            footer.starts_with(&format!("<footer>{contacts}")),
            "{what}: {footer}"
        );
        // Then the bank's own support, a list too; no line breaks standing in for one.
        assert!(
            footer[contacts.len()..].contains("<ul class=\"contacts\"><li>"),
            "{what}: {footer}"
        );
        assert!(!footer.contains("<br>"), "{what}: {footer}");
        assert!(!page.contains("<script>"), "{what}");
    }
    // Without a setting file, the bank's support alone, still a list.
    let plain = Room::new(&all_types(), &[]);
    let (router, _) = plain.serve();
    let page = Browser::new(&router).get("/").await.body;
    let footer = footer(&page);
    assert!(
        !footer.contains("Okafor") && !footer.contains("setting's"),
        "{footer}"
    );
    assert!(footer.contains("<ul class=\"contacts\"><li>"), "{footer}");
}

#[tokio::test]
async fn bodies_names_and_answers_over_the_limits_are_refused() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    let long = "x".repeat(201);
    let res = b.join(&room.code, &long).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.body
            .contains("the trainee&#39;s name is longer than 200 characters")
            || res
                .body
                .contains("the trainee's name is longer than 200 characters"),
        "{}",
        res.body
    );
    let res = b.join("ABC-DEF", "Sam").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.body.contains("That is not this session&#39;s code")
            || res.body.contains("That is not this session's code")
    );
    b.join(&room.code, "Sam").await;
    let page = b.get("/question").await.body;
    let mut body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(answer_all_types(&page, true))
        .finish();
    body.push_str(&format!("&pad={}", "x".repeat(17 * 1024)));
    let res = b.post_raw("/answer", body).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(stored(&room.db)[0].questions.is_empty());
}

#[tokio::test]
async fn joins_from_one_address_are_limited() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    for i in 0..20 {
        let res = b.join(&room.code, &format!("Trainee {i}")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "join {i}");
    }
    let res = b.join(&room.code, "One too many").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    let mut other = Browser::from(&router, "192.0.2.99:1");
    assert_eq!(
        other.join(&room.code, "Elsewhere").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn every_page_has_the_safety_headers_and_no_file_is_served_from_disk() {
    let room = Room::new(&all_types(), &[]);
    let (router, debrief) = room.serve();
    let mut b = Browser::new(&router);
    b.join(&room.code, "Sam").await;
    for path in [
        "/",
        "/question",
        "/style.css",
        "/nope",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        &debrief,
    ] {
        let page = b.get(path).await;
        let h = &page.headers;
        assert_eq!(
            h["content-security-policy"].to_str().unwrap(),
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            "{path}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "no-referrer");
        assert!(!page.body.contains("[package]"), "{path}");
        // No inline script: the debrief's one script is served from its own address.
        let scripts = page.body.matches("<script").count();
        let served = page
            .body
            .matches("<script src=\"/static/debrief.js\" defer></script>")
            .count();
        assert_eq!(scripts, served, "{path}");
        assert_eq!(served, usize::from(path == debrief), "{path}");
        assert!(!page.body.contains(" style=\""), "{path}");
        assert!(!page.body.contains(" onclick"), "{path}");
    }
    let js = b.get("/static/debrief.js").await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(js.headers["x-content-type-options"], "nosniff");
    assert_eq!(b.get("/nope").await.status, StatusCode::NOT_FOUND);
    let css = b.get("/style.css").await;
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    assert!(css.body.contains(":focus"));
}

/// A name the school's network gives the computer, given with `--host`, is answered too (in
/// any case, with a port or a final dot); without `--host` it is refused like any other name.
#[tokio::test]
async fn a_name_given_with_host_is_answered_and_still_no_other() {
    let room = Room::new(&all_types(), &[]);
    let served = |hosts: &[&str]| {
        let hosts: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
        web_app(
            &Location::of(&room.db),
            &room.code,
            None,
            Arc::new(|_| {}),
            &hosts,
        )
    };
    let status = async |router: &Router, host: &str| {
        Browser::new(router)
            .send(
                Request::get("/")
                    .header("host", host)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .status
    };
    let plain = served(&[]).unwrap().router;
    let named = served(&["PC.School.LAN."]).unwrap().router;
    for host in ["pc.school.lan", "pc.school.lan:8080", "PC.SCHOOL.LAN."] {
        assert_eq!(status(&named, host).await, StatusCode::OK, "{host}");
        assert_eq!(
            status(&plain, host).await,
            StatusCode::MISDIRECTED_REQUEST,
            "{host}"
        );
    }
    for host in [
        "school.lan",
        "pc.school.lan.evil.example",
        "evil.example:8080",
    ] {
        assert_eq!(
            status(&named, host).await,
            StatusCode::MISDIRECTED_REQUEST,
            "{host}"
        );
    }
    for bad in [
        "pc.school.lan:8080",
        "*.school.lan",
        "",
        "two words",
        "-pc.lan",
        "a..b",
    ] {
        let e = served(&[bad]).err().expect("refused").to_string();
        assert!(e.contains("is not a host name"), "{bad}: {e}");
    }
}

/// DNS rebinding: a page elsewhere points a name of its own at this server, then reads it through
/// a browser in the room. Only this server's own names and addresses are answered.
#[tokio::test]
async fn pages_are_served_only_for_this_computers_own_names_and_addresses() {
    let room = Room::new(&all_types(), &[]);
    let (router, debrief) = room.serve();
    let mut b = Browser::new(&router);
    let names = sgquiz::commands::serve::host_names();
    let short = names
        .iter()
        .find(|n| !n.contains('.'))
        .expect("this computer has a host name")
        .clone();
    let mut answered = vec![
        "127.0.0.1".to_string(),
        "127.0.0.1:8080".to_string(),
        "192.168.0.12:8080".to_string(),
        "[::1]".to_string(),
        "[::1]:8080".to_string(),
        "localhost".to_string(),
        "localhost:8080".to_string(),
        format!("{short}:8080"),
        format!("{}.local:8080", short.to_uppercase()),
    ];
    answered.extend(names.iter().cloned());
    for host in &answered {
        let page = b
            .send(
                Request::get("/")
                    .header("host", host.as_str())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{host}");
        assert!(page.body.contains("action=\"/join\""), "{host}");
    }
    for host in [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example:8080",
        "127.0.0.1.evil.example",
        &format!("{short}.evil.example"),
        "127.0.0.1:8080:1",
    ] {
        for path in ["/", "/question", "/style.css", &debrief] {
            let page = b
                .send(
                    Request::get(path)
                        .header("host", host)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(page.status, StatusCode::MISDIRECTED_REQUEST, "{host}{path}");
            assert_eq!(
                page.body,
                "This server answers only to its own address. Open the address your trainer \
                 shows.\n"
            );
            assert_eq!(page.headers["content-type"], "text/plain; charset=utf-8");
            assert_eq!(page.headers["x-content-type-options"], "nosniff");
        }
    }
    // Nor is a form taken for another name, nor a request naming no address or two.
    let start = b.get("/").await;
    let csrf = hidden(&start.body, "csrf");
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs(&[
            ("csrf", &csrf),
            ("code", &room.code),
            ("name", "Sam"),
        ]))
        .finish();
    let forged = b
        .send(
            Request::post("/join")
                .header("host", "evil.example")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(forged.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(stored(&room.db).is_empty(), "no attempt started");
    let mut none = Request::get("/").body(Body::empty()).unwrap();
    none.headers_mut().insert("host", "".parse().unwrap());
    assert_eq!(b.send(none).await.status, StatusCode::MISDIRECTED_REQUEST);
    let two = Request::get("/")
        .header("host", "127.0.0.1")
        .header("host", "evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(b.send(two).await.status, StatusCode::MISDIRECTED_REQUEST);
    let absolute = Request::get("http://evil.example/")
        .header("host", "127.0.0.1")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        b.send(absolute).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
}

#[tokio::test]
async fn the_debrief_shows_the_question_analysis_without_names_at_its_own_address() {
    let room = Room::new(&all_types(), &[]);
    let (router, debrief) = room.serve();
    for (i, right) in [true, false, false].into_iter().enumerate() {
        let mut b = Browser::from(&router, &format!("192.0.2.{}:1", 40 + i));
        b.join(&room.code, &format!("Trainee Number{i}")).await;
        for _ in 0..7 {
            answer_current(&mut b, right).await;
        }
    }
    let mut projector = Browser::from(&router, "192.0.2.50:1");
    assert_eq!(
        projector.get("/debrief/0123").await.status,
        StatusCode::NOT_FOUND
    );
    let page = projector.get(&debrief).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("3 finished attempts"), "{}", page.body);
    assert!(
        page.body
            .contains("Which letter comes second in the alphabet?")
    );
    assert!(page.body.contains("A (2)"), "{}", page.body);
    assert!(!page.body.contains("Number"), "no names on the debrief");
}

/// The debrief keeps itself up to date through `debrief.js` (taken through in a real browser by
/// `browser::the_debrief_updates_itself_until_stopped_and_keeps_the_focus`); here, what the script
/// rests on: the page's parts it fetches and replaces, the control that stops it, and the page
/// as it is without JavaScript.
#[tokio::test]
async fn the_debrief_says_how_to_see_the_latest_without_javascript_and_gives_the_script_its_parts()
{
    let room = Room::new(&all_types(), &[]);
    let (router, debrief) = room.serve();
    let mut projector = Browser::from(&router, "192.0.2.50:1");
    let empty = projector.get(&debrief).await.body;
    assert!(
        empty.contains(
            "<div id=\"live\" data-every=\"5\">\
             <p id=\"finished\" role=\"status\">0 finished attempts.</p>\
             <p>Questions hardest first; no names are shown.</p>\
             <p id=\"updating\">Reload the page to see the latest.</p>\
             <p><button type=\"button\" id=\"pause\" class=\"secondary\" hidden>Stop updating</button></p>\
             <div class=\"scroll\" id=\"analysis\" role=\"region\" aria-label=\"Questions\" tabindex=\"0\">\
             <p>No attempt is finished yet.</p></div></div>\
             <script src=\"/static/debrief.js\" defer></script>"
        ),
        "{empty}"
    );
    let mut b = Browser::new(&router);
    b.join(&room.code, "Sam Patel").await;
    for _ in 0..7 {
        answer_current(&mut b, true).await;
    }
    let one = projector.get(&debrief).await.body;
    assert!(one.contains("<p id=\"finished\" role=\"status\">1 finished attempt.</p>"));
    assert!(
        one.contains("tabindex=\"0\"><table class=\"debrief\">"),
        "{one}"
    );
    // Every element the script looks for is on the page, and each once.
    let js = b.get("/static/debrief.js").await.body;
    let ids: Vec<&str> = js
        .split("getElementById(\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(ids.len(), 7, "{ids:?}");
    for id in ids {
        assert_eq!(one.matches(&format!(" id=\"{id}\"")).count(), 1, "{id}");
    }
    // It never moves the focus, and has a way to stop.
    assert!(!js.contains(".focus("));
    assert!(js.contains("\"Stop updating\"") && js.contains("clearInterval"));
}

/// `sgquiz session serve` itself: listens only where told, prints the join address, the code,
/// the QR code and the debrief address, serves the quiz, and stops on Ctrl-C (SIGINT), saying
/// how to see the results.
#[cfg(unix)]
#[test]
fn the_serve_command_prints_the_join_address_serves_and_stops_on_ctrl_c() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};

    let room = Room::new(&all_types(), &[]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_sgquiz"))
        .args(["session", "serve", &room.code, "--listen", "127.0.0.1:0"])
        .args(["--store", room.db.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    while !printed.contains("Press Ctrl-C to stop serving.") {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "ended early: {printed}"
        );
        printed.push_str(&line);
    }
    let address = printed
        .lines()
        .find_map(|l| l.strip_prefix(&format!("Serving session {} at ", room.code)))
        .unwrap_or_else(|| panic!("{printed}"));
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");
    assert!(address.ends_with(&format!("/?code={}", room.code)));
    assert!(printed.contains("works on this computer only"));
    assert!(
        printed.contains("▀") || printed.contains("█"),
        "a QR code: {printed}"
    );
    assert!(printed.contains("/debrief/"));
    // The page, over a real connection that is left open (as a browser keeps it).
    let host = address
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap();
    let mut conn = std::net::TcpStream::connect(host).unwrap();
    write!(
        conn,
        "GET /?code={} HTTP/1.1\r\nHost: {host}\r\n\r\n",
        room.code
    )
    .unwrap();
    let mut got = [0u8; 4096];
    let n = conn.read(&mut got).unwrap();
    let head = String::from_utf8_lossy(&got[..n]);
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    // Ctrl-C.
    let stopped = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(
        rest.contains(&format!(
            "Stopped serving. Unfinished attempts are kept; a trainee who rejoins under the same \
             name carries on. Results: sgquiz report --session {}",
            room.code
        )),
        "{rest}"
    );
}

#[tokio::test]
async fn an_attempt_taken_over_in_the_terminal_records_nothing_more_from_the_browser() {
    let room = Room::new(&all_types(), &[]);
    let (router, _) = room.serve();
    let mut b = Browser::new(&router);
    b.join(&room.code, "Sam Patel").await;
    answer_current(&mut b, true).await;
    // The same trainee carries on in a terminal, taking the attempt over.
    Sg::new()
        .args([
            "run",
            "--session",
            &room.code,
            "--name",
            "Sam Patel",
            "--resume",
        ])
        .args([
            "--take-over",
            "--plain",
            "--store",
            room.db.to_str().unwrap(),
        ])
        .run();
    let page = b.get("/question").await;
    let fields = answer_all_types(&page.body, true);
    let res = b.post("/answer", &fields).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("Your attempt carries on elsewhere"));
    assert!(
        res.body.contains("taken over by another sitting"),
        "{}",
        res.body
    );
    let records = stored(&room.db);
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].questions.len(),
        1,
        "nothing more from the browser"
    );
    assert_eq!(b.get("/question").await.location.as_deref(), Some("/"));
}

#[tokio::test]
async fn a_stopped_server_lets_go_of_its_attempts_so_they_carry_on_in_the_terminal_at_once() {
    let room = Room::new(&all_types(), &[]);
    let app = room.serve_app();
    let mut b = Browser::new(&app.router);
    b.join(&room.code, "Sam Patel").await;
    answer_current(&mut b, true).await;
    let mut done = Browser::from(&app.router, "192.0.2.77:1");
    done.join(&room.code, "Finished Already").await;
    for _ in 0..7 {
        answer_current(&mut done, true).await;
    }
    // Held by the server: the terminal may not carry it on without taking it over.
    let held = Sg::new()
        .args([
            "run",
            "--session",
            &room.code,
            "--name",
            "Sam Patel",
            "--resume",
            "--plain",
        ])
        .args(["--store", room.db.to_str().unwrap()])
        .run();
    assert!(
        held.stderr.contains("open in another sitting"),
        "{}",
        held.stderr
    );
    assert_eq!(
        app.sittings.release().await.unwrap(),
        1,
        "the unfinished one"
    );
    let freed = Sg::new()
        .args([
            "run",
            "--session",
            &room.code,
            "--name",
            "Sam Patel",
            "--resume",
            "--plain",
        ])
        .args(["--store", room.db.to_str().unwrap()])
        .run();
    assert!(
        !freed.stderr.contains("another sitting"),
        "{}",
        freed.stderr
    );
    assert!(freed.stdout.contains("Question 2 of 7"), "{}", freed.stdout);
}

/// The PostgreSQL client blocks, so the store is opened and used off the server's async
/// threads (as `session serve` does: before its runtime starts, then on the store's own thread);
/// the browser alone runs on the runtime here.
#[test]
fn a_live_session_records_into_a_postgresql_store() {
    let url = crate::support::postgres::fresh_database();
    let room = Room::new_in(&all_types(), &[], PathBuf::from(&url));
    let (router, _) = room.serve();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut b = Browser::new(&router);
        let joined = b.join(&room.code, "Sam Patel").await;
        assert_eq!(joined.location.as_deref(), Some("/question"));
        for _ in 1..=7 {
            let page = b.get("/question").await;
            let fields = answer_all_types(&page.body, true);
            assert_eq!(
                b.post("/answer", &fields).await.location.as_deref(),
                Some("/feedback")
            );
            b.get("/feedback").await;
        }
        let result = b.get("/result").await;
        assert!(result.body.contains("Your result has been recorded."));
    });
    drop(router);
    let records = stored(&room.db);
    assert_eq!(records.len(), 1);
    assert!(records[0].is_complete() && records[0].questions.len() == 7);
    assert_eq!(records[0].passed, Some(true));
    let password = crate::support::postgres::server().password().to_string();
    let report = Sg::new()
        .args(["report", "--session", &room.code, "--store", &url])
        .run();
    assert!(!report.stdout.contains(&password) && !report.stderr.contains(&password));
    report.code(0).stdout_has("Sam Patel");
}
