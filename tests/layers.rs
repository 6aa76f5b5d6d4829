//! The layers, checked: each folder of `src/` imports only the layers below it, and the engine
//! and the bank never touch a terminal, colour or a database. A test rather than a workspace of
//! crates, so that the rule is one readable table.

use std::fs;
use std::path::{Path, PathBuf};

/// Each layer and the layers it may import (`crate::NAME`).
const LAYERS: &[(&str, &[&str])] = &[
    ("util", &[]),
    ("bank", &["util"]),
    ("engine", &["bank", "util"]),
    ("front", &["engine", "bank", "util"]),
    ("authoring", &["engine", "bank", "util"]),
    ("records", &["engine", "bank", "util"]),
    ("web", &["front", "records", "engine", "bank", "util"]),
    ("cli", &[]),
    (
        "commands",
        &[
            "cli",
            "web",
            "front",
            "authoring",
            "records",
            "engine",
            "bank",
            "util",
        ],
    ),
];

/// What the engine and the bank must never use: they know no terminal and no database.
const NOT_IN_THE_ENGINE: &[&str] = &[
    "colored",
    "inquire",
    "crossterm",
    "rusqlite",
    "postgres",
    "rustls",
    "stdin",
    "stdout",
    "println!",
    "eprintln!",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The Rust files of a layer: `src/NAME.rs` and everything under `src/NAME/`.
fn files_of(layer: &str) -> Vec<PathBuf> {
    let mut files = vec![src().join(format!("{layer}.rs"))];
    let mut dirs = vec![src().join(layer)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.retain(|f| f.exists());
    files.sort();
    files
}

/// The code of a file without its comments, so that a doc comment may name what it avoids.
fn code(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The layers a file names as `crate::NAME`.
fn imports(code: &str) -> Vec<String> {
    code.match_indices("crate::")
        .map(|(i, m)| {
            code[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn every_file_of_src_is_in_a_layer() {
    let mut listed: Vec<PathBuf> = LAYERS.iter().flat_map(|(l, _)| files_of(l)).collect();
    listed.push(src().join("lib.rs"));
    listed.push(src().join("main.rs"));
    let mut all = Vec::new();
    let mut dirs = vec![src()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                all.push(path);
            }
        }
    }
    let unlisted: Vec<_> = all.iter().filter(|f| !listed.contains(f)).collect();
    assert!(unlisted.is_empty(), "files in no layer: {unlisted:?}");
}

#[test]
fn each_layer_imports_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (layer, allowed) in LAYERS {
        for file in files_of(layer) {
            for used in imports(&code(&file)) {
                if used != *layer && !allowed.contains(&used.as_str()) {
                    wrong.push(format!("{} imports crate::{used}", file.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_engine_and_the_bank_know_no_terminal_and_no_database() {
    let mut wrong = Vec::new();
    for layer in ["engine", "bank"] {
        for file in files_of(layer) {
            let code = code(&file);
            for word in NOT_IN_THE_ENGINE {
                if code.contains(word) {
                    wrong.push(format!("{} uses {word}", file.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The crates that draw on a terminal, and the only files that may name them: each is kept to
/// the module that says it owns it (see ARCHITECTURE.md).
const TERMINAL_CRATES: &[(&str, &[&str])] = &[
    ("inquire", &["front/interactive.rs"]),
    ("colored", &["front/style.rs"]),
    (
        "crossterm",
        &[
            "front/interactive.rs",
            "front/signals.rs",
            "commands/serve/screen.rs",
        ],
    ),
];

#[test]
fn the_terminal_crates_are_named_only_where_architecture_says() {
    let mut files: Vec<PathBuf> = LAYERS.iter().flat_map(|(l, _)| files_of(l)).collect();
    files.push(src().join("lib.rs"));
    files.push(src().join("main.rs"));
    let mut wrong = Vec::new();
    for file in &files {
        let code = code(file);
        let relative = file
            .strip_prefix(src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for (krate, allowed) in TERMINAL_CRATES {
            if code.contains(&format!("{krate}::")) && !allowed.contains(&relative.as_str()) {
                wrong.push(format!("{relative} uses {krate}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checks_would_see_a_forbidden_import() {
    // The helpers that the tests above rest on, shown to catch what they are for.
    let sample =
        "use crate::front::style::Style; // crate::commands in a comment\nprintln!(\"x\");";
    assert_eq!(imports(sample), ["front", "commands"]);
    let file = std::env::temp_dir().join(format!("sgquiz-layers-{}.rs", std::process::id()));
    fs::write(&file, sample).unwrap();
    let stripped = code(&file);
    fs::remove_file(&file).unwrap();
    assert_eq!(imports(&stripped), ["front"]);
    assert!(stripped.contains("println!"));
}

/// A file of over 600 lines is doing more than one job: split it by job, as the rest of `src/`
/// is split.
/// The database clients, used only by the stores.
const DATABASE_CLIENTS: &[&str] = &["rusqlite::", "postgres::", "tokio_postgres", "rustls::"];

#[test]
fn only_the_stores_talk_to_a_database() {
    let stores = src().join("records/store");
    let mut wrong = Vec::new();
    for (layer, _) in LAYERS {
        for file in files_of(layer) {
            if file.starts_with(&stores) || file == src().join("records/store.rs") {
                continue;
            }
            let code = code(&file);
            for client in DATABASE_CLIENTS {
                if code.contains(client) {
                    wrong.push(format!("{} uses {client}", file.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_file_of_src_is_over_600_lines() {
    let mut files: Vec<PathBuf> = LAYERS.iter().flat_map(|(l, _)| files_of(l)).collect();
    files.push(src().join("lib.rs"));
    files.push(src().join("main.rs"));
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = fs::read_to_string(f).unwrap().lines().count();
            (lines > 600).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by job: {long:?}");
}
