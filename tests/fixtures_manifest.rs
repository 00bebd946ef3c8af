//! The project's own fixtures (`tests/fixtures/manifest.json`): every case must get
//! the verdict, failing check, catalogue rule and logged checks it records.

mod support;

use serde_json::Value;

fn run(section: &str) {
    let dir = support::fixtures();
    let manifest = support::manifest(&dir);
    let cases: Vec<Value> = manifest[section].as_array().cloned().unwrap_or_default();
    assert!(!cases.is_empty(), "manifest section {section} is empty");
    let (passed, failures) = support::run_all(&dir, &cases, |_| false);
    for (id, problems) in &failures {
        eprintln!("{id}:\n  {}", problems.join("\n  "));
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixture cases failed",
        failures.len(),
        cases.len()
    );
    eprintln!("{passed} fixture cases passed");
}

#[test]
fn fixture_cases_match_manifest() {
    run("cases");
}

#[test]
fn fixture_user_metadata_cases_match_manifest() {
    run("cases_needing_user_metadata");
}
