//! Crash safety with evidence, inputs and an approved change, in a real process: the
//! `irp-test` binary (irp with the test actions) is stopped at every durable write of a run
//! and killed there with SIGKILL. After each kill the case verifies; the resume completes
//! it, or stops at a change whose outcome the crash left unknown, and the change is never
//! made twice.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::crash::wait_stopped;
use crate::irp::Irp;
use crate::run_cli::events;

const PLAYBOOK: &str = "\
irp: 1
id: breach
title: Breach drill
inputs:
  key_name: {type: string, default: alpha}
steps:
  - {id: gather, phase: detection, title: Gather, action: test.evidence, with: {count: 3}}
  - {id: note, phase: detection, title: Note, action: manual, questions: [What now?]}
  - id: contain
    phase: containment
    title: Contain
    needs: [gather]
    action: test.change
    with: {key: \"{{ inputs.key_name }}\", log: changes.log}
  - id: after
    phase: recovery
    title: After
    needs: [contain, note]
    action: test.sleep
    with: {ms: 1, tag: \"{{ inputs.key_name }}\"}
";

fn irp_test(dir: &Path, args: &[&str], stop_after: Option<u32>) -> std::process::Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_irp-test"));
    command
        .args(args)
        .current_dir(dir)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(n) = stop_after {
        command.env("IRP_TEST_STOP_AFTER_WRITES", n.to_string());
    }
    command.spawn().expect("start irp-test")
}

fn finish(child: std::process::Child) -> (i32, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn changes_made(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("changes.log"))
        .map(|t| t.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

#[test]
fn a_run_with_evidence_and_a_change_killed_at_every_write_never_makes_the_change_twice() {
    let run = [
        "run",
        "breach.yaml",
        "--input",
        "key_name=bravo",
        "--approve",
        "contain",
        "--answers",
        "answers.yaml",
        "--concurrency",
        "1",
    ];
    // How many writes a whole run makes: the kill points.
    let whole = Irp::new()
        .file("breach.yaml", PLAYBOOK)
        .file("answers.yaml", "note: [wait]\n");
    let (code, out) = finish(irp_test(whole.path(), &run, None));
    assert_eq!(code, 0, "{out}");
    assert_eq!(changes_made(whole.path()), ["bravo"]);
    let mut uncertain = 0;
    let mut point = 0;
    loop {
        point += 1;
        let irp = Irp::new()
            .file("breach.yaml", PLAYBOOK)
            .file("answers.yaml", "note: [wait]\n");
        let dir = irp.path();
        let mut child = irp_test(dir, &run, Some(point));
        if !wait_stopped(&mut child) {
            // The run finished before its `point`-th write: every write has been a kill point.
            let _ = finish(child);
            break;
        }
        child.kill().unwrap();
        let _ = finish(child);
        let case = std::fs::read_dir(dir.join("cases"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let case_arg = case.display().to_string();
        let verify = |when: &str| {
            let (code, out) = finish(irp_test(dir, &["case", "verify", &case_arg], None));
            assert_eq!(code, 0, "point {point}, {when}: {out}");
        };
        verify("after the kill");
        // The responder's --approve counted for the killed run only. If the case recorded the
        // approval, the resume goes on without one (it carries over only if the change never
        // started); if not, the responder approves again, as the resume hint says.
        let journal_path = case.join("journal.jsonl");
        let before = if journal_path.exists() {
            events(&case)
        } else {
            Vec::new()
        };
        let recorded = before.iter().any(|e| e["event"] == "approval_granted");
        // The kill came after the change started and before its outcome was recorded.
        let in_doubt = before.iter().any(|e| e["event"] == "change_started")
            && !before.iter().any(|e| {
                (e["event"] == "step_succeeded" || e["event"] == "step_failed")
                    && e["step"] == "contain"
            });
        let made_before = changes_made(dir).len();
        let mut resume = vec!["run", "--resume", &case_arg, "--answers", "answers.yaml"];
        if !recorded {
            resume.extend(["--approve", "contain"]);
        }
        let (code, out) = finish(irp_test(dir, &resume, None));
        verify("after the resume");
        let made = changes_made(dir);
        assert_eq!(
            code == 3,
            in_doubt,
            "point {point}: the resume stops exactly when the change is in doubt: {out}"
        );
        if in_doubt {
            assert_eq!(
                made.len(),
                made_before,
                "point {point}: a change in doubt is not made again"
            );
        }
        assert!(
            made.len() <= 1,
            "point {point}: the change was made {} times",
            made.len()
        );
        let journal = events(&case);
        match code {
            0 => {
                assert_eq!(
                    made,
                    ["bravo"],
                    "point {point}: made once, with the case's inputs"
                );
                for step in ["gather", "note", "contain", "after"] {
                    let n = journal
                        .iter()
                        .filter(|e| e["event"] == "step_succeeded" && e["step"] == step)
                        .count();
                    assert_eq!(n, 1, "point {point}: {step} succeeded {n} times");
                }
                let after = journal
                    .iter()
                    .find(|e| e["event"] == "step_succeeded" && e["step"] == "after")
                    .unwrap();
                assert_eq!(
                    after["output"]["tag"], "bravo",
                    "point {point}: the resume ran with the case's inputs"
                );
                // The attempt that succeeded recorded its 3 files; a file a killed attempt
                // had written is kept too, recovered, never overwritten.
                let last_start = journal
                    .iter()
                    .rposition(|e| e["event"] == "step_started" && e["step"] == "gather")
                    .unwrap();
                let files = journal[last_start..]
                    .iter()
                    .filter(|e| e["event"] == "evidence_recorded")
                    .count();
                assert_eq!(
                    files, 3,
                    "point {point}: the last attempt recorded its evidence"
                );
            }
            3 => {
                // The kill came after the change started: its outcome is unknown, so the
                // resume stops there instead of repeating it.
                uncertain += 1;
                assert!(
                    journal
                        .iter()
                        .any(|e| e["event"] == "step_uncertain" && e["step"] == "contain"),
                    "point {point}: {out}"
                );
            }
            other => panic!("point {point}: the resume exited {other}: {out}"),
        }
    }
    let points = point - 1;
    eprintln!("{points} kill points, {uncertain} left the change uncertain");
    assert!(points >= 25, "only {points} kill points");
    assert!(
        uncertain >= 2,
        "some kill point falls between the change and its record"
    );
}
