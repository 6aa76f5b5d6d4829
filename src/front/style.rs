//! The only module that writes colour. Colour only ever repeats what the words already say
//! (the outcome words carry a symbol too), so a monochrome or screen-reader user loses nothing.
//! Every colour is bold and readable on a light background as on a dark one: no dim text and
//! no yellow.

use colored::Colorize;

#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    color: bool,
}

impl Style {
    pub fn new(color: bool) -> Self {
        Style { color }
    }

    pub fn plain() -> Self {
        Style { color: false }
    }

    pub fn color(&self) -> bool {
        self.color
    }

    pub fn heading(&self, s: &str) -> String {
        self.paint(s, |s| s.bold().to_string())
    }

    pub fn good(&self, s: &str) -> String {
        self.paint(s, |s| s.green().bold().to_string())
    }

    pub fn partial(&self, s: &str) -> String {
        self.paint(s, |s| s.magenta().bold().to_string())
    }

    pub fn bad(&self, s: &str) -> String {
        self.paint(s, |s| s.red().bold().to_string())
    }

    fn paint(&self, s: &str, f: impl Fn(&str) -> String) -> String {
        if self.color {
            // `colored` has its own global switch (NO_COLOR, CLICOLOR); the caller has decided.
            colored::control::set_override(true);
            f(s)
        } else {
            s.to_string()
        }
    }
}
