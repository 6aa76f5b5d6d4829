//! The password file libpq reads (`~/.pgpass`, or `PGPASSFILE`): lines of
//! `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped. Written
//! here because no well-kept crate reads it; the rules are libpq's own, including that a file
//! others can read is ignored.

use std::path::PathBuf;

/// The password the file gives for this server, database and role, if any.
pub fn find(host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let path = match std::env::var_os("PGPASSFILE") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".pgpass"),
    };
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || readable_by_others(&meta) {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    // A socket folder is "localhost" to the file, as to libpq.
    let host = if host.starts_with('/') {
        "localhost"
    } else {
        host
    };
    lookup(&text, host, &port.to_string(), database, user)
}

#[cfg(unix)]
fn readable_by_others(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o077 != 0
}

#[cfg(not(unix))]
fn readable_by_others(_: &std::fs::Metadata) -> bool {
    false
}

/// The first line of `text` that matches, as libpq takes it.
fn lookup(text: &str, host: &str, port: &str, database: &str, user: &str) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(fields)
        .find(|f| {
            [host, port, database, user]
                .iter()
                .zip(f)
                .all(|(want, have)| have == "*" || have == want)
        })
        .map(|mut f| f.pop().unwrap_or_default())
}

/// A line's five fields, unescaped; `None` for a line without five.
fn fields(line: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut()?.push(chars.next().unwrap_or('\\')),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    (fields.len() == 5).then_some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_gives_the_password() {
        let file = "# trust database\n\
                    db.example.org:5432:results:sgquiz:first\n\
                    *:*:results:sgquiz:second\n\
                    *:*:*:*:anything\n";
        let find = |h, p, d, u| lookup(file, h, p, d, u);
        assert_eq!(
            find("db.example.org", "5432", "results", "sgquiz").as_deref(),
            Some("first")
        );
        assert_eq!(
            find("other", "6543", "results", "sgquiz").as_deref(),
            Some("second")
        );
        assert_eq!(
            find("other", "5432", "other", "someone").as_deref(),
            Some("anything")
        );
        assert_eq!(lookup("h:1:d:u:pw\n", "h", "2", "d", "u"), None);
    }

    #[test]
    fn escaped_colons_and_backslashes_are_part_of_a_field() {
        assert_eq!(
            lookup(r"h\:x:5432:d:u:pa\:ss\\word", "h:x", "5432", "d", "u").as_deref(),
            Some(r"pa:ss\word")
        );
        assert_eq!(
            lookup("h:5432:d:u:pass:with:colons", "h", "5432", "d", "u").as_deref(),
            Some("pass:with:colons")
        );
        assert_eq!(
            lookup("too:few:fields\n", "too", "few", "fields", "u"),
            None
        );
    }
}
