//! The setting's own safeguarding contacts: who the DSL and the deputies are, and the local
//! children's social care and LADO numbers, which no bundled bank can know.
//!
//! A setting file (TOML; `sgquiz setting init` writes a commented one) is read by
//! `load::setting`, with the same diagnostics as a bank and its text sanitised as bank text is.
//! `apply` then adds its contacts to the bank's support block (shown at the start and the end of
//! every quiz, and on handouts) and completes the bank's questions about the setting's own
//! contacts (`setting = "dsl"`): the right choice is taken from the file, the wrong ones from the
//! bank. Without a setting file those questions are left out, with a note saying so, and nothing
//! else changes.

use serde::Serialize;

use crate::bank::{Bank, Choice, Kind, Question};

/// One of the setting file's contacts: what a bank question may ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    Name,
    Dsl,
    Deputies,
    ChildrenSocialCare,
    Lado,
    LocalProcedures,
}

impl Contact {
    /// Every contact, in the order the file and the support block list them.
    pub const ALL: [Contact; 6] = [
        Contact::Name,
        Contact::Dsl,
        Contact::Deputies,
        Contact::ChildrenSocialCare,
        Contact::Lado,
        Contact::LocalProcedures,
    ];

    /// The key in the setting file, and the value of `setting = "..."` in a bank.
    pub fn key(self) -> &'static str {
        match self {
            Contact::Name => "name",
            Contact::Dsl => "dsl",
            Contact::Deputies => "deputies",
            Contact::ChildrenSocialCare => "children_social_care",
            Contact::Lado => "lado",
            Contact::LocalProcedures => "local_procedures",
        }
    }

    pub fn of_key(key: &str) -> Option<Contact> {
        Contact::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Every key, in file order.
    pub fn keys() -> Vec<&'static str> {
        Contact::ALL.iter().map(|c| c.key()).collect()
    }

    /// How the support block names it.
    fn label(self) -> &'static str {
        match self {
            Contact::Name => "Setting",
            Contact::Dsl => "Designated safeguarding lead (DSL)",
            Contact::Deputies => "Deputy DSLs",
            Contact::ChildrenSocialCare => "Children's social care",
            Contact::Lado => "Local authority designated officer (LADO)",
            Contact::LocalProcedures => "Local procedures",
        }
    }
}

/// A setting file, read and sanitised: each value on one line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setting {
    pub name: String,
    pub dsl: String,
    pub deputies: Vec<String>,
    pub children_social_care: Option<String>,
    pub lado: Option<String>,
    pub local_procedures: Option<String>,
}

impl Setting {
    /// The file's answer for `contact`, if it gives one.
    pub fn get(&self, contact: Contact) -> Option<String> {
        match contact {
            Contact::Name => Some(self.name.clone()),
            Contact::Dsl => Some(self.dsl.clone()),
            Contact::Deputies => match self.deputies.as_slice() {
                [] => None,
                [one] => Some(one.clone()),
                [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
            },
            Contact::ChildrenSocialCare => self.children_social_care.clone(),
            Contact::Lado => self.lado.clone(),
            Contact::LocalProcedures => self.local_procedures.clone(),
        }
    }

    /// The contacts, as the first paragraph of the support block.
    pub fn support(&self) -> String {
        let mut out = format!("Your setting's safeguarding contacts ({}):", self.name);
        for contact in &Contact::ALL[1..] {
            let value = match contact {
                Contact::Deputies if !self.deputies.is_empty() => Some(self.deputies.join("; ")),
                _ => self.get(*contact),
            };
            if let Some(value) = value {
                out.push_str(&format!("\n- {}: {value}", contact.label()));
            }
        }
        out
    }
}

/// A question about the setting's own contacts, as the bank gives it: its wrong choices only.
#[derive(Debug, Clone, Serialize)]
pub struct SettingQuestion {
    /// Where it stands among the bank's questions (its index once every one is in).
    pub at: usize,
    /// The contact whose value is the right choice.
    pub asks: Contact,
    /// A single question whose choices are all wrong.
    pub question: Question,
}

/// A bank with the setting applied, and what was left out and why.
#[derive(Debug, Clone)]
pub struct Applied {
    pub bank: Bank,
    /// One sentence for each question left out.
    pub notes: Vec<String>,
}

/// The bank as a quiz or a handout uses it: with the setting's contacts in the support block and
/// its questions about them completed, each where it stands in the file; or, with no setting,
/// those questions left out.
pub fn apply(bank: &Bank, setting: Option<&Setting>) -> Applied {
    let mut notes = Vec::new();
    let total = bank.questions.len() + bank.setting_questions.len();
    let mut ordinary = bank.questions.iter();
    let mut questions = Vec::with_capacity(total);
    for at in 0..total {
        match bank.setting_questions.iter().find(|s| s.at == at) {
            Some(sq) => match complete(sq, setting) {
                Ok(q) => questions.push(q),
                Err(note) => notes.push(note),
            },
            None => questions.extend(ordinary.next().cloned()),
        }
    }
    let mut quiz = bank.quiz.clone();
    if let Some(s) = setting {
        quiz.support = format!("{}\n\n{}", s.support(), bank.quiz.support);
        // The setting's contacts are one line each already: the brief opens with them too.
        quiz.support_brief = bank
            .quiz
            .support_brief
            .as_ref()
            .map(|brief| format!("{}\n\n{brief}", s.support()));
    }
    Applied {
        bank: Bank {
            format: bank.format,
            quiz,
            questions,
            setting_questions: Vec::new(),
        },
        notes,
    }
}

/// A setting question with its right choice from the setting, or why it is left out.
fn complete(sq: &SettingQuestion, setting: Option<&Setting>) -> Result<Question, String> {
    let id = &sq.question.id;
    let Some(setting) = setting else {
        return Err(format!(
            "question `{id}` asks about your setting's own contacts and was left out: no setting file was given (make one with `sgquiz setting init`, then use --setting FILE or SGQUIZ_SETTING)"
        ));
    };
    let Some(answer) = setting.get(sq.asks) else {
        return Err(format!(
            "question `{id}` asks for `{}`, which the setting file does not give, and was left out",
            sq.asks.key()
        ));
    };
    let Kind::Single { choices } = &sq.question.kind else {
        return Err(format!("question `{id}` is not a single question"));
    };
    if choices
        .iter()
        .any(|c| c.text.to_lowercase() == answer.to_lowercase())
    {
        return Err(format!(
            "question `{id}` was left out: one of its wrong choices is the setting's own `{}`",
            sq.asks.key()
        ));
    }
    // In a bank that is not shuffled the right choice must not always be last: its place
    // follows from the question's id, so it is the same on every run.
    let mut choices = choices.clone();
    let at = id.bytes().map(usize::from).sum::<usize>() % (choices.len() + 1);
    choices.insert(
        at,
        Choice {
            text: answer,
            correct: true,
            feedback: None,
        },
    );
    Ok(Question {
        kind: Kind::Single { choices },
        ..sq.question.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::validate_source;

    /// Two ordinary questions around a question about the DSL, and one about the LADO last.
    fn bank() -> Bank {
        let tf = |id: &str| {
            format!(
                "[[question]]\nid = \"{id}\"\ntype = \"true_false\"\nprompt = \"P {id}\"\nanswer = true\nexplanation = \"E\"\n"
            )
        };
        let asks = |id: &str, key: &str| {
            format!(
                "[[question]]\nid = \"{id}\"\ntype = \"single\"\nsetting = \"{key}\"\nprompt = \"Who?\"\n\
                 choices = [{{ text = \"Nobody\" }}, {{ text = \"Mr D. Evans\" }}]\nexplanation = \"E\"\n"
            )
        };
        let src = format!(
            "format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\nsupport = \"Helplines.\"\n{}{}{}{}",
            tf("a"),
            asks("dsl", "dsl"),
            tf("b"),
            asks("lado", "lado")
        );
        validate_source(&src).expect("valid")
    }

    fn ids(bank: &Bank) -> Vec<&str> {
        bank.questions.iter().map(|q| q.id.as_str()).collect()
    }

    #[test]
    fn an_unapplied_bank_never_shows_a_setting_question() {
        let bank = bank();
        assert_eq!(ids(&bank), ["a", "b"]);
        let applied = apply(&bank, None);
        assert_eq!(ids(&applied.bank), ["a", "b"]);
        assert_eq!(applied.bank.quiz.support, "Helplines.");
        assert_eq!(applied.notes.len(), 2);
        assert!(applied.notes[0].contains("`dsl`") && applied.notes[0].contains("no setting file"));
    }

    #[test]
    fn the_setting_completes_its_questions_in_their_places() {
        let setting = Setting {
            name: "Hillside".into(),
            dsl: "Ms A. Patel".into(),
            lado: Some("LADO team".into()),
            ..Setting::default()
        };
        let applied = apply(&bank(), Some(&setting));
        assert!(applied.notes.is_empty(), "{:?}", applied.notes);
        assert_eq!(ids(&applied.bank), ["a", "dsl", "b", "lado"]);
        let Kind::Single { choices } = &applied.bank.questions[1].kind else {
            panic!("single")
        };
        let right: Vec<&str> = choices
            .iter()
            .filter(|c| c.correct)
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(right, ["Ms A. Patel"]);
        assert_eq!(choices.len(), 3);
        assert!(
            applied
                .bank
                .quiz
                .support
                .starts_with("Your setting's safeguarding contacts (Hillside):\n")
        );
        assert!(applied.bank.quiz.support.ends_with("\n\nHelplines."));
    }

    #[test]
    fn a_question_is_left_out_when_the_setting_lacks_its_contact_or_a_wrong_choice_is_it() {
        let setting = Setting {
            name: "Riverside".into(),
            dsl: "mr d. evans".into(),
            ..Setting::default()
        };
        let applied = apply(&bank(), Some(&setting));
        assert_eq!(ids(&applied.bank), ["a", "b"]);
        assert!(applied.notes[0].contains("one of its wrong choices is the setting's own `dsl`"));
        assert!(applied.notes[1].contains("asks for `lado`, which the setting file does not give"));
    }
}
