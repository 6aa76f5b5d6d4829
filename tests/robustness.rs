//! Nothing a trainer writes makes the checker or the GIFT reader panic: random bytes, and valid
//! banks mutated at random.

use proptest::prelude::*;
use sgquiz::bank::load::check_source;

fn bundled_text() -> &'static str {
    sgquiz::bank::catalog::BUNDLED[0].1
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let checked = check_source(&text);
        prop_assert!(checked.bank.is_some() || !checked.diagnostics.is_empty());
        let _ = sgquiz::authoring::gift::import(&text);
    }

    #[test]
    fn mutated_banks_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..40, "[ -~\n\"\\[\\]{}=#]{0,12}"), 1..6)
    ) {
        let mut text = bundled_text().to_string();
        for (at, len, insert) in edits {
            let start = at.index(text.len() + 1);
            let start = (0..=start).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (start + len).min(text.len());
            let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.replace_range(start..end, &insert);
        }
        let checked = check_source(&text);
        prop_assert!(checked.bank.is_some() || checked.errors() > 0);
        let _ = sgquiz::authoring::gift::import(&text);
    }
}

#[test]
fn gift_import_never_panics_on_its_own_export_mutated() {
    let bank = sgquiz::bank::catalog::find("words-matter").unwrap();
    let (gift, _) = sgquiz::authoring::gift::export(&bank);
    for cut in (0..gift.len()).step_by(97) {
        if gift.is_char_boundary(cut) {
            let _ = sgquiz::authoring::gift::import(&gift[..cut]);
        }
    }
}
