//! The trainer's toolkit: check, new, schema, export and import, as a trainer runs them.

use serde_json::Value;

use crate::support::{Sg, fixture, tempdir};

const HEAD: &str = "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\n";

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn check_reports_every_problem_in_one_run() {
    let dir = tempdir("check");
    let path = write(
        &dir,
        "many.toml",
        &format!(
            "{HEAD}pass_mark = 120\n\
             [[question]]\nid = \"a\"\ntype = \"singel\"\nprompt = \"P\"\nexplanation = \"A full explanation of the answer.\"\nreference = \"R\"\n\
             [[question]]\nid = \"b\"\ntype = \"text\"\nprompt = \"P\"\nexplenation = \"x\"\naccept = []\nreference = \"R\"\n\
             [[question]]\nid = \"c\"\ntype = \"number\"\nprompt = 5\nexplanation = \"A full explanation of the answer.\"\nanswer = 1\ntolerance = -2\n"
        ),
    );
    let out = Sg::new().args(["check", &path]).run();
    out.code(1)
        .stdout_has(&format!(
            "{path}:5:13: error: `pass_mark` is a percentage from 0 to 100, found 120"
        ))
        .stdout_has(&format!(
            "{path}:8:8: error: unknown question type `singel`"
        ))
        .stdout_has("= help: did you mean `single`?")
        .stdout_has(&format!(
            "{path}:16:1: error: unknown key `explenation` in question `b`"
        ))
        .stdout_has("= help: did you mean `explanation`?")
        .stdout_has(&format!(
            "{path}:17:10: error: `accept` needs at least one accepted answer"
        ))
        .stdout_has(&format!(
            "{path}:22:10: error: `prompt` must be a string, found an integer"
        ))
        .stdout_has(&format!(
            "{path}:25:13: error: `tolerance` must not be negative"
        ))
        .stdout_has(&format!(
            "{path}:20:6: warning: question `c` has no `reference`"
        ))
        .stdout_has(&format!(
            "{path}:3:6: warning: [quiz] has no `reviewed` date"
        ))
        .stdout_has("checked 1 file, 3 questions: 6 errors, 3 warnings");
    assert!(
        out.stdout
            .ends_with("checked 1 file, 3 questions: 6 errors, 3 warnings\n")
    );
}

#[test]
fn syntax_errors_are_all_reported() {
    let dir = tempdir("check");
    let path = write(
        &dir,
        "syntax.toml",
        "format = 1\nx = \n[quiz]\nid = \"t\ny = 1 2\n",
    );
    let out = Sg::new().args(["check", &path]).run();
    out.code(1)
        .stdout_has(&format!("{path}:2:5: error:"))
        .stdout_has(&format!("{path}:4:8: error:"))
        .stdout_has(&format!("{path}:5:5: error:"))
        .stdout_has("3 errors");
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = tempdir("check");
    let path = write(
        &dir,
        "warn.toml",
        &format!(
            "{HEAD}[[question]]\nid = \"Why_Not\"\ntype = \"multiple\"\nprompt = \"P\"\nexplanation = \"Short.\"\npoints = 0\nreference = \"R\"\n\
             choices = [{{ text = \"a\", correct = true }}, {{ text = \"b\", correct = true }}]\n\
             [[question]]\nid = \"t\"\ntype = \"text\"\nprompt = \"P\"\nexplanation = \"CSAM\"\nreference = \"R\"\naccept = [\"CSAM\", \"csam\"]\n"
        ),
    );
    let out = Sg::new().args(["check", &path]).run();
    out.code(0)
        .stdout_has("warning: the question id `Why_Not` is not in kebab-case")
        .stdout_has("= help: write it like `why-not`")
        .stdout_has("warning: every choice is marked right")
        .stdout_has("warning: the explanation is very short")
        .stdout_has("warning: the explanation only restates the answer")
        .stdout_has("warning: `points = 0`")
        .stdout_has("warning: \"csam\" differs from \"CSAM\" only by case")
        .stdout_has("warning: [quiz] has no `reviewed` date")
        .stdout_has("warning: this prompt is nearly the same as that of question `Why_Not`")
        .stdout_has("0 errors, 8 warnings");
    Sg::new()
        .args(["check", "--deny-warnings", &path])
        .run()
        .code(1);
}

#[test]
fn a_review_more_than_12_months_old_is_warned_about() {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let dir = tempdir("reviewed");
    let bank = |months: i64| {
        let reviewed = today.checked_sub(jiff::Span::new().months(months)).unwrap();
        let text = format!(
            "format = 1\n[quiz]\nid = \"r\"\ntitle = \"R\"\nreviewed = {reviewed}\n\
             [[question]]\nid = \"q\"\ntype = \"true_false\"\nprompt = \"P\"\nanswer = true\n\
             explanation = \"An explanation long enough to teach something.\"\nreference = \"R\"\n"
        );
        write(&dir, &format!("{months}.toml"), &text)
    };
    for months in [0, 11, 12] {
        Sg::new()
            .args(["check", "--deny-warnings", &bank(months)])
            .run()
            .code(0)
            .stdout_has("0 errors, 0 warnings");
    }
    Sg::new()
        .args(["check", "--deny-warnings", &bank(13)])
        .run()
        .code(1)
        .stdout_has("more than 12 months ago: safeguarding guidance usually changes each September")
        .stdout_has("0 errors, 1 warning");
}

#[test]
fn folders_are_searched_and_quiz_ids_must_differ_across_files() {
    let dir = tempdir("check");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let bank = std::fs::read_to_string(fixture("all-types.toml")).unwrap();
    write(&dir, "one.toml", &bank);
    write(&dir.join("sub"), "two.toml", &bank);
    write(&dir, "notes.txt", "not a bank");
    let out = Sg::new().args(["check", dir.to_str().unwrap()]).run();
    out.code(1)
        .stdout_has("error: quiz id `all-types` is also used by")
        .stdout_has("checked 2 files, 14 questions: 1 error,");
}

#[test]
fn check_json_is_for_editors() {
    let dir = tempdir("check");
    let path = write(
        &dir,
        "bad.toml",
        &format!("{HEAD}[[question]]\nid = \"q\"\ntype = \"nope\"\n"),
    );
    let out = Sg::new().args(["check", "--format", "json", &path]).run();
    out.code(1).stderr_has("checked 1 file, 1 question:");
    let problems: Vec<Value> = serde_json::from_str(&out.stdout).expect("a JSON array");
    let unknown = problems
        .iter()
        .find(|p| p["code"] == "unknown-type")
        .expect("the unknown type is reported");
    assert_eq!(unknown["file"], path.as_str());
    assert_eq!(unknown["line"], 7);
    assert_eq!(unknown["column"], 8);
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["message"], "unknown question type `nope`");
    assert!(problems.iter().any(|p| p["code"] == "missing-key"));
}

#[test]
fn check_reports_a_missing_file_and_carries_on() {
    let out = Sg::new()
        .args([
            "check",
            "/no/such/bank.toml",
            fixture("all-types.toml").to_str().unwrap(),
        ])
        .run();
    out.code(1)
        .stdout_has("/no/such/bank.toml:1:1: error: cannot read the file")
        .stdout_has("checked 2 files, 7 questions: 1 error,");
}

#[test]
fn every_bundled_bank_passes_check_with_warnings_denied() {
    let quizzes = concat!(env!("CARGO_MANIFEST_DIR"), "/quizzes");
    let out = Sg::new().args(["check", "--deny-warnings", quizzes]).run();
    out.code(0).stdout_has(": 0 errors, 0 warnings");
}

#[test]
fn new_writes_a_starter_that_passes_check_and_never_overwrites() {
    let dir = tempdir("new");
    let path = dir.join("induction-2026.toml");
    let path = path.to_str().unwrap();
    Sg::new()
        .args(["new", path])
        .run()
        .code(0)
        .stdout_has("a starter bank with one example of every question type");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains("id = \"induction-2026\""),
        "the id follows the file name"
    );
    for t in sgquiz::bank::kind::names() {
        assert!(
            text.contains(&format!("type = \"{t}\"")),
            "an example of {t}"
        );
    }
    Sg::new()
        .args(["check", "--deny-warnings", path])
        .run()
        .code(0)
        .stdout_has("0 errors, 0 warnings");
    std::fs::write(path, "my own work").unwrap();
    Sg::new()
        .args(["new", path])
        .run()
        .code(1)
        .stderr_has("already exists");
    assert_eq!(std::fs::read_to_string(path).unwrap(), "my own work");
}

/// A TOML bank as the JSON value a schema validator sees.
fn as_json(text: &str) -> Value {
    let table: toml::Table = toml::from_str(text).expect("TOML");
    dates_as_strings(serde_json::to_value(table).unwrap())
}

/// TOML dates as editors hand them to a schema validator: strings.
fn dates_as_strings(value: Value) -> Value {
    match value {
        Value::Object(map) => match map.get("$__toml_private_datetime") {
            Some(date) => date.clone(),
            None => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, dates_as_strings(v)))
                    .collect(),
            ),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(dates_as_strings).collect()),
        other => other,
    }
}

fn schema() -> Value {
    let out = Sg::new().args(["schema"]).run();
    out.code(0);
    let schema: Value = serde_json::from_str(&out.stdout).expect("the schema is JSON");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    schema
}

fn validates(schema: &Value, instance: &Value) -> Result<(), String> {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("sgquiz.schema.json", schema.clone())
        .map_err(|e| e.to_string())?;
    let index = compiler
        .compile("sgquiz.schema.json", &mut schemas)
        .map_err(|e| e.to_string())?;
    schemas.validate(instance, index).map_err(|e| e.to_string())
}

#[test]
fn the_schema_accepts_every_bundled_bank_and_the_starter() {
    let schema = schema();
    for (name, text) in sgquiz::bank::catalog::BUNDLED {
        validates(&schema, &as_json(text)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    validates(&schema, &as_json(sgquiz::authoring::STARTER_BANK)).expect("the starter bank");
}

#[test]
fn the_schema_rejects_what_check_rejects() {
    let schema = schema();
    let q = |body: &str| {
        as_json(&format!(
            "{HEAD}[[question]]\nid = \"q\"\nprompt = \"P\"\nexplanation = \"E\"\n{body}\n"
        ))
    };
    let bad = [
        "type = \"single\"\nchoices = [{ text = \"a\", correct = true }, { text = \"b\" }]\nexplenation = \"x\"",
        "type = \"singel\"\nchoices = [{ text = \"a\", correct = true }, { text = \"b\" }]",
        "type = \"single\"",
        "type = \"number\"\nanswer = true",
        "type = \"true_false\"\nanswer = true\ntolerance = 1",
        "type = \"number\"\nanswer = 3\ntolerance = -1",
    ];
    for body in bad {
        assert!(
            validates(&schema, &q(body)).is_err(),
            "the schema accepted:\n{body}"
        );
    }
    assert!(validates(&schema, &q("type = \"number\"\nanswer = 3\ntolerance = 1")).is_ok());
}

#[test]
fn gift_export_escapes_and_weights() {
    let dir = tempdir("gift");
    let path = write(
        &dir,
        "special.toml",
        &format!(
            "{HEAD}[[question]]\nid = \"sp\"\ntype = \"single\"\ntopic = \"odd-chars\"\nprompt = \"Cost: {{1}} ~ =2 #3?\"\nreference = \"Ref: one\"\n\
             explanation = \"Line one.\\nLine two, with a colon: here.\\n\\nA new paragraph.\"\n\
             choices = [{{ text = \"a=b\", correct = true }}, {{ text = \"c~d\", feedback = \"No #1\" }}]\n\
             [[question]]\nid = \"many\"\ntype = \"multiple\"\nprompt = \"P\"\nexplanation = \"A long enough explanation.\"\n\
             choices = [{{ text = \"a\", correct = true }}, {{ text = \"b\", correct = true }}, {{ text = \"c\", correct = true }}, {{ text = \"d\" }}]\n\
             [[question]]\nid = \"seq\"\ntype = \"order\"\nprompt = \"P\"\nexplanation = \"A long enough explanation.\"\nitems = [\"x\", \"y\"]\n"
        ),
    );
    let out = Sg::new().args(["export", &path, "--format", "gift"]).run();
    out.code(0)
        .stdout_has("$CATEGORY: odd-chars")
        .stdout_has("::sp::Cost\\: \\{1\\} \\~ \\=2 \\#3?{")
        .stdout_has("\t=a\\=b\n")
        .stdout_has("\t~c\\~d#No \\#1\n")
        // A single line break is a soft one, as the quiz shows it; a paragraph break stays.
        .stdout_has("\t####Line one. Line two, with a colon\\: here.\\n\\nA new paragraph.\\n\\nSource\\: Ref\\: one\n")
        .stdout_has("\t~%33.33333%a\n")
        .stdout_has("\t~%-33.33333%d\n")
        .stderr_has("question `seq` was skipped: GIFT has no ordering question");
    assert!(!out.stdout.contains("::seq::"));
}

#[test]
fn eleven_right_choices_are_flagged_for_moodle_by_check_and_export() {
    let dir = tempdir("gift");
    let choices: Vec<String> = (1..=12)
        .map(|i| format!("{{ text = \"c{i}\", correct = {} }}", i <= 11))
        .collect();
    let path = write(
        &dir,
        "eleven.toml",
        &format!(
            "{HEAD}[[question]]\nid = \"many\"\ntype = \"multiple\"\nprompt = \"P\"\nreference = \"R\"\n\
             explanation = \"A long enough explanation.\"\nchoices = [{}]\n",
            choices.join(", ")
        ),
    );
    Sg::new()
        .args(["check", &path])
        .run()
        .code(0)
        .stdout_has(&format!(
            "{path}:11:11: warning: 11 right choices: Moodle cannot give each an equal share, so an export to GIFT gives each 10%"
        ))
        .stdout_has("= help: keep to ten right choices or fewer if the bank goes to Moodle");
    Sg::new()
        .args(["export", &path, "--format", "gift"])
        .run()
        .code(0)
        .stdout_has("\t~%10%c11\n\t~%-10%c12\n")
        .stderr_has("sgquiz: warning: question `many`: Moodle cannot give each of its 11 right choices an equal share (9.09%), so each earns 10% in GIFT");
}

#[test]
fn gift_import_notes_never_send_control_characters_to_the_terminal() {
    let dir = tempdir("gift");
    let gift = write(
        &dir,
        "escape.gift",
        "::Bad\u{1b}[31mname::Which?{=a ~b ~c#\u{1b}]0;title\u{7}}\n",
    );
    let out_path = dir.join("escape.toml");
    let out = Sg::new()
        .args(["import", &gift, "-o", out_path.to_str().unwrap()])
        .run();
    out.code(0)
        .stderr_has("question \"Bad\\x1b[31mname\" (`bad-31mname`)");
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
}

#[test]
fn gift_round_trip_keeps_every_question_gift_can_hold() {
    let dir = tempdir("gift");
    let original = sgquiz::bank::load::load_path(&fixture("all-types.toml")).unwrap();
    let gift = dir.join("out.gift");
    let bank = dir.join("back.toml");
    Sg::new()
        .args([
            "export",
            fixture("all-types.toml").to_str().unwrap(),
            "--format",
            "gift",
        ])
        .args(["-o", gift.to_str().unwrap()])
        .run()
        .code(0);
    Sg::new()
        .args([
            "import",
            gift.to_str().unwrap(),
            "-o",
            bank.to_str().unwrap(),
        ])
        .run()
        .code(0)
        .stdout_has("with 6 questions. 0 errors");
    let back = sgquiz::bank::load::load_path(&bank).expect("the imported bank loads");
    assert_eq!(back.quiz.id, original.quiz.id);
    assert_eq!(back.quiz.title, original.quiz.title);
    let kept: Vec<_> = original
        .questions
        .iter()
        .filter(|q| q.kind.name() != "order")
        .collect();
    assert_eq!(back.questions.len(), kept.len());
    for (b, o) in back.questions.iter().zip(kept) {
        // Compare as JSON: every field the bank holds, the type-specific ones included.
        let (mut b, mut o) = (
            serde_json::to_value(b).unwrap(),
            serde_json::to_value(o).unwrap(),
        );
        // GIFT has no all-or-nothing scoring; the fixture uses the default, partial.
        b.as_object_mut().unwrap().remove("scoring");
        o.as_object_mut().unwrap().remove("scoring");
        assert_eq!(b, o);
    }
}

#[test]
fn gift_import_reads_moodle_files_and_reports_what_it_drops() {
    let dir = tempdir("gift");
    let gift = write(
        &dir,
        "moodle.gift",
        "// A comment Moodle ignores\n\
         $CATEGORY: $course$/top/Safeguarding/Sécurité en ligne\n\n\
         ::Q1 Who to tell::[html]Who do you tell first?{=The DSL ~A friend#No. ~Nobody}\n\n\
         ::Range::How many, roughly?{#8..12####Around ten.}\n\n\
         ::TF::Safeguarding is everyone's job.{T#Wrong#Right####It is.}\n\n\
         ::Gap::Call {=999} in an emergency.\n\n\
         ::Essay::Describe your setting's policy.{}\n\n\
         ::Weights::Which apply?{~%50%one ~%50%two ~%-100%three####Both one and two.}\n\
         ::DSL::What does DSL stand for?{\n=%100%designated safeguarding lead#\n=%0%*#Ask.\n####Your lead.}\n\
         ::Broken::Not closed {=a\n\n\
         ::Last::Still read?{TRUE####Yes.}\n// a closing comment\n",
    );
    let out_path = dir.join("moodle.toml");
    let out = Sg::new()
        .args(["import", &gift, "-o", out_path.to_str().unwrap()])
        .run();
    out.code(0)
        .stdout_has("with 7 questions")
        .stderr_has("question \"Essay\" (`essay`) is an essay question, which a bank cannot hold")
        .stderr_has("question \"Q1 Who to tell\" (`q1-who-to-tell`): it is HTML")
        .stderr_has("question \"TF\" (`tf`): the feedback on its true/false answers was dropped")
        .stderr_has("question \"Gap\" (`gap`): it has no general feedback")
        .stderr_has("question \"Weights\" (`weights`): Moodle's grades (\"one\" 50%, \"two\" 50%, \"three\" -100%) became equal shares")
        .stderr_has("question \"DSL\" (`dsl`): the feedback for any other answer was dropped: \"Ask.\"")
        .stderr_has("question \"Broken\" was left out, as Moodle would leave it out: its answer block has no closing `}`");
    let bank = sgquiz::bank::load::load_path(&out_path).expect("the import loads");
    let q = |id: &str| bank.questions.iter().find(|q| q.id == id).unwrap();
    assert_eq!(q("q1-who-to-tell").topic, "sécurité-en-ligne");
    assert!(
        matches!(&q("dsl").kind, sgquiz::bank::Kind::Text { accept } if accept == &["designated safeguarding lead"])
    );
    assert!(matches!(
        q("last").kind,
        sgquiz::bank::Kind::TrueFalse { answer: true }
    ));
    assert!(
        matches!(q("range").kind, sgquiz::bank::Kind::Number { answer, tolerance } if answer == 10.0 && tolerance == 2.0)
    );
    assert_eq!(q("gap").prompt, "Call _____ in an emergency.");
    assert!(
        matches!(&q("weights").kind, sgquiz::bank::Kind::Multiple { choices, .. } if choices.iter().filter(|c| c.correct).count() == 2)
    );
    // An existing file is never overwritten.
    Sg::new()
        .args(["import", &gift, "-o", out_path.to_str().unwrap()])
        .run()
        .code(1)
        .stderr_has("already exists");
}

#[test]
fn markdown_handouts_for_trainer_and_trainee() {
    let path = fixture("all-types.toml");
    let path = path.to_str().unwrap();
    let trainer = Sg::new()
        .args(["export", path, "--format", "markdown"])
        .run();
    trainer
        .code(0)
        .stdout_has("# All seven question types")
        .stdout_has(". Which letter comes second in the alphabet?")
        .stdout_has("## Answers")
        .stdout_has("**Answer:** 190,000 (anything from 180,000 to 200,000 is accepted)")
        .stdout_has("**Why:** The alphabet runs A, B, C, so B is second.")
        .stdout_has("NSPCC Helpline 0808 800 5000");
    // With no --seed, a random one is printed on the sheet, and gives the same sheet again.
    let seed = sheet_seed(&trainer.stdout);
    let sheet = Sg::new()
        .args(["export", path, "--format", "markdown", "--no-answers"])
        .args(["--seed", &seed.to_string()])
        .run();
    sheet
        .code(0)
        .stdout_has("Tick all that apply.")
        .stdout_has("NSPCC Helpline");
    assert!(!sheet.stdout.contains("## Answers"));
    assert!(!sheet.stdout.contains("**Why:**"));
    assert_eq!(questions_of(&sheet.stdout), questions_of(&trainer.stdout));
    Sg::new()
        .args(["export", path, "--format", "gift", "--seed", "1"])
        .run()
        .code(1)
        .stderr_has("--seed lays out a paper sheet");
}

/// The seed printed on a sheet ("Sheet N").
fn sheet_seed(markdown: &str) -> u64 {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("Sheet "))
        .and_then(|n| n.parse().ok())
        .expect("the sheet names its seed")
}

/// The "## Questions" part of a handout.
fn questions_of(markdown: &str) -> &str {
    let start = markdown.find("## Questions").expect("questions");
    let end = markdown[start..]
        .find("\n## ")
        .map_or(markdown.len(), |e| start + e);
    &markdown[start..end]
}

/// Each question's part of the "## Questions" section, by number.
fn numbered(section: &str) -> Vec<&str> {
    section.split("\n### ").skip(1).collect()
}

#[test]
fn the_answer_key_gives_the_letters_on_the_sheet_made_with_the_same_seed() {
    let mut banks: Vec<String> = sgquiz::bank::catalog::BUNDLED
        .iter()
        .map(|(name, _)| name.trim_end_matches(".toml").to_string())
        .collect();
    banks.push(fixture("all-types.toml").display().to_string());
    for bank in &banks {
        let mut sheets = Vec::new();
        for seed in ["1", "2", "2013"] {
            let export = |extra: &str| {
                Sg::new()
                    .args([
                        "export", bank, "--format", "markdown", "--seed", seed, extra,
                    ])
                    .run()
            };
            let sheet = export("--no-answers");
            let trainer = export("--answers");
            sheet.code(0).stdout_has(&format!("Sheet {seed}\n"));
            trainer.code(0);
            let questions = numbered(questions_of(&sheet.stdout));
            assert_eq!(questions_of(&sheet.stdout), questions_of(&trainer.stdout));
            let answers_at = trainer.stdout.find("## Answers").unwrap();
            let answers = numbered(&trainer.stdout[answers_at..]);
            assert_eq!(questions.len(), answers.len(), "{bank}");
            let mut lettered = 0;
            for (q, a) in questions.iter().zip(&answers) {
                let key = a
                    .lines()
                    .find_map(|l| l.strip_prefix("**Answer:** "))
                    .expect("every question has an answer");
                // Every "X. text" in the key is option X on the sheet, as written there.
                let key = match key.split_once("(first to last: ") {
                    Some((_, order)) => order.strip_suffix(')').unwrap_or(order),
                    None => key,
                };
                for part in key.split("; ") {
                    let part = part.split_once(" → ").map_or(part, |(_, right)| right);
                    if part.as_bytes().get(1) == Some(&b'.')
                        && part.as_bytes()[0].is_ascii_uppercase()
                    {
                        lettered += 1;
                        assert!(
                            q.lines().any(|l| l.ends_with(part) && l.starts_with("- ")),
                            "{bank} seed {seed}: `{part}` is not on the sheet:\n{q}"
                        );
                    }
                }
            }
            assert!(lettered > 0, "{bank}: the key gives letters");
            sheets.push(questions_of(&sheet.stdout).to_string());
        }
        assert_ne!(sheets[0], sheets[1], "{bank}: another seed, another sheet");
    }
}

#[test]
fn json_export_is_key_for_key_the_toml() {
    let path = fixture("all-types.toml");
    let out = Sg::new()
        .args(["export", path.to_str().unwrap(), "--format", "json"])
        .run();
    out.code(0);
    let exported: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(exported, as_json(&std::fs::read_to_string(&path).unwrap()));
    assert!(
        exported["question"][0].get("points").is_none(),
        "no defaults added"
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli() {
    Sg::new()
        .args(["completions", "bash"])
        .run()
        .code(0)
        .stdout_has("_sgquiz()")
        .stdout_has("--deny-warnings");
    Sg::new()
        .args(["man"])
        .run()
        .code(0)
        .stdout_has(".TH sgquiz")
        .stdout_has("Safeguarding training quizzes");
}

#[test]
fn the_review_date_travels_with_every_export_and_the_listing() {
    let export = |format: &str| {
        let out = Sg::new()
            .args(["export", "what-to-do", "--format", format])
            .run();
        out.code(0);
        out.stdout
    };
    assert!(export("gift").contains("\n// Content last reviewed: 2026-12-02\n"));
    assert!(export("json").contains("\"reviewed\": \"2026-12-02\""));
    assert!(export("markdown").contains("\nContent last reviewed: December 2026\n"));
    Sg::new()
        .args(["list", "--json"])
        .run()
        .code(0)
        .stdout_has("\"reviewed\": \"2026-12-02\"");
}

#[test]
fn sgquiz_setting_names_the_setting_file_and_nothing_changes_without_one() {
    let bank = fixture("setting/contacts.toml");
    let bank = bank.to_str().unwrap();
    let setting = fixture("setting/setting.toml");
    let with_env = Sg::new()
        .env("SGQUIZ_SETTING", setting.to_str().unwrap())
        .args(["run", bank, "--plain", "--seed", "1"])
        .stdin("1\ntrue\n1\n")
        .run();
    with_env
        .code(0)
        .stdout_has("Your setting's safeguarding contacts (Hillside Primary School):")
        .stdout_has("Ms A. Patel, room 12, extension 214")
        .stdout_has("Question 3 of 3");
    // A bundled quiz with no setting file is as it always was: no contacts, no notes.
    let plain = Sg::new()
        .args(["run", "what-to-do", "--plain", "--seed", "1"])
        .stdin("")
        .run();
    assert!(!plain.stdout.contains("Your setting's"));
    assert!(!plain.stderr.contains("note:"), "{}", plain.stderr);
}

#[test]
fn a_bank_of_only_setting_questions_needs_a_setting_file() {
    let dir = tempdir("setting-only");
    let path = write(
        &dir,
        "only.toml",
        "format = 1\n[quiz]\nid = \"only\"\ntitle = \"Only\"\n\
         [[question]]\nid = \"dsl\"\ntype = \"single\"\nsetting = \"dsl\"\nprompt = \"Who is the DSL here?\"\n\
         choices = [{ text = \"Nobody\" }, { text = \"Anybody\" }]\n\
         explanation = \"Every setting names its DSL for everyone to know.\"\nreference = \"R\"\n",
    );
    Sg::new()
        .args(["run", &path, "--plain"])
        .run()
        .code(1)
        .stderr_has("note: question `dsl` asks about your setting's own contacts and was left out")
        .stderr_has("error: every question in only asks about your setting's own contacts");
    let out = Sg::new()
        .args([
            "--setting",
            fixture("setting/dsl-only.toml").to_str().unwrap(),
        ])
        .args(["run", &path, "--plain", "--seed", "1"])
        .stdin("1\n")
        .run();
    out.code(0)
        .stdout_has("Your setting's safeguarding contacts (Riverside Academy):")
        .stdout_has("Mr D. Evans, extension 100");
    assert!(
        !out.stdout.contains("Deputy DSLs"),
        "only the contacts given"
    );
}
