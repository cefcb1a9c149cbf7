//! Runs the runner in-process with actions registered only here: sleeps that report when
//! they ran, failures, a flaky read, a change that counts its executions, and an action that
//! records evidence (with a secret in it).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use irp::event::{Consumer, EventKind, Mode, RunEvent};
use irp::evidence::case::{Case, CaseInfo, PlaybookRef};
use irp::evidence::recorder::Recorder;
use irp::exec::answers::AnswerFile;
use irp::exec::emitter::Emitter;
use irp::exec::prior::Prior;
use irp::exec::prompt::Nobody;
use irp::exec::runner::{self, RunResult, Settings, Stop};
use irp::playbook::model::Playbook;
use irp::playbook::resolve::check_with;
use irp::playbook::source::SourceFile;

#[path = "../support/actions.rs"]
mod actions;
pub use actions::*;

pub fn load(yaml: &str) -> Playbook {
    let checked = check_with(&SourceFile::new("test.yaml", yaml), &catalog());
    checked
        .playbook
        .unwrap_or_else(|| panic!("test playbook invalid: {:#?}", checked.diagnostics))
}

#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<RunEvent>>>);

impl Consumer for Captured {
    fn event(&mut self, event: &RunEvent) {
        self.0.lock().unwrap().push(event.clone());
    }
}

impl Captured {
    pub fn events(&self) -> Vec<RunEvent> {
        self.0.lock().unwrap().clone()
    }
}

pub struct Options {
    /// Done to the new case before the run (to break it, say).
    pub before_run: Option<fn(&Case)>,
    pub approvals: Vec<&'static str>,
    pub prior: Prior,
    pub mode: Mode,
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            before_run: None,
            approvals: Vec::new(),
            prior: Prior::default(),
            mode: Mode::Run,
            concurrency: 8,
        }
    }
}

pub struct Ran {
    pub result: RunResult,
    pub events: Vec<RunEvent>,
    pub case: Case,
    pub _dir: tempfile::TempDir,
}

impl Ran {
    pub fn output(&self, step: &str) -> serde_json::Value {
        self.events
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::StepSucceeded { step: s, output } if s == step => Some(output.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{step} did not succeed: {:#?}", self.events))
    }

    pub fn kinds(&self, step: &str) -> Vec<&'static str> {
        self.events
            .iter()
            .filter(|e| e.kind.step() == Some(step))
            .map(|e| kind_name(&e.kind))
            .collect()
    }
}

pub fn kind_name(kind: &EventKind) -> &'static str {
    let json = serde_json::to_value(kind).unwrap();
    let name = json["event"].as_str().unwrap().to_owned();
    Box::leak(name.into_boxed_str())
}

/// Runs a playbook in a new case in a temporary folder; the case is sealed as `irp run`
/// seals it.
pub fn run(yaml: &str, options: Options) -> Ran {
    let playbook = load(yaml);
    let dir = tempfile::tempdir().unwrap();
    let info = CaseInfo {
        id: irp::evidence::case::new_id(&playbook.id),
        playbook: PlaybookRef {
            id: playbook.id.clone(),
            sha256: playbook.sha256.clone(),
            source: "test.yaml".into(),
        },
        tool_version: "test".into(),
        mode: options.mode,
        operator: "tester".into(),
        accounts: vec![],
        regions: vec![],
        inputs: Default::default(),
        created_at: irp::event::now(),
    };
    let case = Case::create(dir.path(), info, yaml).unwrap();
    let recorder = Recorder::create(&case).unwrap();
    if let Some(before) = options.before_run {
        before(&case);
    }
    let captured = Captured::default();
    let emitter = Arc::new(Emitter::new(
        Some(recorder),
        vec![Box::new(captured.clone())],
    ));
    emitter
        .emit(EventKind::RunStarted {
            case: case.info.id.clone(),
            playbook: playbook.id.clone(),
            playbook_sha256: playbook.sha256.clone(),
            case_sha256: case.sha256_of("case.json").unwrap(),
            mode: options.mode,
            operator: "tester".into(),
            tool_version: "test".into(),
            inputs: Default::default(),
            resumed: false,
        })
        .unwrap();
    let settings = Settings {
        mode: options.mode,
        concurrency: options.concurrency,
        approvals: options
            .approvals
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>(),
        answers: AnswerFile::default(),
        selected: None,
        operator: "tester".into(),
        default_timeout: Duration::from_secs(30),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let result = runtime.block_on(runner::run(
        playbook.clone(),
        Default::default(),
        settings,
        options.prior,
        Arc::clone(&emitter),
        Arc::new(Nobody),
        Arc::new(Stop::default()),
    ));
    let _ = irp::cli::run::seal(&case, &playbook);
    Ran {
        result,
        events: captured.events(),
        case,
        _dir: dir,
    }
}
