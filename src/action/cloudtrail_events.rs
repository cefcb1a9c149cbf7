//! `cloudtrail.events`: CloudTrail management events by event name, access key, user or
//! resource, from one of three sources with one output shape.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Regions, Window, listing};

pub struct CloudtrailEvents;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventSource {
    /// LookupEvents: the last 90 days of management events, 2 requests a second.
    #[default]
    Api,
    /// The trail's log files in S3.
    S3,
    /// Athena over the trail's table, for scale.
    Athena,
}

fn week() -> Window {
    Window::days(7)
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub source: EventSource,
    #[serde(default)]
    pub regions: Regions,
    /// How far back to look.
    #[serde(default = "week")]
    pub since: Window,
    /// Up to how long ago; now when absent.
    #[serde(default)]
    pub until: Option<Window>,
    #[serde(default)]
    pub event_names: Vec<String>,
    #[serde(default)]
    pub access_key_ids: Vec<String>,
    #[serde(default)]
    pub usernames: Vec<String>,
    #[serde(default)]
    pub resource_names: Vec<String>,
    /// The trail's bucket (with its prefix), for `source: s3`.
    #[serde(default)]
    pub trail_bucket: Option<String>,
}

impl Action for CloudtrailEvents {
    const NAME: &'static str = "cloudtrail.events";
    const SUMMARY: &'static str = "Find CloudTrail events by name, access key, user or resource";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "cloudtrail:LookupEvents",
        "cloudtrail:DescribeTrails",
        "s3:GetObject",
        "s3:ListBucket",
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "glue:GetTable",
    ];
    const OUTPUTS: &'static [&'static str] = &[
        "events",
        "count",
        "principals",
        "access_keys",
        "created_resources",
    ];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let mut filters = Vec::new();
        for (what, values) in [
            ("event names", &p.event_names),
            ("access keys", &p.access_key_ids),
            ("users", &p.usernames),
            ("resources", &p.resource_names),
        ] {
            if !values.is_empty() {
                filters.push(format!("{what} {}", listing(values)));
            }
        }
        let source = match p.source {
            EventSource::Api => "LookupEvents".to_owned(),
            EventSource::S3 => format!(
                "trail log files in {}",
                p.trail_bucket.as_deref().unwrap_or("the trail's bucket")
            ),
            EventSource::Athena => "Athena".to_owned(),
        };
        format!(
            "Search CloudTrail ({source}) in {} over the last {} for {}",
            p.regions,
            p.since,
            if filters.is_empty() {
                "all events".to_owned()
            } else {
                filters.join("; ")
            }
        )
    }
}
