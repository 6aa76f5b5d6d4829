//! A live session in a real browser: headless Chromium, driven over WebDriver (chromedriver),
//! takes a whole quiz with the keyboard only, and axe-core checks every kind of page for
//! accessibility faults. These tests FAIL, never skip, when Chromium, chromedriver or axe-core
//! is missing: `scripts/test` installs them (Debian's `chromium` and `chromium-driver`, and
//! `tools/axe` from its package-lock.json).

use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::support::{fixture, stored};
use crate::web::{Browser, Room, answer_all_types, answer_current};

const CHROMIUM: &[&str] = &["/usr/bin/chromium", "/usr/bin/chromium-browser"];
const CHROMEDRIVER: &[&str] = &["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

fn find(candidates: &[&str], what: &str) -> PathBuf {
    candidates
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "{what} is not installed (looked for {candidates:?}); run scripts/test, which \
                 installs it with apt-get"
            )
        })
}

fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is not installed at {} ({e}); run scripts/test, which runs `npm ci` in \
             tools/axe",
            path.display()
        )
    })
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on a free port; killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let binary = find(
        CHROMEDRIVER,
        "chromedriver (Debian package chromium-driver)",
    );
    let port = free_port();
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let chromium = find(CHROMIUM, "Chromium (Debian package chromium)");
    // On a machine busy with the rest of the suite, Chromium can be slower to start than
    // chromedriver waits for: a new session is asked for again, with a fresh profile, before
    // the test fails.
    let mut failures = Vec::new();
    for attempt in 1..=3 {
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.join(format!("try-{attempt}")).display()),
                ],
            }
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => return client,
            Err(e) => failures.push(format!("attempt {attempt}: {e}")),
        }
    }
    panic!(
        "no WebDriver session with headless Chromium:\n{}",
        failures.join("\n")
    )
}

/// Serves the room's session on a free loopback port.
async fn serve(room: &Room) -> (SocketAddr, String) {
    let (router, debrief) = room.serve();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    (addr, debrief)
}

/// Presses `key` (a character or one of WebDriver's special keys) on the keyboard.
async fn press(c: &Client, key: char) {
    let keys = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.unwrap();
}

async fn type_text(c: &Client, text: &str) {
    for ch in text.chars() {
        press(c, ch).await;
    }
}

/// What has the keyboard's focus: its id, else its text.
async fn focused(c: &Client) -> String {
    let v = c
        .execute(
            "const e = document.activeElement; return e ? (e.id || e.textContent.trim()) : '';",
            vec![],
        )
        .await
        .unwrap();
    v.as_str().unwrap_or_default().to_string()
}

/// Presses Tab until the element with this id (or this text) has the focus.
async fn tab_to(c: &Client, target: &str) {
    for _ in 0..80 {
        if focused(c).await == target {
            return;
        }
        press(c, Key::Tab.into()).await;
    }
    let page = c.source().await.unwrap();
    panic!("Tab never reached {target:?} on\n{page}");
}

/// Checks that the focused element shows a visible focus indicator.
async fn focus_is_visible(c: &Client) {
    let shown = c
        .execute(
            "const s = getComputedStyle(document.activeElement); \
             return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        shown,
        json!(true),
        "no visible focus on {}",
        focused(c).await
    );
}

/// Runs axe-core on the page; panics with every violation found.
async fn axe(c: &Client, axe: &str, what: &str) {
    let found = axe_faults(c, axe).await;
    assert_eq!(found, json!([]), "axe-core found faults on the {what} page");
}

/// What axe-core finds wrong with the page.
async fn axe_faults(c: &Client, axe: &str) -> Value {
    c.execute(&format!("{axe}\nreturn true;"), vec![])
        .await
        .unwrap();
    c.execute_async(
        "const done = arguments[arguments.length - 1]; \
             axe.run(document, { runOnly: { type: 'tag', values: \
               ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }) \
               .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help, \
                 nodes: v.nodes.map(n => n.html) })))) \
               .catch(e => done([{ id: 'axe failed', help: String(e), nodes: [] }]));",
        vec![],
    )
    .await
    .unwrap()
}

/// No sideways scrolling: the page fits its window.
async fn fits(c: &Client, what: &str) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, client) = (v[0].as_u64().unwrap(), v[1].as_u64().unwrap());
    assert!(
        scroll <= client,
        "the {what} page scrolls sideways: {scroll} > {client}"
    );
}

fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-shots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(shots().join(format!("{name}.png")), png).unwrap();
}

/// Answers the question on the page with the keyboard only: Tab to each control, arrows for
/// radios and selects, Space for checkboxes, typing for text; Tab to the button and Enter.
async fn answer_by_keyboard(c: &Client, right: bool) {
    let page = c.source().await.unwrap();
    let fields = answer_all_types(&page, right);
    for (name, value) in fields.iter().skip(2) {
        let kind = c
            .execute(
                "const e = document.getElementsByName(arguments[0])[0]; \
                 return e.tagName === 'SELECT' ? 'select' : e.type;",
                vec![json!(name)],
            )
            .await
            .unwrap();
        match kind.as_str().unwrap() {
            "radio" => {
                // Tab lands on the group's first radio; the arrows move and choose.
                tab_to(c, "answer").await;
                let at = match value.as_str() {
                    "true" => 0,
                    "false" => 1,
                    n => n.parse::<usize>().unwrap() - 1,
                };
                if at == 0 {
                    press(c, ' ').await;
                }
                for _ in 0..at {
                    press(c, Key::Down.into()).await;
                }
            }
            "checkbox" => {
                let id = c
                    .execute(
                        "return [...document.getElementsByName(arguments[0])] \
                         .find(e => e.value === arguments[1]).id;",
                        vec![json!(name), json!(value)],
                    )
                    .await
                    .unwrap();
                tab_to(c, id.as_str().unwrap()).await;
                focus_is_visible(c).await;
                press(c, ' ').await;
            }
            "select" => {
                let info = c
                    .execute(
                        "const e = document.getElementsByName(arguments[0])[0]; \
                         return [e.id, [...e.options].findIndex(o => o.value === arguments[1])];",
                        vec![json!(name), json!(value)],
                    )
                    .await
                    .unwrap();
                tab_to(c, info[0].as_str().unwrap()).await;
                focus_is_visible(c).await;
                for _ in 0..info[1].as_u64().unwrap() {
                    press(c, Key::Down.into()).await;
                }
            }
            _ => {
                tab_to(c, "answer").await;
                focus_is_visible(c).await;
                type_text(c, value).await;
            }
        }
    }
    tab_to(c, "Save and continue").await;
    focus_is_visible(c).await;
    mark_page(c).await;
    press(c, Key::Enter.into()).await;
}

/// Marks the page now shown, so that `wait_for_next_page` can tell when another has replaced
/// it (the next question has the same address and the same kind of heading as the last).
async fn mark_page(c: &Client) {
    c.execute("window.sgquizOldPage = true;", vec![])
        .await
        .unwrap();
}

/// Waits until a page other than the one `mark_page` marked has loaded, with its h1.
async fn wait_for_next_page(c: &Client) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let fresh = c
            .execute(
                "return document.readyState === 'complete' && !window.sgquizOldPage \
                 && document.querySelector('h1') !== null;",
                vec![],
            )
            .await;
        if fresh.is_ok_and(|v| v.as_bool() == Some(true)) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no new page: {}",
            c.source().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_for_h1(c: &Client, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(h1) = c.find(Locator::Css("h1")).await
            && h1.text().await.unwrap_or_default().contains(text)
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "no h1 with {text:?}: {}",
            c.source().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_quiz_is_taken_with_the_keyboard_only_and_every_page_passes_axe() {
    let axe_js = axe_source();
    let room = Room::new(&fixture("all-types.toml"), &[]);
    let (addr, _) = serve(&room).await;
    let driver = start_driver();
    let profile = crate::support::tempdir("chromium-profile");
    let c = browser(&driver, &profile).await;
    let base = format!("http://{addr}");

    c.goto(&format!("{base}/?code={}", room.code))
        .await
        .unwrap();
    wait_for_h1(&c, "All seven question types").await;
    axe(&c, &axe_js, "opening").await;
    shot(&c, "opening-desktop").await;
    // A join with no name: the error summary, checked too.
    tab_to(&c, "Start the quiz").await;
    mark_page(&c).await;
    press(&c, Key::Enter.into()).await;
    wait_for_next_page(&c).await;
    wait_for_h1(&c, "All seven question types").await;
    assert!(c.source().await.unwrap().contains("There is a problem"));
    axe(&c, &axe_js, "opening with an error").await;
    tab_to(&c, "name").await;
    focus_is_visible(&c).await;
    type_text(&c, "Kim Keyboard").await;
    mark_page(&c).await;
    press(&c, Key::Enter.into()).await;

    for n in 1..=7 {
        wait_for_next_page(&c).await;
        let page = c.source().await.unwrap();
        assert!(page.contains(&format!("Question {n} of 7")), "{page}");
        axe(&c, &axe_js, &format!("question {n}")).await;
        if n == 1 {
            // A refused answer first: nothing chosen.
            tab_to(&c, "Save and continue").await;
            mark_page(&c).await;
            press(&c, Key::Enter.into()).await;
            wait_for_next_page(&c).await;
            assert!(c.source().await.unwrap().contains("There is a problem"));
            axe(&c, &axe_js, "question with an error").await;
        }
        shot(&c, &format!("question-{n}-desktop")).await;
        answer_by_keyboard(&c, n != 2).await;
        wait_for_next_page(&c).await;
        let feedback = c.source().await.unwrap();
        assert!(feedback.contains("<h1 class=\"verdict"), "{feedback}");
        axe(&c, &axe_js, "feedback").await;
        shot(&c, &format!("feedback-{n}-desktop")).await;
        let next = if n < 7 {
            "Next question"
        } else {
            "See your result"
        };
        tab_to(&c, next).await;
        focus_is_visible(&c).await;
        mark_page(&c).await;
        press(&c, Key::Enter.into()).await;
    }
    wait_for_h1(&c, "Your result").await;
    axe(&c, &axe_js, "result").await;
    shot(&c, "result-desktop").await;
    let result = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        result.contains("Your result has been recorded."),
        "{result}"
    );

    // The narrowest phone: 320 CSS pixels, nothing scrolls sideways.
    c.set_window_size(320, 800).await.unwrap();
    let width = c
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap();
    assert!(width.as_u64().unwrap() <= 400, "the window is {width} wide");
    fits(&c, "result").await;
    shot(&c, "result-320").await;
    c.goto(&format!("{base}/")).await.unwrap();
    fits(&c, "opening").await;
    shot(&c, "opening-320").await;
    c.goto(&format!("{base}/nowhere")).await.unwrap();
    axe(&c, &axe_js, "not found").await;
    c.close().await.unwrap();

    let records = stored(&room.db);
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.name, "Kim Keyboard");
    assert!(r.is_complete(), "the whole attempt is recorded");
    assert_eq!(r.questions.len(), 7);
    assert!(
        r.score.unwrap() < r.max_score,
        "question 2 was answered wrong"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn question_pages_reflow_at_320_pixels_and_the_review_and_debrief_pass_axe() {
    let axe_js = axe_source();
    let room = Room::new(&fixture("all-types.toml"), &["--review-at-end"]);
    let (addr, debrief) = serve(&room).await;
    let driver = start_driver();
    let profile = crate::support::tempdir("chromium-profile");
    let c = browser(&driver, &profile).await;
    c.set_window_size(320, 800).await.unwrap();
    let base = format!("http://{addr}");
    c.goto(&format!("{base}/?code={}", room.code))
        .await
        .unwrap();
    tab_to(&c, "name").await;
    type_text(&c, "Narrow Phone").await;
    mark_page(&c).await;
    press(&c, Key::Enter.into()).await;
    for n in 1..=7 {
        wait_for_next_page(&c).await;
        fits(&c, &format!("question {n}")).await;
        shot(&c, &format!("question-{n}-320")).await;
        if n == 2 {
            let page = c.source().await.unwrap();
            assert!(page.contains("Answer saved."), "{page}");
            axe(&c, &axe_js, "question after a saved answer").await;
        }
        answer_by_keyboard(&c, true).await;
    }
    wait_for_h1(&c, "Your result").await;
    fits(&c, "review").await;
    axe(&c, &axe_js, "result with the review").await;
    shot(&c, "review-320").await;
    // The check can fail: an image without words, slipped into the page, is found.
    c.execute(
        "const i = document.createElement('img'); i.src = '/style.css'; \
         document.querySelector('main').appendChild(i); return true;",
        vec![],
    )
    .await
    .unwrap();
    let faults = axe_faults(&c, &axe_js).await.to_string();
    assert!(faults.contains("image-alt"), "{faults}");
    c.goto(&format!("http://{addr}{debrief}")).await.unwrap();
    wait_for_h1(&c, "Debrief").await;
    assert!(c.source().await.unwrap().contains("1 finished attempt."));
    fits(&c, "debrief").await;
    shot(&c, "debrief-320").await;
    c.set_window_size(1280, 900).await.unwrap();
    axe(&c, &axe_js, "debrief").await;
    shot(&c, "debrief-desktop").await;
    c.close().await.unwrap();
    let r = &stored(&room.db)[0];
    assert!(r.is_complete() && r.score == Some(r.max_score));
}

/// One more trainee takes the whole quiz over HTTP (through a second server on the same store,
/// as a room's other devices would) and finishes.
async fn one_more_finishes(room: &Room, n: usize) {
    let (router, _) = room.serve();
    let mut b = Browser::from(&router, &format!("192.0.2.{}:1", 100 + n));
    b.join(&room.code, &format!("Trainee {n}")).await;
    for _ in 0..7 {
        answer_current(&mut b, true).await;
    }
}

async fn text_of(c: &Client, id: &str) -> String {
    c.find(Locator::Id(id)).await.unwrap().text().await.unwrap()
}

/// Waits up to `within` for the debrief's count to say `said`; false if it never does.
async fn count_becomes(c: &Client, said: &str, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if text_of(c, "finished").await == said {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_debrief_updates_itself_until_stopped_and_keeps_the_focus() {
    let axe_js = axe_source();
    let room = Room::new(&fixture("all-types.toml"), &[]);
    let (addr, debrief) = serve(&room).await;
    one_more_finishes(&room, 1).await;
    let driver = start_driver();
    let profile = crate::support::tempdir("chromium-profile");
    let c = browser(&driver, &profile).await;
    c.goto(&format!("http://{addr}{debrief}")).await.unwrap();
    wait_for_h1(&c, "Debrief").await;
    assert_eq!(text_of(&c, "finished").await, "1 finished attempt.");
    // With the script, the control to stop it is shown, and the page says it updates itself.
    assert_eq!(text_of(&c, "pause").await, "Stop updating");
    assert_eq!(
        text_of(&c, "updating").await,
        "This page updates itself every 5 seconds."
    );
    axe(&c, &axe_js, "debrief, updating").await;

    // Stopped with the keyboard: nothing changes, however long it is left.
    tab_to(&c, "pause").await;
    focus_is_visible(&c).await;
    press(&c, Key::Enter.into()).await;
    assert_eq!(text_of(&c, "pause").await, "Start updating");
    assert_eq!(focused(&c).await, "pause", "the focus stays on the control");
    one_more_finishes(&room, 2).await;
    assert!(
        !count_becomes(&c, "2 finished attempts.", Duration::from_secs(8)).await,
        "the debrief updated while stopped"
    );
    axe(&c, &axe_js, "debrief, stopped").await;

    // Started again: the latest at once, and the focus where it was.
    press(&c, Key::Enter.into()).await;
    assert!(count_becomes(&c, "2 finished attempts.", Duration::from_secs(5)).await);
    assert_eq!(focused(&c).await, "pause");
    assert_eq!(text_of(&c, "pause").await, "Stop updating");

    // The focus on the table's region stays there while the table is replaced.
    tab_to(&c, "analysis").await;
    one_more_finishes(&room, 3).await;
    assert!(
        count_becomes(&c, "3 finished attempts.", Duration::from_secs(12)).await,
        "the debrief did not update itself: {}",
        c.source().await.unwrap()
    );
    assert_eq!(focused(&c).await, "analysis", "the update took the focus");
    let updated = text_of(&c, "updating").await;
    assert!(
        updated.starts_with("This page updates itself every 5 seconds. Last updated at "),
        "{updated}"
    );
    let answered = text_of(&c, "analysis").await;
    assert!(answered.contains("Which letter comes second"), "{answered}");
    axe(&c, &axe_js, "debrief, updated").await;
    c.close().await.unwrap();
}
