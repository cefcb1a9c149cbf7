//! `irp case show`: the case's timeline, one line an event.

use std::fmt::Write;

use crate::event::{EventKind, RunEvent};

/// An event in words.
pub fn describe(kind: &EventKind) -> String {
    use EventKind::*;
    match kind {
        RunStarted {
            playbook,
            mode,
            operator,
            resumed,
            ..
        } => format!(
            "{} {playbook} ({}) by {operator}",
            if *resumed { "resumed" } else { "started" },
            mode.as_str()
        ),
        StepStarted { attempt, .. } if *attempt > 1 => format!("started (attempt {attempt})"),
        StepStarted { .. } => "started".into(),
        StepPreviewed {
            preview,
            approval_needed,
            ..
        } => format!(
            "would {}{}",
            preview
                .as_deref()
                .unwrap_or("run with parameters known only at run time"),
            if *approval_needed {
                " (needs approval)"
            } else {
                ""
            }
        ),
        ApprovalRequested { preview, .. } => format!("waits for approval: {preview}"),
        ApprovalGranted { operator, via, .. } => format!("approved by {operator} ({via})"),
        ChangeStarted { .. } => "change started".into(),
        AnswersRequested { questions, .. } => format!("waits for {} answer(s)", questions.len()),
        StepAnswered { answers, .. } => format!("answered {} question(s)", answers.len()),
        EvidenceRecorded {
            file,
            bytes,
            redacted,
            ..
        } => format!(
            "recorded {file} ({bytes} bytes{})",
            if redacted.is_empty() {
                String::new()
            } else {
                format!(", {} value(s) redacted", redacted.len())
            }
        ),
        EvidencePending { file, .. } => format!("writing {file}"),
        EvidenceRecovered { file, bytes, .. } => {
            format!("recovered {file} ({bytes} bytes), written before a crash cut off its record")
        }
        StepRetrying {
            attempt,
            delay_ms,
            error,
            ..
        } => format!("retrying (attempt {attempt} in {delay_ms} ms): {error}"),
        StepSucceeded { .. } => "succeeded".into(),
        StepFailed { error, .. } => format!("failed: {error}"),
        StepSkipped { reason, .. } => format!("skipped: {reason}"),
        StepUncertain { message, .. } => format!("uncertain: {message}"),
        TornLineDiscarded { bytes, .. } => {
            format!("a torn journal line of {bytes} bytes was cut off")
        }
        Interrupted {} => "interrupted: no new step starts".into(),
        RunFinished { outcome } => format!("finished: {}", outcome.as_str()),
    }
}

pub fn render(events: &[RunEvent]) -> String {
    let mut out = String::new();
    for event in events {
        let _ = writeln!(
            out,
            "{}  {:24}  {}",
            event.at,
            event.kind.step().unwrap_or("-"),
            describe(&event.kind)
        );
    }
    out
}
