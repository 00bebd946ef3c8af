//! notation-go / notation-core-go conformance vectors from `../shared/vectors`,
//! with the verdicts their manifest records. Skipped, with a printed reason, when
//! `../shared` is absent (a user's clone does not have it).

mod support;

fn run(section: &str) {
    let Some(dir) = support::shared_vectors() else {
        eprintln!("skipped: ../shared/vectors is not present (it holds notation-go's vectors; see README)");
        return;
    };
    support::assert_section(&dir, section);
}

#[test]
fn notation_go_vectors_match_manifest_verdicts() {
    run("cases");
}

#[test]
fn notation_go_user_metadata_vectors() {
    run("cases_needing_user_metadata");
}
