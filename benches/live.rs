//! A live session under load: 200 simulated trainees each take a 10-question quiz at once,
//! against one server on loopback, recorded in one SQLite store. Reports the errors, how many
//! attempts were recorded, and the page times (every request a trainee makes: the opening page,
//! joining, each question, answer and feedback, and the result). The target: no errors, 200 of
//! 200 recorded, and the 99th percentile under 100 ms on a 2-core machine.
//!
//! The simulated browsers run in the same process as the server, on the same two worker
//! threads, so the figures include their cost too. The server listens as `session serve` does
//! (`commands::serve::listener`), and the 99th percentile of each kind of request is printed, to
//! tell a page served from memory from a save on the store's thread. Run with
//! `cargo bench --bench live`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use sgquiz::bank::catalog::Source;
use sgquiz::commands::serve::web_app;
use sgquiz::records::record::now;
use sgquiz::records::session::{Session, new_code};
use sgquiz::records::store::{Filter, Location};

const TRAINEES: usize = 200;
const QUESTIONS: usize = 10;

type Http = Client<HttpConnector, Body>;

fn bank_text() -> String {
    let mut text = String::from(
        "format = 1\n[quiz]\nid = \"live-bench\"\ntitle = \"Live session benchmark\"\n\
         shuffle = false\npass_mark = 80\n",
    );
    for i in 1..=QUESTIONS {
        text.push_str(&format!(
            "[[question]]\nid = \"q{i}\"\ntype = \"true_false\"\nanswer = true\n\
             prompt = \"Statement {i}.\"\nexplanation = \"It is true.\"\n"
        ));
    }
    text
}

struct Trainee {
    http: Http,
    base: String,
    cookies: Vec<String>,
    times: Vec<Duration>,
    slowest: Vec<(Duration, String)>,
    errors: Vec<String>,
    /// Said after each request's address in the figures: " (last)" for the answer that
    /// finishes the attempt, whose save waits for the disk.
    tag: &'static str,
}

impl Trainee {
    async fn request(&mut self, req: Request<Body>, expect: StatusCode) -> String {
        let mut req = req;
        if !self.cookies.is_empty() {
            req.headers_mut()
                .insert("cookie", self.cookies.join("; ").parse().unwrap());
        }
        let what = format!("{} {}{}", req.method(), req.uri(), self.tag);
        let started = Instant::now();
        let res = match self.http.request(req).await {
            Ok(res) => res,
            Err(e) => {
                self.errors.push(format!("{what}: {e}"));
                return String::new();
            }
        };
        let status = res.status();
        for c in res.headers().get_all("set-cookie") {
            let pair = c.to_str().unwrap().split(';').next().unwrap().to_string();
            let name = pair.split('=').next().unwrap().to_string();
            self.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
            self.cookies.push(pair);
        }
        let body = axum::body::to_bytes(Body::new(res.into_body()), 1 << 20)
            .await
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        self.times.push(started.elapsed());
        self.slowest.push((started.elapsed(), what.clone()));
        if status != expect {
            self.errors.push(format!("{what}: {status}"));
        }
        body
    }

    async fn get(&mut self, path: &str, expect: StatusCode) -> String {
        let req = Request::get(format!("{}{path}", self.base))
            .body(Body::empty())
            .unwrap();
        self.request(req, expect).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> String {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = Request::post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.request(req, StatusCode::SEE_OTHER).await
    }
}

fn hidden(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    body.find(&key)
        .map(|at| {
            let rest = &body[at + key.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .unwrap_or_default()
}

async fn take_quiz(http: Http, base: String, code: String, n: usize) -> Trainee {
    let mut t = Trainee {
        http,
        base,
        cookies: Vec::new(),
        times: Vec::new(),
        slowest: Vec::new(),
        errors: Vec::new(),
        tag: "",
    };
    let opening = t.get("/", StatusCode::OK).await;
    let csrf = hidden(&opening, "csrf");
    let name = format!("Trainee {n}");
    t.post(
        "/join",
        &[("csrf", &csrf), ("code", &code), ("name", &name)],
    )
    .await;
    for q in 1..=QUESTIONS {
        let page = t.get("/question", StatusCode::OK).await;
        let csrf = hidden(&page, "csrf");
        let number = hidden(&page, "question");
        t.tag = if q == QUESTIONS { " (last)" } else { "" };
        t.post(
            "/answer",
            &[("csrf", &csrf), ("question", &number), ("answer", "true")],
        )
        .await;
        t.tag = "";
        t.get("/feedback", StatusCode::OK).await;
    }
    let result = t.get("/result", StatusCode::OK).await;
    if !result.contains("Your result has been recorded.") {
        t.errors
            .push(format!("{name}: the result was not recorded"));
    }
    t
}

fn main() {
    let dir = std::env::temp_dir().join(format!("sgquiz-live-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("results.db");
    let location = Location::of(&db);
    let source = Source {
        file: "live-bench.toml".to_string(),
        text: bank_text(),
    };
    let code = new_code();
    {
        let mut store = location.open().unwrap();
        store
            .add_session(&Session {
                code: code.clone(),
                title: "Benchmark".to_string(),
                quiz: "live-bench".to_string(),
                bank_file: source.file.clone(),
                bank_text: source.text.clone(),
                bank_hash: source.hash(),
                pass_mark: None,
                review_at_end: false,
                created: now(),
                closed: None,
            })
            .unwrap();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (times, errors, wall) = runtime.block_on(async {
        let app = web_app(&location, &code, None, Arc::new(|_| {}), &[]).unwrap();
        // Listening as `session serve` listens (with its backlog).
        let listener = sgquiz::commands::serve::listener("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.router
                    .into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        let base = format!("http://{addr}");
        let started = Instant::now();
        // Each trainee's device has an address of its own (127.0.0.2, 127.0.0.3, …: Linux
        // answers for the whole of 127.0.0.0/8), as phones on a school's network do, so that
        // the limit on joins per address applies as it would in a room.
        let trainees: Vec<_> = (0..TRAINEES)
            .map(|n| {
                let mut connector = HttpConnector::new();
                connector.set_local_address(Some(std::net::IpAddr::from([
                    127,
                    0,
                    (2 + n / 250) as u8,
                    (2 + n % 250) as u8,
                ])));
                let http: Http = Client::builder(TokioExecutor::new()).build(connector);
                tokio::spawn(take_quiz(http, base.clone(), code.clone(), n))
            })
            .collect();
        let mut times = Vec::new();
        let mut errors = Vec::new();
        let mut slow: Vec<(Duration, String)> = Vec::new();
        let mut later: Vec<Duration> = Vec::new();
        for t in trainees {
            let t = t.await.unwrap();
            later.extend(t.times.iter().skip(1).copied());
            times.extend(t.times);
            slow.extend(t.slowest);
            errors.extend(t.errors);
        }
        // The slowest kinds of request, to tell the server's time from the network's (such as a
        // new connection's setup).
        slow.sort();
        let over: Vec<&(Duration, String)> = slow
            .iter()
            .filter(|(d, _)| *d > Duration::from_millis(500))
            .collect();
        let mut kinds: Vec<String> = over
            .iter()
            .map(|(_, w)| {
                let method = w.split(' ').next().unwrap_or("");
                format!("{method} /{}", w.rsplit('/').next().unwrap_or(""))
            })
            .collect();
        kinds.sort();
        kinds.dedup();
        println!(
            "requests over 500 ms: {} ({})",
            over.len(),
            kinds.join(", ")
        );
        // The 99th percentile of each kind of request: a store write (join, answer) waits its
        // turn on the store's one thread; a page only reads what the server holds.
        let mut by_kind: std::collections::BTreeMap<String, Vec<Duration>> = Default::default();
        for (d, w) in &slow {
            let method = w.split(' ').next().unwrap_or("");
            let path = w.rsplit('/').next().unwrap_or("");
            by_kind
                .entry(format!("{method} /{path}"))
                .or_default()
                .push(*d);
        }
        let kinds: Vec<String> = by_kind
            .iter_mut()
            .map(|(k, v)| {
                v.sort();
                let p99 = v[(v.len() * 99).div_ceil(100) - 1];
                format!("{k} {:.1}", p99.as_secs_f64() * 1000.0)
            })
            .collect();
        println!("p99 by request, ms: {}", kinds.join(", "));
        later.sort();
        let p99 = later[(later.len() * 99).div_ceil(100) - 1];
        println!(
            "page time without each trainee's first request (a new connection): p99 {:.1} ms",
            p99.as_secs_f64() * 1000.0
        );
        (times, errors, started.elapsed())
    });
    drop(runtime);
    let store = location.open_existing().unwrap();
    let recorded = store
        .summaries(&Filter {
            session: Some(code.clone()),
            finished_only: true,
            ..Filter::default()
        })
        .unwrap()
        .len();
    let mut times = times;
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "live session: {TRAINEES} trainees x {QUESTIONS} questions at once, one server on loopback"
    );
    println!(
        "requests: {}, wall time {:.2} s",
        times.len(),
        wall.as_secs_f64()
    );
    println!("errors: {}", errors.len());
    for e in errors.iter().take(10) {
        println!("  {e}");
    }
    println!("recorded: {recorded} of {TRAINEES}");
    println!(
        "page time: median {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.9).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        times.last().unwrap().as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}
