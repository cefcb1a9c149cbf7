//! `eventbridge.put_rule`: an EventBridge rule that sends matching events (such as
//! security-group changes seen by CloudTrail) to an SNS topic.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::Regions;

pub struct EventbridgePutRule;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[schemars(regex(pattern = r"^[\.\-_A-Za-z0-9]{1,64}$"))]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub regions: Regions,
    /// The EventBridge event pattern, as EventBridge takes it.
    pub event_pattern: serde_json::Map<String, serde_json::Value>,
    pub sns_topic_arn: String,
}

impl Action for EventbridgePutRule {
    const NAME: &'static str = "eventbridge.put_rule";
    const SUMMARY: &'static str = "Create an EventBridge rule that notifies an SNS topic";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &["ec2:DescribeRegions", "events:DescribeRule"];
    const IAM_CHANGES: &'static [&'static str] = &["events:PutRule", "events:PutTargets"];
    const OUTPUTS: &'static [&'static str] = &["rule_arns"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        format!(
            "Put EventBridge rule {} in {} matching {} and targeting {}",
            p.name,
            p.regions,
            serde_json::Value::Object(p.event_pattern.clone()),
            p.sns_topic_arn
        )
    }
}
