//! Unit tests of the live session's server: the trainer's lines and the join address.

use std::net::SocketAddr;

use super::*;

#[test]
fn the_trainers_lines_say_who_is_where() {
    let name = || "Sam Patel".to_string();
    let lines: Vec<String> = [
        Progress::Joined {
            name: name(),
            at: 1,
            total: 10,
        },
        Progress::Joined {
            name: name(),
            at: 4,
            total: 10,
        },
        Progress::On {
            name: name(),
            at: 5,
            total: 10,
        },
        Progress::Finished {
            name: name(),
            score: "Score: 9 of 10 (90%). Pass mark: 80%.".to_string(),
            passed: true,
        },
        Progress::NotSaved {
            name: name(),
            error: "the disk is full".to_string(),
        },
    ]
    .iter()
    .map(Progress::line)
    .collect();
    assert_eq!(
        lines,
        [
            "Sam Patel: joined, on question 1 of 10",
            "Sam Patel: rejoined, carrying on from question 4 of 10",
            "Sam Patel: on question 5 of 10",
            "Sam Patel: finished. Score: 9 of 10 (90%). Pass mark: 80%. Passed.",
            "Sam Patel: NOT SAVED: the disk is full",
        ]
    );
}

#[test]
fn the_join_address_carries_the_code() {
    let at: SocketAddr = "192.168.1.20:8080".parse().unwrap();
    assert_eq!(
        join_address(at, "KX47PM"),
        "http://192.168.1.20:8080/?code=KX4-7PM"
    );
}
