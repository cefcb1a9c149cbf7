//! `account.billable_resources`: what runs up unexpected charges and is easy to miss:
//! instances (stopped ones too), AMIs, EBS volumes and snapshots, Lambda functions and layers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Regions, listing};

pub struct AccountBillableResources;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BillableResource {
    Instances,
    Images,
    Volumes,
    Snapshots,
    LambdaFunctions,
    LambdaLayers,
}

impl BillableResource {
    pub fn operation(self) -> &'static str {
        match self {
            BillableResource::Instances => "ec2:DescribeInstances",
            BillableResource::Images => "ec2:DescribeImages",
            BillableResource::Volumes => "ec2:DescribeVolumes",
            BillableResource::Snapshots => "ec2:DescribeSnapshots",
            BillableResource::LambdaFunctions => "lambda:ListFunctions",
            BillableResource::LambdaLayers => "lambda:ListLayers",
        }
    }
}

fn every_kind() -> Vec<BillableResource> {
    vec![
        BillableResource::Instances,
        BillableResource::Images,
        BillableResource::Volumes,
        BillableResource::Snapshots,
        BillableResource::LambdaFunctions,
        BillableResource::LambdaLayers,
    ]
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Every region by default: an attacker uses the ones you never look at.
    #[serde(default = "Regions::all")]
    pub regions: Regions,
    #[serde(default = "every_kind")]
    pub resources: Vec<BillableResource>,
}

impl Action for AccountBillableResources {
    const NAME: &'static str = "account.billable_resources";
    const SUMMARY: &'static str =
        "List instances, AMIs, volumes, snapshots and Lambda functions and layers by region";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "ec2:DescribeInstances",
        "ec2:DescribeImages",
        "ec2:DescribeVolumes",
        "ec2:DescribeSnapshots",
        "lambda:ListFunctions",
        "lambda:ListLayers",
    ];
    const OUTPUTS: &'static [&'static str] = &["resources", "count"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let ops: Vec<&str> = p.resources.iter().map(|r| r.operation()).collect();
        format!("Call {} in {}", listing(&ops), p.regions)
    }
}
