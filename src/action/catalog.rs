//! The action catalog: every action a playbook step may name, declared with its typed
//! parameters (and so their JSON Schema), its effect, the IAM actions it needs, the output
//! fields later steps may use, and a one-line preview built from its parameters.
//!
//! Nothing outside this catalog runs. `validate`, `plan` and `permissions` read only these
//! declarations; execution is added per action in later stages.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::context::ActionContext;
use super::*;
use crate::event::StepError;

/// What running an action gives: its output, or why it failed.
pub type Execution = Pin<Box<dyn Future<Output = Result<serde_json::Value, StepError>> + Send>>;

/// Whether an action only reads or changes the account. A change always needs approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Read,
    Change,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Change => "change",
        }
    }
}

/// What one action file declares.
pub trait Action {
    /// The name a step's `action:` gives, `service.verb`.
    const NAME: &'static str;
    /// What it does, in one line.
    const SUMMARY: &'static str;
    const EFFECT: Effect;
    /// IAM actions for what it reads (including the reads a change makes to preview).
    const IAM_READS: &'static [&'static str];
    /// IAM actions for what it changes; empty for a read.
    const IAM_CHANGES: &'static [&'static str] = &[];
    /// The fields of its output, which later steps may use as `steps.<id>.output.<field>`.
    const OUTPUTS: &'static [&'static str];
    type Params: DeserializeOwned + JsonSchema + Send + 'static;
    /// What it would do with these parameters, in one line: the text an approval is for.
    fn preview(params: &Self::Params) -> String;
    /// Does it. Actions whose AWS calls are not written yet say so.
    fn execute(
        ctx: ActionContext,
        params: Self::Params,
    ) -> impl Future<Output = Result<serde_json::Value, StepError>> + Send {
        let _ = (ctx, params);
        async {
            Err(StepError::new(format!(
                "`{}` cannot run yet: this version of irp declares it (plan, validate, permissions, dry run) but does not execute it",
                Self::NAME
            )))
        }
    }
}

/// An action's declaration with its types erased, as the catalog holds it.
pub struct ActionDecl {
    pub name: &'static str,
    pub summary: &'static str,
    pub effect: Effect,
    pub iam_reads: &'static [&'static str],
    pub iam_changes: &'static [&'static str],
    pub outputs: &'static [&'static str],
    schema: fn() -> serde_json::Value,
    preview: fn(&serde_json::Value) -> Result<String, serde_json::Error>,
    execute: fn(ActionContext, serde_json::Value) -> Execution,
    validator: OnceLock<jsonschema::Validator>,
}

impl std::fmt::Debug for ActionDecl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

fn schema_of<A: Action>() -> serde_json::Value {
    schemars::schema_for!(A::Params).to_value()
}

fn preview_of<A: Action>(params: &serde_json::Value) -> Result<String, serde_json::Error> {
    let params: A::Params = serde_json::from_value(params.clone())?;
    Ok(A::preview(&params))
}

fn execute_of<A: Action>(ctx: ActionContext, params: serde_json::Value) -> Execution {
    Box::pin(async move {
        let params: A::Params = serde_json::from_value(params)
            .map_err(|e| StepError::new(format!("the parameters do not fit `{}`: {e}", A::NAME)))?;
        A::execute(ctx, params).await
    })
}

impl ActionDecl {
    pub const fn of<A: Action>() -> Self {
        Self {
            name: A::NAME,
            summary: A::SUMMARY,
            effect: A::EFFECT,
            iam_reads: A::IAM_READS,
            iam_changes: A::IAM_CHANGES,
            outputs: A::OUTPUTS,
            schema: schema_of::<A>,
            preview: preview_of::<A>,
            execute: execute_of::<A>,
            validator: OnceLock::new(),
        }
    }

    /// The JSON Schema of the parameters (`with:`).
    pub fn schema(&self) -> serde_json::Value {
        (self.schema)()
    }

    /// The compiled schema, built once.
    pub fn validator(&self) -> &jsonschema::Validator {
        self.validator.get_or_init(|| {
            jsonschema::validator_for(&self.schema())
                .expect("an action's generated parameter schema compiles")
        })
    }

    /// The preview of fully rendered parameters; an error if they do not fit the types.
    pub fn preview(&self, params: &serde_json::Value) -> Result<String, serde_json::Error> {
        (self.preview)(params)
    }

    /// Runs the action with fully rendered parameters.
    pub fn execute(&self, ctx: ActionContext, params: serde_json::Value) -> Execution {
        (self.execute)(ctx, params)
    }

    /// The defaults the schema gives for parameters a step leaves out (an absent optional
    /// value or an empty list is left out, as it says nothing).
    pub fn defaults(&self) -> serde_json::Map<String, serde_json::Value> {
        let schema = self.schema();
        let mut defaults = serde_json::Map::new();
        if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
            for (name, prop) in props {
                if let Some(default) = prop
                    .get("default")
                    .filter(|d| !d.is_null() && d.as_array().is_none_or(|items| !items.is_empty()))
                {
                    defaults.insert(name.clone(), default.clone());
                }
            }
        }
        defaults
    }

    pub fn parameter_names(&self) -> Vec<String> {
        self.schema()
            .get("properties")
            .and_then(|p| p.as_object())
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// Every action, in the order `irp list --actions` shows them.
pub static CATALOG: [ActionDecl; 16] = [
    ActionDecl::of::<manual::Manual>(),
    ActionDecl::of::<ec2_inventory_network::Ec2InventoryNetwork>(),
    ActionDecl::of::<ec2_flow_logs::Ec2FlowLogs>(),
    ActionDecl::of::<ec2_create_flow_logs::Ec2CreateFlowLogs>(),
    ActionDecl::of::<cloudwatch_put_nat_gateway_alarms::CloudwatchPutNatGatewayAlarms>(),
    ActionDecl::of::<cloudtrail_events::CloudtrailEvents>(),
    ActionDecl::of::<cloudtrail_identify_actor::CloudtrailIdentifyActor>(),
    ActionDecl::of::<eventbridge_put_rule::EventbridgePutRule>(),
    ActionDecl::of::<config_security_group_ingress::ConfigSecurityGroupIngress>(),
    ActionDecl::of::<flowlogs_query::FlowlogsQuery>(),
    ActionDecl::of::<iam_deactivate_access_keys::IamDeactivateAccessKeys>(),
    ActionDecl::of::<ec2_create_snapshots::Ec2CreateSnapshots>(),
    ActionDecl::of::<account_billable_resources::AccountBillableResources>(),
    ActionDecl::of::<ec2_revoke_security_group_rules::Ec2RevokeSecurityGroupRules>(),
    ActionDecl::of::<config_enable_port_remediation::ConfigEnablePortRemediation>(),
    ActionDecl::of::<securityhub_enable_standards::SecurityhubEnableStandards>(),
];

/// Actions added for this process only: a test harness registers its own here, before it
/// runs the CLI. Nothing else does.
static EXTRA: OnceLock<Vec<&'static ActionDecl>> = OnceLock::new();

/// Adds actions to the catalog of this process, once.
pub fn install(extra: Vec<&'static ActionDecl>) {
    let _ = EXTRA.set(extra);
}

/// The catalog with any installed actions.
pub fn all() -> Vec<&'static ActionDecl> {
    CATALOG
        .iter()
        .chain(EXTRA.get().into_iter().flatten().copied())
        .collect()
}

pub fn find(name: &str) -> Option<&'static ActionDecl> {
    all().into_iter().find(|a| a.name == name)
}
