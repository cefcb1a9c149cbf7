//! What a case already holds, read back from its journal for `--resume`.

use std::collections::{BTreeMap, BTreeSet};

use crate::event::{EventKind, RunEvent};

#[derive(Debug, Default, Clone)]
pub struct Prior {
    /// Steps that succeeded, with their outputs: not run again.
    pub outputs: BTreeMap<String, serde_json::Value>,
    /// Steps skipped because their condition was false: done, not run again.
    pub condition_skipped: BTreeSet<String>,
    /// Approvals granted, by step, with the sha256 of the preview approved.
    pub approvals: BTreeMap<String, String>,
    /// Changes that started and have no outcome: the crash may have come before or after
    /// the change was made.
    pub uncertain: BTreeSet<String>,
    pub inputs: serde_json::Map<String, serde_json::Value>,
}

impl Prior {
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a RunEvent>) -> Self {
        let mut prior = Prior::default();
        let mut started_changes: BTreeSet<String> = BTreeSet::new();
        for event in events {
            match &event.kind {
                // The first run's inputs (a case from before case.json kept them).
                EventKind::RunStarted {
                    inputs,
                    resumed: false,
                    ..
                } => {
                    prior.inputs = inputs.clone();
                }
                EventKind::StepSucceeded { step, output } => {
                    started_changes.remove(step);
                    prior.uncertain.remove(step);
                    prior.outputs.insert(step.clone(), output.clone());
                }
                EventKind::StepFailed { step, .. } => {
                    // A change that fails with an error was answered by AWS: not uncertain.
                    started_changes.remove(step);
                    prior.uncertain.remove(step);
                }
                EventKind::StepSkipped { step, reason } => {
                    if matches!(reason, crate::event::SkipReason::Condition { .. }) {
                        prior.condition_skipped.insert(step.clone());
                    }
                }
                EventKind::ApprovalGranted {
                    step,
                    preview_sha256,
                    ..
                } => {
                    prior.approvals.insert(step.clone(), preview_sha256.clone());
                }
                EventKind::ChangeStarted { step, .. } => {
                    // An approval covers one attempt: once a change started, whatever came of
                    // it, repeating it needs a new approval.
                    prior.approvals.remove(step);
                    started_changes.insert(step.clone());
                }
                EventKind::StepUncertain { step, .. } => {
                    prior.uncertain.insert(step.clone());
                }
                _ => {}
            }
        }
        prior.uncertain.extend(started_changes);
        prior
    }
}
