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
        let event = redacted(RunEvent::new(kind));
        let mut inner = self
            .inner
            .lock()
            .expect("the emitter lock is never poisoned");
        inner.send(&event)
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
fn redacted(event: RunEvent) -> RunEvent {
    let mut value = serde_json::to_value(&event).expect("events serialize");
    let pointers = redact(&mut value);
    if pointers.is_empty() {
        return event;
    }
    match serde_json::from_value::<RunEvent>(value) {
        Ok(mut clean) => {
            clean.redacted = pointers;
            clean
        }
        // A secret-named key where the event's own structure is: say what it was, not it.
        Err(_) => RunEvent {
            redacted: pointers,
            ..RunEvent::new(EventKind::StepFailed {
                step: event.kind.step().unwrap_or_default().to_owned(),
                error: StepError::new(
                    "an event held a secret where irp could not redact it; it was not recorded",
                ),
            })
        },
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
