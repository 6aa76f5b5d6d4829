//! Rows of text as a table drawn for the terminal's width, or as CSV that is safe to open in a
//! spreadsheet.

use std::io::Write;

use anyhow::Result;

use crate::util::text::sanitize;

/// A column: its heading, whether it is a number (right-aligned), and whether it may be
/// shortened to fit (with an ellipsis) when the table is too wide.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub heading: &'static str,
    pub numeric: bool,
    pub shrinks: bool,
}

impl Column {
    pub const fn text(heading: &'static str) -> Column {
        Column {
            heading,
            numeric: false,
            shrinks: false,
        }
    }

    pub const fn number(heading: &'static str) -> Column {
        Column {
            heading,
            numeric: true,
            shrinks: false,
        }
    }

    pub const fn shrinking(heading: &'static str) -> Column {
        Column {
            heading,
            numeric: false,
            shrinks: true,
        }
    }
}

/// Narrowest a shrinking column is made.
const MIN_SHRUNK: usize = 8;
const GAP: &str = "  ";

/// The terminal's width: `COLUMNS` if it is set to a sensible number, otherwise 80.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 20)
        .unwrap_or(80)
}

/// Draws `rows` under `columns`, no wider than `width` where the shrinking columns allow it.
/// Every cell is one line: line breaks in text are shown as spaces, and control characters
/// escaped.
pub fn render(columns: &[Column], rows: &[Vec<String>], width: usize) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| one_line(c)).collect())
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.heading.chars().count()).collect();
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let total = |ws: &[usize]| ws.iter().sum::<usize>() + GAP.len() * ws.len().saturating_sub(1);
    // Take the excess from the widest shrinking column, a character at a time.
    while total(&widths) > width {
        let widest = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| c.shrinks && widths[*i] > MIN_SHRUNK)
            .max_by_key(|(i, _)| widths[*i])
            .map(|(i, _)| i);
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
    let line = |texts: Vec<&str>| -> String {
        let mut parts = Vec::new();
        for ((text, col), &w) in texts.into_iter().zip(columns).zip(&widths) {
            let text = fit(text, w);
            if col.numeric {
                parts.push(format!("{text:>w$}"));
            } else {
                parts.push(format!("{text:<w$}"));
            }
        }
        parts.join(GAP).trim_end().to_string() + "\n"
    };
    let mut out = line(columns.iter().map(|c| c.heading).collect());
    for row in &cells {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn one_line(s: &str) -> String {
    sanitize(s).replace('\n', " ")
}

/// Cuts `s` to `width` characters, ending with an ellipsis when it had to be cut.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Writes a CSV file: a heading row, then the rows. Quoting is the csv crate's, so commas, quotes
/// and line breaks in names survive; cells are neutralised against formula injection.
pub fn write_csv(columns: &[Column], rows: &[Vec<String>], out: &mut dyn Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(
        columns
            .iter()
            .map(|c| c.heading.to_lowercase().replace(' ', "_")),
    )?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c)))?;
    }
    w.flush()?;
    Ok(())
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and tab or
/// carriage return can hide one): such a cell gets a leading apostrophe, so it is shown as text
/// (OWASP's advice on CSV injection). A plain number such as `-0.25` is left alone; it is not a
/// formula.
pub fn neutralise(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column::shrinking("NAME"),
        Column::text("QUIZ"),
        Column::number("PERCENT"),
    ];

    #[test]
    fn shrinks_to_the_width_with_an_ellipsis() {
        let rows = vec![vec![
            "A very long name indeed, longer than the terminal allows for".to_string(),
            "words-matter".to_string(),
            "80".to_string(),
        ]];
        let table = render(&COLS, &rows, 40);
        for line in table.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert!(table.contains('…'), "{table}");
        assert!(table.contains("words-matter"));
        let wide = render(&COLS, &rows, 200);
        assert!(wide.contains("allows for"), "{wide}");
    }

    #[test]
    fn numbers_line_up_on_the_right() {
        let rows = vec![
            vec!["a".into(), "q".into(), "5".into()],
            vec!["b".into(), "q".into(), "100".into()],
        ];
        let table = render(&COLS, &rows, 80);
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[1].ends_with("      5"), "{table}");
        assert!(lines[2].ends_with("    100"), "{table}");
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        for risky in ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise(risky), format!("'{risky}"));
        }
        assert_eq!(neutralise("-0.25"), "-0.25");
        assert_eq!(neutralise("Sam Patel"), "Sam Patel");
    }
}
