//! The real interactive binary in a pseudo-terminal: arrow keys, Space and Enter, as a trainee
//! presses them. Timeouts are generous so that a busy machine does not make these flaky.

use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::{Eof, Expect, Session};

use crate::support::fixture;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const CTRL_C: &str = "\x03";

/// Said under feedback, and under each page, when the trainee is to press a key.
const PRESS: &str = "Press any key";

fn spawn(args: &[&str]) -> expectrl::session::OsSession {
    spawn_sized(args, 100, 40)
}

fn spawn_sized(args: &[&str], cols: u16, rows: u16) -> expectrl::session::OsSession {
    // The terminal is given its size before the binary starts, which asks it once.
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "stty cols {cols} rows {rows} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_sgquiz"))
        .args(args);
    spawn_command_sized(cmd, cols, rows)
}

fn spawn_command(cmd: Command) -> expectrl::session::OsSession {
    spawn_command_sized(cmd, 100, 40)
}

fn spawn_command_sized(mut cmd: Command, cols: u16, rows: u16) -> expectrl::session::OsSession {
    // The width and height are the terminal's own: no COLUMNS or LINES to go by.
    cmd.env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("COLUMNS")
        .env_remove("LINES");
    let mut session = Session::spawn(cmd).expect("the binary starts in a pseudo-terminal");
    session
        .get_process_mut()
        .set_window_size(cols, rows)
        .expect("window size");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session
}

#[track_caller]
fn exit_code(session: &expectrl::session::OsSession) -> i32 {
    match session.get_process().wait().expect("the process ends") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("the process did not exit normally: {other:?}"),
    }
}

#[test]
fn a_trainee_answers_select_multiselect_and_number() {
    let bank = fixture("terminal.toml");
    let mut s = spawn(&["run", bank.to_str().unwrap()]);
    s.expect("Start the quiz?").unwrap();
    s.send(ENTER).unwrap();

    s.expect("Which is the second choice?").unwrap();
    s.expect("Third").unwrap();
    s.send(DOWN).unwrap();
    s.send(ENTER).unwrap();
    s.expect("✓ Correct").unwrap();
    s.expect("Press any key for question 2 of 3").unwrap();
    s.send(ENTER).unwrap();

    s.expect("Which are odd?").unwrap();
    s.expect("Three").unwrap();
    s.send(" ").unwrap();
    s.send(DOWN).unwrap();
    s.send(DOWN).unwrap();
    s.send(" ").unwrap();
    s.send(ENTER).unwrap();
    s.expect("✓ Correct").unwrap();
    s.expect(PRESS).unwrap();
    s.send("x").unwrap();

    s.expect("Type fifty-eight in digits.").unwrap();
    s.expect("Your answer").unwrap();
    s.send("58").unwrap();
    s.send(ENTER).unwrap();
    s.expect("✓ Correct").unwrap();
    s.expect("Press any key to see your result").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Score: 3 of 3 (100%)").unwrap();
    s.expect("Press any key to see where to find support")
        .unwrap();
    s.send(ENTER).unwrap();
    s.expect("Support").unwrap();
    s.expect("Not recorded: no name was given.").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn ctrl_c_stops_the_quiz_with_130_and_restores_the_terminal() {
    let bank = fixture("terminal.toml");
    let mut s = spawn(&["run", bank.to_str().unwrap()]);
    s.expect("Start the quiz?").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Third").unwrap();
    s.send(CTRL_C).unwrap();
    s.expect("Quiz stopped; no score recorded").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 130);
    // inquire puts the terminal in raw mode (no line editing) while it reads keys; it must be
    // back in canonical mode once the quiz has stopped.
    let tty = s.get_process().get_raw_handle().expect("the terminal");
    let attrs = nix::sys::termios::tcgetattr(std::os::fd::AsRawFd::as_raw_fd(&tty))
        .expect("terminal attributes");
    assert!(
        attrs
            .local_flags
            .contains(nix::sys::termios::LocalFlags::ICANON),
        "the terminal was left in raw mode"
    );
}

#[test]
fn the_menu_opens_the_chosen_quiz() {
    let mut s = spawn(&[]);
    s.expect("Which quiz would you like to take?").unwrap();
    s.send(ENTER).unwrap();
    // Not recorded: Enter takes the default, no.
    s.expect("Keep your result in the training records")
        .unwrap();
    s.send(ENTER).unwrap();
    s.expect("Before you start").unwrap();
    s.expect("Start the quiz?").unwrap();
    s.send("\x1b").unwrap();
    s.expect("Quiz stopped; no score recorded").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 130);
}

#[test]
fn the_kiosk_leaves_the_result_on_screen_for_the_next_person_then_clears_it() {
    let dir = crate::support::tempdir("terminal");
    let db = dir.join("results.db");
    let bank = fixture("terminal.toml");
    let made = crate::support::Sg::new()
        .args([
            "session",
            "new",
            "--quiz",
            bank.to_str().unwrap(),
            "--title",
            "Kiosk",
        ])
        .args(["--store", db.to_str().unwrap()])
        .run();
    made.code(0);
    let code = made
        .stdout
        .lines()
        .next()
        .unwrap()
        .replace("Session code: ", "");
    // On a terminal of 80 by 24, as a trainee sees it.
    let mut s = spawn_sized(
        &["session", "kiosk", &code, "--store", db.to_str().unwrap()],
        80,
        24,
    );
    let mut screen = Screen::new(80, 24);
    screen.expect(&mut s, "Your name, for the training record:");
    s.send("Sam Patel").unwrap();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Start the quiz?");
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Third");
    s.send(DOWN).unwrap();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, PRESS);
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Three");
    s.send(" ").unwrap();
    s.send(DOWN).unwrap();
    s.send(DOWN).unwrap();
    s.send(" ").unwrap();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, PRESS);
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Type fifty-eight in digits.");
    screen.expect(&mut s, "Your answer");
    s.send("58").unwrap();
    s.send(ENTER).unwrap();
    // On a kiosk the support comes before the result, so that the result is still on screen
    // when the next person is called.
    screen.expect(
        &mut s,
        "Press any key for support contacts, then your result",
    );
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Press any key to see your result.");
    let support = screen.text();
    assert!(
        support.contains("Support") && support.contains("Childline 0800 1111"),
        "{support}"
    );
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "press Enter for the next person.");
    let shown = screen.text();
    assert!(shown.contains("Your result"), "{shown}");
    assert!(shown.contains("Score: 3 of 3 (100%)"), "{shown}");
    assert!(shown.contains("✓ Passed."), "{shown}");
    assert!(shown.contains("Your result has been recorded."), "{shown}");
    screen.assert_fits();
    s.send(ENTER).unwrap();
    // The screen and the scrollback are cleared before the next trainee is asked their name.
    s.expect("\x1b[2J\x1b[3J").unwrap();
    // The next trainee stops part way, then presses Esc instead of Enter: the screen is still
    // cleared before the kiosk closes.
    s.expect("Your name, for the training record:").unwrap();
    s.send("Alex Jones").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Start the quiz?").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Third").unwrap();
    s.send("\x1b").unwrap();
    s.expect("Quiz stopped; no score recorded").unwrap();
    s.expect("press Enter for the next person").unwrap();
    s.send("\x1b").unwrap();
    s.expect("\x1b[2J\x1b[3J").unwrap();
    s.expect("The kiosk has closed").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
    let records = crate::support::stored(&db);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].name, "Sam Patel");
    assert_eq!(records[0].score, Some(3.0));
    assert_eq!(records[1].name, "Alex Jones");
    assert!(!records[1].is_complete());
}

#[test]
fn a_trainee_still_sees_the_questions_when_standard_output_goes_to_a_file() {
    let dir = crate::support::tempdir("terminal");
    let out = dir.join("out.txt");
    let bank = fixture("terminal.toml");
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(format!(
        "stty cols 100 rows 40 && '{}' run '{}' > '{}'",
        env!("CARGO_BIN_EXE_sgquiz"),
        bank.display(),
        out.display()
    ));
    let mut s = spawn_command(cmd);
    s.expect("Start the quiz?").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Which is the second choice?").unwrap();
    s.send("\x1b").unwrap();
    s.expect("Quiz stopped; no score recorded").unwrap();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 130);
}

/// Feeds what a session has printed to a terminal emulator, to read the screen as a trainee sees
/// it.
struct Screen {
    parser: vt100::Parser,
}

impl Screen {
    fn new(cols: u16, rows: u16) -> Screen {
        Screen {
            parser: vt100::Parser::new(
                std::num::NonZero::new(rows).expect("rows"),
                std::num::NonZero::new(cols).expect("columns"),
                0,
            ),
        }
    }

    /// Waits for `text` and takes in everything printed up to and including it.
    #[track_caller]
    fn expect(&mut self, s: &mut expectrl::session::OsSession, text: &str) {
        let found = s
            .expect(text)
            .unwrap_or_else(|e| panic!("{text:?} never came: {e}\n{}", self.text()));
        self.parser.process(found.before());
        for m in found.matches() {
            self.parser.process(m);
        }
    }

    /// Waits for `first` or `second` and takes in everything up to it; true if `first` came.
    #[track_caller]
    fn expect_either(
        &mut self,
        s: &mut expectrl::session::OsSession,
        first: &str,
        second: &str,
    ) -> bool {
        let pattern = format!("{}|{}", regex_quote(first), regex_quote(second));
        let found = s
            .expect(expectrl::Regex(pattern.as_str()))
            .unwrap_or_else(|e| panic!("{pattern:?} never came: {e}\n{}", self.text()));
        self.parser.process(found.before());
        let matched: Vec<u8> = found.matches().flat_map(|m| m.to_vec()).collect();
        self.parser.process(&matched);
        matched == first.as_bytes()
    }

    fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Every row the terminal had to wrap because a line was wider than the screen.
    fn overflowing_rows(&self) -> Vec<String> {
        let screen = self.parser.screen();
        let (rows, cols) = screen.size();
        let lines: Vec<String> = screen.rows(0, cols.get()).collect();
        (0..rows.get())
            .filter(|&r| screen.row_wrapped(r))
            .map(|r| lines[usize::from(r)].clone())
            .collect()
    }

    /// Asserts that no line on screen is wider than the screen: every line was ended by the
    /// program, which wraps only between words.
    #[track_caller]
    fn assert_fits(&self) {
        let over = self.overflowing_rows();
        assert!(
            over.is_empty(),
            "lines wider than the screen: {over:#?}\n{}",
            self.text()
        );
    }
}

#[test]
fn at_40_columns_no_line_is_wider_than_the_screen_and_no_word_is_broken() {
    let bank = fixture("long-lines.toml");
    let mut s = spawn_sized(&["run", bank.to_str().unwrap()], 40, 24);
    let mut screen = Screen::new(40, 24);
    // The opening screen is taller than 24 lines: it comes in pages, each of which fits.
    screen.expect(&mut s, "Press any key to read on.");
    screen.assert_fits();
    assert!(
        screen.text().contains("Before you start"),
        "{}",
        screen.text()
    );
    loop {
        s.send(ENTER).unwrap();
        if screen.expect_either(&mut s, "read on.", "Start the quiz?") {
            screen.assert_fits();
        } else {
            break;
        }
    }
    screen.expect(&mut s, "leave");
    screen.assert_fits();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Question 1 of 2");
    screen.expect(&mut s, "quiz]");
    screen.assert_fits();
    let shown = screen.text();
    // The long choices are wrapped under their own first word (a hanging indent).
    assert!(shown.contains("> The organisation agreed that"), "{shown}");
    assert!(shown.contains("\n  responsibilities would"), "{shown}");
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "✓ Correct");
    screen.expect(&mut s, "quiz).");
    screen.assert_fits();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Question 2 of 2");
    screen.expect(&mut s, "quiz]");
    screen.assert_fits();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "quiz]");
    s.send(DOWN).unwrap();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "quiz).");
    screen.assert_fits();
    // The verdict, whichever it is (the options are in a fresh order each run).
    assert!(screen.text().contains(" of 1 point)"), "{}", screen.text());
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "support.");
    screen.assert_fits();
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "no name was given.");
    screen.assert_fits();
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
}

#[test]
fn at_80_by_24_the_verdict_on_a_wrong_match_answer_is_on_screen_when_asked_to_go_on() {
    let bank = fixture("all-types.toml");
    let args = [
        "run",
        bank.to_str().unwrap(),
        "--topic",
        "ordering",
        "--no-shuffle",
        "--seed",
        "1",
    ];
    let mut s = spawn_sized(&args, 80, 24);
    let mut screen = Screen::new(80, 24);
    // The opening screen: the title, the content note and the support are all on screen
    // when the trainee is asked to start (the bank gives no support of its own, so the
    // default's contacts, one line each).
    screen.expect(&mut s, "Start the quiz?");
    screen.expect(&mut s, "leave");
    let consent = screen.text();
    assert!(consent.contains("All seven question types"), "{consent}");
    assert!(consent.contains("Before you start"), "{consent}");
    assert!(
        consent.contains("Support") && consent.contains("call 999"),
        "{consent}"
    );
    assert!(consent.contains("--plain"), "{consent}");
    s.send(ENTER).unwrap();
    // The order question, answered as shown.
    screen.expect(&mut s, "Which comes first?");
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Which comes second?");
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Press any key for question 2 of 2");
    s.send(ENTER).unwrap();
    // The options are Category A, B, C; the right ones are C, B, A. All three wrong:
    screen.expect(&mut s, "Level 1: which option?");
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Levels 2 and 3: which option?");
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Levels 4 and 5: which option?");
    s.send(DOWN).unwrap();
    s.send(ENTER).unwrap();
    screen.expect(
        &mut s,
        "Press any key to see your result (Esc to stop the quiz).",
    );
    let shown = screen.text();
    assert!(shown.contains("✗ Incorrect (0 of 1 point)"), "{shown}");
    assert!(
        shown.contains("a) Level 1: you chose Category A, wrong: it is Category C"),
        "{shown}"
    );
    assert!(
        shown.contains("Press any key to see your result"),
        "{shown}"
    );
    s.send(ENTER).unwrap();
    screen.expect(&mut s, "Press any key to see where to find support.");
    let result = screen.text();
    assert!(
        result.contains("Your result") && result.contains("Score: 0 of 2"),
        "{result}"
    );
    assert!(result.contains("ordering  0 of 2 right"), "{result}");
    // Esc on the result leaves a finished quiz: it is not a stopped one.
    s.send("\x1b").unwrap();
    screen.expect(&mut s, "Not recorded: no name was given.");
    s.expect(Eof).unwrap();
}

/// The words of `text` with single spaces, to find a sentence however it is wrapped.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn at_80_by_24_the_title_the_note_and_every_contact_are_on_screen_when_asked_to_start() {
    let banks = sgquiz::bank::catalog::bundled().expect("the bundled banks load");
    let longest_note = banks
        .iter()
        .max_by_key(|b| b.quiz.content_note.len())
        .expect("a bank");
    let longest_title = banks
        .iter()
        .filter(|b| b.quiz.id != longest_note.quiz.id)
        .max_by_key(|b| b.quiz.title.len())
        .expect("another bank");
    for bank in [longest_note, longest_title] {
        let mut s = spawn_sized(&["run", &bank.quiz.id], 80, 24);
        let mut screen = Screen::new(80, 24);
        screen.expect(&mut s, "Start the quiz?");
        screen.expect(&mut s, "leave]");
        let shown = screen.text();
        screen.assert_fits();
        assert!(shown.starts_with(&bank.quiz.title), "{shown}");
        // The note's first line, as the bank gives it.
        let first = bank
            .quiz
            .content_note
            .trim()
            .lines()
            .next()
            .expect("a note");
        assert!(words(&shown).contains(&words(first)), "{shown}");
        for contact in [
            "999",
            "DSL",
            "NSPCC Helpline 0808 800 5000",
            "Childline 0800 1111",
            "CEOP Safety Centre",
            "iwf.org.uk/report",
            "Stop It Now 0808 1000 900",
            "napac.org.uk",
        ] {
            assert!(shown.contains(contact), "{contact} is not on\n{shown}");
        }
        assert!(
            shown.contains("press Esc") && shown.contains("--plain"),
            "{shown}"
        );
        if bank.quiz.id == "reading-the-figures" {
            let mut settings = insta::Settings::clone_current();
            settings.set_prepend_module_to_snapshot(false);
            settings.set_snapshot_path("snapshots");
            settings.bind(|| insta::assert_snapshot!("terminal-opening-80x24", shown));
        }
        s.send("\x1b").unwrap();
        s.expect("Quiz stopped; no score recorded").unwrap();
        s.expect(Eof).unwrap();
        assert_eq!(exit_code(&s), 130);
    }
}

fn regex_quote(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// One HTTP request over a connection of its own, read to its end.
fn http(host: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(host).unwrap();
    conn.write_all(request.as_bytes()).unwrap();
    let mut got = String::new();
    conn.read_to_string(&mut got).unwrap();
    got
}

/// Joins the session served at `host` as `name`, as a browser does: the opening page (for its
/// form's token and cookie), then the form.
fn join_over_http(host: &str, code: &str, name: &str) {
    let opening = http(
        host,
        &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    );
    let cookie = opening
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .unwrap_or_else(|| panic!("{opening}"))
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = crate::web::hidden(&opening, "csrf");
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("csrf", csrf.as_str()), ("code", code), ("name", name)])
        .finish();
    let joined = http(
        host,
        &format!(
            "POST /join HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(joined.starts_with("HTTP/1.1 303"), "{joined}");
}

#[test]
fn the_trainers_terminal_keeps_one_line_per_trainee_redrawn_in_place() {
    let room = crate::web::Room::new(&fixture("all-types.toml"), &[]);
    let db = room.db.to_str().unwrap();
    let (cols, rows) = (80, 60);
    let mut s = spawn_sized(
        &[
            "session",
            "serve",
            &room.code,
            "--listen",
            "127.0.0.1:0",
            "--store",
            db,
        ],
        cols,
        rows,
    );
    let mut screen = Screen::new(cols, rows);
    screen.expect(&mut s, "Press Ctrl-C to stop serving.");
    let text = screen.text();
    let host = text
        .lines()
        .find_map(|l| l.split("at http://").nth(1))
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("{text}"))
        .to_string();
    screen.expect(&mut s, "No trainee has joined yet.");
    join_over_http(&host, &room.code, "Sam Patel");
    screen.expect(&mut s, "Trainees: 1 joined, 0 finished, 0 passed.");
    // A name that tries to clear the screen is shown as text.
    join_over_http(&host, &room.code, "Eve\u{1b}[2J\u{1b}[H");
    screen.expect(&mut s, "Trainees: 2 joined, 0 finished, 0 passed.");
    screen.expect(&mut s, "Eve\\x1b[2J\\x1b[H  on question 1 of 7");
    let shown = screen.text();
    let board: Vec<&str> = shown
        .lines()
        .skip_while(|l| !l.starts_with("Press Ctrl-C"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(
        board,
        [
            "Trainees: 2 joined, 0 finished, 0 passed.",
            "Sam Patel         on question 1 of 7",
            "Eve\\x1b[2J\\x1b[H  on question 1 of 7",
        ],
        "{shown}"
    );
    assert!(
        shown.contains("Serving session"),
        "the header stays: {shown}"
    );
    s.send(CTRL_C).unwrap();
    screen.expect(&mut s, "Stopped serving.");
    s.expect(Eof).unwrap();
    assert_eq!(exit_code(&s), 0);
}
