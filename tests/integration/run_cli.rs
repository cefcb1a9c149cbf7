//! `irp run` through the binary: the dry-run walkthrough, manual steps, waiting, resuming,
//! parts of the graph, and the case it leaves.

use crate::irp::{Irp, repo};

pub const MANUAL: &str = "\
irp: 1
id: drill
title: A drill of manual steps
steps:
  - id: gather
    phase: preparation
    title: Gather
    action: manual
    questions: [Who is on call?, Which account?]
  - id: decide
    phase: detection
    title: Decide
    needs: [gather]
    action: manual
    questions: [Is it an incident?]
  - id: contain
    phase: containment
    title: Contain
    needs: [decide]
    action: manual
    questions: [What was contained?]
  - id: notify
    phase: detection
    title: Notify
    action: manual
    questions: [Who was told?]
  - id: record
    phase: recovery
    title: Record
    needs: [notify]
    action: manual
    checklist: [Write it down]
  - id: review
    phase: post_incident
    title: Review
    needs: [contain, record]
    action: manual
    questions: [What did we learn?]
";

pub const ANSWERS: &str = "\
gather: [Alice, prod]
decide: [yes]
contain: [the key]
notify: {Who was told?: the CISO}
record: []
review: [more alarms]
";

/// The drill playbook run with its answers file, and more arguments.
fn drill(args: &[&str]) -> Irp {
    Irp::new()
        .file("drill.yaml", MANUAL)
        .file("answers.yaml", ANSWERS)
        .args(["run", "drill.yaml", "--answers", "answers.yaml"])
        .args(args)
}

/// The single case folder under `cases/`.
pub fn the_case(irp: &Irp) -> std::path::PathBuf {
    let cases: Vec<_> = std::fs::read_dir(irp.path().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(cases.len(), 1, "{cases:?}");
    cases[0].clone()
}

pub fn events(case: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(case.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_network_change_dry_run_needs_no_aws_and_its_case_verifies() {
    let irp = Irp::new()
        .args(["run", "network-change", "--dry-run", "--answers"])
        .args([repo().join("examples/network-change-answers.yaml")]);
    let out = irp.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("would: Enable Security Hub standards"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("approval: this changes the account"),
        "{}",
        out.stderr
    );
    let case = the_case(&irp);
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.join("case.json")).unwrap()).unwrap();
    assert_eq!(info["mode"], "dry_run");
    let journal = events(&case);
    let previewed = journal
        .iter()
        .filter(|e| e["event"] == "step_previewed")
        .count();
    let answered = journal
        .iter()
        .filter(|e| e["event"] == "step_answered")
        .count();
    assert_eq!(previewed + answered, 25, "every step is walked through");
    assert!(
        journal
            .iter()
            .all(|e| e["event"] != "change_started" && e["event"] != "approval_granted")
    );
    let verify = Irp::new().args(["case", "verify"]).args([&case]).run();
    assert_eq!(verify.code, 0, "{}", verify.stderr);
    assert!(verify.stderr.contains("intact"), "{}", verify.stderr);
    let report = std::fs::read_to_string(case.join("report.md")).unwrap();
    for section in [
        "## Summary",
        "## Timeline",
        "## Findings",
        "## Changes made",
        "## Answers",
        "## Open questions",
        "## Lessons learned",
        "```mermaid",
    ] {
        assert!(
            report.contains(section),
            "{section} missing from the report"
        );
    }
    assert!(report.contains("Analysts take the AWS Cloud Practitioner course"));
    // sha256sum -c agrees.
    let sums = std::process::Command::new("sha256sum")
        .arg("-c")
        .arg("SHA256SUMS")
        .current_dir(&case)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
}

#[test]
fn manual_steps_without_answers_or_a_terminal_wait_and_resume_goes_on() {
    let irp = Irp::new()
        .file("drill.yaml", MANUAL)
        .file("answers.yaml", ANSWERS)
        .args(["run", "drill.yaml"]);
    let out = irp.run();
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains("waiting for answers: gather, notify"),
        "{}",
        out.stderr
    );
    let case = the_case(&irp);
    assert_eq!(
        Irp::new().args(["case", "verify"]).args([&case]).run().code,
        0
    );
    // The resume runs where the playbook is: in the first run's folder.
    let answers = std::ffi::OsStr::new("answers.yaml");
    let out = irp.again([
        "run".as_ref(),
        "--resume".as_ref(),
        case.as_os_str(),
        "--answers".as_ref(),
        answers,
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let journal = events(&case);
    let answered: Vec<&str> = journal
        .iter()
        .filter(|e| e["event"] == "step_answered")
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(answered.len(), 6);
    let notify = journal
        .iter()
        .find(|e| e["event"] == "step_answered" && e["step"] == "notify")
        .unwrap();
    assert_eq!(notify["answers"][0]["answer"], "the CISO");
    assert_eq!(
        Irp::new().args(["case", "verify"]).args([&case]).run().code,
        0
    );
}

#[test]
fn json_format_prints_one_event_per_line() {
    let irp = drill(&["--format", "json"]);
    let out = irp.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.first().unwrap()["event"], "run_started");
    assert_eq!(lines.last().unwrap()["event"], "run_finished");
    assert_eq!(lines.last().unwrap()["outcome"], "succeeded");
    // The same events as the journal, without the chain fields.
    assert_eq!(lines.len(), events(&the_case(&irp)).len());
}

#[test]
fn only_and_phase_run_a_part_of_the_graph_with_its_needs() {
    let irp = drill(&["--only", "contain"]);
    let out = irp.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let journal = events(&the_case(&irp));
    let ran: Vec<&str> = journal
        .iter()
        .filter(|e| e["event"] == "step_started")
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(ran, ["gather", "decide", "contain"]);
    let skipped: Vec<&str> = journal
        .iter()
        .filter(|e| e["event"] == "step_skipped")
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["not_selected"; 3]);

    let irp = drill(&["--phase", "recovery"]);
    assert_eq!(irp.run().code, 0);
    let journal = events(&the_case(&irp));
    let ran: Vec<&str> = journal
        .iter()
        .filter(|e| e["event"] == "step_started")
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(ran, ["notify", "record"]);
}

#[test]
fn a_resume_with_another_playbook_is_refused() {
    let irp = Irp::new()
        .file("drill.yaml", MANUAL)
        .args(["run", "drill.yaml"]);
    assert_eq!(irp.run().code, 3);
    let case = the_case(&irp);
    std::fs::write(
        irp.path().join("drill.yaml"),
        MANUAL.replace("Who is on call?", "Who is on duty?"),
    )
    .unwrap();
    let resume = |extra: &[&std::ffi::OsStr]| {
        let mut args = vec![
            std::ffi::OsStr::new("run"),
            "--resume".as_ref(),
            case.as_os_str(),
        ];
        args.extend_from_slice(extra);
        irp.again(args)
    };
    let out = resume(&["drill.yaml".as_ref()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not the playbook this case ran"),
        "{}",
        out.stderr
    );
    // By default a resume runs the case's own copy.
    let out = resume(&[]);
    assert_eq!(out.code, 3, "{}", out.stderr);
}

#[test]
fn a_real_run_of_an_unimplemented_action_fails_clearly_and_skips_its_dependants() {
    let irp = Irp::new().args(["run", "network-change", "--only", "deactivate_keys"]);
    let out = irp.run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("cannot run yet"), "{}", out.stderr);
    let journal = events(&the_case(&irp));
    assert!(journal.iter().any(|e| e["event"] == "step_skipped"
        && e["step"] == "deactivate_keys"
        && e["reason"] == "dependency"));
    assert!(journal.iter().all(|e| e["event"] != "change_started"));
}

#[test]
fn bad_run_arguments_are_usage_errors() {
    let irp = Irp::new().file("drill.yaml", MANUAL);
    for args in [
        vec!["run", "drill.yaml", "--only", "nope"],
        vec!["run", "drill.yaml", "--phase", "lunch"],
        vec!["run", "drill.yaml", "--approve", "nope"],
        vec!["run", "drill.yaml", "--answers", "missing.yaml"],
        vec!["run"],
    ] {
        let out = Irp::new()
            .file("drill.yaml", MANUAL)
            .args(args.clone())
            .run();
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
    }
    let _ = irp;
}

#[test]
fn case_show_gives_the_timeline_and_report_writes_it_again() {
    let irp = drill(&[]);
    assert_eq!(irp.run().code, 0);
    let case = the_case(&irp);
    let show = Irp::new().args(["case", "show"]).args([&case]).run();
    assert_eq!(show.code, 0);
    assert!(
        show.stdout
            .contains("gather                    answered 2 question(s)"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout
            .lines()
            .last()
            .unwrap()
            .ends_with("finished: succeeded"),
        "{}",
        show.stdout
    );
    // Without report.md the case no longer verifies; `irp report` writes it again and reseals.
    std::fs::remove_file(case.join("report.md")).unwrap();
    assert_eq!(
        Irp::new().args(["case", "verify"]).args([&case]).run().code,
        1
    );
    let report = Irp::new().args(["report"]).args([&case]).run();
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(
        Irp::new().args(["case", "verify"]).args([&case]).run().code,
        0
    );
    let text = std::fs::read_to_string(case.join("report.md")).unwrap();
    assert!(
        text.contains("- **What did we learn?**\n  more alarms"),
        "{text}"
    );
    assert!(
        text.contains("review[\"review<br/>succeeded\"]:::succeeded"),
        "{text}"
    );
    let json = Irp::new()
        .args(["report", "--format", "json"])
        .args([&case])
        .run();
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["summary"]["outcome"], "succeeded");
    assert_eq!(doc["summary"]["states"]["review"]["state"], "succeeded");
}

#[test]
fn approving_a_step_that_changes_nothing_is_refused() {
    let irp =
        Irp::new()
            .file("drill.yaml", MANUAL)
            .args(["run", "drill.yaml", "--approve", "gather"]);
    let out = irp.run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("changes nothing, so it needs no approval"),
        "{}",
        out.stderr
    );
    // Refused before any case was created.
    assert!(!irp.path().join("cases").exists());
}

#[test]
fn a_secret_input_never_reaches_the_case_and_a_resume_asks_for_it_again() {
    let playbook = MANUAL.replace(
        "steps:\n",
        "inputs:\n  api_key: {type: string, description: a token for the ticket system}\nsteps:\n",
    );
    let irp = Irp::new().file("drill.yaml", &playbook).args([
        "run",
        "drill.yaml",
        "--input",
        "api_key=tok-3141592",
    ]);
    assert_eq!(irp.run().code, 3);
    let case = the_case(&irp);
    for file in ["case.json", "journal.jsonl", "report.md"] {
        let text = std::fs::read_to_string(case.join(file)).unwrap();
        assert!(!text.contains("tok-3141592"), "{file} holds the secret");
    }
    let resume = |extra: &[&str]| {
        let mut args = vec![
            "run".to_owned(),
            "--resume".to_owned(),
            case.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend(["--answers".to_owned(), "answers.yaml".to_owned()]);
        irp.again(args)
    };
    std::fs::write(irp.path().join("answers.yaml"), ANSWERS).unwrap();
    let out = resume(&[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("input `api_key` held a secret"),
        "{}",
        out.stderr
    );
    let out = resume(&["--input", "since=1d"]);
    assert_eq!(out.code, 2, "only a secret input is given again");
    let out = resume(&["--input", "api_key=tok-3141592"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}
