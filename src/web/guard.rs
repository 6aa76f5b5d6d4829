//! What keeps the server safe on a school network: unguessable tokens, cookies, comparing
//! secrets, and the limit on joins from one address.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The largest request body taken: a question's form is far smaller.
pub const MAX_BODY: usize = 16 * 1024;

/// The cookie that names a trainee's attempt.
pub const TRAINEE_COOKIE: &str = "sgquiz";
/// The cookie that the opening page's form is checked against (a join has no trainee yet).
pub const JOIN_COOKIE: &str = "sgquiz_join";

/// 256 random bits from the operating system, as 64 hex digits.
pub fn token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that does not depend on where they first differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The value of the cookie `name`, if the request has it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: only for this server's pages, never read by scripts, never sent with a
/// request from another site.
pub fn set_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict")
}

/// Joins allowed from one address in a window; a room behind one address (a school's NAT is
/// inside the network, so each device has its own) still fits easily.
pub struct JoinLimit {
    per_window: usize,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, Vec<Instant>>>,
}

impl JoinLimit {
    pub fn new(per_window: usize, window: Duration) -> Self {
        JoinLimit {
            per_window,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a join from `from`; false if it is over the limit.
    pub fn allow(&self, from: IpAddr) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let times = seen.entry(from).or_default();
        times.retain(|t| now.duration_since(*t) < self.window);
        if times.len() >= self.per_window {
            return false;
        }
        times.push(now);
        true
    }
}

/// Whether a request's `Host` is one this server answers to: an IP address (v4, or v6 in
/// brackets), `localhost`, or one of `names` (this computer's own names), each with or without a
/// port. A page asked for by any other name is refused, so that a web page elsewhere cannot
/// point a name of its own at this server (DNS rebinding) and read the quiz through a trainee's
/// or the trainer's browser.
pub fn host_allowed(host: &str, names: &[String]) -> bool {
    let port_ok = |p: &str| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else {
            return false;
        };
        return ip.parse::<Ipv6Addr>().is_ok()
            && (after.is_empty() || after.strip_prefix(':').is_some_and(port_ok));
    }
    if host.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port_ok(port) => name,
        Some(_) => return false,
        None => host,
    };
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && (name.eq_ignore_ascii_case("localhost")
            || names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_different() {
        let a = token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, token());
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, "a=1; sgquiz=xyz; sgquiz_join=j".parse().unwrap());
        assert_eq!(cookie(&h, TRAINEE_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&h, JOIN_COOKIE).as_deref(), Some("j"));
        assert_eq!(cookie(&h, "b"), None);
    }

    #[test]
    fn joins_over_the_limit_are_refused_per_address() {
        let limit = JoinLimit::new(2, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limit.allow(a) && limit.allow(a));
        assert!(!limit.allow(a));
        assert!(limit.allow(b));
    }

    #[test]
    fn only_addresses_localhost_and_this_computers_names_are_answered() {
        let names = vec!["staffroom-pc".to_string(), "staffroom-pc.local".to_string()];
        for host in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "192.168.1.20:80",
            "[::1]",
            "[::1]:8080",
            "[fe80::1]:65535",
            "::1",
            "localhost",
            "LOCALHOST:8080",
            "localhost.",
            "staffroom-pc",
            "StaffRoom-PC:8080",
            "staffroom-pc.local:8080",
        ] {
            assert!(host_allowed(host, &names), "{host}");
        }
        for host in [
            "",
            ":8080",
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "staffroom-pc.evil.example",
            "127.0.0.1:80:80",
            "127.0.0.1:http",
            "[::1",
            "[::1]x",
            "[::1]:",
            "[evil.example]:80",
            "localhost:",
            "localhost:123456",
            "local host",
        ] {
            assert!(!host_allowed(host, &names), "{host}");
        }
        assert!(!host_allowed("staffroom-pc", &[]));
    }
}
