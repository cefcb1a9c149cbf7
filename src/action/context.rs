//! What an action may use while it runs: the step it runs for, the mode, and the sink that
//! records its evidence (durably, before the event that names it).

use std::sync::Arc;

use crate::event::{Mode, StepError};
use crate::evidence::recorder::Evidence;

/// Where actions send what they record; the runner's event fan-out implements it.
pub trait Sink: Send + Sync {
    /// Writes an evidence file and journals it. An error means the case could not record it:
    /// the step must fail.
    fn evidence(&self, evidence: Evidence<'_>) -> Result<(), StepError>;
}

#[derive(Clone)]
pub struct ActionContext {
    pub step: String,
    pub mode: Mode,
    pub sink: Arc<dyn Sink>,
}

impl ActionContext {
    pub fn record(
        &self,
        service: &str,
        operation: &str,
        region: Option<&str>,
        body: serde_json::Value,
    ) -> Result<(), StepError> {
        self.sink.evidence(Evidence {
            step: &self.step,
            service,
            operation,
            region,
            body,
        })
    }
}
