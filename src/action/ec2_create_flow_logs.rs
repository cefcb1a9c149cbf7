//! `ec2.create_flow_logs`: turns on VPC flow logs, delivered to S3, for chosen VPCs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{count, listing};

pub struct Ec2CreateFlowLogs;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vpc {
    pub region: String,
    pub vpc_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum TrafficType {
    All,
    Accept,
    Reject,
}

fn all_traffic() -> TrafficType {
    TrafficType::All
}

fn ten_minutes() -> u32 {
    600
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The VPCs to log.
    pub vpcs: Vec<Vpc>,
    /// The S3 bucket ARN, with an optional folder (not `AWSLogs`, which AWS reserves).
    #[schemars(
        regex(pattern = r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$"),
        example = &"arn:aws:s3:::my-flow-logs/irp"
    )]
    pub destination: String,
    #[serde(default = "all_traffic")]
    pub traffic_type: TrafficType,
    /// Seconds over which a flow is aggregated into one record: 60 or 600.
    #[serde(default = "ten_minutes")]
    #[schemars(extend("enum" = [60, 600]))]
    pub max_aggregation_interval: u32,
    /// A custom record format; AWS's default format when absent.
    #[serde(default)]
    pub log_format: Option<String>,
}

impl Action for Ec2CreateFlowLogs {
    const NAME: &'static str = "ec2.create_flow_logs";
    const SUMMARY: &'static str = "Create VPC flow logs delivered to an S3 bucket";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &["ec2:DescribeFlowLogs"];
    const IAM_CHANGES: &'static [&'static str] = &[
        "ec2:CreateFlowLogs",
        "logs:CreateLogDelivery",
        "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",
    ];
    const OUTPUTS: &'static [&'static str] = &["flow_log_ids"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let ids: Vec<String> = p
            .vpcs
            .iter()
            .map(|v| format!("{} ({})", v.vpc_id, v.region))
            .collect();
        format!(
            "Create {} ({:?} traffic, {}s aggregation) to {} for {}",
            count(p.vpcs.len(), "flow log"),
            p.traffic_type,
            p.max_aggregation_interval,
            p.destination,
            listing(&ids)
        )
    }
}
