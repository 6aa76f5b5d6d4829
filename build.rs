//! Compiles every bank in `quizzes/` into the binary, so an installed `sgquiz` works from any
//! folder and a new bank file needs no code change.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("quizzes");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut code = String::from(
        "/// Bundled banks: (file name, contents).\npub const BUNDLED: &[(&str, &str)] = &[\n",
    );
    for f in files {
        let name = f
            .file_name()
            .expect("a file")
            .to_string_lossy()
            .into_owned();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets it")).join("bundled.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
