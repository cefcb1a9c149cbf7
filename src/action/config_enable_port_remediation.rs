//! `config.enable_port_remediation`: the AWS Config managed rule for security groups open
//! only to authorized ports, with Systems Manager auto-remediation of those that are not.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Regions, listing};

pub struct ConfigEnablePortRemediation;

fn web_ports() -> Vec<u16> {
    vec![80, 443]
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub regions: Regions,
    /// TCP ports that may stay open to the internet.
    #[serde(default = "web_ports")]
    pub authorized_tcp_ports: Vec<u16>,
    /// The role Systems Manager Automation assumes to remediate.
    #[schemars(
        regex(pattern = r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$"),
        example = &"arn:aws:iam::123456789012:role/irp-remediation"
    )]
    pub remediation_role_arn: String,
    /// Remediate without waiting for a person.
    #[serde(default = "yes")]
    pub automatic: bool,
}

impl Action for ConfigEnablePortRemediation {
    const NAME: &'static str = "config.enable_port_remediation";
    const SUMMARY: &'static str =
        "Put the Config rule for authorized ports, with SSM auto-remediation";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "config:DescribeConfigRules",
        "config:DescribeRemediationConfigurations",
    ];
    const IAM_CHANGES: &'static [&'static str] = &[
        "config:PutConfigRule",
        "config:PutRemediationConfigurations",
        "iam:PassRole",
    ];
    const OUTPUTS: &'static [&'static str] = &["rules"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        format!(
            "Put Config rule vpc-sg-open-only-to-authorized-ports (TCP {}) in {} with {} remediation by AWS-DisablePublicAccessForSecurityGroup as {}",
            listing(&p.authorized_tcp_ports),
            p.regions,
            if p.automatic { "automatic" } else { "manual" },
            p.remediation_role_arn
        )
    }
}
