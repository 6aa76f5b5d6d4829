//! The keys of the interactive mode, said under each prompt, and the questions asked while
//! answering an order or match question one pick at a time.

pub const CONSENT_QUESTION: &str = "Start the quiz?";
pub const CONSENT: &str = "Enter to start, n if you would rather not, Esc to leave";
pub const CHOOSE: &str = "↑↓ to move, Enter to choose, Esc to stop the quiz";
pub const MENU: &str = "↑↓ to move, Enter to choose, Esc to leave";
pub const TICK: &str = "↑↓ to move, Space to tick or untick, Enter when done, Esc to stop the quiz";
pub const TICK_ONE: &str = "Tick at least one answer with Space.";
pub const NUMBER: &str = "Type a number and press Enter, Esc to stop the quiz";
pub const NOT_A_NUMBER: &str = "Please type a number, such as 58 or 70,000.";
pub const TEXT: &str = "Type your answer and press Enter, Esc to stop the quiz";
pub const EMPTY_TEXT: &str = "Please type an answer.";
pub const NAME: &str = "Type your name and press Enter, Esc to leave";
pub const EMPTY_NAME: &str = "Please type your name.";
pub const YES_NO: &str = "y for yes, Enter or n for no";
pub const YOUR_ANSWER: &str = "Your answer";
pub const NEXT_PERSON: &str = "When you have finished reading, press Enter for the next person.";
/// The question of an order question's `n`th pick (from 1).
pub fn which_comes(n: usize) -> String {
    match n {
        1 => "Which comes first?".to_string(),
        2 => "Which comes second?".to_string(),
        3 => "Which comes third?".to_string(),
        4 => "Which comes fourth?".to_string(),
        5 => "Which comes fifth?".to_string(),
        n => format!("Which comes in position {n}?"),
    }
}
/// The question of a match question's item: "Level 1: which option?"
pub fn match_item(item: &str) -> String {
    format!("{item}: which option?")
}
