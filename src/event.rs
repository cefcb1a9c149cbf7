//! `RunEvent`: the one contract between the runner, the reporters and the case recorder.
//!
//! The runner emits events; the terminal reporter, the JSON output and the recorder consume
//! them. The recorder writes each event as one journal line, so an event is also what a case
//! remembers: resuming a case is reading its events back.

use serde::{Deserialize, Serialize};

/// A moment, as RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEvent {
    pub at: String,
    #[serde(flatten)]
    pub kind: EventKind,
    /// Where secrets were replaced in this event (JSON pointers into it), so that the
    /// redaction itself is on record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redactions: Vec<String>,
}

impl RunEvent {
    pub fn new(kind: EventKind) -> Self {
        Self {
            at: now(),
            kind,
            redactions: Vec::new(),
        }
    }
}

/// How a run treats the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The tabletop walkthrough: no AWS call at all.
    DryRun,
    /// The incident: reads run, changes run after approval.
    Run,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::DryRun => "dry_run",
            Mode::Run => "run",
        }
    }
}

/// Why a step did not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum SkipReason {
    /// Its `when` was false.
    Condition { when: String },
    /// A step it needs failed or was skipped for that reason.
    Dependency { need: String },
    /// It reads the output of a step that has none (skipped by its condition, or failed
    /// with `on_failure: continue`).
    NoOutput { need: String },
    /// Not among `--only` / `--phase` (or what they need).
    NotSelected,
    /// Declined at the approval prompt.
    Declined,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Condition { when } => write!(f, "its condition is false: {when}"),
            SkipReason::Dependency { need } => write!(f, "`{need}` did not succeed"),
            SkipReason::NoOutput { need } => {
                write!(f, "it reads the output of `{need}`, which has none")
            }
            SkipReason::NotSelected => f.write_str("not selected"),
            SkipReason::Declined => f.write_str("declined at the approval prompt"),
        }
    }
}

/// A failed step's error, with what AWS said where AWS said it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepError {
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Whether trying again may succeed (throttling, a timeout).
    #[serde(default)]
    pub retryable: bool,
}

impl StepError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            service: None,
            operation: None,
            code: None,
            request_id: None,
            retryable: false,
        }
    }
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let (Some(service), Some(operation)) = (&self.service, &self.operation) {
            write!(f, "{service}.{operation}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request {id}]")?;
        }
        Ok(())
    }
}

/// An answer a responder gave to a manual step's question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub question: String,
    pub answer: String,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Succeeded,
    Failed,
    /// A step waits for an approval or for answers.
    Waiting,
    Interrupted,
    /// Evidence could not be recorded.
    Incomplete,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::Waiting => "waiting",
            Outcome::Interrupted => "interrupted",
            Outcome::Incomplete => "incomplete",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum EventKind {
    /// A run (or a resumed part of one) begins.
    RunStarted {
        case: String,
        playbook: String,
        playbook_sha256: String,
        /// sha256 of `case.json`, which is written once when the case is created.
        case_sha256: String,
        mode: Mode,
        operator: String,
        tool_version: String,
        inputs: serde_json::Map<String, serde_json::Value>,
        resumed: bool,
    },
    StepStarted {
        step: String,
        attempt: u32,
    },
    /// What a step would do, as the dry run shows it.
    StepPreviewed {
        step: String,
        params: serde_json::Value,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        preview: Option<String>,
        /// Why there is no preview before the run.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pending: Option<String>,
        approval_needed: bool,
    },
    /// A change step waits for an approval of this preview.
    ApprovalRequested {
        step: String,
        /// The exact parameters the change will be made with (the preview may shorten them).
        params: serde_json::Value,
        preview: String,
        preview_sha256: String,
    },
    ApprovalGranted {
        step: String,
        operator: String,
        preview_sha256: String,
        /// `prompt` (typed at the terminal), `flag` (`--approve`), or `resume` (granted for
        /// the same preview before the run stopped, and never started).
        via: String,
    },
    /// A change is about to be made; if no outcome follows, it may or may not have been.
    ChangeStarted {
        step: String,
        preview_sha256: String,
    },
    /// A manual step waits for answers that no terminal or `--answers` file gave.
    AnswersRequested {
        step: String,
        questions: Vec<String>,
    },
    StepAnswered {
        step: String,
        answers: Vec<Answer>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        checklist: Vec<String>,
    },
    /// An evidence file is about to be written (its record follows once it is durable).
    EvidencePending {
        step: String,
        file: String,
        /// What the file will hold, so that a file a crash leaves unrecorded can be checked.
        sha256: String,
        bytes: u64,
    },
    /// A file announced by `EvidencePending` and written, whose record a crash cut off:
    /// recorded by the resume that found it.
    EvidenceRecovered {
        step: String,
        file: String,
        sha256: String,
        bytes: u64,
    },
    EvidenceRecorded {
        step: String,
        file: String,
        sha256: String,
        bytes: u64,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        redacted: Vec<String>,
    },
    StepRetrying {
        step: String,
        attempt: u32,
        delay_ms: u64,
        error: StepError,
    },
    StepSucceeded {
        step: String,
        output: serde_json::Value,
    },
    StepFailed {
        step: String,
        error: StepError,
    },
    StepSkipped {
        step: String,
        #[serde(flatten)]
        reason: SkipReason,
    },
    /// A step whose change started before a crash: it is not repeated without a new approval.
    StepUncertain {
        step: String,
        message: String,
    },
    /// A resume cut off a torn last journal line (a crash while writing it).
    TornLineDiscarded {
        bytes: u64,
        sha256: String,
    },
    /// The first Ctrl-C: no new step starts.
    Interrupted {},
    RunFinished {
        outcome: Outcome,
    },
}

impl EventKind {
    /// The step the event is about, if any.
    pub fn step(&self) -> Option<&str> {
        use EventKind::*;
        match self {
            StepStarted { step, .. }
            | StepPreviewed { step, .. }
            | ApprovalRequested { step, .. }
            | ApprovalGranted { step, .. }
            | ChangeStarted { step, .. }
            | AnswersRequested { step, .. }
            | StepAnswered { step, .. }
            | EvidenceRecorded { step, .. }
            | EvidencePending { step, .. }
            | EvidenceRecovered { step, .. }
            | StepRetrying { step, .. }
            | StepSucceeded { step, .. }
            | StepFailed { step, .. }
            | StepSkipped { step, .. }
            | StepUncertain { step, .. } => Some(step),
            RunStarted { .. } | TornLineDiscarded { .. } | Interrupted {} | RunFinished { .. } => {
                None
            }
        }
    }
}

/// A consumer of the event stream: the terminal reporter, the JSON output. (The recorder is
/// the first consumer, and the only one whose failure stops the run.)
pub trait Consumer: Send {
    fn event(&mut self, event: &RunEvent);
}
