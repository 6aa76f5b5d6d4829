//! Walking the spanned TOML tree: a `Table` being read, and the `Walker` that reads typed
//! values out of it, reporting every wrong type, missing key and unknown key at its place. The
//! rules (`rules`) and lints (`lints`) are written on top of these readers.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::bank::diagnostic::Diagnostic;
use crate::util::suggest::nearest;
use crate::util::text::sanitize;

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// One table being read: its entries, where it stands, and how to name it in messages.
pub(super) struct Table<'a, 'i> {
    pub entries: &'a DeTable<'i>,
    pub span: Range<usize>,
    pub name: String,
}

impl<'a, 'i> Table<'a, 'i> {
    pub(super) fn get(&self, key: &str) -> Option<&'a Value<'i>> {
        self.entries.get(key)
    }
}

/// Reads a bank, keeping every error and warning it finds.
#[derive(Default)]
pub(super) struct Walker {
    /// The errors and warnings found so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl Walker {
    pub(super) fn error(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::error(code, span, message));
    }

    pub(super) fn warn(
        &mut self,
        code: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::warning(code, span, message));
    }

    /// Reports every key of `table` that is not in `allowed`, with the nearest known key.
    pub(super) fn unknown_keys(
        &mut self,
        table: &Table,
        allowed: &[&str],
        known_elsewhere: &[&str],
    ) {
        for (key, _) in table.entries.iter() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) || known_elsewhere.contains(&name) {
                continue;
            }
            let d = Diagnostic::error(
                "unknown-key",
                key.span(),
                format!("unknown key `{}` in {}", sanitize(name), table.name),
            );
            let d = match nearest(name, allowed) {
                Some(near) => d.with_help(format!("did you mean `{near}`?")),
                None => d.with_help(format!("the keys allowed here are: {}", allowed.join(", "))),
            };
            self.diagnostics.push(d);
        }
    }

    pub(super) fn wrong_type(&mut self, value: &Value, key: &str, expected: &str) {
        self.error(
            "wrong-type",
            value.span(),
            format!(
                "`{key}` must be {expected}, found {}",
                article(value.get_ref().type_str())
            ),
        );
    }

    pub(super) fn missing(&mut self, table: &Table, key: &str, hint: &str) {
        // A misspelt key is already reported with "did you mean"; saying it is missing too is noise.
        let misspelt = table
            .entries
            .iter()
            .any(|(k, _)| k.get_ref().as_ref() != key && nearest(k.get_ref(), &[key]).is_some());
        if misspelt {
            return;
        }
        self.error(
            "missing-key",
            table.span.clone(),
            format!("{} is missing `{key}`{hint}", table.name),
        );
    }

    /// An optional string; `None` if absent or of the wrong type (reported).
    pub(super) fn string(&mut self, table: &Table, key: &str) -> Option<(String, Range<usize>)> {
        let value = table.get(key)?;
        match value.get_ref().as_str() {
            Some(s) => Some((s.to_string(), value.span())),
            None => {
                self.wrong_type(value, key, "a string");
                None
            }
        }
    }

    /// A required, non-empty string, trimmed and sanitised.
    pub(super) fn required_text(&mut self, table: &Table, key: &str) -> Option<String> {
        if table.get(key).is_none() {
            self.missing(table, key, "");
            return None;
        }
        let (s, span) = self.string(table, key)?;
        if s.trim().is_empty() {
            self.error("empty", span, format!("`{key}` must not be empty"));
            return None;
        }
        Some(sanitize(s.trim()))
    }

    pub(super) fn optional_text(&mut self, table: &Table, key: &str) -> Option<String> {
        self.string(table, key)
            .map(|(s, _)| s)
            .filter(|s| !s.trim().is_empty())
            .map(|s| sanitize(s.trim()))
    }

    pub(super) fn bool(&mut self, table: &Table, key: &str) -> Option<bool> {
        let value = table.get(key)?;
        match value.get_ref().as_bool() {
            Some(b) => Some(b),
            None => {
                self.wrong_type(value, key, "true or false");
                None
            }
        }
    }

    pub(super) fn number(&mut self, table: &Table, key: &str) -> Option<(f64, Range<usize>)> {
        let value = table.get(key)?;
        match number(value.get_ref()) {
            Some(n) => Some((n, value.span())),
            None => {
                self.wrong_type(value, key, "a number");
                None
            }
        }
    }

    pub(super) fn array<'a, 'i>(
        &mut self,
        table: &Table<'a, 'i>,
        key: &str,
    ) -> Option<(&'a DeArray<'i>, Range<usize>)> {
        let value = table.get(key)?;
        match value.get_ref().as_array() {
            Some(a) => Some((a, value.span())),
            None => {
                self.wrong_type(value, key, "an array");
                None
            }
        }
    }

    /// A table inside an array, or `None` (reported) for anything else.
    pub(super) fn table_in<'a, 'i>(
        &mut self,
        value: &'a Value<'i>,
        key: &str,
        name: String,
    ) -> Option<Table<'a, 'i>> {
        match value.get_ref().as_table() {
            Some(entries) => Some(Table {
                entries,
                span: value.span(),
                name,
            }),
            None => {
                self.wrong_type(value, key, "a table");
                None
            }
        }
    }
}

pub(super) fn article(type_str: &str) -> String {
    match type_str {
        "integer" => "an integer".to_string(),
        "array" => "an array".to_string(),
        other => format!("a {other}"),
    }
}

pub(super) fn integer(v: &DeValue) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}

pub(super) fn number(v: &DeValue) -> Option<f64> {
    match v {
        DeValue::Integer(_) => integer(v).map(|i| i as f64),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite()),
        _ => None,
    }
}
