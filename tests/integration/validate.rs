use crate::irp::{Irp, positions, repo};

#[test]
fn shipped_playbooks_are_valid() {
    let out = Irp::new()
        .args(["validate", "--color", "never"])
        .args([repo().join("playbooks")])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("valid: 1 file checked, 0 errors, 0 warnings"),
        "{}",
        out.stderr
    );
}

const BROKEN: &str = "\
irp: 1
id: demo
title: Demo
inputs:
  since: {type: duration, default: 7d}
steps:
  - id: scan
    phase: detection
    title: Scan
    action: cloudtrail.events
    with:
      event_names: [CreateRoute]
      since: \"{{ inputs.sinse }}\"
    tmeout: 5m
  - id: contain
    phase: containment
    title: Contain
    needs: [scan, undo]
    action: iam.deactivate_access_keys
    with:
      access_keys: \"{{ steps.scan.output.access_keys }}\"
  - id: undo
    phase: recovery
    title: Undo
    needs: [contain]
    action: manual
";

#[test]
fn every_problem_is_reported_in_human_form() {
    let out = Irp::new()
        .file("broken.yaml", BROKEN)
        .args(["validate", "broken.yaml", "--color", "never"])
        .run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn json_format_gives_line_and_column() {
    let out = Irp::new()
        .file("broken.yaml", BROKEN)
        .args(["validate", "broken.yaml", "--format", "json"])
        .run();
    assert_eq!(out.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON output");
    let found: Vec<(String, u64, u64)> = positions(&doc).into_iter().collect();
    let expected = [
        ("unknown-input", 13, 14),
        ("unknown-key", 14, 5),
        ("cycle", 18, 19),
        ("later-phase-need", 18, 19),
    ];
    for (code, line, column) in expected {
        assert!(
            found.contains(&(code.to_owned(), line, column)),
            "{code} at {line}:{column} missing from {found:?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:?}");
    assert_eq!(doc["errors"], 3);
    assert_eq!(doc["warnings"], 1);
}

#[test]
fn github_format_annotates_file_line_and_column() {
    let out = Irp::new()
        .file("ci/broken.yaml", BROKEN)
        .args(["validate", "ci", "--format", "github"])
        .run();
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn folders_are_searched_recursively_for_yaml_and_yml() {
    let good = std::fs::read_to_string(repo().join("playbooks/network-change.yaml")).unwrap();
    let out = Irp::new()
        .file("pb/a.yaml", &good)
        .file("pb/deeper/b.yml", BROKEN)
        .file("pb/notes.txt", "not a playbook")
        .args(["validate", "pb", "--format", "json"])
        .run();
    assert_eq!(out.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["files"], 2);
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["file"] == "pb/deeper/b.yml")
    );
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let out = Irp::new().args(["validate", "nowhere.yaml"]).run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nowhere.yaml"), "{}", out.stderr);
}

#[test]
fn a_folder_without_playbooks_is_a_usage_error() {
    let out = Irp::new()
        .file("empty/readme.txt", "x")
        .args(["validate", "empty"])
        .run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no *.yaml or *.yml files"),
        "{}",
        out.stderr
    );
}
