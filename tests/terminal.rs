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

fn spawn(args: &[&str]) -> expectrl::session::OsSession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sgquiz"));
    cmd.args(args);
    spawn_command(cmd)
}

fn spawn_command(mut cmd: Command) -> expectrl::session::OsSession {
    cmd.env("NO_COLOR", "1").env("TERM", "xterm");
    let mut session = Session::spawn(cmd).expect("the binary starts in a pseudo-terminal");
    session
        .get_process_mut()
        .set_window_size(100, 40)
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

    s.expect("Which are odd?").unwrap();
    s.expect("Three").unwrap();
    s.send(" ").unwrap();
    s.send(DOWN).unwrap();
    s.send(DOWN).unwrap();
    s.send(" ").unwrap();
    s.send(ENTER).unwrap();
    s.expect("✓ Correct").unwrap();

    s.expect("Type fifty-eight in digits.").unwrap();
    s.expect("Your answer").unwrap();
    s.send("58").unwrap();
    s.send(ENTER).unwrap();
    s.expect("✓ Correct").unwrap();
    s.expect("Score: 3 of 3 (100%)").unwrap();
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
fn the_kiosk_asks_each_name_and_clears_the_screen_between_trainees() {
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
    let mut s = spawn(&["session", "kiosk", &code, "--store", db.to_str().unwrap()]);
    s.expect("Your name, for the training record:").unwrap();
    s.send("Sam Patel").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Start the quiz?").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Third").unwrap();
    s.send(DOWN).unwrap();
    s.send(ENTER).unwrap();
    s.expect("Three").unwrap();
    s.send(" ").unwrap();
    s.send(DOWN).unwrap();
    s.send(DOWN).unwrap();
    s.send(" ").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Type fifty-eight in digits.").unwrap();
    s.expect("Your answer").unwrap();
    s.send("58").unwrap();
    s.send(ENTER).unwrap();
    s.expect("Score: 3 of 3 (100%)").unwrap();
    s.expect("press Enter for the next person").unwrap();
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
        "'{}' run '{}' > '{}'",
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
