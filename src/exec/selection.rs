//! `--only STEP` and `--phase PHASE`: a part of the graph, with what it needs.

use std::collections::BTreeSet;

use crate::playbook::diagnostics::did_you_mean;
use crate::playbook::model::{Phase, Playbook};

#[derive(Debug, thiserror::Error)]
#[error("`--only {step}`: no such step{}", .help.as_deref().map(|h| format!("; {h}")).unwrap_or_default())]
pub struct UnknownStep {
    pub step: String,
    pub help: Option<String>,
}

/// The steps to run: those named or in the phases named, and every step they need. `None`
/// when neither was given (the whole playbook).
pub fn select(
    playbook: &Playbook,
    only: &[String],
    phases: &[Phase],
) -> Result<Option<BTreeSet<String>>, UnknownStep> {
    if only.is_empty() && phases.is_empty() {
        return Ok(None);
    }
    let mut todo: Vec<String> = Vec::new();
    for id in only {
        if playbook.step(id).is_none() {
            return Err(UnknownStep {
                step: id.clone(),
                help: did_you_mean(id, playbook.steps.iter().map(|s| s.id.as_str())),
            });
        }
        todo.push(id.clone());
    }
    todo.extend(
        playbook
            .steps
            .iter()
            .filter(|s| phases.contains(&s.phase))
            .map(|s| s.id.clone()),
    );
    let mut selected = BTreeSet::new();
    while let Some(id) = todo.pop() {
        if selected.insert(id.clone()) {
            todo.extend(
                playbook
                    .step(&id)
                    .map(|s| s.needs.clone())
                    .unwrap_or_default(),
            );
        }
    }
    Ok(Some(selected))
}
