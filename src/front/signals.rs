//! Ending well when the program is ended from outside.
//!
//! - SIGTERM, SIGHUP and SIGQUIT (a shutdown, a closed terminal window, Ctrl-\) during an
//!   interactive question would leave the terminal in raw mode with its cursor hidden, and a
//!   kiosk's last answers on the screen. `restore_terminal_on_signals` installs a watcher that
//!   puts the terminal back, clears a kiosk's screen and scrollback, and ends the program with
//!   the usual status (128 + the signal's number). Every answer given is already saved. This
//!   watcher is the one place below `main` that ends the process: nothing else is running to
//!   return to.
//! - Ctrl-C in the plain mode on a terminal would kill the program before it could say how to
//!   carry on. While the plain front end reads from a terminal, Ctrl-C instead stops the quiz as
//!   `quit` does (`CtrlCStops`); a second Ctrl-C ends the program at once.

use std::io::{self, IsTerminal, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a termination signal also clears the screen: set while a kiosk runs.
static CLEAR_SCREEN: AtomicBool = AtomicBool::new(false);

/// Clear (or not) the screen and its scrollback if the program is ended by a signal.
pub fn clear_screen_on_exit(clear: bool) {
    CLEAR_SCREEN.store(clear, Ordering::SeqCst);
}

/// Installs, once, the watcher that restores the terminal on SIGTERM, SIGHUP and SIGQUIT.
#[cfg(unix)]
pub fn restore_terminal_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGQUIT, SIGTERM};
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGQUIT])
        else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                restore_terminal();
                std::process::exit(128 + signal);
            }
        });
    });
}

#[cfg(not(unix))]
pub fn restore_terminal_on_signals() {}

/// Out of raw mode, the cursor shown, and a kiosk's screen and scrollback cleared, on whichever
/// of standard error (where the interactive prompts are drawn) and standard output is a
/// terminal.
fn restore_terminal() {
    let _ = crossterm::terminal::disable_raw_mode();
    let mut sequence = String::from("\n\x1b[?25h");
    if CLEAR_SCREEN.load(Ordering::SeqCst) {
        sequence.push_str("\x1b[2J\x1b[3J\x1b[H");
    }
    if io::stderr().is_terminal() {
        let mut err = io::stderr();
        let _ = err.write_all(sequence.as_bytes());
        let _ = err.flush();
    } else if io::stdout().is_terminal() {
        let mut out = io::stdout();
        let _ = out.write_all(sequence.as_bytes());
        let _ = out.flush();
    }
}

/// The error a `CtrlCStops` reader gives when Ctrl-C is pressed.
#[derive(Debug)]
struct CtrlC;

impl std::fmt::Display for CtrlC {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped with Ctrl-C")
    }
}

impl std::error::Error for CtrlC {}

/// Whether a read failed because Ctrl-C was pressed.
pub fn is_ctrl_c(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<CtrlC>())
}

/// Standard input on a terminal, read so that Ctrl-C stops a read: it fails with an error that
/// `is_ctrl_c` knows. (SIGINT is caught; the read waits for input a tenth of a second at a
/// time, so that a key press and Ctrl-C are both noticed.)
pub struct CtrlCStops {
    stdin: io::Stdin,
    pressed: Arc<AtomicBool>,
}

impl CtrlCStops {
    pub fn stdin() -> CtrlCStops {
        let pressed = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        {
            use signal_hook::consts::SIGINT;
            // A second Ctrl-C while the first is still unhandled ends the program at once.
            let _ = signal_hook::flag::register_conditional_shutdown(SIGINT, 130, pressed.clone());
            let _ = signal_hook::flag::register(SIGINT, pressed.clone());
        }
        CtrlCStops {
            stdin: io::stdin(),
            pressed,
        }
    }

    /// Waits up to `ms` milliseconds for input; `true` if some is there (or waiting cannot be
    /// done, so that the read itself says what is wrong). A signal ends the wait early.
    #[cfg(unix)]
    fn ready(&self, ms: i32) -> bool {
        let mut fd = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: `fd` is one valid pollfd, and the count passed is 1.
        let n = unsafe { libc::poll(&mut fd, 1, ms) };
        n > 0 || (n < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted)
    }

    #[cfg(not(unix))]
    fn ready(&self, _ms: i32) -> bool {
        true
    }
}

impl Read for CtrlCStops {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pressed.swap(false, Ordering::SeqCst) {
                return Err(io::Error::other(CtrlC));
            }
            if self.ready(100) {
                return self.stdin.read(buf);
            }
        }
    }
}
