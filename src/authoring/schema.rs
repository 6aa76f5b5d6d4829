//! `sgquiz schema`: a JSON Schema (draft-07) for bank files, for editors (taplo, Even Better
//! TOML) to complete keys and flag mistakes as a trainer types.
//!
//! The types here describe the file as written, with its optional keys, which is not the shape of
//! a validated `Bank` (where defaults are filled in). The schema is looser than `sgquiz check`:
//! it catches unknown keys, wrong types and the keys each question type needs, while rules such
//! as "exactly one right choice" stay with the checker.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use crate::bank::kind::{self, KINDS};
use crate::bank::load::WARNINGS;
use crate::bank::setting::Contact;

/// A question bank for sgquiz (format 1).
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "sgquiz question bank")]
struct BankFile {
    /// The version of the bank format. This version of sgquiz reads 1.
    #[schemars(range(min = 1, max = 1))]
    format: u32,
    quiz: QuizTable,
    /// The questions, one `[[question]]` table each.
    #[schemars(length(min = 1))]
    question: Vec<QuestionTable>,
}

/// What the quiz is and how it runs.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct QuizTable {
    /// A stable id in kebab-case; results are kept under it.
    #[schemars(length(min = 1))]
    id: String,
    /// The title trainees see.
    #[schemars(length(min = 1))]
    title: String,
    /// One sentence on what the bank teaches, shown before the first question.
    summary: Option<String>,
    /// Who the bank is for, such as "All staff". Default "All staff".
    audience: Option<String>,
    /// Where the content comes from.
    source: Option<String>,
    /// The percentage needed to pass. Default 80.
    #[schemars(range(min = 0, max = 100))]
    pass_mark: Option<f64>,
    /// Shuffle the questions and choices. Default true.
    shuffle: Option<bool>,
    /// Shown before question 1. A careful default is used when left out.
    content_note: Option<String>,
    /// Support contacts, shown at the start and the end. A default is used when left out.
    support: Option<String>,
    /// The support contacts one line each, shown on an opening screen too short for the whole
    /// `support` text beside the content note (80 columns by 24 rows); the whole text is still
    /// shown at the end. Name every contact `support` does.
    support_brief: Option<String>,
    /// The day the content was last checked against current guidance, a TOML date such as
    /// 2026-11-15 (no quotes). Shown as "Content last reviewed: November 2026"; `check` warns
    /// when it is missing or more than 12 months old.
    #[schemars(extend("format" = "date"))]
    reviewed: Option<String>,
    /// Warning codes to switch off for the whole bank (see the README's list of warnings).
    allow: Option<Vec<String>>,
}

/// The kind of question.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
enum QuestionType {
    /// One right choice among `choices`.
    Single,
    /// Several right choices among `choices`.
    Multiple,
    /// A statement that is true or false (`answer`).
    TrueFalse,
    /// A number (`answer`, optional `tolerance`).
    Number,
    /// A short typed answer (`accept`).
    Text,
    /// Items to put in order (`items`, written in the right order).
    Order,
    /// Left items to match with right options (`pairs`).
    Match,
}

/// One question.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct QuestionTable {
    /// A stable id in kebab-case, unique in the bank.
    #[schemars(length(min = 1))]
    id: String,
    #[schemars(rename = "type")]
    kind: QuestionType,
    /// The topic, for the per-topic breakdown and `--topic`. Default "general".
    topic: Option<String>,
    /// Points for a fully right answer, from 0 to 1000. Default 1.
    #[schemars(range(min = 0, max = 1000))]
    points: Option<f64>,
    /// The question as the trainee reads it.
    #[schemars(length(min = 1))]
    prompt: String,
    /// Why the answer is right and what the usual mistake gets wrong. Shown after every answer.
    #[schemars(length(min = 1))]
    explanation: String,
    /// Where the answer comes from.
    reference: Option<String>,
    /// Warning codes to switch off for this question (see the README's list of warnings).
    allow: Option<Vec<String>>,
    /// single: a question about the setting's own contacts. The right choice is this key's
    /// value in the setting file (`sgquiz setting init`); write only the wrong choices. Without
    /// a setting file the question is left out.
    setting: Option<String>,
    /// single and multiple: the choices; mark the right ones with `correct = true`.
    #[schemars(length(min = 2))]
    choices: Option<Vec<ChoiceTable>>,
    /// multiple: "partial" (default) gives a share per right choice; "all" is all or nothing.
    scoring: Option<Scoring>,
    /// true_false: true or false. number: the right number.
    answer: Option<AnswerValue>,
    /// number: how far from `answer` is still right. Default 0.
    #[schemars(range(min = 0))]
    tolerance: Option<f64>,
    /// text: every accepted answer. Case, spaces and trailing punctuation never matter.
    #[schemars(length(min = 1))]
    accept: Option<Vec<String>>,
    /// order: the items, written in the right order (they are shown shuffled).
    #[schemars(length(min = 2))]
    items: Option<Vec<String>>,
    /// match: the pairs; a right may repeat.
    #[schemars(length(min = 2))]
    pairs: Option<Vec<PairTable>>,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(rename_all = "snake_case")]
enum Scoring {
    Partial,
    All,
}

#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(untagged)]
enum AnswerValue {
    Bool(bool),
    Number(f64),
}

/// One choice of a single or multiple question.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ChoiceTable {
    #[schemars(length(min = 1))]
    text: String,
    /// Mark the right choices with true.
    correct: Option<bool>,
    /// Shown when a trainee picks this (wrong) choice.
    feedback: Option<String>,
}

/// One pair of a match question.
#[allow(dead_code)]
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct PairTable {
    #[schemars(length(min = 1))]
    left: String,
    #[schemars(length(min = 1))]
    right: String,
}

/// The schema, as a JSON value.
pub fn schema() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let root = generator.into_root_schema_for::<BankFile>();
    let mut value = root.to_value();
    drop_null(&mut value);
    // Which keys a question needs depends on its type: draft-07 says so with if/then.
    let type_keys = kind::all_keys();
    let rules: Vec<Value> = KINDS
        .iter()
        .map(|(name, allowed)| {
            let required = &allowed[..1];
            let forbidden: Vec<&str> = type_keys
                .iter()
                .filter(|k| !allowed.contains(k))
                .copied()
                .collect();
            let mut then = json!({ "required": required });
            if !forbidden.is_empty() {
                then["not"] = json!({ "anyOf": forbidden.iter().map(|k| json!({ "required": [k] })).collect::<Vec<_>>() });
            }
            let answer_type = match *name {
                "true_false" => Some(json!({ "type": "boolean" })),
                "number" => Some(json!({ "type": "number" })),
                _ => None,
            };
            if let Some(t) = answer_type {
                then["properties"] = json!({ "answer": t });
            }
            json!({
                "if": { "properties": { "type": { "const": name } }, "required": ["type"] },
                "then": then,
            })
        })
        .collect();
    let question = value
        .pointer_mut("/definitions/QuestionTable")
        .expect("the question table is a definition");
    question["allOf"] = Value::Array(rules);
    value["definitions"]["QuestionTable"]["properties"]["setting"]["enum"] = json!(Contact::keys());
    let codes: Vec<&str> = WARNINGS.iter().filter(|w| w.1).map(|w| w.0).collect();
    for table in ["QuizTable", "QuestionTable"] {
        let items = value
            .pointer_mut(&format!("/definitions/{table}/properties/allow/items"))
            .expect("`allow` is a list");
        items["enum"] = json!(codes);
    }
    value
}

/// TOML has no null: an optional key is simply left out, so `null` is never a valid value.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".to_string(), only);
                }
            }
            if let Some(Value::Array(options)) = map.get_mut("anyOf") {
                options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
            }
            for v in map.values_mut() {
                drop_null(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}
