//! Answers built from a bank and a plan: all right, or all wrong (scoring nothing), in the shown
//! positions, either as engine `Answer`s or as the lines the plain mode reads.

use sgquiz::bank::{Bank, Kind};
use sgquiz::engine::marking::Answer;
use sgquiz::engine::plan::{Layout, Plan};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Want {
    Right,
    Wrong,
}

pub fn answers(bank: &Bank, plan: &Plan, want: Want) -> Vec<Answer> {
    plan.asked
        .iter()
        .map(|asked| {
            let q = &bank.questions[asked.question];
            let right = want == Want::Right;
            match (&q.kind, &asked.layout) {
                (Kind::Single { choices }, Layout::Choices(order)) => Answer::Choice(
                    order
                        .iter()
                        .position(|&i| choices[i].correct == right)
                        .expect("a right and a wrong choice"),
                ),
                (Kind::Multiple { choices, .. }, Layout::Choices(order)) => Answer::Choices(
                    (0..order.len())
                        .filter(|&p| choices[order[p]].correct == right)
                        .collect(),
                ),
                (Kind::TrueFalse { answer }, _) => Answer::Bool(*answer == right),
                (Kind::Number { answer, tolerance }, _) => Answer::Number(if right {
                    *answer
                } else {
                    answer + tolerance + answer.abs().max(1.0)
                }),
                (Kind::Text { accept }, _) => Answer::Text(if right {
                    accept[0].clone()
                } else {
                    "not one of the accepted answers".to_string()
                }),
                (Kind::Order { items }, Layout::Order(shown)) => {
                    let mut sequence: Vec<usize> = (0..items.len())
                        .map(|item| shown.iter().position(|&s| s == item).expect("shown"))
                        .collect();
                    if !right {
                        // Every item one place out: none in its right place.
                        sequence.rotate_left(1);
                    }
                    Answer::Order(sequence)
                }
                (Kind::Match { pairs }, Layout::Match { rights }) => Answer::Match(
                    pairs
                        .iter()
                        .map(|p| {
                            rights
                                .iter()
                                .position(|r| (*r == p.right) == right)
                                .expect("a right and a wrong option")
                        })
                        .collect(),
                ),
                (kind, layout) => panic!("{} question with layout {layout:?}", kind.name()),
            }
        })
        .collect()
}

/// The line the plain mode reads for `answer`.
pub fn line(answer: &Answer) -> String {
    let numbers = |ns: &[usize]| {
        ns.iter()
            .map(|n| (n + 1).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match answer {
        Answer::Choice(n) => (n + 1).to_string(),
        Answer::Choices(ns) | Answer::Order(ns) | Answer::Match(ns) => numbers(ns),
        Answer::Bool(b) => b.to_string(),
        Answer::Number(n) => n.to_string(),
        Answer::Text(t) => t.clone(),
    }
}

/// All the answer lines for a plain-mode run, newline-terminated.
pub fn script(bank: &Bank, plan: &Plan, want: Want) -> String {
    answers(bank, plan, want)
        .iter()
        .map(|a| line(a) + "\n")
        .collect()
}

/// The seed the fixture-driven tests run the all-types bank with.
pub const FIXTURE_SEED: u64 = 7;

/// The answer lines for `tests/fixtures/all-types.toml` run with `--seed FIXTURE_SEED` (and
/// `--no-shuffle` when `shuffle` is `Some(false)`).
pub fn fixture_script(want: Want, shuffle: Option<bool>) -> String {
    let bank =
        sgquiz::bank::load::load_path(&super::fixture("all-types.toml")).expect("fixture loads");
    let options = sgquiz::engine::plan::PlanOptions {
        seed: FIXTURE_SEED,
        shuffle,
        ..sgquiz::engine::plan::PlanOptions::default()
    };
    let plan = Plan::new(&bank, &options).expect("a plan");
    script(&bank, &plan, want)
}
