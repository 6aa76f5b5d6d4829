//! Rows of text as a table drawn for the terminal's width, or as CSV that is safe to open in a
//! spreadsheet.

use std::io::Write;

use anyhow::Result;

use crate::util::text::{display_width, sanitize, wrap};

/// A column: its heading, whether it is a number (right-aligned and never wrapped), and whether
/// its text may be wrapped onto more lines when the table is too wide. No cell is ever cut short.
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

    /// A column of free text (names, titles, answers) that is wrapped first when space is short.
    pub const fn shrinking(heading: &'static str) -> Column {
        Column {
            heading,
            numeric: false,
            shrinks: true,
        }
    }
}

/// Columns of padding after each column but the last (the table has no borders).
const GAP: u16 = 2;
/// Narrowest a wrapped column is made.
const MIN_WRAPPED: u16 = 6;
/// A word longer than this may be broken to fit a narrow table.
const MAX_WORD: usize = 20;
/// Width when neither `COLUMNS` nor the terminal says.
const DEFAULT_WIDTH: usize = 80;

/// The terminal's width in columns: `COLUMNS` when it is set to a sensible number (an override,
/// and what tests use), otherwise asked of the terminal on standard output or standard error,
/// otherwise 80.
pub fn terminal_width() -> usize {
    let override_ = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 20);
    override_
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stdout())
                .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
                .map(|(w, _)| usize::from(w.0))
                .filter(|&w| w > 0)
        })
        .unwrap_or(DEFAULT_WIDTH)
}

/// The terminal's height in lines, when it is a terminal (`LINES` overrides, as `COLUMNS` does).
pub fn terminal_height() -> Option<usize> {
    std::env::var("LINES")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&h| h >= 5)
        .or_else(|| {
            terminal_size::terminal_size_of(std::io::stdout())
                .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
                .map(|(_, h)| usize::from(h.0))
                .filter(|&h| h > 0)
        })
}

/// Draws `rows` under `columns` (comfy-table does the layout), no wider than `width` where
/// wrapping the text columns allows it. Cells too long for their column are wrapped onto more
/// lines, never cut; when any row takes more than one line, a blank line separates the rows.
/// Control characters in cells are escaped.
pub fn render(columns: &[Column], rows: &[Vec<String>], width: usize) -> String {
    let natural = draw(columns, rows, None, false);
    if natural.lines().all(|l| display_width(l) <= width) {
        return natural;
    }
    let fitted = draw(columns, rows, Some(width), false);
    if fitted.lines().count() > rows.len() + 1 {
        draw(columns, rows, Some(width), true)
    } else {
        fitted
    }
}

/// The table at its natural width, or fitted to `width` by wrapping the text columns.
fn draw(columns: &[Column], rows: &[Vec<String>], width: Option<usize>, separated: bool) -> String {
    use comfy_table::{CellAlignment, LineStyle, Table, TableStyle};
    let mut table = Table::new();
    let style = if separated {
        TableStyle::new().row_separator(LineStyle::none().fill(' '))
    } else {
        TableStyle::new()
    };
    table
        .load_style(style)
        .set_header(columns.iter().map(|c| c.heading).collect::<Vec<_>>());
    // The widths are worked out here and the text columns wrapped to them between words
    // (`text::wrap`); comfy-table then lays the lines out as they are.
    let fitted = width.map(|w| fit(columns, rows, w));
    for row in rows {
        let cells = row.iter().enumerate().map(|(i, cell)| {
            let cell = one_line(cell);
            match fitted.as_ref().and_then(|f| f.get(i)) {
                Some(&w) if columns.get(i).is_some_and(|c| c.shrinks) => {
                    let pad = if i + 1 == columns.len() {
                        0
                    } else {
                        usize::from(GAP)
                    };
                    wrap(&cell, usize::from(w).saturating_sub(pad).max(1))
                }
                _ => cell,
            }
        });
        table.add_row(cells.collect::<Vec<_>>());
    }
    let last = columns.len().saturating_sub(1);
    for (i, (column, spec)) in table.column_iter_mut().zip(columns).enumerate() {
        column.set_padding((0, if i == last { 0 } else { GAP }));
        if spec.numeric {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = String::new();
    for line in table.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Each column's width, padding included, for a table `width` wide: a number or a short text
/// column keeps its widest cell whole; the widest text column that may wrap gives up room
/// until the table fits: not narrower than its longest word while that is enough, and never
/// narrower than `MIN_WRAPPED`.
fn fit(columns: &[Column], rows: &[Vec<String>], width: usize) -> Vec<u16> {
    let last = columns.len().saturating_sub(1);
    let natural: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|cell| display_width(&one_line(cell)))
                .chain([display_width(c.heading)])
                .max()
                .unwrap_or(0);
            widest + if i == last { 0 } else { usize::from(GAP) }
        })
        .collect();
    // The narrowest each column may be: its longest word (up to `MAX_WORD`), so that a word
    // is broken only when it is longer than that.
    let floors: Vec<usize> = (0..columns.len())
        .map(|i| {
            let longest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .flat_map(|cell| cell.split_whitespace())
                .map(display_width)
                .max()
                .unwrap_or(0);
            let pad = if i == last { 0 } else { usize::from(GAP) };
            longest.clamp(usize::from(MIN_WRAPPED), MAX_WORD) + pad
        })
        .collect();
    // Take the excess from the widest text column that may wrap, a column at a time: first
    // down to its longest word; only if that is not enough, further (breaking words), since a
    // line wider than the terminal would be broken anywhere.
    let mut widths = natural;
    let least = usize::from(MIN_WRAPPED + GAP);
    for floor in [floors, vec![least; columns.len()]] {
        while widths.iter().sum::<usize>() > width {
            let widest = (0..columns.len())
                .filter(|&i| columns[i].shrinks && widths[i] > floor[i])
                .max_by_key(|&i| widths[i]);
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
    }
    widths
        .into_iter()
        .map(|w| u16::try_from(w).unwrap_or(u16::MAX))
        .collect()
}

fn one_line(s: &str) -> String {
    sanitize(s).replace('\n', " ")
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
    fn wraps_to_the_width_and_cuts_nothing() {
        let rows = vec![
            vec![
                "A very long name indeed, longer than the terminal allows for".to_string(),
                "words-matter".to_string(),
                "80".to_string(),
            ],
            vec![
                "Sam".to_string(),
                "four-threats".to_string(),
                "5".to_string(),
            ],
        ];
        let table = render(&COLS, &rows, 40);
        for line in table.lines() {
            assert!(crate::util::text::display_width(line) <= 40, "{line:?}");
        }
        assert!(!table.contains('…'), "{table}");
        let words: Vec<&str> = table.split_whitespace().collect();
        for word in [
            "A",
            "very",
            "long",
            "name",
            "indeed,",
            "allows",
            "for",
            "words-matter",
        ] {
            assert!(words.contains(&word), "{word} in {table}");
        }
        // Rows that take more than one line are set apart by a blank line.
        assert!(table.contains("\n\n"), "{table}");
        let wide = render(&COLS, &rows, 200);
        assert!(wide.contains("terminal allows for"), "{wide}");
        assert_eq!(wide.lines().count(), 3, "{wide}");
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
