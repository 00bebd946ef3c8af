//! Prints the native library's outcome for every case of a fixtures manifest (its
//! `cases` and `cases_needing_user_metadata`, the sections the Rust tests run) as one
//! JSON object mapping case id to outcome JSON, the outcome kept as a string: byte for
//! byte what `Outcome::to_json` returns. The WASM and WASI tests compare their
//! outcomes with these.
//!
//! ```text
//! cargo run --example outcome_json -- tests/fixtures/manifest.json
//! ```

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// The manifest sections run, as in `tests/vectors.rs` and `tests/fixtures_manifest.rs`.
const SECTIONS: [&str; 2] = ["cases", "cases_needing_user_metadata"];

fn main() -> ExitCode {
    let Some(manifest_path) = std::env::args().nth(1) else {
        eprintln!("usage: outcome_json <manifest.json>");
        return ExitCode::FAILURE;
    };
    let manifest_path = Path::new(&manifest_path);
    let dir = manifest_path.parent().unwrap_or(Path::new("."));
    let manifest: serde_json::Value =
        match std::fs::read(manifest_path).map(|b| serde_json::from_slice(&b)) {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => {
                eprintln!("{}: not JSON: {e}", manifest_path.display());
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("{}: {e}", manifest_path.display());
                return ExitCode::FAILURE;
            }
        };
    let cases = SECTIONS
        .iter()
        .filter_map(|section| manifest[section].as_array())
        .flatten();
    let outcomes: BTreeMap<&str, String> = cases
        .map(|case| {
            (
                case["id"].as_str().unwrap_or_default(),
                support::run_case(dir, case).to_json(),
            )
        })
        .collect();
    match serde_json::to_string_pretty(&outcomes) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("outcomes did not serialize: {e}");
            ExitCode::FAILURE
        }
    }
}
