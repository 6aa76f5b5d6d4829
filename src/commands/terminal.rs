//! The terminal policy, decided once per command: whether the quiz is plain (numbered lines for
//! screen readers and scripts) or interactive, whether to colour, and where the words of a quiz
//! go. Handlers ask a `Terminal`; nothing else looks at whether a stream is a terminal.

use std::io::{self, IsTerminal, Write};

use crate::cli::{Cli, ColorChoice};
use crate::engine::prompter::Prompter;
use crate::front::interactive::Interactive;
use crate::front::plain::Plain;
use crate::front::signals;
use crate::front::style::Style;
use crate::front::transcript::Look;

#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    /// Plain mode is asked for, or standard input is not a terminal (inquire could not read it).
    plain: bool,
    color: ColorChoice,
    stdin: bool,
    stdout: bool,
    stderr: bool,
    /// The terminal's width in columns.
    width: usize,
}

impl Terminal {
    pub fn of(cli: &Cli) -> Terminal {
        let stdin = io::stdin().is_terminal();
        let stderr = io::stderr().is_terminal();
        Terminal {
            plain: cli.plain || !stdin || !stderr,
            color: cli.color,
            stdin,
            stdout: io::stdout().is_terminal(),
            stderr,
            width: crate::util::table::terminal_width(),
        }
    }

    /// Whether to colour text written to a stream that is (or is not) a terminal.
    fn color_for(&self, stream_is_terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }

    /// Whether to colour what goes to standard output.
    pub fn stdout_color(&self) -> bool {
        self.color_for(self.stdout)
    }

    /// The words of a quiz go to standard error when standard output carries the JSON result,
    /// or when an interactive trainee would otherwise not see them (standard output sent to a
    /// file).
    fn transcript_on_stderr(&self, json: bool) -> bool {
        json || (!self.plain && !self.stdout)
    }

    /// Whether to colour the words of a quiz.
    pub fn transcript_color(&self, json: bool) -> bool {
        self.color_for(if self.transcript_on_stderr(json) {
            self.stderr
        } else {
            self.stdout
        })
    }

    /// Where the words of a quiz go.
    pub fn transcript(&self, json: bool) -> Box<dyn Write> {
        if self.transcript_on_stderr(json) {
            Box::new(io::stderr())
        } else {
            Box::new(io::stdout())
        }
    }

    /// How the transcript looks: the plain mode is not wrapped, so that screen readers and
    /// braille displays get whole sentences; the interactive one is wrapped to the terminal's
    /// width (asked of it, `COLUMNS` overriding), at most a readable 100 columns.
    pub fn look(&self, color: bool) -> Look {
        if self.plain {
            Look::plain(Style::new(color))
        } else {
            Look::interactive(Style::new(color), self.width)
                .with_height(crate::util::table::terminal_height())
        }
    }

    /// Whether what goes to standard output may be redrawn in place (the trainer's board while
    /// a session is served): it is a terminal, and not in the plain mode, where a screen reader
    /// reads each line once as it comes and a log keeps every line.
    pub fn redraws(&self) -> bool {
        !self.plain && self.stdout
    }

    /// Whether a person is typing: standard input is a terminal. Otherwise it is a file or a
    /// pipe, where a line refused cannot be typed again (the next line is the next answer).
    pub fn typed(&self) -> bool {
        self.stdin
    }

    /// The front end that asks the questions.
    pub fn prompter(&self, color: bool) -> Box<dyn Prompter> {
        if self.plain && self.stdin {
            // A person at a terminal: Ctrl-C stops the quiz as `quit` does, so that they are
            // told how to carry on.
            Box::new(Plain::new(io::BufReader::new(signals::CtrlCStops::stdin())))
        } else if self.plain {
            Box::new(Plain::new(io::stdin().lock()).echo(true))
        } else {
            signals::restore_terminal_on_signals();
            Box::new(Interactive::new(color, self.width))
        }
    }
}
