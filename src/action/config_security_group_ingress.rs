//! `config.security_group_ingress`: security groups checked against an allowed-ingress
//! policy (by default only TCP 80 and 443 from anywhere), with their AWS Config history.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Regions, Window, listing};

pub struct ConfigSecurityGroupIngress;

fn web_ports() -> Vec<u16> {
    vec![80, 443]
}

fn tcp() -> String {
    "tcp".into()
}

fn week() -> Window {
    Window::days(7)
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub regions: Regions,
    /// Ports that may be open to the internet; any other open port is a violation.
    #[serde(default = "web_ports")]
    pub allowed_ports: Vec<u16>,
    #[serde(default = "tcp")]
    pub protocol: String,
    /// How far back to read each group's configuration history.
    #[serde(default = "week")]
    pub since: Window,
}

impl Action for ConfigSecurityGroupIngress {
    const NAME: &'static str = "config.security_group_ingress";
    const SUMMARY: &'static str =
        "Check security groups against the allowed ingress ports, with their Config history";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSecurityGroupRules",
        "config:GetResourceConfigHistory",
        "config:ListDiscoveredResources",
    ];
    const OUTPUTS: &'static [&'static str] = &["violations", "history"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        format!(
            "Check security groups in {} for internet ingress other than {} {}, and read {} of Config history",
            p.regions,
            p.protocol,
            listing(&p.allowed_ports),
            p.since
        )
    }
}
