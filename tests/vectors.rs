//! notation-go / notation-core-go conformance vectors from `../shared/vectors`,
//! with the verdicts their manifest records. Skipped, with a printed reason, when
//! `../shared` is absent (a user's clone does not have it).

mod support;

use serde_json::Value;

fn run(section: &str) {
    let Some(dir) = support::shared_vectors() else {
        eprintln!("skipped: ../shared/vectors is not present (it holds notation-go's vectors; see README)");
        return;
    };
    let manifest = support::manifest(&dir);
    let cases: Vec<Value> = manifest[section].as_array().cloned().unwrap_or_default();
    assert!(!cases.is_empty(), "manifest section {section} is empty");
    let (passed, failures) = support::run_all(&dir, &cases, |_| false);
    for (id, problems) in &failures {
        eprintln!("{id}:\n  {}", problems.join("\n  "));
    }
    assert!(
        failures.is_empty(),
        "{} of {} vector cases failed",
        failures.len(),
        cases.len()
    );
    eprintln!("{passed} vector cases passed");
}

#[test]
fn notation_go_vectors_match_manifest_verdicts() {
    run("cases");
}

#[test]
fn notation_go_user_metadata_vectors() {
    run("cases_needing_user_metadata");
}
