//! `sgquiz man`: the manual pages, made from the command line's own help (clap_mangen), one
//! for sgquiz and one for each command (`sgquiz-run(1)`, `sgquiz-session-kiosk(1)`, ...), as
//! sgquiz's page lists them. Each page is tidied so that `mandoc -Tlint` finds nothing in it.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::CommandFactory;

use super::Exit;
use crate::cli::Cli;

/// The date the pages carry; change it when their text changes.
const PAGES_DATE: &str = "2026-12-02";

/// `sgquiz man [COMMAND...]` prints one page; `sgquiz man --dir DIR` writes them all.
pub fn man(command: &[String], dir: Option<&Path>) -> Result<Exit> {
    match dir {
        Some(dir) => {
            for path in write_all(dir)? {
                println!("{}", path.display());
            }
        }
        None => {
            let page = page(command)?;
            io::stdout().write_all(page.as_bytes())?;
        }
    }
    Ok(Exit::Success)
}

/// sgquiz with its commands, as the pages describe it.
fn root() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// The page of `sgquiz COMMAND...` (sgquiz's own with no command), tidied.
pub fn page(command: &[String]) -> Result<String> {
    let mut cmd = root();
    for (n, name) in command.iter().enumerate() {
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            let known: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
            let within = if n == 0 {
                "sgquiz".to_string()
            } else {
                format!("sgquiz {}", command[..n].join(" "))
            };
            if known.is_empty() {
                bail!(
                    "`{within}` has no commands; see `sgquiz man {}`",
                    command[..n].join(" ")
                );
            }
            bail!(
                "`{within}` has no command `{name}`; its commands are: {}",
                known.join(", ")
            );
        };
        cmd = sub;
    }
    render(cmd)
}

/// Every page, with its file name: sgquiz.1 first, then each command's, depth first.
pub fn pages() -> Result<Vec<(String, String)>> {
    fn walk(cmd: clap::Command, out: &mut Vec<(String, String)>) -> Result<()> {
        let man = clap_mangen::Man::new(cmd.clone());
        out.push((man.get_filename(), render(cmd.clone())?));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub.clone(), out)?;
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root(), &mut out)?;
    Ok(out)
}

/// Writes every page into `dir` (made if need be); the paths written.
fn write_all(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot make {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in pages()? {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn render(cmd: clap::Command) -> Result<String> {
    let title = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_uppercase();
    let man = clap_mangen::Man::new(cmd)
        .title(title)
        .date(PAGES_DATE)
        .manual("sgquiz manual");
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    Ok(tidy(&String::from_utf8(roff)?))
}

/// clap_mangen's roff, made clean for `mandoc -Tlint`: no trailing spaces, no text line over
/// 80 bytes (filled text may break at any space), and no `.br` next to a blank line.
fn tidy(roff: &str) -> String {
    let roff = roff.replace(".br\n\n.br\n", ".sp\n");
    let mut out = String::new();
    let mut fill = true;
    for line in roff.lines() {
        let line = line.trim_end();
        match line {
            ".nf" => fill = false,
            ".fi" => fill = true,
            _ => {}
        }
        if !fill || line.starts_with(['.', '\'']) || line.len() <= 80 {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            if !current.is_empty() && current.len() + 1 + word.len() > 80 {
                out.push_str(&current);
                out.push('\n');
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_filled_lines_break_at_spaces_and_no_fill_is_kept() {
        let long = "word ".repeat(30);
        let out = tidy(&format!(".TH X 1 \n{long}\n.nf\n{long}\n.fi\n"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], ".TH X 1");
        assert!(lines[1..3].iter().all(|l| l.len() <= 80), "{out}");
        assert_eq!(lines[1..3].join(" "), long.trim());
        assert_eq!(lines[4], long.trim_end());
    }

    #[test]
    fn every_command_has_its_page_and_sgquiz_names_each() {
        let pages = pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for name in [
            "sgquiz.1",
            "sgquiz-run.1",
            "sgquiz-check.1",
            "sgquiz-man.1",
            "sgquiz-session.1",
            "sgquiz-session-kiosk.1",
            "sgquiz-report.1",
        ] {
            assert!(names.contains(&name), "{name} in {names:?}");
        }
        let main = &pages[0].1;
        // Every page sgquiz's own refers to exists.
        for line in main.lines() {
            if let Some(referred) = line.strip_suffix("(1)") {
                let file = format!("{}.1", referred.replace("\\-", "-"));
                assert!(
                    names.contains(&file.as_str()),
                    "{file} is named but missing"
                );
            }
        }
        for (name, text) in &pages {
            assert!(text.starts_with(".ie \\n(.g"), "{name}");
            assert!(text.contains(".SH NAME"), "{name}");
            assert!(text.contains(".SH SYNOPSIS"), "{name}");
            assert!(
                text.lines().all(|l| l.len() <= 80 || l.starts_with('.')),
                "{name}"
            );
            assert!(text.lines().all(|l| l == l.trim_end()), "{name}");
        }
    }
}
