//! The event fan-out: each event goes to the case recorder first (durably), then to the
//! reporters. A failure to record is loud: the event's step fails and the run ends
//! incomplete.

use std::sync::Mutex;

use crate::action::context::Sink;
use crate::event::{Consumer, EventKind, RunEvent, StepError};
use crate::evidence::recorder::{Evidence, Recorder};
use crate::evidence::redact::redact;

pub struct Emitter {
    inner: Mutex<Inner>,
}

struct Inner {
    recorder: Option<Recorder>,
    consumers: Vec<Box<dyn Consumer>>,
    /// Set once a write to the case failed.
    record_failure: Option<String>,
}

impl Emitter {
    pub fn new(recorder: Option<Recorder>, consumers: Vec<Box<dyn Consumer>>) -> Self {
        Self {
            inner: Mutex::new(Inner {
                recorder,
                consumers,
                record_failure: None,
            }),
        }
    }

    /// Records an event and shows it; an error when the case could not record it.
    pub fn emit(&self, kind: EventKind) -> Result<(), StepError> {
        let mut inner = self
            .inner
            .lock()
            .expect("the emitter lock is never poisoned");
        match redacted(RunEvent::new(kind)) {
            Ok(event) => inner.send(&event),
            Err(e) => {
                inner
                    .record_failure
                    .get_or_insert_with(|| e.message.clone());
                Err(e)
            }
        }
    }

    pub fn record_failure(&self) -> Option<String> {
        self.inner
            .lock()
            .expect("not poisoned")
            .record_failure
            .clone()
    }
}

impl Inner {
    fn send(&mut self, event: &RunEvent) -> Result<(), StepError> {
        let recorded = match &mut self.recorder {
            Some(recorder) => recorder
                .record(event)
                .map_err(|e| fail(&mut self.record_failure, &e)),
            None => Ok(()),
        };
        for consumer in &mut self.consumers {
            consumer.event(event);
        }
        recorded
    }
}

/// The event with every secret in it replaced: outputs, parameters, previews, errors,
/// inputs and answers all pass here before the journal or a screen sees them.
fn redacted(event: RunEvent) -> Result<RunEvent, StepError> {
    let mut value = serde_json::to_value(&event).expect("events serialize");
    let pointers = redact(&mut value);
    if pointers.is_empty() {
        return Ok(event);
    }
    match serde_json::from_value::<RunEvent>(value) {
        Ok(mut clean) => {
            clean.redactions = pointers;
            Ok(clean)
        }
        // A secret-named key where the event's own structure is: it cannot be recorded
        // without the secret, so it is not recorded, and the run must know.
        Err(_) => Err(StepError::new(
            "an event held a secret where irp could not redact it; it was not recorded",
        )),
    }
}

fn fail(slot: &mut Option<String>, e: &std::io::Error) -> StepError {
    let message = format!("the case could not record this: {e}");
    slot.get_or_insert_with(|| message.clone());
    StepError::new(message)
}

impl Sink for Emitter {
    fn evidence(&self, evidence: Evidence<'_>) -> Result<(), StepError> {
        let mut inner = self.inner.lock().expect("not poisoned");
        let Some(recorder) = inner.recorder.as_mut() else {
            return Ok(());
        };
        let prepared = recorder
            .prepare_evidence(evidence)
            .map_err(|e| fail(&mut inner.record_failure, &e))?;
        inner.send(&prepared.pending)?;
        let recorder = inner.recorder.as_mut().expect("checked above");
        let event = recorder
            .write_evidence(prepared)
            .map_err(|e| fail(&mut inner.record_failure, &e))?;
        inner.send(&event)
    }
}
