//! `ec2.flow_logs`: where each VPC's flow logs are delivered, and which VPCs have none.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::Regions;

pub struct Ec2FlowLogs;

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub regions: Regions,
}

impl Action for Ec2FlowLogs {
    const NAME: &'static str = "ec2.flow_logs";
    const SUMMARY: &'static str =
        "Find each VPC's flow logs and their destinations, and VPCs without any";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "ec2:DescribeFlowLogs",
        "ec2:DescribeVpcs",
    ];
    const OUTPUTS: &'static [&'static str] = &["flow_logs", "vpcs_without_flow_logs"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        format!("Call DescribeFlowLogs and DescribeVpcs in {}", p.regions)
    }
}
