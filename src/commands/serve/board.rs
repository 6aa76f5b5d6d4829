//! The trainer's board while a session is served: one line per trainee (joined, on question k of
//! n, finished with the score), in the order they joined, under a line of totals. Pure: the
//! events go in (`Board::heard`), the lines to draw come out (`Board::lines`), cut to the
//! terminal's width and height; `screen` draws them in place.

use crate::records::record::name_key;
use crate::util::text::{display_width, sanitize};
use crate::web::Progress;

/// The widest a name's column grows, in columns: a long name is cut, with "…".
const NAME_COLUMNS: usize = 30;

#[derive(Debug, Default)]
pub struct Board {
    /// In the order they first joined; a trainee who rejoins keeps their line.
    rows: Vec<Row>,
}

#[derive(Debug)]
struct Row {
    key: String,
    /// Made safe for a terminal, on one line.
    name: String,
    state: State,
    /// The last save the store refused, kept on the line for the rest of the session: the
    /// trainer must see it, whatever the trainee did next.
    not_saved: Option<String>,
}

#[derive(Debug)]
enum State {
    On {
        at: usize,
        total: usize,
        rejoined: bool,
    },
    Finished {
        score: String,
        passed: bool,
    },
    /// A save was refused before anything else was heard of them.
    Unknown,
}

/// Text from the network, fit for one line of a terminal: no escape sequences or control
/// characters, no line breaks.
pub fn one_line(text: &str) -> String {
    sanitize(text).replace('\n', " ")
}

/// `text` cut to `width` columns, ending in "…" when cut.
fn fit(text: &str, width: usize) -> String {
    if display_width(text) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        let mut next = out.clone();
        next.push(c);
        if display_width(&next) + 1 > width {
            break;
        }
        out = next;
    }
    if width > 0 {
        out.truncate(out.trim_end().len());
        out.push('…');
    }
    out
}

impl Row {
    fn status(&self) -> String {
        let state = match &self.state {
            State::On {
                at,
                total,
                rejoined,
            } => {
                let how = if *rejoined { "rejoined, " } else { "" };
                if *at > *total {
                    format!("{how}answered all {total}")
                } else {
                    format!("{how}on question {at} of {total}")
                }
            }
            State::Finished { score, passed } => format!(
                "finished. {score} {}",
                if *passed { "Passed." } else { "Not passed." }
            ),
            State::Unknown => String::new(),
        };
        match &self.not_saved {
            Some(error) if state.is_empty() => format!("NOT SAVED: {error}"),
            Some(error) => format!("NOT SAVED: {error}; {state}"),
            None => state,
        }
    }

    fn finished(&self) -> bool {
        matches!(self.state, State::Finished { .. })
    }
}

impl Board {
    /// Takes in what the server heard of a trainee.
    pub fn heard(&mut self, p: &Progress) {
        let name = match p {
            Progress::Joined { name, .. }
            | Progress::On { name, .. }
            | Progress::Finished { name, .. }
            | Progress::NotSaved { name, .. } => name,
        };
        let key = name_key(name);
        let at = match self.rows.iter().position(|r| r.key == key) {
            Some(at) => at,
            None => {
                self.rows.push(Row {
                    key,
                    name: one_line(name),
                    state: State::Unknown,
                    not_saved: None,
                });
                self.rows.len() - 1
            }
        };
        let row = &mut self.rows[at];
        match p {
            Progress::Joined { at, total, .. } => {
                row.state = State::On {
                    at: *at,
                    total: *total,
                    rejoined: *at > 1,
                };
            }
            Progress::On { at, total, .. } => {
                let rejoined = matches!(row.state, State::On { rejoined: true, .. });
                row.state = State::On {
                    at: *at,
                    total: *total,
                    rejoined,
                };
            }
            Progress::Finished { score, passed, .. } => {
                row.state = State::Finished {
                    score: one_line(score),
                    passed: *passed,
                };
            }
            Progress::NotSaved { error, .. } => row.not_saved = Some(one_line(error)),
        }
    }

    /// The lines to draw: the totals, then a line per trainee, no line wider than `width`
    /// columns and no more than `height` lines. When there are more trainees than lines, those
    /// who have finished give way first (the latest of them stay), and the last line says how
    /// many are not shown.
    pub fn lines(&self, width: usize, height: usize) -> Vec<String> {
        let finished = self.rows.iter().filter(|r| r.finished()).count();
        let passed = self
            .rows
            .iter()
            .filter(|r| matches!(r.state, State::Finished { passed: true, .. }))
            .count();
        let failed_saves = self.rows.iter().filter(|r| r.not_saved.is_some()).count();
        let mut totals = if self.rows.is_empty() {
            "No trainee has joined yet.".to_string()
        } else {
            format!(
                "Trainees: {} joined, {finished} finished, {passed} passed.",
                self.rows.len()
            )
        };
        if failed_saves > 0 {
            totals.push_str(&format!(
                " NOT SAVED for {failed_saves}: see their line{}.",
                if failed_saves == 1 { "" } else { "s" }
            ));
        }
        let mut lines = vec![fit(&totals, width)];
        if height <= 1 {
            return lines.into_iter().take(height).collect();
        }
        // Which rows are shown: all if they fit, else the unfinished (and any with a failed
        // save), then the most recently joined of the finished, and a line for the rest.
        let room = height - 1;
        let mut shown: Vec<usize> = (0..self.rows.len()).collect();
        if self.rows.len() > room {
            let keep = room - 1;
            let mut by_need: Vec<usize> = (0..self.rows.len())
                .filter(|&i| !self.rows[i].finished() || self.rows[i].not_saved.is_some())
                .collect();
            by_need.extend(
                (0..self.rows.len())
                    .rev()
                    .filter(|&i| self.rows[i].finished() && self.rows[i].not_saved.is_none()),
            );
            by_need.truncate(keep);
            by_need.sort_unstable();
            shown = by_need;
        }
        let names = shown
            .iter()
            .map(|&i| display_width(&self.rows[i].name))
            .max()
            .unwrap_or(0)
            .min(NAME_COLUMNS)
            .min(width / 2);
        for &i in &shown {
            let row = &self.rows[i];
            let name = fit(&row.name, names);
            let pad = " ".repeat(names - display_width(&name));
            lines.push(fit(&format!("{name}{pad}  {}", row.status()), width));
        }
        let hidden: Vec<&Row> = (0..self.rows.len())
            .filter(|i| !shown.contains(i))
            .map(|i| &self.rows[i])
            .collect();
        if !hidden.is_empty() {
            let done = hidden.iter().filter(|r| r.finished()).count();
            let more = format!(
                "… and {} more not shown ({done} of them finished); `sgquiz report --session` lists everyone.",
                hidden.len()
            );
            lines.push(fit(&more, width));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(name: &str, at: usize) -> Progress {
        Progress::Joined {
            name: name.to_string(),
            at,
            total: 10,
        }
    }

    fn on(name: &str, at: usize) -> Progress {
        Progress::On {
            name: name.to_string(),
            at,
            total: 10,
        }
    }

    fn finished(name: &str, right: usize, passed: bool) -> Progress {
        Progress::Finished {
            name: name.to_string(),
            score: format!("Score: {right} of 10 ({}%). Pass mark: 80%.", right * 10),
            passed,
        }
    }

    fn board(events: &[Progress]) -> Board {
        let mut b = Board::default();
        for e in events {
            b.heard(e);
        }
        b
    }

    #[test]
    fn an_empty_board_says_so() {
        assert_eq!(
            Board::default().lines(80, 24),
            ["No trainee has joined yet."]
        );
    }

    #[test]
    fn each_trainee_has_one_line_kept_in_the_order_they_joined() {
        let b = board(&[
            joined("Sam Patel", 1),
            joined("Jo", 1),
            on("Sam Patel", 2),
            joined("Élodie Martin", 4),
            on("Jo", 2),
            on("Sam Patel", 3),
            finished("Jo", 9, true),
            on("élodie martin", 5),
        ]);
        assert_eq!(
            b.lines(80, 24),
            [
                "Trainees: 3 joined, 1 finished, 1 passed.",
                "Sam Patel      on question 3 of 10",
                "Jo             finished. Score: 9 of 10 (90%). Pass mark: 80%. Passed.",
                "Élodie Martin  rejoined, on question 5 of 10",
            ]
        );
    }

    #[test]
    fn a_trainee_who_joins_again_keeps_their_line_and_a_failed_save_stays_on_it() {
        let b = board(&[
            joined("Sam Patel", 1),
            on("Sam Patel", 2),
            Progress::NotSaved {
                name: "Sam Patel".to_string(),
                error: "the store is full".to_string(),
            },
            on("Sam Patel", 3),
            joined("SAM PATEL", 3),
            finished("Sam Patel", 7, false),
        ]);
        assert_eq!(
            b.lines(100, 24),
            [
                "Trainees: 1 joined, 1 finished, 0 passed. NOT SAVED for 1: see their line.",
                "Sam Patel  NOT SAVED: the store is full; finished. Score: 7 of 10 (70%). Pass mark: 80%. Not passed.",
            ]
        );
    }

    #[test]
    fn names_from_the_network_cannot_move_the_cursor_or_break_the_line() {
        let b = board(&[joined("Eve\u{1b}[2J\u{1b}[H\nMallory\u{202e}", 1)]);
        assert_eq!(
            b.lines(80, 24),
            [
                "Trainees: 1 joined, 0 finished, 0 passed.",
                "Eve\\x1b[2J\\x1b[H Mallory\\x202e  on question 1 of 10",
            ]
        );
    }

    #[test]
    fn lines_are_cut_to_the_width_and_long_names_to_their_column() {
        let b = board(&[
            joined("A name far too long to be shown whole on a line", 1),
            finished("Kim", 10, true),
        ]);
        assert_eq!(
            b.lines(40, 24),
            [
                "Trainees: 2 joined, 1 finished, 1 passe…",
                "A name far too long…  on question 1 of…",
                "Kim                   finished. Score:…",
            ]
        );
        for line in b.lines(40, 24) {
            assert!(display_width(&line) <= 40, "{line}");
        }
    }

    #[test]
    fn when_the_room_is_taller_than_the_terminal_the_finished_give_way_first() {
        let mut events = Vec::new();
        for n in 1..=6 {
            events.push(joined(&format!("T{n}"), 1));
        }
        for n in [1, 2, 4, 5] {
            events.push(finished(&format!("T{n}"), 8, true));
        }
        let b = board(&events);
        assert_eq!(
            b.lines(100, 5),
            [
                "Trainees: 6 joined, 4 finished, 4 passed.",
                "T3  on question 1 of 10",
                "T5  finished. Score: 8 of 10 (80%). Pass mark: 80%. Passed.",
                "T6  on question 1 of 10",
                "… and 3 more not shown (3 of them finished); `sgquiz report --session` lists everyone.",
            ]
        );
        assert_eq!(
            b.lines(100, 1),
            ["Trainees: 6 joined, 4 finished, 4 passed."]
        );
        assert_eq!(b.lines(100, 7).len(), 7, "all six fit");
    }
}
