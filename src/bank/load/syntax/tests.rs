use super::line::{early_end, quoted, straighten};
use super::*;

#[test]
fn curly_quotes_are_made_straight() {
    assert_eq!(straighten("prompt = “Is it?”"), "prompt = \"Is it?\"");
    assert_eq!(straighten("accept = [“a”, ‘b’]"), "accept = [\"a\", \"b\"]");
    assert_eq!(
        straighten("prompt = \"It’s “fine”\""),
        "prompt = \"It’s “fine”\""
    );
}

#[test]
fn slips_on_one_line_are_named_with_the_fix() {
    let named = |line: &str, col: usize| {
        let d = on_the_line(line, 0, col).expect(line);
        (d.code, d.help.unwrap())
    };
    assert_eq!(
        named("answer = True", 9),
        ("capital-true-false", "write it as: answer = true".into())
    );
    assert_eq!(
        named("type = single", 7),
        ("unquoted-text", "write it as: type = \"single\"".into())
    );
    assert_eq!(
        named("accept = [“CSAM”, “child abuse images”]", 10),
        (
            "curly-quotes",
            "type straight quotes instead: accept = [\"CSAM\", \"child abuse images\"]".into()
        )
    );
    assert_eq!(
        named("pass_mark = 75.5 %", 12).1,
        "write it as: pass_mark = 75.5"
    );
    assert!(on_the_line("answer = 12", 0, 9).is_none());
}

#[test]
fn a_quote_mark_ending_text_early_is_found_in_a_value_or_a_list() {
    assert_eq!(early_end("\"Is \"it\" so?\""), Some((0, 4, 12, '"')));
    assert_eq!(early_end("['a', 'b's', \"c\"]"), Some((6, 8, 10, '\'')));
    assert_eq!(early_end("[\"a\", \"b\"] # it's"), None);
    assert_eq!(early_end("\"\"\"x\"\"\""), None);
    assert_eq!(early_end("\"say \\\"no\\\"\""), None);
}

#[test]
fn covered_ranges_merge() {
    let mut c = Covered::default();
    c.add(10..20);
    c.add(30..30);
    c.add(15..25);
    assert!(!c.covers(9) && c.covers(10) && c.covers(24) && !c.covers(25));
    assert!(c.covers(30) && !c.covers(31));
    c.add(0..100);
    assert!(c.covers(50) && c.covers(0) && !c.covers(100));
    assert_eq!(c.0.len(), 1);
}

#[test]
fn text_is_quoted_the_way_that_reads_back() {
    assert_eq!(quoted("the child's", '\''), "\"the child's\"");
    assert_eq!(quoted("say \"no\"", '"'), "'say \"no\"'");
    assert_eq!(quoted("it's \"no\"", '\''), "\"it's \\\"no\\\"\"");
}
