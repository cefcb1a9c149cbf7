//! Runs the runner in-process with actions registered only here: sleeps that report when
//! they ran, failures, a flaky read, a change that counts its executions, and an action that
//! records evidence (with a secret in it).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use irp::action::catalog::{Action, ActionDecl, CATALOG, Effect};
use irp::action::context::ActionContext;
use irp::event::{Consumer, EventKind, Mode, RunEvent, StepError};
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
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

fn millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SleepParams {
    pub ms: u64,
    #[serde(default)]
    pub tag: String,
}

pub struct Sleep;
impl Action for Sleep {
    const NAME: &'static str = "test.sleep";
    const SUMMARY: &'static str = "sleeps and says when it ran";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[];
    const OUTPUTS: &'static [&'static str] = &["started", "ended", "tag"];
    type Params = SleepParams;
    fn preview(p: &SleepParams) -> String {
        format!("sleep {} ms", p.ms)
    }
    async fn execute(_: ActionContext, p: SleepParams) -> Result<serde_json::Value, StepError> {
        let started = millis();
        tokio::time::sleep(Duration::from_millis(p.ms)).await;
        Ok(serde_json::json!({ "started": started, "ended": millis(), "tag": p.tag }))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FailParams {
    #[serde(default)]
    pub retryable: bool,
    /// Fail this many times, then succeed (0: always fail).
    #[serde(default)]
    pub times: u32,
    pub key: String,
}

pub static ATTEMPTS: Mutex<Option<HashMap<String, u32>>> = Mutex::new(None);

pub fn attempts(key: &str) -> u32 {
    ATTEMPTS
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .get(key)
        .copied()
        .unwrap_or(0)
}

pub struct Fail;
impl Action for Fail {
    const NAME: &'static str = "test.fail";
    const SUMMARY: &'static str = "fails, maybe retryably, maybe only at first";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[];
    const OUTPUTS: &'static [&'static str] = &["attempts"];
    type Params = FailParams;
    fn preview(_: &FailParams) -> String {
        "fail".into()
    }
    async fn execute(_: ActionContext, p: FailParams) -> Result<serde_json::Value, StepError> {
        let n = {
            let mut guard = ATTEMPTS.lock().unwrap();
            let map = guard.get_or_insert_with(HashMap::new);
            let n = map.entry(p.key.clone()).or_default();
            *n += 1;
            *n
        };
        if p.times == 0 || n <= p.times {
            Err(StepError {
                service: Some("ec2".into()),
                operation: Some("DescribeVpcs".into()),
                code: Some(
                    if p.retryable {
                        "Throttling"
                    } else {
                        "UnauthorizedOperation"
                    }
                    .into(),
                ),
                request_id: Some(format!("req-{n}")),
                retryable: p.retryable,
                ..StepError::new("the test says no")
            })
        } else {
            Ok(serde_json::json!({ "attempts": n }))
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChangeParams {
    pub key: String,
    #[serde(default)]
    pub value: String,
    /// How long the call takes before the change is made.
    #[serde(default)]
    pub delay_ms: u64,
}

pub static CHANGES: Mutex<Option<HashMap<String, u32>>> = Mutex::new(None);

pub fn changes(key: &str) -> u32 {
    CHANGES
        .lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .get(key)
        .copied()
        .unwrap_or(0)
}

pub struct Change;
impl Action for Change {
    const NAME: &'static str = "test.change";
    const SUMMARY: &'static str = "a change that counts how often it is made";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &[];
    const IAM_CHANGES: &'static [&'static str] = &["test:Change"];
    const OUTPUTS: &'static [&'static str] = &["made"];
    type Params = ChangeParams;
    fn preview(p: &ChangeParams) -> String {
        format!("change {} to {:?}", p.key, p.value)
    }
    async fn execute(_: ActionContext, p: ChangeParams) -> Result<serde_json::Value, StepError> {
        tokio::time::sleep(Duration::from_millis(p.delay_ms)).await;
        *CHANGES
            .lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .entry(p.key)
            .or_default() += 1;
        Ok(serde_json::json!({ "made": true }))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceParams {
    pub count: u32,
}

pub struct Evidence;
impl Action for Evidence {
    const NAME: &'static str = "test.evidence";
    const SUMMARY: &'static str = "records evidence files";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[];
    const OUTPUTS: &'static [&'static str] = &["files"];
    type Params = EvidenceParams;
    fn preview(p: &EvidenceParams) -> String {
        format!("record {} files", p.count)
    }
    async fn execute(
        ctx: ActionContext,
        p: EvidenceParams,
    ) -> Result<serde_json::Value, StepError> {
        for i in 0..p.count {
            ctx.record(
                "sts",
                "AssumeRole",
                Some("us-east-1"),
                serde_json::json!({ "i": i, "Credentials": { "AccessKeyId": "ASIATEST", "SecretAccessKey": "s3cr3t", "SessionToken": "t0k3n" } }),
            )?;
        }
        Ok(serde_json::json!({ "files": p.count, "SessionToken": "leak" }))
    }
}

static SLEEP: ActionDecl = ActionDecl::of::<Sleep>();
static FAIL: ActionDecl = ActionDecl::of::<Fail>();
static CHANGE: ActionDecl = ActionDecl::of::<Change>();
static EVIDENCE: ActionDecl = ActionDecl::of::<Evidence>();

pub fn catalog() -> Vec<&'static ActionDecl> {
    CATALOG
        .iter()
        .chain([&SLEEP, &FAIL, &CHANGE, &EVIDENCE])
        .collect()
}

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
