//! The runner, in-process, with the test actions of `testkit.rs`.

use irp::event::{EventKind, Outcome, SkipReason};
use irp::exec::prior::Prior;
use irp::exec::runner::Final;

use crate::testkit::{self, Options, attempts, changes, run};

const HEAD: &str = "irp: 1\nid: t\ntitle: T\nsteps:\n";

#[test]
fn independent_steps_overlap_and_a_dependant_waits_for_its_needs() {
    let ran = run(
        &format!(
            "{HEAD}
  - {{id: a, phase: detection, title: A, action: test.sleep, with: {{ms: 400}}}}
  - {{id: b, phase: detection, title: B, action: test.sleep, with: {{ms: 400}}}}
  - {{id: c, phase: detection, title: C, needs: [a], action: test.sleep, with: {{ms: 10, tag: \"ended {{{{ steps.a.output.ended }}}}\"}}}}
"
        ),
        Options::default(),
    );
    assert_eq!(ran.result.outcome, Outcome::Succeeded);
    let (a, b, c) = (ran.output("a"), ran.output("b"), ran.output("c"));
    let span =
        |o: &serde_json::Value| (o["started"].as_u64().unwrap(), o["ended"].as_u64().unwrap());
    let ((a0, a1), (b0, b1), (c0, _)) = (span(&a), span(&b), span(&c));
    assert!(a0 < b1 && b0 < a1, "a {a0}..{a1} and b {b0}..{b1} overlap");
    assert!(c0 >= a1, "c started at {c0}, before a ended at {a1}");
    // c read a's output through its template.
    assert_eq!(c["tag"], format!("ended {a1}"));
}

#[test]
fn concurrency_one_runs_steps_one_at_a_time() {
    let ran = run(
        &format!(
            "{HEAD}
  - {{id: a, phase: detection, title: A, action: test.sleep, with: {{ms: 150}}}}
  - {{id: b, phase: detection, title: B, action: test.sleep, with: {{ms: 150}}}}
"
        ),
        Options {
            concurrency: 1,
            ..Options::default()
        },
    );
    let (a, b) = (ran.output("a"), ran.output("b"));
    assert!(b["started"].as_u64() >= a["ended"].as_u64());
}

#[test]
fn a_failed_step_skips_exactly_its_dependants() {
    let ran = run(
        &format!(
            "{HEAD}
  - {{id: broken, phase: detection, title: X, action: test.fail, with: {{key: skip-deps}}}}
  - {{id: child, phase: detection, title: X, needs: [broken], action: test.sleep, with: {{ms: 1}}}}
  - {{id: grandchild, phase: detection, title: X, needs: [child], action: test.sleep, with: {{ms: 1}}}}
  - {{id: other, phase: detection, title: X, action: test.sleep, with: {{ms: 1}}}}
  - {{id: after_other, phase: detection, title: X, needs: [other], action: test.sleep, with: {{ms: 1}}}}
  - {{id: tolerant, phase: detection, title: X, action: test.fail, on_failure: continue, with: {{key: tolerant}}}}
  - {{id: after_tolerant, phase: detection, title: X, needs: [tolerant], action: test.sleep, with: {{ms: 1}}}}
"
        ),
        Options::default(),
    );
    assert_eq!(ran.result.outcome, Outcome::Failed);
    let f = &ran.result.finals;
    assert_eq!(f["broken"], Final::Failed);
    assert_eq!(
        f["child"],
        Final::Skipped(SkipReason::Dependency {
            need: "broken".into()
        })
    );
    assert_eq!(
        f["grandchild"],
        Final::Skipped(SkipReason::Dependency {
            need: "child".into()
        })
    );
    assert_eq!(f["other"], Final::Succeeded);
    assert_eq!(f["after_other"], Final::Succeeded);
    assert_eq!(f["tolerant"], Final::Failed);
    assert_eq!(
        f["after_tolerant"],
        Final::Succeeded,
        "on_failure: continue lets dependants run"
    );
    // The failure keeps service, operation, code and request id.
    let error = ran.events.iter().find_map(|e| match &e.kind {
        EventKind::StepFailed { step, error } if step == "broken" => Some(error.clone()),
        _ => None,
    });
    let error = error.unwrap();
    assert_eq!(
        (
            error.service.as_deref(),
            error.operation.as_deref(),
            error.code.as_deref(),
            error.request_id.as_deref()
        ),
        (
            Some("ec2"),
            Some("DescribeVpcs"),
            Some("UnauthorizedOperation"),
            Some("req-1")
        )
    );
    assert_eq!(
        attempts("skip-deps"),
        1,
        "a non-retryable error is not retried"
    );
}

#[test]
fn retryable_errors_are_retried_with_backoff_and_others_are_not() {
    let ran = run(
        &format!(
            "{HEAD}
  - {{id: flaky, phase: detection, title: X, action: test.fail, retries: 3, with: {{key: flaky, retryable: true, times: 2}}}}
  - {{id: hopeless, phase: detection, title: X, action: test.fail, retries: 1, with: {{key: hopeless, retryable: true}}}}
"
        ),
        Options::default(),
    );
    assert_eq!(ran.output("flaky")["attempts"], 3);
    assert_eq!(
        ran.kinds("flaky")
            .iter()
            .filter(|k| **k == "step_retrying")
            .count(),
        2
    );
    assert_eq!(attempts("hopeless"), 2, "one try and one retry");
    assert_eq!(ran.result.finals["hopeless"], Final::Failed);
}

#[test]
fn a_step_over_its_timeout_fails() {
    let ran = run(
        &format!(
            "{HEAD}  - {{id: slow, phase: detection, title: X, action: test.sleep, timeout: 50ms, with: {{ms: 5000}}}}\n"
        ),
        Options::default(),
    );
    assert_eq!(ran.result.finals["slow"], Final::Failed);
    let failed = ran.events.iter().any(|e| matches!(&e.kind, EventKind::StepFailed { error, .. } if error.message.contains("timed out")));
    assert!(failed);
}

#[test]
fn a_false_condition_skips_the_step_and_its_dependants_still_run() {
    let ran = run(
        &format!(
            "{HEAD}
  - {{id: scan, phase: detection, title: X, action: test.sleep, with: {{ms: 1, tag: none}}}}
  - {{id: only_if_found, phase: detection, title: X, needs: [scan], when: \"{{{{ steps.scan.output.tag == 'found' }}}}\", action: test.sleep, with: {{ms: 1}}}}
  - {{id: after, phase: detection, title: X, needs: [only_if_found], action: test.sleep, with: {{ms: 1}}}}
"
        ),
        Options::default(),
    );
    assert!(matches!(
        ran.result.finals["only_if_found"],
        Final::Skipped(SkipReason::Condition { .. })
    ));
    assert_eq!(ran.result.finals["after"], Final::Succeeded);
    assert_eq!(ran.result.outcome, Outcome::Succeeded);
}

const CHANGES: &str = "
  - {id: contain, phase: containment, title: X, action: test.change, with: {key: KEY, value: inactive}}
  - {id: other_change, phase: containment, title: X, action: test.change, with: {key: OTHER}}
  - {id: after, phase: recovery, title: X, needs: [contain], action: test.sleep, with: {ms: 1}}
";

#[test]
fn a_change_never_runs_without_its_own_approval() {
    let yaml = format!(
        "{HEAD}{}",
        CHANGES
            .replace("KEY", "unapproved")
            .replace("OTHER", "approved-other")
    );
    let ran = run(
        &yaml,
        Options {
            approvals: vec!["other_change"],
            ..Options::default()
        },
    );
    assert_eq!(
        changes("unapproved"),
        0,
        "approving another step does not approve this one"
    );
    assert_eq!(changes("approved-other"), 1);
    assert_eq!(ran.result.finals["contain"], Final::Waiting);
    assert_eq!(
        ran.result.finals["after"],
        Final::NotRun,
        "its dependant waits"
    );
    assert_eq!(ran.result.outcome, Outcome::Waiting);
    assert_eq!(ran.kinds("contain"), ["step_started", "approval_requested"]);
}

#[test]
fn an_approval_is_journalled_with_the_operator_and_the_preview_sha256() {
    let yaml = format!(
        "{HEAD}{}",
        CHANGES.replace("KEY", "approved").replace("OTHER", "also")
    );
    let ran = run(
        &yaml,
        Options {
            approvals: vec!["contain", "other_change"],
            ..Options::default()
        },
    );
    assert_eq!(changes("approved"), 1);
    let requested = ran
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::ApprovalRequested {
                step,
                params,
                preview,
                preview_sha256,
            } if step == "contain" => {
                // The exact parameters are journalled with the preview.
                assert_eq!(
                    params,
                    &serde_json::json!({"key": "approved", "value": "inactive", "delay_ms": 0})
                );
                Some((preview.clone(), preview_sha256.clone()))
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(requested.0, "change approved to \"inactive\"");
    let granted = ran
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::ApprovalGranted {
                step,
                operator,
                preview_sha256,
                via,
            } if step == "contain" => Some((operator.clone(), preview_sha256.clone(), via.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(granted, ("tester".into(), requested.1, "flag".into()));
    assert_eq!(
        ran.kinds("contain"),
        [
            "step_started",
            "approval_requested",
            "approval_granted",
            "change_started",
            "step_succeeded"
        ]
    );
    let report = std::fs::read_to_string(ran.case.root.join("report.md")).unwrap();
    assert!(
        report.contains("| contain | change approved to \"inactive\" | tester |"),
        "{report}"
    );
}

#[test]
fn a_resumed_change_that_started_is_not_repeated_blindly() {
    let yaml = format!(
        "{HEAD}{}",
        CHANGES.replace("KEY", "crashed").replace("OTHER", "x")
    );
    // The case says the change started and says nothing after: the crash came in between.
    let started = vec![irp::event::RunEvent::new(EventKind::ChangeStarted {
        step: "contain".into(),
        preview_sha256: "abc".into(),
    })];
    let prior = Prior::from_events(&started);
    let ran = run(
        &yaml,
        Options {
            prior: prior.clone(),
            approvals: vec![],
            ..Options::default()
        },
    );
    assert_eq!(changes("crashed"), 0);
    assert_eq!(ran.result.finals["contain"], Final::Uncertain);
    // Even an approval carried in the case does not repeat it; a new --approve does.
    let ran = run(
        &yaml,
        Options {
            prior,
            approvals: vec!["contain"],
            ..Options::default()
        },
    );
    assert_eq!(changes("crashed"), 1);
    assert_eq!(ran.result.finals["contain"], Final::Succeeded);
}

#[test]
fn an_approval_carries_over_a_resume_only_for_the_same_preview() {
    let yaml = format!(
        "{HEAD}{}",
        CHANGES.replace("KEY", "carried").replace("OTHER", "y")
    );
    let first = run(
        &yaml,
        Options {
            approvals: vec!["contain"],
            ..Options::default()
        },
    );
    let sha = first
        .events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::ApprovalGranted {
                step,
                preview_sha256,
                ..
            } if step == "contain" => Some(preview_sha256.clone()),
            _ => None,
        })
        .unwrap();
    // Approved earlier, not made (say the run stopped before it started): same preview.
    let mut prior = Prior::default();
    prior.approvals.insert("contain".into(), sha);
    let same = run(
        &yaml,
        Options {
            prior: prior.clone(),
            ..Options::default()
        },
    );
    assert_eq!(same.result.finals["contain"], Final::Succeeded);
    assert!(
        same.events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::ApprovalGranted { via, .. } if via == "resume"))
    );
    // A different change (another value) is not covered by that approval.
    let changed = run(
        &yaml.replace("inactive", "deleted"),
        Options {
            prior,
            ..Options::default()
        },
    );
    assert_eq!(changed.result.finals["contain"], Final::Waiting);
}

#[test]
fn completed_steps_are_reused_on_resume() {
    let yaml = format!(
        "{HEAD}  - {{id: once, phase: detection, title: X, action: test.fail, with: {{key: once-only, times: 0}}}}\n"
    );
    let mut prior = Prior::default();
    prior
        .outputs
        .insert("once".into(), serde_json::json!({"attempts": 1}));
    let ran = run(
        &yaml,
        Options {
            prior,
            ..Options::default()
        },
    );
    assert_eq!(
        attempts("once-only"),
        0,
        "a completed step is not run again"
    );
    assert_eq!(ran.result.finals["once"], Final::Reused);
}

#[test]
fn evidence_is_durable_read_only_named_and_redacted() {
    let ran = run(
        &format!(
            "{HEAD}  - {{id: grab, phase: detection, title: X, action: test.evidence, with: {{count: 2}}}}\n"
        ),
        Options::default(),
    );
    let file = ran
        .case
        .root
        .join("evidence/grab/1-sts.AssumeRole-us-east-1.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains("s3cr3t") && !text.contains("t0k3n"),
        "{text}"
    );
    assert!(text.contains("[REDACTED]"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o222,
        0,
        "read-only"
    );
    assert!(
        ran.case
            .root
            .join("evidence/grab/2-sts.AssumeRole-us-east-1.json")
            .exists()
    );
    let recorded: Vec<_> = ran
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::EvidenceRecorded { file, redacted, .. } => {
                Some((file.clone(), redacted.clone()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        recorded[0],
        (
            "evidence/grab/1-sts.AssumeRole-us-east-1.json".into(),
            vec!["/Credentials".to_owned()]
        )
    );
    // Outputs are journalled, and redacted too, with the redaction on record.
    assert_eq!(ran.output("grab")["SessionToken"], "[REDACTED]");
    let succeeded = ran
        .events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::StepSucceeded { step, .. } if step == "grab"))
        .unwrap();
    assert_eq!(succeeded.redactions, ["/output/SessionToken"]);
    let journal = std::fs::read_to_string(ran.case.journal_path()).unwrap();
    assert!(!journal.contains("s3cr3t") && !journal.contains("leak"));
    // Read back from the journal, the redactions are still on record.
    let read = irp::evidence::journal::read(&ran.case.journal_path()).unwrap();
    let back: Vec<_> = read.events().cloned().collect();
    assert!(back.iter().any(|e| matches!(&e.kind, EventKind::EvidenceRecorded { redacted, .. } if redacted == &["/Credentials"])));
    assert!(
        back.iter()
            .any(|e| matches!(&e.kind, EventKind::StepSucceeded { .. })
                && e.redactions == ["/output/SessionToken"])
    );
    let _ = testkit::catalog();
}

#[test]
fn evidence_that_cannot_be_recorded_fails_the_step_and_the_run_is_incomplete() {
    let ran = run(
        &format!(
            "{HEAD}  - {{id: grab, phase: detection, title: X, action: test.evidence, with: {{count: 1}}}}\n  - {{id: free, phase: detection, title: X, action: test.sleep, with: {{ms: 1}}}}\n"
        ),
        Options {
            // A file where the step's evidence folder must go: every write there fails.
            before_run: Some(|case| {
                std::fs::write(case.root.join("evidence/grab"), "in the way").unwrap()
            }),
            ..Options::default()
        },
    );
    assert_eq!(ran.result.finals["grab"], Final::Failed);
    assert_eq!(ran.result.outcome, Outcome::Incomplete);
    let failed = ran.events.iter().any(|e| matches!(&e.kind, EventKind::StepFailed { step, error } if step == "grab" && error.message.contains("the case could not record this")));
    assert!(failed, "{:#?}", ran.events);
}

#[test]
fn a_change_that_timed_out_is_uncertain_and_not_repeated_without_a_new_approval() {
    let yaml = format!(
        "{HEAD}  - {{id: contain, phase: containment, title: X, action: test.change, timeout: 50ms, with: {{key: slowchange, delay_ms: 2000}}}}\n"
    );
    let first = run(
        &yaml,
        Options {
            approvals: vec!["contain"],
            ..Options::default()
        },
    );
    // The change was applied before the timeout fired, or not: either way it is uncertain.
    assert_eq!(first.result.finals["contain"], Final::Uncertain);
    let prior = Prior::from_events(&first.events);
    assert!(
        prior.approvals.is_empty(),
        "a started change's approval does not carry over"
    );
    let before = changes("slowchange");
    let again = run(
        &yaml,
        Options {
            prior,
            ..Options::default()
        },
    );
    assert_eq!(
        changes("slowchange"),
        before,
        "not repeated without a new --approve"
    );
    assert_eq!(again.result.finals["contain"], Final::Uncertain);
}

#[test]
fn a_dependant_that_reads_a_skipped_steps_output_is_skipped_not_failed() {
    let ran = run(
        &format!(
            "{HEAD}
  - {{id: scan, phase: detection, title: X, when: \"{{{{ false }}}}\", action: test.sleep, with: {{ms: 1}}}}
  - {{id: reads_it, phase: detection, title: X, needs: [scan], action: test.sleep, with: {{ms: 1, tag: \"{{{{ steps.scan.output.tag }}}}\"}}}}
  - {{id: ignores_it, phase: detection, title: X, needs: [scan], action: test.sleep, with: {{ms: 1}}}}
"
        ),
        Options::default(),
    );
    assert_eq!(
        ran.result.finals["reads_it"],
        Final::Skipped(SkipReason::NoOutput {
            need: "scan".into()
        })
    );
    assert_eq!(ran.result.finals["ignores_it"], Final::Succeeded);
    assert_eq!(ran.result.outcome, Outcome::Succeeded);
}
