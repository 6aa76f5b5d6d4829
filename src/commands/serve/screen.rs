//! Draws the trainer's board in place on a terminal: each time, the cursor goes back up over the
//! lines drawn last time, clears from there down, and writes the new ones. Lines come already
//! cut to the terminal's width and height (`Board::lines`), so none wraps and the cursor can
//! always go back up over them all. The one module under `commands/` that imports crossterm.

use std::io::{self, Write};

use crossterm::cursor::MoveToPreviousLine;
use crossterm::queue;
use crossterm::terminal::{Clear, ClearType};

#[derive(Debug, Default)]
pub struct Screen {
    /// How many lines the last drawing took.
    drawn: usize,
}

impl Screen {
    pub fn draw(&mut self, out: &mut impl Write, lines: &[String]) -> io::Result<()> {
        if self.drawn > 0 {
            let up = u16::try_from(self.drawn).unwrap_or(u16::MAX);
            queue!(out, MoveToPreviousLine(up))?;
        }
        queue!(out, Clear(ClearType::FromCursorDown))?;
        for line in lines {
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        self.drawn = lines.len();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_drawing_goes_back_over_the_first_and_clears_it() {
        let mut screen = Screen::default();
        let mut out = Vec::new();
        screen
            .draw(
                &mut out,
                &["Trainees: 1 joined".to_string(), "Sam  on 1".to_string()],
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[JTrainees: 1 joined\nSam  on 1\n"
        );
        let mut out = Vec::new();
        screen
            .draw(&mut out, &["Trainees: 1 joined, 1 finished".to_string()])
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b[2F\x1b[JTrainees: 1 joined, 1 finished\n"
        );
        let mut out = Vec::new();
        screen.draw(&mut out, &[]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "\x1b[1F\x1b[J");
    }
}
