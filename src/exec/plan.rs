//! The execution plan: the playbook's steps in execution order, each with its rendered
//! parameters, its effect, the approval it needs, its preview and its IAM actions.
//!
//! The plan is data, not a flag tested everywhere: `irp plan` prints it, `irp permissions`
//! derives a policy from it, and the runner (a later stage) walks it.

use indexmap::IndexMap;
use serde::Serialize;

use crate::action::catalog::Effect;
use crate::playbook::diagnostics::did_you_mean;
use crate::playbook::model::{Approval, OnFailure, Phase, Playbook, Question, Step};
use crate::playbook::template::{self, Reference};

#[derive(Debug, Clone, Serialize)]
pub struct ExecutionPlan {
    pub playbook: String,
    pub title: String,
    pub sha256: String,
    pub inputs: IndexMap<String, PlannedInput>,
    /// In execution order: every step after the steps it needs.
    pub steps: Vec<PlannedStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedInput {
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// The value the steps will see; `null` when neither given nor defaulted.
    pub value: serde_json::Value,
    /// Where the value comes from: `default`, `given` or `missing`.
    pub from: &'static str,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedStep {
    pub id: String,
    pub phase: Phase,
    pub title: String,
    pub action: &'static str,
    pub effect: Effect,
    pub approval: Approval,
    pub needs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Parameters with defaults filled in and inputs rendered. A value that reads an earlier
    /// step's output stays as its template until the run, and is named in `deferred`.
    pub params: serde_json::Map<String, serde_json::Value>,
    pub deferred: Vec<String>,
    /// The one-line preview, when the parameters are all known before the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// Why there is no preview yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_pending: Option<String>,
    pub iam: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    pub retries: u32,
    pub on_failure: OnFailure,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guide: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("`--input {0}` is not of the form key=value")]
    NotKeyValue(String),
    #[error("the playbook has no input `{name}`{}", .help.as_deref().map(|h| format!("; {h}")).unwrap_or_default())]
    UnknownInput { name: String, help: Option<String> },
    #[error("input `{name}`: {message}")]
    BadInput { name: String, message: String },
}

impl ExecutionPlan {
    pub fn build(playbook: &Playbook, given: &[String]) -> Result<Self, PlanError> {
        let inputs = resolve_inputs(playbook, given)?;
        let values: serde_json::Map<String, serde_json::Value> = inputs
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect();
        let context = minijinja::context! { inputs => minijinja::Value::from(minijinja::value::Serde(&values)) };
        let env = template::environment();
        let steps = playbook
            .steps
            .iter()
            .map(|step| plan_step(step, &env, &context))
            .collect();
        Ok(Self {
            playbook: playbook.id.clone(),
            title: playbook.title.clone(),
            sha256: playbook.sha256.clone(),
            inputs,
            steps,
        })
    }

    /// The steps grouped by phase, phases in NIST order, steps in execution order.
    pub fn phases(&self) -> Vec<(Phase, Vec<&PlannedStep>)> {
        Phase::ALL
            .into_iter()
            .map(|phase| {
                (
                    phase,
                    self.steps
                        .iter()
                        .filter(|s| s.phase == phase)
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, steps)| !steps.is_empty())
            .collect()
    }

    /// A least-privilege IAM policy for the plan: one statement for what it reads, one for
    /// what it changes.
    pub fn policy(&self) -> serde_json::Value {
        let mut reads = std::collections::BTreeSet::new();
        let mut changes = std::collections::BTreeSet::new();
        for step in &self.steps {
            let action = crate::action::catalog::find(step.action).expect("planned actions exist");
            reads.extend(action.iam_reads.iter().copied());
            changes.extend(action.iam_changes.iter().copied());
        }
        let mut statements = Vec::new();
        if !reads.is_empty() {
            statements.push(serde_json::json!({
                "Sid": "IrpReads",
                "Effect": "Allow",
                "Action": reads,
                "Resource": "*",
            }));
        }
        if !changes.is_empty() {
            statements.push(serde_json::json!({
                "Sid": "IrpChanges",
                "Effect": "Allow",
                "Action": changes,
                "Resource": "*",
            }));
        }
        serde_json::json!({ "Version": "2012-10-17", "Statement": statements })
    }
}

fn resolve_inputs(
    playbook: &Playbook,
    given: &[String],
) -> Result<IndexMap<String, PlannedInput>, PlanError> {
    let mut values: IndexMap<String, serde_json::Value> = IndexMap::new();
    for pair in given {
        let (name, text) = pair
            .split_once('=')
            .ok_or_else(|| PlanError::NotKeyValue(pair.clone()))?;
        let input = playbook
            .inputs
            .get(name)
            .ok_or_else(|| PlanError::UnknownInput {
                name: name.to_owned(),
                help: did_you_mean(name, playbook.inputs.keys().map(String::as_str)),
            })?;
        let value = input
            .ty
            .parse_cli(text)
            .map_err(|message| PlanError::BadInput {
                name: name.to_owned(),
                message,
            })?;
        values.insert(name.to_owned(), value);
    }
    Ok(playbook
        .inputs
        .values()
        .map(|input| {
            let (value, from) = match (values.get(&input.name), &input.default) {
                (Some(v), _) => (v.clone(), "given"),
                (None, Some(d)) => (d.clone(), "default"),
                (None, None) => (serde_json::Value::Null, "missing"),
            };
            (
                input.name.clone(),
                PlannedInput {
                    ty: input.ty.as_str(),
                    value,
                    from,
                    required: input.required,
                    description: input.description.clone(),
                },
            )
        })
        .collect())
}

/// A step's plan: its parameters rendered as far as the inputs allow, and its preview when
/// they are all known. The dry run shows exactly this.
pub fn plan_step(
    step: &Step,
    env: &minijinja::Environment<'_>,
    context: &minijinja::Value,
) -> PlannedStep {
    let mut params = step.action.defaults();
    let mut deferred = Vec::new();
    let mut failures = Vec::new();
    for (name, value) in &step.with {
        let rendered = render_known(env, value, context, &mut deferred, &mut failures);
        if rendered.is_null() && !value.is_null() {
            failures.push(format!(
                "`{name}` waits for an input: {}",
                compact_text(value)
            ));
        }
        params.insert(name.clone(), rendered);
    }
    deferred.sort();
    deferred.dedup();
    let (preview, preview_pending) = if !deferred.is_empty() {
        (
            None,
            Some(format!("at run time, from {}", deferred.join(", "))),
        )
    } else if let Some(failure) = failures.first() {
        (None, Some(failure.clone()))
    } else {
        match step
            .action
            .preview(&serde_json::Value::Object(params.clone()))
        {
            Ok(text) => (Some(text), None),
            Err(e) => (None, Some(format!("the parameters are not complete: {e}"))),
        }
    };
    PlannedStep {
        id: step.id.clone(),
        phase: step.phase,
        title: step.title.clone(),
        action: step.action.name,
        effect: step.action.effect,
        approval: step.approval,
        needs: step.needs.clone(),
        when: step.when.clone(),
        params,
        deferred,
        preview,
        preview_pending,
        iam: step
            .action
            .iam_reads
            .iter()
            .chain(step.action.iam_changes)
            .copied()
            .collect(),
        timeout: step
            .timeout
            .map(|t| humantime::format_duration(t).to_string()),
        retries: step.retries,
        on_failure: step.on_failure,
        guide: step.guide.clone(),
        questions: step.questions.clone(),
        checklist: step.checklist.clone(),
    }
}

fn compact_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Renders the templates that read only inputs; those that read a step's output are kept
/// as written and their references listed.
fn render_known(
    env: &minijinja::Environment<'_>,
    value: &serde_json::Value,
    context: &minijinja::Value,
    deferred: &mut Vec<String>,
    failures: &mut Vec<String>,
) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        J::String(text) if template::is_template(text) => {
            let refs = template::references(env, text).unwrap_or_default();
            let steps: Vec<String> = refs
                .iter()
                .filter_map(|r| match r {
                    Reference::Step { id, field } => Some(match field {
                        Some(f) => format!("steps.{id}.output.{f}"),
                        None => format!("steps.{id}.output"),
                    }),
                    _ => None,
                })
                .collect();
            if !steps.is_empty() {
                deferred.extend(steps);
                return value.clone();
            }
            match template::render(env, value, context) {
                Ok(rendered) => rendered,
                Err(e) => {
                    failures.push(format!("`{text}` does not render yet: {}", e.message));
                    value.clone()
                }
            }
        }
        J::Array(items) => J::Array(
            items
                .iter()
                .map(|i| render_known(env, i, context, deferred, failures))
                .collect(),
        ),
        J::Object(map) => J::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), render_known(env, v, context, deferred, failures)))
                .collect(),
        ),
        other => other.clone(),
    }
}
