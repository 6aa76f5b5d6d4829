//! Reading a setting file (see `bank::setting`): the same spanned walk as a bank, so that a
//! malformed file is refused with every problem at its `FILE:LINE:COL`, and its text sanitised
//! as bank text is. Each value is kept on one line, as it is shown as one item of a list.

use std::path::Path;

use toml::de::DeTable;

use super::walk::{Table, Walker};
use super::{LoadError, read_path};
use crate::bank::diagnostic::{Diagnostic, render_all};
use crate::bank::setting::{Contact, Setting};
use crate::util::text::sanitize;

/// A setting file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingError {
    #[error("cannot use the setting file {file}: {message}")]
    Unreadable { file: String, message: String },
    #[error("{}", render_all(.file, .source_text, .diagnostics, "the setting file was not used"))]
    Invalid {
        file: String,
        source_text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

/// Reads and checks the setting file at `path`.
pub fn load_setting_path(path: &Path) -> Result<Setting, SettingError> {
    let file = path.display().to_string();
    let text = read_path(path).map_err(|e| SettingError::Unreadable {
        file: file.clone(),
        message: match e {
            LoadError::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        },
    })?;
    load_setting_str(&file, &text)
}

/// Checks the setting file text `source`; `file` names it in messages.
pub fn load_setting_str(file: &str, source: &str) -> Result<Setting, SettingError> {
    check_setting(source).map_err(|diagnostics| SettingError::Invalid {
        file: file.to_string(),
        source_text: source.to_string(),
        diagnostics,
    })
}

/// The setting, or every error in it.
pub fn check_setting(source: &str) -> Result<Setting, Vec<Diagnostic>> {
    let (root, syntax) = DeTable::parse_recoverable(source);
    let mut w = Walker {
        diagnostics: super::syntax::diagnose(source, &syntax),
    };
    let setting = if syntax.is_empty() {
        w.setting(root.get_ref())
    } else {
        None
    };
    let mut diagnostics = w.diagnostics;
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
    match setting {
        Some(s) if diagnostics.is_empty() => Ok(s),
        _ => Err(diagnostics),
    }
}

/// A value as one line: the support block shows each as one item.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Walker {
    fn setting(&mut self, root: &DeTable) -> Option<Setting> {
        let t = Table {
            entries: root,
            span: 0..0,
            name: "the setting file".to_string(),
        };
        self.unknown_keys(&t, &Contact::keys(), &[]);
        let name = self.required_text(&t, "name");
        let dsl = self.required_text(&t, "dsl");
        let mut deputies = Vec::new();
        if let Some((list, _)) = self.array(&t, "deputies") {
            for v in list.iter() {
                match v.get_ref().as_str() {
                    Some(s) if s.trim().is_empty() => self.diagnostics.push(
                        Diagnostic::error("empty", v.span(), "an entry of `deputies` is empty")
                            .with_help("fill it in, or delete it"),
                    ),
                    Some(s) => deputies.push(one_line(&sanitize(s))),
                    None => self.wrong_type(v, "deputies", "a list of strings"),
                }
            }
        }
        let mut optional = |key: &str| {
            let (s, span) = self.string(&t, key)?;
            if s.trim().is_empty() {
                self.diagnostics.push(
                    Diagnostic::error("empty", span, format!("`{key}` is empty"))
                        .with_help("fill it in, or delete the line"),
                );
                return None;
            }
            Some(one_line(&sanitize(&s)))
        };
        let children_social_care = optional("children_social_care");
        let lado = optional("lado");
        let local_procedures = optional("local_procedures");
        Some(Setting {
            name: one_line(&name?),
            dsl: one_line(&dsl?),
            deputies,
            children_social_care,
            lado,
            local_procedures,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_setting_is_read_on_one_line_each_and_sanitised() {
        let s = check_setting(
            "name = \"Hillside Primary\"\ndsl = \"Ms A Patel,\\n room 12\"\n\
             deputies = [\"Mr B Jones\", \"Mrs C \\u001b[31mOkafor\"]\nlado = \"01234 567111\"\n",
        )
        .unwrap();
        assert_eq!(s.dsl, "Ms A Patel, room 12");
        assert_eq!(s.deputies[1], "Mrs C \\x1b[31mOkafor");
        assert_eq!(
            s.get(Contact::Deputies).unwrap(),
            "Mr B Jones and Mrs C \\x1b[31mOkafor"
        );
        assert_eq!(s.get(Contact::ChildrenSocialCare), None);
        assert_eq!(
            s.support(),
            "Your setting's safeguarding contacts (Hillside Primary):\n\
             - Designated safeguarding lead (DSL): Ms A Patel, room 12\n\
             - Deputy DSLs: Mr B Jones; Mrs C \\x1b[31mOkafor\n\
             - Local authority designated officer (LADO): 01234 567111"
        );
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let errors =
            check_setting("name = \"\"\ndsl = \"x\"\nlada = \"y\"\nlado = 3\ndeputies = [\"\"]\n")
                .unwrap_err();
        let codes: Vec<&str> = errors.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["empty", "unknown-key", "wrong-type", "empty"]);
        assert_eq!(errors[1].help.as_deref(), Some("did you mean `lado`?"));
    }
}
