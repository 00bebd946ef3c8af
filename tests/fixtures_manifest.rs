//! The project's own fixtures (`tests/fixtures/manifest.json`): every case must get
//! the verdict, failing check, catalogue rule and logged checks it records.

mod support;

#[test]
fn fixture_cases_match_manifest() {
    support::assert_section(&support::fixtures(), "cases");
}

#[test]
fn fixture_user_metadata_cases_match_manifest() {
    support::assert_section(&support::fixtures(), "cases_needing_user_metadata");
}
