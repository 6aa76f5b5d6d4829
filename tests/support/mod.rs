//! Helpers for the integration tests: running the binary, and building answers from a bank.

pub mod answers;
#[cfg(unix)]
pub mod postgres;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A run of the `sgquiz` binary, built up like a command line.
pub struct Sg {
    cmd: Command,
    stdin: Vec<u8>,
}

impl Sg {
    /// `sgquiz` with an environment that does not change its output.
    pub fn new() -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sgquiz"));
        for var in [
            "NO_COLOR",
            "CLICOLOR",
            "CLICOLOR_FORCE",
            "COLUMNS",
            "TERM",
            "SGQUIZ_SETTING",
            // A developer's PostgreSQL settings never reach a test's store.
            "PGPASSWORD",
            "PGPASSFILE",
            "PGSERVICE",
            "PGSSLMODE",
            "PGSSLROOTCERT",
            "PGHOST",
            "PGPORT",
            "PGUSER",
            "PGDATABASE",
        ] {
            cmd.env_remove(var);
        }
        // A safety net: a test that forgets --store still never touches the real results.
        cmd.env(
            "SGQUIZ_STORE",
            PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("forgotten-store.db"),
        );
        Sg {
            cmd,
            stdin: Vec::new(),
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = input.into();
        self
    }

    #[track_caller]
    pub fn run(mut self) -> Output {
        let mut child = self
            .cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the sgquiz binary starts");
        let mut stdin = child.stdin.take().expect("piped");
        // The quiz may stop reading early; a broken pipe then is expected.
        let _ = stdin.write_all(&self.stdin);
        drop(stdin);
        let out = child.wait_with_output().expect("sgquiz finishes");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(expected),
            "exit status\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }
}

/// A fresh folder under the target directory for one test's files.
pub fn tempdir(prefix: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A bank of true-or-false questions in a fixed order, so that the answer lines are known
/// whatever the seed: `true` answers every question right, `false` every one wrong.
pub fn true_false_bank(dir: &std::path::Path, questions: usize) -> PathBuf {
    let mut text = String::from(
        "format = 1\n[quiz]\nid = \"tf\"\ntitle = \"True or false\"\nshuffle = false\npass_mark = 60\n",
    );
    for i in 1..=questions {
        text.push_str(&format!(
            "[[question]]\nid = \"q{i}\"\ntype = \"true_false\"\nanswer = true\nprompt = \"Statement {i}.\"\nexplanation = \"It is true.\"\n"
        ));
    }
    let path = dir.join("tf.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Every attempt in the store at `path` (a file, a folder, or a database's URL), oldest first.
#[track_caller]
pub fn stored(path: &std::path::Path) -> Vec<sgquiz::records::record::Record> {
    let store = sgquiz::records::store::Location::of(path)
        .open()
        .expect("the store opens");
    store
        .records(&sgquiz::records::store::Filter::default())
        .expect("the records read")
}

/// A sitting kept open: the binary waits for its next answer line until it is sent one (a
/// second terminal, a trainee who has not finished yet).
pub struct Sitting {
    pub child: std::process::Child,
    stdin: Option<std::process::ChildStdin>,
}

impl Sitting {
    /// Starts `sgquiz ARGS` in `cwd`, in the environment `Sg::new` gives.
    pub fn start<S: AsRef<std::ffi::OsStr>>(args: &[S], cwd: &std::path::Path) -> Sitting {
        let mut sg = Sg::new().args(args);
        let mut child = sg
            .cmd
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the sgquiz binary starts");
        let stdin = child.stdin.take();
        Sitting { child, stdin }
    }

    /// Sends one line; a sitting that has already ended may not read it.
    pub fn send(&mut self, line: &str) {
        if let Some(stdin) = &mut self.stdin {
            let _ = stdin.write_all(format!("{line}\n").as_bytes());
            let _ = stdin.flush();
        }
    }

    /// Ends input and waits for the sitting to end.
    pub fn end(mut self) -> Output {
        drop(self.stdin.take());
        let out = self.child.wait_with_output().expect("sgquiz finishes");
        Output {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// A finished attempt (or, with `finished` `None`, an unfinished one) of quiz `q`, with answers
/// given as (question, right?, response).
pub fn attempt(
    name: &str,
    finished: Option<&str>,
    answers: &[(&str, bool, serde_json::Value)],
) -> sgquiz::records::record::Record {
    let questions: Vec<sgquiz::records::record::RecordedQuestion> = answers
        .iter()
        .map(
            |(id, right, response)| sgquiz::records::record::RecordedQuestion {
                id: id.to_string(),
                topic: "general".to_string(),
                kind: "single".to_string(),
                response: response.clone(),
                answer: sgquiz::engine::marking::Answer::Choice(0),
                outcome: if *right {
                    sgquiz::engine::marking::Outcome::Correct
                } else {
                    sgquiz::engine::marking::Outcome::Incorrect
                },
                points: if *right { 1.0 } else { 0.0 },
                max_points: 1.0,
            },
        )
        .collect();
    let score = questions.iter().map(|q| q.points).sum::<f64>();
    let max = questions.len() as f64;
    let percent = if max > 0.0 { score / max * 100.0 } else { 0.0 };
    sgquiz::records::record::Record {
        id: sgquiz::records::record::new_id(),
        quiz: "q".to_string(),
        title: "Q".to_string(),
        bank_hash: "0".repeat(64),
        name: name.to_string(),
        session: None,
        started: finished.unwrap_or("2026-01-01T09:00:00Z").to_string(),
        finished: finished.map(String::from),
        seed: 1,
        settings: sgquiz::engine::plan::Settings::default(),
        order: answers.iter().map(|a| a.0.to_string()).collect(),
        score: finished.map(|_| score),
        max_score: max,
        percent: finished.map(|_| percent),
        pass_mark: 50.0,
        passed: finished.map(|_| percent >= 50.0),
        duration_seconds: 125,
        questions,
        held: None,
    }
}

/// Every file under `dir` and its sub-folders, in order of their paths; none if `dir` is
/// missing.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}
