//! Which questions a trainee is asked, in what order, and how each is laid out.
//!
//! A `Plan` is made once from a bank, the options and a seed, before the first question, so the
//! whole attempt is reproducible from the seed. Front ends see a question only as a `Form`: the
//! texts to show, in the order to show them. Answers come back in those shown positions and the
//! engine maps them back to the bank.

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, Kind};
use crate::engine::rng::Rng;

/// How a run was asked for: the one options type, built once from the command line (or a
/// session) and kept with a record, so that with the seed it rebuilds the same plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub shuffle: Option<bool>,
    #[serde(default)]
    pub count: Option<usize>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub review_at_end: bool,
}

impl Settings {
    /// The options for a plan with this seed.
    pub fn plan_options(&self, seed: u64) -> PlanOptions {
        PlanOptions {
            seed,
            shuffle: self.shuffle,
            count: self.count,
            topics: self.topics.clone(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Seed for every random choice.
    pub seed: u64,
    /// Override the bank's `shuffle` setting.
    pub shuffle: Option<bool>,
    /// Ask only this many questions, drawn at random.
    pub count: Option<usize>,
    /// Keep only these topics (empty: all).
    pub topics: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error("the bank has no topic {}; its topics are: {}", quoted(.unknown), .known.join(", "))]
    UnknownTopic {
        unknown: Vec<String>,
        known: Vec<String>,
    },
    #[error("--count must be at least 1")]
    ZeroCount,
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The questions of one attempt, in asked order.
#[derive(Debug, Clone)]
pub struct Plan {
    pub seed: u64,
    pub asked: Vec<Asked>,
}

/// One question as it will be shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    /// Index into `Bank::questions`.
    pub question: usize,
    pub layout: Layout,
}

/// Shown order of the parts of a question, as indices into the bank's lists.
#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// single and multiple: choice indices in shown order.
    Choices(Vec<usize>),
    /// true_false, number, text: nothing to lay out.
    Plain,
    /// order: item indices in shown order (never the right order when there is a choice).
    Order(Vec<usize>),
    /// match: the distinct right-hand texts in shown order (left items keep the bank's order,
    /// which is usually the natural one, such as level numbers).
    Match { rights: Vec<String> },
}

/// What a front end needs to ask one question: nothing but texts in shown order.
#[derive(Debug, Clone, PartialEq)]
pub enum Form<'a> {
    Single(Vec<&'a str>),
    Multiple(Vec<&'a str>),
    TrueFalse,
    Number,
    Text,
    Order(Vec<&'a str>),
    Match {
        lefts: Vec<&'a str>,
        rights: Vec<&'a str>,
    },
}

impl Plan {
    pub fn new(bank: &Bank, options: &PlanOptions) -> Result<Plan, PlanError> {
        let mut rng = Rng::new(options.seed);
        let shuffle = options.shuffle.unwrap_or(bank.quiz.shuffle);
        let known = bank.topics();
        let unknown: Vec<String> = options
            .topics
            .iter()
            .filter(|t| !known.contains(t))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(PlanError::UnknownTopic { unknown, known });
        }
        let mut chosen: Vec<usize> = (0..bank.questions.len())
            .filter(|&i| {
                options.topics.is_empty() || options.topics.contains(&bank.questions[i].topic)
            })
            .collect();
        if let Some(count) = options.count {
            if count == 0 {
                return Err(PlanError::ZeroCount);
            }
            if count < chosen.len() {
                rng.shuffle(&mut chosen);
                chosen.truncate(count);
                if !shuffle {
                    chosen.sort_unstable();
                }
            }
        }
        if shuffle {
            rng.shuffle(&mut chosen);
        }
        let asked = chosen
            .into_iter()
            .map(|question| Asked {
                question,
                layout: layout(&bank.questions[question].kind, shuffle, &mut rng),
            })
            .collect();
        Ok(Plan {
            seed: options.seed,
            asked,
        })
    }
}

fn layout(kind: &Kind, shuffle: bool, rng: &mut Rng) -> Layout {
    match kind {
        Kind::Single { choices } | Kind::Multiple { choices, .. } => {
            let mut order: Vec<usize> = (0..choices.len()).collect();
            if shuffle {
                rng.shuffle(&mut order);
            }
            Layout::Choices(order)
        }
        Kind::TrueFalse { .. } | Kind::Number { .. } | Kind::Text { .. } => Layout::Plain,
        // An order question is always shown shuffled, and never already in the right order.
        Kind::Order { items } => {
            let mut order: Vec<usize> = (0..items.len()).collect();
            rng.shuffle(&mut order);
            if order.iter().enumerate().all(|(i, &j)| i == j) {
                order.rotate_left(1);
            }
            Layout::Order(order)
        }
        // The right-hand options are always shuffled: in bank order they would give the answer away.
        Kind::Match { pairs } => {
            let mut rights: Vec<String> = Vec::new();
            for p in pairs {
                if !rights.contains(&p.right) {
                    rights.push(p.right.clone());
                }
            }
            rng.shuffle(&mut rights);
            Layout::Match { rights }
        }
    }
}

impl Asked {
    /// The texts a front end shows, in shown order.
    pub fn form<'a>(&'a self, bank: &'a Bank) -> Form<'a> {
        let kind = &bank.questions[self.question].kind;
        match (kind, &self.layout) {
            (Kind::Single { choices }, Layout::Choices(order)) => {
                Form::Single(order.iter().map(|&i| choices[i].text.as_str()).collect())
            }
            (Kind::Multiple { choices, .. }, Layout::Choices(order)) => {
                Form::Multiple(order.iter().map(|&i| choices[i].text.as_str()).collect())
            }
            (Kind::TrueFalse { .. }, _) => Form::TrueFalse,
            (Kind::Number { .. }, _) => Form::Number,
            (Kind::Text { .. }, _) => Form::Text,
            (Kind::Order { items }, Layout::Order(order)) => {
                Form::Order(order.iter().map(|&i| items[i].as_str()).collect())
            }
            (Kind::Match { pairs }, Layout::Match { rights }) => Form::Match {
                lefts: pairs.iter().map(|p| p.left.as_str()).collect(),
                rights: rights.iter().map(String::as_str).collect(),
            },
            _ => unreachable!("a plan's layout is made from the same question's kind"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::load::validate_source;

    fn bank(n: usize) -> Bank {
        let mut src = String::from("format = 1\n[quiz]\nid = \"t\"\ntitle = \"T\"\n");
        for i in 0..n {
            let topic = if i % 2 == 0 { "even" } else { "odd" };
            src.push_str(&format!(
                "[[question]]\nid = \"q{i}\"\ntopic = \"{topic}\"\ntype = \"order\"\nprompt = \"P\"\n\
                 explanation = \"E\"\nitems = [\"a\", \"b\", \"c\"]\n"
            ));
        }
        validate_source(&src).expect("valid")
    }

    fn ids(bank: &Bank, plan: &Plan) -> Vec<String> {
        plan.asked
            .iter()
            .map(|a| bank.questions[a.question].id.clone())
            .collect()
    }

    #[test]
    fn a_seed_reproduces_the_plan() {
        let bank = bank(12);
        let opts = PlanOptions {
            seed: 99,
            ..PlanOptions::default()
        };
        let a = Plan::new(&bank, &opts).unwrap();
        let b = Plan::new(&bank, &opts).unwrap();
        assert_eq!(a.asked, b.asked);
        let c = Plan::new(&bank, &PlanOptions { seed: 100, ..opts }).unwrap();
        assert_ne!(ids(&bank, &a), ids(&bank, &c));
    }

    #[test]
    fn no_shuffle_keeps_bank_order_but_never_shows_an_order_question_solved() {
        let bank = bank(6);
        for seed in 0..50 {
            let opts = PlanOptions {
                seed,
                shuffle: Some(false),
                ..PlanOptions::default()
            };
            let plan = Plan::new(&bank, &opts).unwrap();
            assert_eq!(ids(&bank, &plan), ["q0", "q1", "q2", "q3", "q4", "q5"]);
            for a in &plan.asked {
                assert_ne!(a.layout, Layout::Order(vec![0, 1, 2]), "seed {seed}");
            }
        }
    }

    #[test]
    fn count_and_topics_narrow_the_plan() {
        let bank = bank(10);
        let opts = PlanOptions {
            seed: 1,
            count: Some(3),
            ..PlanOptions::default()
        };
        let plan = Plan::new(&bank, &opts).unwrap();
        assert_eq!(plan.asked.len(), 3);
        let opts = PlanOptions {
            seed: 1,
            topics: vec!["odd".into()],
            ..PlanOptions::default()
        };
        let plan = Plan::new(&bank, &opts).unwrap();
        assert_eq!(plan.asked.len(), 5);
        assert!(
            plan.asked
                .iter()
                .all(|a| bank.questions[a.question].topic == "odd")
        );
        let opts = PlanOptions {
            count: Some(50),
            ..PlanOptions::default()
        };
        assert_eq!(Plan::new(&bank, &opts).unwrap().asked.len(), 10);
        let opts = PlanOptions {
            count: Some(0),
            ..PlanOptions::default()
        };
        assert_eq!(Plan::new(&bank, &opts).unwrap_err(), PlanError::ZeroCount);
        let opts = PlanOptions {
            topics: vec!["nope".into()],
            ..PlanOptions::default()
        };
        let err = Plan::new(&bank, &opts).unwrap_err().to_string();
        assert_eq!(
            err,
            "the bank has no topic \"nope\"; its topics are: even, odd"
        );
    }
}
