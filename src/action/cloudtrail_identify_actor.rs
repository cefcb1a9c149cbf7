//! `cloudtrail.identify_actor`: who made a resource: the event that created it, the user or
//! role and access key behind that event, and then everything that principal did.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Regions, Window, listing};

pub struct CloudtrailIdentifyActor;

fn ninety_days() -> Window {
    Window::days(90)
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Resource names or ids to trace, such as an instance id.
    #[schemars(length(min = 1))]
    pub resource_names: Vec<String>,
    #[serde(default)]
    pub regions: Regions,
    #[serde(default = "ninety_days")]
    pub since: Window,
}

impl Action for CloudtrailIdentifyActor {
    const NAME: &'static str = "cloudtrail.identify_actor";
    const SUMMARY: &'static str =
        "Trace resources to the user or role and access key that made them, then all they did";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "cloudtrail:LookupEvents",
        "iam:ListAccessKeys",
        "iam:GetAccessKeyLastUsed",
    ];
    const OUTPUTS: &'static [&'static str] = &["principals", "access_keys", "events"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        format!(
            "Look up CloudTrail events for {} in {} over the last {}, then the events of each principal found",
            listing(&p.resource_names),
            p.regions,
            p.since
        )
    }
}
