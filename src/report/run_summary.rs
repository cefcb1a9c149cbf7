//! A run as its journal tells it: each step's final state, the changes made with their
//! approvals, the answers given. `report`, `case show` and the Mermaid graph read this.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::event::{Answer, EventKind, Outcome, RunEvent, SkipReason, StepError};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum StepState {
    NotRun,
    /// Started and never finished: the run stopped during it.
    Interrupted,
    Succeeded,
    Failed {
        error: StepError,
    },
    Skipped {
        reason: String,
    },
    AwaitingApproval {
        preview: String,
    },
    AwaitingAnswers,
    /// A change started and its outcome is not recorded.
    Uncertain,
    /// Shown in a dry run.
    Previewed,
}

impl StepState {
    pub fn name(&self) -> &'static str {
        match self {
            StepState::NotRun => "not run",
            StepState::Interrupted => "interrupted",
            StepState::Succeeded => "succeeded",
            StepState::Failed { .. } => "failed",
            StepState::Skipped { .. } => "skipped",
            StepState::AwaitingApproval { .. } => "awaiting approval",
            StepState::AwaitingAnswers => "awaiting answers",
            StepState::Uncertain => "uncertain",
            StepState::Previewed => "previewed",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub step: String,
    pub preview: String,
    /// The exact parameters approved.
    pub params: serde_json::Value,
    pub preview_sha256: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub approved_via: Option<String>,
    pub started_at: Option<String>,
    pub result: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct RunSummary {
    pub states: BTreeMap<String, StepState>,
    pub changes: Vec<Change>,
    pub answers: BTreeMap<String, Vec<Answer>>,
    pub outcome: Option<Outcome>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub runs: usize,
    pub evidence_files: usize,
}

impl RunSummary {
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a RunEvent>) -> Self {
        let mut s = RunSummary::default();
        // Every approval is kept, in order; `latest` points at each step's last one.
        let mut changes: Vec<Change> = Vec::new();
        let mut latest: BTreeMap<String, usize> = BTreeMap::new();
        let mut previews: BTreeMap<String, (String, serde_json::Value)> = BTreeMap::new();
        for event in events {
            let kind = &event.kind;
            let state = |s: &mut RunSummary, step: &str, state: StepState| {
                s.states.insert(step.to_owned(), state);
            };
            match kind {
                EventKind::RunStarted { .. } => {
                    s.runs += 1;
                    s.started_at.get_or_insert_with(|| event.at.clone());
                    s.outcome = None;
                }
                EventKind::StepStarted { step, .. } => state(&mut s, step, StepState::Interrupted),
                EventKind::StepPreviewed { step, .. } => state(&mut s, step, StepState::Previewed),
                EventKind::ApprovalRequested {
                    step,
                    params,
                    preview,
                    ..
                } => {
                    previews.insert(step.clone(), (preview.clone(), params.clone()));
                    state(
                        &mut s,
                        step,
                        StepState::AwaitingApproval {
                            preview: preview.clone(),
                        },
                    );
                }
                EventKind::ApprovalGranted {
                    step,
                    operator,
                    preview_sha256,
                    via,
                } => {
                    let (preview, params) = previews.get(step).cloned().unwrap_or_default();
                    latest.insert(step.clone(), changes.len());
                    changes.push(Change {
                        step: step.clone(),
                        preview,
                        params,
                        preview_sha256: preview_sha256.clone(),
                        approved_by: Some(operator.clone()),
                        approved_at: Some(event.at.clone()),
                        approved_via: Some(via.clone()),
                        started_at: None,
                        result: "approved, not started".into(),
                    });
                    state(&mut s, step, StepState::Interrupted);
                }
                EventKind::ChangeStarted { step, .. } => {
                    if let Some(c) = latest.get(step).map(|&i| &mut changes[i]) {
                        c.started_at = Some(event.at.clone());
                        c.result = "started, outcome not recorded".into();
                    }
                    state(&mut s, step, StepState::Uncertain);
                }
                EventKind::AnswersRequested { step, .. } => {
                    state(&mut s, step, StepState::AwaitingAnswers)
                }
                EventKind::StepAnswered { step, answers, .. } => {
                    s.answers.insert(step.clone(), answers.clone());
                }
                EventKind::EvidenceRecorded { .. } | EventKind::EvidenceRecovered { .. } => {
                    s.evidence_files += 1
                }
                EventKind::EvidencePending { .. } => {}
                EventKind::StepSucceeded { step, .. } => {
                    if s.states.get(step) != Some(&StepState::Previewed) {
                        state(&mut s, step, StepState::Succeeded);
                    }
                    if let Some(c) = latest.get(step).map(|&i| &mut changes[i]) {
                        c.result = "made".into();
                    }
                }
                EventKind::StepFailed { step, error } => {
                    if let Some(c) = latest.get(step).map(|&i| &mut changes[i]) {
                        c.result = format!("failed: {error}");
                    }
                    state(
                        &mut s,
                        step,
                        StepState::Failed {
                            error: error.clone(),
                        },
                    );
                }
                EventKind::StepSkipped { step, reason } => {
                    // A resumed run lists steps done earlier as not selected; keep what they were.
                    if *reason == SkipReason::NotSelected && s.states.contains_key(step) {
                        continue;
                    }
                    state(
                        &mut s,
                        step,
                        StepState::Skipped {
                            reason: reason.to_string(),
                        },
                    );
                }
                EventKind::StepUncertain { step, .. } => state(&mut s, step, StepState::Uncertain),
                EventKind::RunFinished { outcome } => {
                    s.outcome = Some(*outcome);
                    s.finished_at = Some(event.at.clone());
                }
                EventKind::StepRetrying { .. }
                | EventKind::TornLineDiscarded { .. }
                | EventKind::Interrupted {} => {}
            }
        }
        s.changes = changes;
        s
    }

    pub fn state(&self, step: &str) -> &StepState {
        self.states.get(step).unwrap_or(&StepState::NotRun)
    }
}
