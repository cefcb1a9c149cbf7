//! The runner: the only async orchestration in irp. It walks the step graph: a step starts
//! when every step it needs has succeeded (or was skipped by its own condition) and its
//! `when` is true; independent steps run concurrently up to a bound; a failed step skips its
//! dependants while independent branches go on. Everything it does is an event.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::task::JoinSet;

use super::answers::AnswerFile;
use super::emitter::Emitter;
use super::prior::Prior;
use super::prompt::{Decision, Prompter};
use crate::action::catalog::Effect;
use crate::action::context::ActionContext;
use crate::event::{Answer, EventKind, Mode, Outcome, SkipReason, StepError};
use crate::playbook::model::{OnFailure, Playbook, Step};
use crate::playbook::template;

pub struct Settings {
    pub mode: Mode,
    pub concurrency: usize,
    /// Steps approved in advance (`--approve`).
    pub approvals: BTreeSet<String>,
    pub answers: AnswerFile,
    /// The steps to run (`--only`, `--phase`, with what they need); all when `None`.
    pub selected: Option<BTreeSet<String>>,
    pub operator: String,
    /// Limit on a step without a `timeout`.
    pub default_timeout: Duration,
}

/// Set by the CLI's SIGINT handler on the first Ctrl-C. A plain atomic, because a signal
/// handler may do nothing else: the runner reads it before it starts each step.
pub static CTRL_C: AtomicBool = AtomicBool::new(false);

/// A request to stop scheduling: no new step starts; steps in flight finish.
#[derive(Default)]
pub struct Stop(AtomicBool);

impl Stop {
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst) || CTRL_C.load(Ordering::SeqCst)
    }
}

/// How each step ended, as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Final {
    Succeeded,
    Reused,
    Failed,
    Skipped(SkipReason),
    Waiting,
    Uncertain,
    NotRun,
}

#[derive(Debug, Clone, PartialEq)]
enum State {
    Pending,
    Running,
    Succeeded(serde_json::Value),
    /// Skipped; `true` when dependants may still run (its condition was false).
    Skipped(bool),
    Failed(OnFailure),
    Waiting,
    Uncertain,
}

pub struct RunResult {
    pub outcome: Outcome,
    pub finals: BTreeMap<String, Final>,
}

struct Shared {
    playbook: Playbook,
    inputs: serde_json::Map<String, serde_json::Value>,
    settings: Settings,
    prior: Prior,
    emitter: Arc<Emitter>,
    prompter: Arc<dyn Prompter>,
}

/// Runs the playbook (or the selected part) and returns how it ended.
pub async fn run(
    playbook: Playbook,
    inputs: serde_json::Map<String, serde_json::Value>,
    settings: Settings,
    prior: Prior,
    emitter: Arc<Emitter>,
    prompter: Arc<dyn Prompter>,
    stop: Arc<Stop>,
) -> RunResult {
    let shared = Arc::new(Shared {
        playbook,
        inputs,
        settings,
        prior,
        emitter,
        prompter,
    });
    let steps = &shared.playbook.steps;
    let mut states: Vec<State> = vec![State::Pending; steps.len()];
    let mut finals: BTreeMap<String, Final> = BTreeMap::new();
    for (i, step) in steps.iter().enumerate() {
        // Reused outputs are the journalled ones: a secret in an output is never carried
        // across a resume (a later step reads `[REDACTED]`).
        if let Some(output) = shared.prior.outputs.get(&step.id) {
            states[i] = State::Succeeded(output.clone());
            finals.insert(step.id.clone(), Final::Reused);
        } else if shared.prior.condition_skipped.contains(&step.id) {
            states[i] = State::Skipped(true);
            finals.insert(step.id.clone(), Final::Reused);
        } else if shared
            .settings
            .selected
            .as_ref()
            .is_some_and(|s| !s.contains(&step.id))
        {
            states[i] = State::Skipped(false);
            let _ = shared.emitter.emit(EventKind::StepSkipped {
                step: step.id.clone(),
                reason: SkipReason::NotSelected,
            });
            finals.insert(step.id.clone(), Final::Skipped(SkipReason::NotSelected));
        }
    }
    // A dry run walks the steps one by one, in plan order, as a facilitator reads them.
    let limit = match shared.settings.mode {
        Mode::DryRun => 1,
        Mode::Run => shared.settings.concurrency.max(1),
    };
    let mut running: JoinSet<(usize, State, Final)> = JoinSet::new();
    // Ready steps start in plan order: by phase, then in execution order.
    let mut order: Vec<usize> = (0..steps.len()).collect();
    order.sort_by_key(|&i| (steps[i].phase, i));
    let mut announced = false;
    let reads: Vec<BTreeSet<String>> = steps.iter().map(reads).collect();
    loop {
        // Settle what can be settled without running anything, until nothing changes.
        loop {
            let mut changed = false;
            for i in 0..steps.len() {
                if states[i] != State::Pending {
                    continue;
                }
                if let Some(reason) = blocking_need(&shared.playbook, &states, &reads, i) {
                    states[i] = State::Skipped(false);
                    let _ = shared.emitter.emit(EventKind::StepSkipped {
                        step: steps[i].id.clone(),
                        reason: reason.clone(),
                    });
                    finals.insert(steps[i].id.clone(), Final::Skipped(reason));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // A case that cannot record any more is no place to make more calls.
        let stopping = stop.requested() || shared.emitter.record_failure().is_some();
        if stop.requested() && !announced {
            announced = true;
            let _ = shared.emitter.emit(EventKind::Interrupted {});
        }
        if !stopping {
            for &i in &order {
                if running.len() >= limit {
                    break;
                }
                if states[i] == State::Pending && ready(&shared.playbook, &states, i) {
                    states[i] = State::Running;
                    let outputs = outputs(&shared.playbook, &states);
                    let shared = Arc::clone(&shared);
                    running.spawn(async move {
                        let (state, fin) = run_step(&shared, i, outputs).await;
                        (i, state, fin)
                    });
                }
            }
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let (i, state, fin) = done.expect("a step task does not panic");
        finals.insert(steps[i].id.clone(), fin);
        states[i] = state;
    }
    for (i, step) in steps.iter().enumerate() {
        if states[i] == State::Pending {
            finals.insert(step.id.clone(), Final::NotRun);
        }
    }
    let outcome = if shared.emitter.record_failure().is_some() {
        Outcome::Incomplete
    } else if states.iter().any(|s| matches!(s, State::Failed(_))) {
        Outcome::Failed
    } else if stop.requested() && states.contains(&State::Pending) {
        Outcome::Interrupted
    } else if states
        .iter()
        .any(|s| matches!(s, State::Waiting | State::Uncertain | State::Pending))
    {
        Outcome::Waiting
    } else {
        Outcome::Succeeded
    };
    let _ = shared.emitter.emit(EventKind::RunFinished { outcome });
    RunResult { outcome, finals }
}

/// Why a step can never run, if it cannot: a need failed (and stops its dependants), was
/// skipped for a reason other than its own condition, or is uncertain; or the step reads
/// the output of a need that has none (skipped by its condition, or failed with
/// `on_failure: continue`).
fn blocking_need(
    playbook: &Playbook,
    states: &[State],
    reads: &[BTreeSet<String>],
    i: usize,
) -> Option<SkipReason> {
    playbook.steps[i].needs.iter().find_map(|need| {
        let j = playbook.steps.iter().position(|s| &s.id == need)?;
        match &states[j] {
            State::Failed(OnFailure::Stop) | State::Skipped(false) | State::Uncertain => {
                Some(SkipReason::Dependency { need: need.clone() })
            }
            State::Skipped(true) | State::Failed(OnFailure::Continue)
                if reads[i].contains(need) =>
            {
                Some(SkipReason::NoOutput { need: need.clone() })
            }
            _ => None,
        }
    })
}

/// The steps whose output a step's parameters read. (A `when` is left to decide for itself:
/// it may be the very test of whether a need has an output.)
fn reads(step: &Step) -> BTreeSet<String> {
    let env = template::environment();
    let mut texts: Vec<String> = Vec::new();
    fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    for value in step.with.values() {
        strings(value, &mut texts);
    }
    texts
        .iter()
        .filter(|t| template::is_template(t))
        .flat_map(|t| template::references(&env, t).unwrap_or_default())
        .filter_map(|r| match r {
            template::Reference::Step { id, .. } | template::Reference::StepOther { id, .. } => {
                Some(id)
            }
            _ => None,
        })
        .collect()
}

fn ready(playbook: &Playbook, states: &[State], i: usize) -> bool {
    playbook.steps[i].needs.iter().all(|need| {
        playbook
            .steps
            .iter()
            .position(|s| &s.id == need)
            .is_some_and(|j| {
                matches!(
                    states[j],
                    State::Succeeded(_) | State::Skipped(true) | State::Failed(OnFailure::Continue)
                )
            })
    })
}

fn outputs(playbook: &Playbook, states: &[State]) -> serde_json::Map<String, serde_json::Value> {
    playbook
        .steps
        .iter()
        .zip(states)
        .filter_map(|(step, state)| match state {
            State::Succeeded(output) => {
                Some((step.id.clone(), serde_json::json!({ "output": output })))
            }
            _ => None,
        })
        .collect()
}

fn fail(shared: &Shared, step: &Step, error: StepError) -> (State, Final) {
    let _ = shared.emitter.emit(EventKind::StepFailed {
        step: step.id.clone(),
        error,
    });
    (State::Failed(step.on_failure), Final::Failed)
}

async fn run_step(
    shared: &Arc<Shared>,
    i: usize,
    steps_context: serde_json::Map<String, serde_json::Value>,
) -> (State, Final) {
    let step = &shared.playbook.steps[i];
    let env = template::environment();
    let context = minijinja::context! {
        inputs => minijinja::Value::from(minijinja::value::Serde(&shared.inputs)),
        steps => minijinja::Value::from(minijinja::value::Serde(&steps_context)),
    };
    let dry = shared.settings.mode == Mode::DryRun;

    // A dry run knows no outputs, so it shows the condition rather than judging it.
    if !dry && let Some(when) = &step.when {
        match template::condition(&env, when, &context) {
            Ok(true) => {}
            Ok(false) => {
                let reason = SkipReason::Condition { when: when.clone() };
                let _ = shared.emitter.emit(EventKind::StepSkipped {
                    step: step.id.clone(),
                    reason: reason.clone(),
                });
                return (State::Skipped(true), Final::Skipped(reason));
            }
            Err(e) => {
                return fail(
                    shared,
                    step,
                    StepError::new(format!("`when` does not evaluate: {}", e.message)),
                );
            }
        }
    }
    if let Err(e) = shared.emitter.emit(EventKind::StepStarted {
        step: step.id.clone(),
        attempt: 1,
    }) {
        return fail(shared, step, e);
    }

    if step.action.name == "manual" {
        return manual(shared, step).await;
    }

    if dry {
        return walk_through(shared, step, &env, &context);
    }

    let params = match render_params(step, &env, &context) {
        Ok(params) => params,
        Err(e) => return fail(shared, step, e),
    };
    let preview = match step.action.preview(&params) {
        Ok(preview) => preview,
        Err(e) => {
            return fail(
                shared,
                step,
                StepError::new(format!(
                    "the parameters do not fit `{}`: {e}",
                    step.action.name
                )),
            );
        }
    };
    if step.needs_approval() {
        let sha = preview_sha256(step, &params, &preview);
        match approve(shared, step, &params, &preview, &sha).await {
            Ok(None) => {}
            Ok(Some(ended)) => return ended,
            Err(e) => return fail(shared, step, e),
        }
        if step.action.effect == Effect::Change
            && let Err(e) = shared.emitter.emit(EventKind::ChangeStarted {
                step: step.id.clone(),
                preview_sha256: sha,
            })
        {
            return fail(shared, step, e);
        }
    }
    execute(shared, step, params).await
}

/// The sha256 an approval is for: the action, its exact parameters and the preview shown.
fn preview_sha256(step: &Step, params: &serde_json::Value, preview: &str) -> String {
    let canonical = serde_json::json!({
        "action": step.action.name,
        "params": params,
        "preview": preview,
    });
    format!("{:x}", Sha256::digest(canonical.to_string().as_bytes()))
}

/// Gets an approval for a change; `Ok(Some(..))` when the step ends here instead.
async fn approve(
    shared: &Arc<Shared>,
    step: &Step,
    params: &serde_json::Value,
    preview: &str,
    sha: &str,
) -> Result<Option<(State, Final)>, StepError> {
    let id = step.id.clone();
    if shared.prior.uncertain.contains(&id) && !shared.settings.approvals.contains(&id) {
        shared.emitter.emit(EventKind::StepUncertain {
            step: id,
            message: "this change started before the run stopped and its outcome is not recorded: check the account, then approve it again with --approve to repeat it".into(),
        })?;
        return Ok(Some((State::Uncertain, Final::Uncertain)));
    }
    shared.emitter.emit(EventKind::ApprovalRequested {
        step: id.clone(),
        params: params.clone(),
        preview: preview.to_owned(),
        preview_sha256: sha.to_owned(),
    })?;
    let carried = !shared.prior.uncertain.contains(&id)
        && shared.prior.approvals.get(&id).is_some_and(|s| s == sha);
    let via = if shared.settings.approvals.contains(&id) {
        "flag"
    } else if carried {
        "resume"
    } else {
        let prompter = Arc::clone(&shared.prompter);
        let (step_owned, params_owned, preview_owned) =
            (step.clone(), params.clone(), preview.to_owned());
        let decision = tokio::task::spawn_blocking(move || {
            prompter.approve(&step_owned, &params_owned, &preview_owned)
        })
        .await
        .unwrap_or(Decision::Unavailable);
        match decision {
            Decision::Approve => "prompt",
            Decision::Decline => {
                shared.emitter.emit(EventKind::StepSkipped {
                    step: id,
                    reason: SkipReason::Declined,
                })?;
                return Ok(Some((
                    State::Skipped(false),
                    Final::Skipped(SkipReason::Declined),
                )));
            }
            Decision::Unavailable => return Ok(Some((State::Waiting, Final::Waiting))),
        }
    };
    shared.emitter.emit(EventKind::ApprovalGranted {
        step: id,
        operator: shared.settings.operator.clone(),
        preview_sha256: sha.to_owned(),
        via: via.into(),
    })?;
    Ok(None)
}

async fn manual(shared: &Arc<Shared>, step: &Step) -> (State, Final) {
    let answers = match shared.settings.answers.for_step(step) {
        Some(answers) => Some(answers),
        None => {
            let prompter = Arc::clone(&shared.prompter);
            let step_owned = step.clone();
            tokio::task::spawn_blocking(move || prompter.answers(&step_owned))
                .await
                .ok()
                .flatten()
        }
    };
    let answers = match answers {
        Some(answers) => answers,
        // A tabletop goes on without answers; they are open questions in the report.
        None if shared.settings.mode == Mode::DryRun => step
            .questions
            .iter()
            .map(|q| Answer {
                question: q.text().to_owned(),
                answer: String::new(),
            })
            .collect(),
        None => {
            let _ = shared.emitter.emit(EventKind::AnswersRequested {
                step: step.id.clone(),
                questions: step.questions.iter().map(|q| q.text().to_owned()).collect(),
            });
            return (State::Waiting, Final::Waiting);
        }
    };
    if let Err(e) = shared.emitter.emit(EventKind::StepAnswered {
        step: step.id.clone(),
        answers: answers.clone(),
        checklist: step.checklist.clone(),
    }) {
        return fail(shared, step, e);
    }
    let by_question: serde_json::Map<String, serde_json::Value> = answers
        .into_iter()
        .map(|a| (a.question, serde_json::Value::String(a.answer)))
        .collect();
    succeed(shared, step, serde_json::json!({ "answers": by_question }))
}

/// A dry-run step: what it would do, with the parameters known before the run.
fn walk_through(
    shared: &Arc<Shared>,
    step: &Step,
    env: &minijinja::Environment<'_>,
    context: &minijinja::Value,
) -> (State, Final) {
    let planned = super::plan::plan_step(step, env, context);
    if let Err(e) = shared.emitter.emit(EventKind::StepPreviewed {
        step: step.id.clone(),
        params: serde_json::Value::Object(planned.params),
        preview: planned.preview,
        pending: planned.preview_pending,
        approval_needed: step.needs_approval(),
    }) {
        return fail(shared, step, e);
    }
    succeed(shared, step, serde_json::Value::Null)
}

fn render_params(
    step: &Step,
    env: &minijinja::Environment<'_>,
    context: &minijinja::Value,
) -> Result<serde_json::Value, StepError> {
    let mut params = step.action.defaults();
    for (name, value) in &step.with {
        let rendered = template::render(env, value, context).map_err(|e| {
            StepError::new(format!("parameter `{name}` does not render: {}", e.message))
        })?;
        params.insert(name.clone(), rendered);
    }
    Ok(serde_json::Value::Object(params))
}

async fn execute(shared: &Arc<Shared>, step: &Step, params: serde_json::Value) -> (State, Final) {
    let ctx = ActionContext {
        step: step.id.clone(),
        mode: shared.settings.mode,
        sink: Arc::clone(&shared.emitter) as Arc<dyn crate::action::context::Sink>,
    };
    let limit = step.timeout.unwrap_or(shared.settings.default_timeout);
    let mut attempt = 1;
    loop {
        let result = match tokio::time::timeout(
            limit,
            step.action.execute(ctx.clone(), params.clone()),
        )
        .await
        {
            Ok(result) => result,
            Err(_) if step.action.effect == Effect::Change => {
                // The call may have reached AWS: the change may or may not have been made.
                let _ = shared.emitter.emit(EventKind::StepUncertain {
                    step: step.id.clone(),
                    message: format!(
                        "timed out after {}: the change may or may not have been made; check the account, then resume with --approve {} to repeat it",
                        humantime::format_duration(limit),
                        step.id
                    ),
                });
                return (State::Uncertain, Final::Uncertain);
            }
            Err(_) => Err(StepError {
                // A read that timed out can be tried again; a change cannot be assumed not made.
                retryable: step.action.effect == Effect::Read,
                ..StepError::new(format!(
                    "timed out after {}",
                    humantime::format_duration(limit)
                ))
            }),
        };
        match result {
            Ok(output) => return succeed(shared, step, output),
            Err(error) if error.retryable && attempt <= step.retries => {
                let delay = backoff(attempt);
                if let Err(e) = shared.emitter.emit(EventKind::StepRetrying {
                    step: step.id.clone(),
                    attempt: attempt + 1,
                    delay_ms: delay.as_millis() as u64,
                    error,
                }) {
                    return fail(shared, step, e);
                }
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
            Err(error) => return fail(shared, step, error),
        }
    }
}

fn succeed(shared: &Arc<Shared>, step: &Step, output: serde_json::Value) -> (State, Final) {
    // The emitter redacts the event (and records where); the output later steps read stays
    // in memory only.
    match shared.emitter.emit(EventKind::StepSucceeded {
        step: step.id.clone(),
        output: output.clone(),
    }) {
        Ok(()) => (State::Succeeded(output), Final::Succeeded),
        Err(e) => fail(shared, step, e),
    }
}

/// Exponential backoff with jitter: a random delay between half and all of 200 ms × 2^(attempt-1), at
/// most 20 s, so that retries of many steps do not arrive together.
pub fn backoff(attempt: u32) -> Duration {
    let ceiling = (200u64 << (attempt.saturating_sub(1)).min(10)).min(20_000);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64);
    // xorshift of the clock's nanoseconds: jitter needs spread, not cryptography.
    let mut x = nanos ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    Duration::from_millis(ceiling / 2 + x % (ceiling / 2 + 1))
}
