//! The actions registered only in tests: sleeps that report when they ran, failures, a
//! flaky read, a change that counts its executions (in memory, and in a log file when given
//! one, for runs in another process), and an action that records evidence with a secret in
//! it. Shared by the in-process tests (`tests/integration/testkit.rs`) and the test harness
//! binary (`tests/support/harness.rs`).

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use irp::action::catalog::{Action, ActionDecl, CATALOG, Effect};
use irp::action::context::ActionContext;
use irp::event::StepError;
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

/// How many times something happened, by key, across the tests of one process.
pub struct Counter(Mutex<Option<HashMap<String, u32>>>);

impl Counter {
    const fn new() -> Self {
        Self(Mutex::new(None))
    }

    pub fn get(&self, key: &str) -> u32 {
        let mut guard = self.0.lock().unwrap();
        guard
            .get_or_insert_with(HashMap::new)
            .get(key)
            .copied()
            .unwrap_or(0)
    }

    /// Counts one more, and says how many now.
    pub fn bump(&self, key: &str) -> u32 {
        let mut guard = self.0.lock().unwrap();
        let n = guard
            .get_or_insert_with(HashMap::new)
            .entry(key.to_owned())
            .or_default();
        *n += 1;
        *n
    }
}

static ATTEMPTS: Counter = Counter::new();
static CHANGES: Counter = Counter::new();

pub fn attempts(key: &str) -> u32 {
    ATTEMPTS.get(key)
}

pub fn changes(key: &str) -> u32 {
    CHANGES.get(key)
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
        let n = ATTEMPTS.bump(&p.key);
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
    /// A file to which each execution appends a line: counts across processes.
    #[serde(default)]
    pub log: Option<String>,
    #[serde(default)]
    pub value: String,
    /// How long the call takes before the change is made.
    #[serde(default)]
    pub delay_ms: u64,
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
        if let Some(log) = &p.log {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .expect("the change log opens");
            writeln!(file, "{}", p.key).expect("the change log is written");
            file.sync_all().expect("the change log is synced");
            // A kill point of its own: the change is made and not yet recorded.
            irp::evidence::durable::checkpoint();
        }
        CHANGES.bump(&p.key);
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
