//! The command line, in one place: every flag's `--help` text is its doc comment. The
//! commands layer reads it; it imports nothing of this crate.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Safeguarding training quizzes: recognising and responding to child sexual abuse and
/// exploitation. Run with no command to pick a quiz from a menu.
#[derive(Debug, Parser)]
#[command(name = "sgquiz", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Numbered, line-based questions and answers (for screen readers and scripts); the default
    /// when standard input is not a terminal
    #[arg(long, global = true)]
    pub plain: bool,

    /// When to use colour (NO_COLOR is honoured; colour never carries meaning on its own)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Where results are kept: a database file (default: results.db in your data folder), or a
    /// folder (an existing one, or a path ending in /) for a shared network drive. Without it,
    /// the SGQUIZ_STORE environment variable is used if set
    #[arg(long, global = true, value_name = "PATH")]
    pub store: Option<PathBuf>,

    /// Your setting's own safeguarding contacts (a file `sgquiz setting init` writes): added to
    /// the support list of every quiz and handout, and used by questions about them
    #[arg(long, global = true, value_name = "FILE", env = "SGQUIZ_SETTING")]
    pub setting: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the bundled quizzes
    List {
        /// Print a JSON array instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Take a quiz
    Run(RunArgs),
    /// Check bank files (and folders of them) and report every problem
    Check {
        /// Bank files, or folders to search for *.toml files
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<std::path::PathBuf>,
        /// Fail (exit status 1) on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// How to print the problems
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Write a starter bank with one commented example of every question type
    New {
        /// The file to write (it must not exist yet, unless --force)
        file: std::path::PathBuf,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Print a JSON Schema (draft-07) for bank files, for editors
    Schema {
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
        /// Replace the output file if it exists
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Write a bank in another format: Moodle GIFT, a printable handout, or JSON
    Export {
        /// A bundled quiz id or the path of a bank file
        quiz: String,
        /// The format to write
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Markdown: include the right answers, explanations and sources (the trainer's copy)
        #[arg(long, overrides_with = "no_answers")]
        answers: bool,
        /// Markdown: leave the answers out (a blank sheet for trainees)
        #[arg(long, overrides_with = "answers")]
        no_answers: bool,
        /// Markdown: lay the sheet out with this seed (printed on it); the trainer's copy made
        /// with the same seed has the matching answer key. A random one when not given
        #[arg(long, value_name = "N")]
        seed: Option<u64>,
        /// Write to this file instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
        /// Replace the output file if it exists
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Read a Moodle GIFT file into a new bank file
    Import {
        /// The GIFT file to read
        file: std::path::PathBuf,
        /// The bank file to write (it must not exist yet, unless --force)
        #[arg(short, long, value_name = "BANK.toml")]
        output: std::path::PathBuf,
        /// Replace the bank file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff), for `man -l -`: sgquiz's own, or a command's
    ///
    /// `sgquiz man` prints sgquiz's page, `sgquiz man run` the page of `run`, `sgquiz man session
    /// kiosk` the kiosk's; `sgquiz man --dir DIR` writes every page into DIR.
    Man {
        /// The command whose page to print; with none, sgquiz's own page
        #[arg(value_name = "COMMAND", conflicts_with = "dir")]
        command: Vec<String>,
        /// Write every page (sgquiz.1, sgquiz-run.1, ...) into this folder, made if need be, and
        /// list the files written
        #[arg(long, value_name = "DIR")]
        dir: Option<std::path::PathBuf>,
    },
    /// Make, list, close and run training sessions for a group of staff
    Session {
        #[command(subcommand)]
        action: SessionCommand,
    },
    /// Your setting's own safeguarding contacts: write a file to fill in
    Setting {
        #[command(subcommand)]
        action: SettingCommand,
    },
    /// Report on recorded results: trainees, questions, or who is due a refresher
    Report(ReportArgs),
    /// Look after the results store: check it, copy it into another, bring in results kept in
    /// files of their own
    Store {
        #[command(subcommand)]
        action: StoreCommand,
    },
    /// Erase every record of a trainee (data-protection erasure)
    Forget {
        /// The trainee's name, as recorded (letter case does not matter)
        #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
        name: String,
        /// Do not ask for confirmation
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Say which store this is, its schema version, and how many attempts and sessions it holds
    ///
    /// Says the store's kind and where it is, its schema version (a folder store has none) and
    /// whether this sgquiz writes that version, and how many attempts (finished and unfinished)
    /// and sessions (open and closed) it holds. A store that is not there is an error, and so
    /// is a record file that cannot be read.
    Check,
    /// Copy every session and attempt from one store into another, once each
    ///
    /// Copies every session and attempt, finished or not, with every answer, into a store of the
    /// same kind or not. What the target has already is left as it is (but an attempt it has
    /// unfinished is finished, if the source has it finished), so copying again copies nothing
    /// twice. An attempt being taken in the source is copied as it stands, without its hold.
    Copy {
        /// The store to copy from: a database file, a folder store or a postgres:// address. It
        /// must exist; its records are only read
        #[arg(long, value_name = "STORE")]
        from: PathBuf,
        /// The store to copy into: a database file, a folder store (an existing folder, or a path
        /// ending in /) or a postgres:// address; a file or folder is made if it is not there,
        /// and a database's tables if it has none
        #[arg(long, value_name = "STORE")]
        to: PathBuf,
    },
    /// Bring finished results that the store could not take (the sgquiz-result-ID.json files
    /// sgquiz writes instead) into the store; a result already there is left as it is
    Import {
        /// The result files
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Make a session and print its code; the session keeps the quiz as it is now
    New {
        /// A bundled quiz id or the path of a bank file
        #[arg(long)]
        quiz: String,
        /// A title trainers will recognise, such as "INSET day, September"
        #[arg(long)]
        title: String,
        /// Percent needed to pass, instead of the bank's own pass mark
        #[arg(long, value_name = "N")]
        pass_mark: Option<f64>,
        /// Reveal nothing until the last answer, then review every question
        #[arg(long)]
        review_at_end: bool,
        /// Make the results store readable and writable by your group, for several accounts
        /// that record to one store (Unix)
        #[arg(long)]
        group_shared: bool,
    },
    /// List the sessions
    List,
    /// Close a session: it takes no new attempts, and its records are kept
    Close {
        /// The session code
        code: String,
    },
    /// Run a session on one shared machine: each trainee in turn gives a name, takes the quiz
    /// and sees the result, then the screen is cleared for the next
    Kiosk {
        /// The session code
        code: String,
    },
    /// Serve a session to a room: trainees join from their own browsers with the session code
    /// and a name, and take the quiz one question per page. Prints the join address, the code, a
    /// QR code and a debrief page's address; then one line per trainee (joined, on question k
    /// of n, finished with the score), redrawn in place on a terminal, or a line per event with
    /// --plain or into a file; Ctrl-C stops
    Serve {
        /// The session code
        code: String,
        /// Where to listen. The default, 127.0.0.1:8080, is reachable from this computer only;
        /// for a room, listen on the network with --listen 0.0.0.0:8080, or on one of this
        /// computer's LAN addresses (such as 192.168.1.20:8080)
        #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Also answer to NAME: a name the school's network gives this computer that it does
        /// not know itself, such as pc.school.lan. Its addresses, localhost, its own host name
        /// and that name with .local are answered already; any other name is refused. Repeat
        /// for more names
        #[arg(long = "host", value_name = "NAME")]
        hosts: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SettingCommand {
    /// Write a commented setting file to fill in with your DSL, deputies and local contacts
    Init {
        /// The file to write (it must not exist yet)
        #[arg(default_value = "setting.toml")]
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Moodle GIFT, for Moodle's question bank
    Gift,
    /// A printable handout (with answers unless --no-answers)
    Markdown,
    /// The bank as JSON, key for key as in the TOML file
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: each problem with its line and a caret, then a summary
    Text,
    /// A JSON array of problems (file, line, column, severity, code, message, help)
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Only this session's attempts
    #[arg(long, value_name = "CODE")]
    pub session: Option<String>,
    /// Only this quiz's attempts (its id)
    #[arg(long, value_name = "ID")]
    pub quiz: Option<String>,
    /// Only this trainee's attempts
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub name: Option<String>,
    /// Only attempts started on or after this date (YEAR-MONTH-DAY, UTC)
    #[arg(long, value_name = "DATE", conflicts_with = "due")]
    pub since: Option<String>,
    /// Analyse the questions instead: answered, facility, most common wrong answer,
    /// discrimination; hardest first
    #[arg(long, conflicts_with = "due")]
    pub questions: bool,
    /// List who is due a refresher: last passed longer ago than this (12m, 6m, 30d, 1y), or
    /// never passed
    #[arg(long, value_name = "PERIOD")]
    pub due: Option<String>,
    /// With --due: also count passes on this version of a bank (as reports show it, such as
    /// 807b97afd03d). Passes count only on a bundled quiz's own text or a version named here
    #[arg(long = "bank", value_name = "HASH")]
    pub banks: Vec<String>,
    /// How to print the report
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format csv: begin with a UTF-8 byte-order mark, so that Excel opens names such
    /// as "Élodie" correctly (other programs do not need it)
    #[arg(long)]
    pub bom: bool,
}

#[derive(Debug, Clone, Default, Args)]
pub struct RunArgs {
    /// A bundled quiz id (see `sgquiz list`) or the path of a bank file (.toml)
    #[arg(required_unless_present = "session", conflicts_with = "session")]
    pub quiz: Option<String>,

    /// Record the attempt under this trainee name
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub name: Option<String>,

    /// Record the attempt: ask for the trainee's name first
    #[arg(long)]
    pub record: bool,

    /// Take a session's quiz and record the attempt against it (asks for the name)
    #[arg(long, value_name = "CODE")]
    pub session: Option<String>,

    /// Carry on with the trainee's unfinished attempt of this quiz (in this session, or in none),
    /// where it stopped
    #[arg(long)]
    pub resume: bool,

    /// Carry on with the unfinished attempt even while another sitting holds it (it saved an
    /// answer in the last 10 minutes): for a sitting that has really ended, such as a closed
    /// window; the other sitting then records nothing more
    #[arg(long)]
    pub take_over: bool,

    /// Seed for every random choice, to repeat an attempt's order exactly
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Shuffle questions and choices, whatever the bank says
    #[arg(long, overrides_with = "no_shuffle")]
    pub shuffle: bool,

    /// Keep the bank's order of questions and choices
    #[arg(long, overrides_with = "shuffle")]
    pub no_shuffle: bool,

    /// Ask only N questions, drawn at random
    #[arg(long, value_name = "N")]
    pub count: Option<usize>,

    /// Ask only questions on this topic (repeat for more topics)
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,

    /// Reveal nothing until the last answer, then review every question
    #[arg(long)]
    pub review_at_end: bool,

    /// At the end, print the result as one JSON document on standard output (the rest of the
    /// transcript goes to standard error)
    #[arg(long)]
    pub json: bool,
}

impl RunArgs {
    /// The `--shuffle` / `--no-shuffle` choice, if either was given.
    pub fn shuffle_override(&self) -> Option<bool> {
        match (self.shuffle, self.no_shuffle) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn last_shuffle_flag_wins() {
        let cli = Cli::try_parse_from(["sgquiz", "run", "q", "--no-shuffle"]).unwrap();
        let Some(Command::Run(run)) = cli.command else {
            panic!("run")
        };
        assert_eq!(run.shuffle_override(), Some(false));
        let cli = Cli::try_parse_from(["sgquiz", "run", "q", "--no-shuffle", "--shuffle"]).unwrap();
        let Some(Command::Run(run)) = cli.command else {
            panic!("run")
        };
        assert_eq!(run.shuffle_override(), Some(true));
    }
}
