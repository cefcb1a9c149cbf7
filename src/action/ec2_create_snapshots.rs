//! `ec2.create_snapshots`: EBS snapshots of instances' volumes, to preserve evidence before
//! anything is stopped or terminated.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{count, listing};

pub struct Ec2CreateSnapshots;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instance {
    pub region: String,
    pub instance_id: String,
}

fn evidence() -> String {
    "irp: evidence preserved before eradication".into()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub instances: Vec<Instance>,
    #[serde(default = "evidence")]
    pub description: String,
}

impl Action for Ec2CreateSnapshots {
    const NAME: &'static str = "ec2.create_snapshots";
    const SUMMARY: &'static str = "Snapshot every EBS volume of the given instances";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &["ec2:DescribeInstances", "ec2:DescribeSnapshots"];
    const IAM_CHANGES: &'static [&'static str] = &["ec2:CreateSnapshots", "ec2:CreateTags"];
    const OUTPUTS: &'static [&'static str] = &["snapshots"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let ids: Vec<String> = p
            .instances
            .iter()
            .map(|i| format!("{} ({})", i.instance_id, i.region))
            .collect();
        format!(
            "Snapshot the EBS volumes of {}: {}",
            count(p.instances.len(), "instance"),
            listing(&ids)
        )
    }
}
