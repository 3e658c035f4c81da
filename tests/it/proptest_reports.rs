//! Property (issue 17): whatever bytes kwire is given, `kwire lint -f json`
//! prints one valid JSON report that follows the contract, every position
//! lies inside the input (lines counted as the parser counts them), and
//! the exit code is 0, 1 or 2. Inputs are mutated manifests and arbitrary
//! bytes; few cases, so that `cargo test` stays quick (raise
//! `PROPTEST_CASES` for a longer run).

use std::time::Duration;

use proptest::prelude::*;

use crate::report_checks::{Input, json_report};

const SEED: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - {name: http, containerPort: 80}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: http\n";

/// The binary on `input` as stdin; the report checks are
/// `report_checks::json_report`, the ones the fuzz targets make.
fn check(input: &[u8]) -> Result<(), TestCaseError> {
    let out = assert_cmd::Command::cargo_bin("kwire")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .timeout(Duration::from_secs(60))
        .env_remove("KWIRE_TEST_PANIC")
        .args(["lint", "-f", "json", "--no-config", "-"])
        .write_stdin(input.to_vec())
        .output()
        .unwrap();
    let code = out.status.code();
    prop_assert!(matches!(code, Some(0..=2)), "exit code {code:?}");
    let text = std::str::from_utf8(&out.stdout);
    prop_assert!(text.is_ok(), "stdout is not UTF-8");
    let checked = json_report(text.unwrap_or(""), &Input::new("<stdin>", input));
    prop_assert!(checked.is_ok(), "{}", checked.err().unwrap_or_default());
    prop_assert!(
        String::from_utf8_lossy(&out.stderr)
            .find("panicked")
            .is_none(),
        "a panic: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// One edit of the seed manifest: a byte changed, inserted or removed.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((0..SEED.len(), any::<u8>(), 0u8..3), 1..12);
    edits.prop_map(|edits| {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let at = at.min(bytes.len());
            match op {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => bytes.push(byte),
            }
        }
        bytes
    })
}

/// YAML-ish noise: structure characters, line breaks and words.
fn yamlish() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "a",
        "- ",
        ": ",
        "\n",
        "\r",
        "\r\n",
        "  ",
        "&x ",
        "*x",
        "<<: ",
        "{",
        "}",
        "[",
        "]",
        ",",
        "---\n",
        "kind: Pod\n",
        "apiVersion: v1\n",
        "metadata:\n",
        "name: x",
        "'",
        "\"",
        "#",
        "# kwire: ignore\n",
        "\t",
        "\u{feff}",
        "é",
        "?",
        "!!str ",
        "|\n",
        "\0",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_manifests_give_a_valid_report(input in mutated()) {
        check(&input)?;
    }

    #[test]
    fn yaml_noise_gives_a_valid_report(input in yamlish()) {
        check(&input)?;
    }

    #[test]
    fn arbitrary_bytes_give_a_valid_report(input in prop::collection::vec(any::<u8>(), 0..200)) {
        check(&input)?;
    }
}
