//! `irp case verify` names each kind of tampering: an evidence file edited, deleted or
//! added, a journal line edited, deleted, or two swapped.

use std::path::Path;

use crate::irp::Irp;
use crate::testkit::{Options, run};

const PLAYBOOK: &str = "irp: 1
id: t
title: T
steps:
  - {id: grab, phase: detection, title: Grab, action: test.evidence, with: {count: 3}}
  - {id: later, phase: detection, title: Later, needs: [grab], action: test.sleep, with: {ms: 1}}
";

/// A sealed case with evidence, tampered with by `tamper`; what `irp case verify` says.
fn verify_after(tamper: impl FnOnce(&Path)) -> (i32, String) {
    let ran = run(PLAYBOOK, Options::default());
    let root = ran.case.root.clone();
    let before = Irp::new().args(["case", "verify"]).args([&root]).run();
    assert_eq!(
        before.code, 0,
        "untouched, the case verifies: {}",
        before.stderr
    );
    tamper(&root);
    let out = Irp::new().args(["case", "verify"]).args([&root]).run();
    (out.code, out.stderr)
}

fn writable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

fn journal_lines(root: &Path) -> Vec<String> {
    std::fs::read_to_string(root.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_journal(root: &Path, lines: &[String]) {
    std::fs::write(root.join("journal.jsonl"), lines.join("\n") + "\n").unwrap();
}

const EVIDENCE: &str = "evidence/grab/2-sts.AssumeRole-us-east-1.json";

#[test]
fn an_edited_evidence_file_is_named() {
    let (code, out) = verify_after(|root| {
        let file = root.join(EVIDENCE);
        writable(&file);
        let text = std::fs::read_to_string(&file)
            .unwrap()
            .replace("\"i\": 1", "\"i\": 7");
        assert!(text.contains("\"i\": 7"));
        std::fs::write(&file, text).unwrap();
    });
    assert_eq!(code, 1);
    assert!(out.contains(&format!("{EVIDENCE} was edited")), "{out}");
}

#[test]
fn a_deleted_evidence_file_is_named() {
    let (code, out) = verify_after(|root| std::fs::remove_file(root.join(EVIDENCE)).unwrap());
    assert_eq!(code, 1);
    assert!(out.contains(&format!("{EVIDENCE} was removed")), "{out}");
}

#[test]
fn an_added_evidence_file_is_named() {
    let (code, out) = verify_after(|root| {
        std::fs::write(root.join("evidence/grab/9-ec2.Planted.json"), "{}").unwrap()
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("evidence file evidence/grab/9-ec2.Planted.json was added"),
        "{out}"
    );
}

#[test]
fn an_edited_journal_line_is_named() {
    let (code, out) = verify_after(|root| {
        let mut lines = journal_lines(root);
        lines[2] = lines[2].replacen("\"at\":\"20", "\"at\":\"19", 1);
        assert!(lines[2].contains("\"at\":\"19"), "the line changed");
        write_journal(root, &lines);
    });
    assert_eq!(code, 1);
    assert!(out.contains("journal line 3 (seq 3) was changed"), "{out}");
}

#[test]
fn a_deleted_journal_line_is_named() {
    let (code, out) = verify_after(|root| {
        let mut lines = journal_lines(root);
        lines.remove(4);
        write_journal(root, &lines);
    });
    assert_eq!(code, 1);
    assert!(out.contains("journal line seq 5 was removed"), "{out}");
}

#[test]
fn two_swapped_journal_lines_are_named() {
    let (code, out) = verify_after(|root| {
        let mut lines = journal_lines(root);
        lines.swap(3, 4);
        write_journal(root, &lines);
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("journal lines 4 and 5 are out of order (seq 5 comes before seq 4)"),
        "{out}"
    );
}

#[test]
fn a_truncated_journal_of_a_sealed_case_is_detected() {
    let (code, out) = verify_after(|root| {
        let mut lines = journal_lines(root);
        lines.pop();
        write_journal(root, &lines);
    });
    assert_eq!(code, 1);
    assert!(
        out.contains("journal.jsonl was edited: it no longer matches SHA256SUMS"),
        "{out}"
    );
}

#[test]
fn an_edited_case_json_or_playbook_is_named() {
    let (code, out) = verify_after(|root| {
        for name in ["case.json", "playbook.yaml"] {
            let file = root.join(name);
            writable(&file);
            let text = std::fs::read_to_string(&file)
                .unwrap()
                .replace("tester", "mallory")
                .replace("Grab", "Take");
            std::fs::write(&file, text).unwrap();
        }
    });
    assert_eq!(code, 1);
    assert!(out.contains("case.json was edited"), "{out}");
    assert!(out.contains("playbook.yaml was edited"), "{out}");
}
