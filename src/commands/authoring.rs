//! The trainers' commands: check, new, schema, export and import. Each takes its arguments from
//! the command line, does its work through the modules that own it (`authoring::check`, `gift`,
//! `handout`, `schema`, `bank::load`), and says what it did.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{Exit, messages, setting};
use crate::authoring::{STARTER_BANK, check, gift, handout, schema};
use crate::bank::{Bank, catalog, load};
use crate::cli::{CheckFormat, Cli, ExportFormat};
use crate::engine::rng::Rng;
use crate::util::files::{self, Existing, same_file, write_whole};
use crate::util::json;
use crate::util::text::sanitize;

pub fn export(
    cli: &Cli,
    quiz: &str,
    format: ExportFormat,
    with_answers: bool,
    seed: Option<u64>,
    output: Option<&Path>,
    force: bool,
) -> Result<Exit> {
    if seed.is_some() && format != ExportFormat::Markdown {
        anyhow::bail!("--seed lays out a paper sheet: use it with --format markdown");
    }
    let source = catalog::find_source(quiz)?;
    let bank = load::load_str(&source.file, &source.text)?;
    let text = match format {
        // The handout and GIFT show the setting's contacts and its questions about them; the
        // JSON is the file as written.
        ExportFormat::Gift | ExportFormat::Markdown => {
            let bank = setting::applied(&bank, setting::chosen(cli)?.as_ref())?;
            render(&bank, format, with_answers, seed)
        }
        ExportFormat::Json => {
            // Key for key as written: the file's own TOML, not the bank with defaults filled in.
            let table: toml::Table =
                toml::from_str(&source.text).with_context(|| format!("reading {}", source.file))?;
            // Bank text is not sanitised here (it is the file, key for key), so characters that
            // could change how a terminal shows it are escaped.
            json::to_string_pretty(&json_of(toml::Value::Table(table)))? + "\n"
        }
    };
    match output {
        Some(path) => write_whole(
            path,
            text.as_bytes(),
            existing(force),
            Some(Path::new(quiz)),
        )?,
        None => io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Exit::Success)
}

/// A bank as GIFT or a handout.
fn render(bank: &Bank, format: ExportFormat, with_answers: bool, seed: Option<u64>) -> String {
    match format {
        ExportFormat::Gift => {
            let (text, notes) = gift::export(bank);
            for gift::Note(note) in notes {
                messages::warning(note);
            }
            text
        }
        _ => handout::markdown(bank, with_answers, seed.unwrap_or_else(Rng::fresh_seed)),
    }
}

/// A TOML value as JSON, with dates (such as `reviewed`) as strings, the way editors show them.
fn json_of(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(json_of).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, json_of(v))).collect()),
    }
}

/// What `--force` says about an output file that exists.
fn existing(force: bool) -> Existing {
    if force {
        Existing::Replace
    } else {
        Existing::Refuse
    }
}

pub fn import(file: &Path, output: &Path, force: bool) -> Result<Exit> {
    // Refused before anything is read or written: the output must not be the input.
    if same_file(file, output) {
        anyhow::bail!(
            "{} is the input being read, so it cannot also be the output; write to another file",
            files::shown(output)
        );
    }
    let text = load::read_path(file)?;
    let imported = gift::import(&text);
    if imported.questions.is_empty() {
        for gift::Note(note) in &imported.notes {
            messages::note(sanitize(note));
        }
        anyhow::bail!("{} has no questions that a bank can hold", file.display());
    }
    let stem = output
        .file_stem()
        .map(|s| crate::util::suggest::to_kebab(&s.to_string_lossy()))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "imported".to_string());
    let id = imported.id.clone().unwrap_or(stem);
    let title = imported
        .title
        .clone()
        .unwrap_or_else(|| id.replace('-', " "));
    let bank_text = gift::to_toml(&id, &title, &imported.questions);
    write_whole(output, bank_text.as_bytes(), existing(force), Some(file))?;
    for gift::Note(note) in &imported.notes {
        messages::note(sanitize(note));
    }
    let checked = load::check_source(&bank_text);
    writeln!(
        io::stdout(),
        "Wrote {} with {} question{}. {} error{}, {} warning{}: run `sgquiz check {}` for details.",
        output.display(),
        imported.questions.len(),
        if imported.questions.len() == 1 {
            ""
        } else {
            "s"
        },
        checked.errors(),
        if checked.errors() == 1 { "" } else { "s" },
        checked.warnings(),
        if checked.warnings() == 1 { "" } else { "s" },
        output.display()
    )?;
    Ok(if checked.errors() == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}

/// Writes a new file, refusing to replace one that exists: a trainer's work is never overwritten.
/// (`setting init`; the bank commands write whole, with `write_whole`.)
pub(super) fn write_new(path: &Path, text: &str) -> Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| match path.exists() {
            true => format!(
                "{} already exists; choose another name, or move it first",
                path.display()
            ),
            false => format!("cannot create {}", path.display()),
        })?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

pub fn new_bank(file: &Path, force: bool) -> Result<Exit> {
    let id = file
        .file_stem()
        .map(|s| crate::util::suggest::to_kebab(&s.to_string_lossy()))
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| "my-first-bank".to_string());
    let text = STARTER_BANK
        .replacen("id = \"my-first-bank\"", &format!("id = \"{id}\""), 1)
        .replacen(
            "reviewed = 2026-12-02",
            &format!("reviewed = {}", check::today()),
            1,
        );
    write_whole(file, text.as_bytes(), existing(force), None)?;
    writeln!(
        io::stdout(),
        "Wrote {}: a starter bank with one example of every question type.\nEdit it, then check it with: sgquiz check {}",
        file.display(),
        file.display()
    )?;
    Ok(Exit::Success)
}

pub fn check(paths: &[PathBuf], deny_warnings: bool, format: CheckFormat) -> Result<Exit> {
    let run = check::check_paths(paths);
    let mut out = io::stdout().lock();
    match format {
        CheckFormat::Text => write!(out, "{}", run.render())?,
        CheckFormat::Json => {
            crate::util::json::to_writer_pretty(&mut out, &run.problems())?;
            writeln!(out)?;
            messages::line(run.summary());
        }
    }
    Ok(if run.passed(deny_warnings) {
        Exit::Success
    } else {
        Exit::Failure
    })
}

pub fn print_schema(output: Option<&Path>, force: bool) -> Result<Exit> {
    let text = serde_json::to_string_pretty(&schema::schema())? + "\n";
    match output {
        Some(path) => write_whole(path, text.as_bytes(), existing(force), None)?,
        None => io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(Exit::Success)
}
