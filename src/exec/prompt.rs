//! How the runner asks a person: manual steps' questions and change approvals. The terminal
//! implementation lives in the CLI; without a terminal nothing can be asked.

use crate::event::Answer;
use crate::playbook::model::Step;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The responder typed the step id.
    Approve,
    /// The responder chose to skip the change.
    Decline,
    /// Nobody to ask.
    Unavailable,
}

/// Blocking prompts, called from a blocking thread; an implementation asks one at a time.
pub trait Prompter: Send + Sync {
    /// Asks a manual step's questions; `None` when there is nobody to ask.
    fn answers(&self, step: &Step) -> Option<Vec<Answer>>;
    /// Shows a change's preview and its exact parameters, and asks for the step id as
    /// approval.
    fn approve(&self, step: &Step, params: &serde_json::Value, preview: &str) -> Decision;
}

/// No terminal: nothing can be asked.
pub struct Nobody;

impl Prompter for Nobody {
    fn answers(&self, _: &Step) -> Option<Vec<Answer>> {
        None
    }
    fn approve(&self, _: &Step, _: &serde_json::Value, _: &str) -> Decision {
        Decision::Unavailable
    }
}
