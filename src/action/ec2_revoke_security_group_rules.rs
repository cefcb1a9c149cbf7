//! `ec2.revoke_security_group_rules`: removes chosen security-group rules, such as those
//! that open ports to the internet against policy.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{count, listing};

pub struct Ec2RevokeSecurityGroupRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub region: String,
    pub group_id: String,
    pub security_group_rule_id: String,
    pub direction: Direction,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub rules: Vec<Rule>,
}

impl Action for Ec2RevokeSecurityGroupRules {
    const NAME: &'static str = "ec2.revoke_security_group_rules";
    const SUMMARY: &'static str = "Revoke security-group rules by rule id";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &["ec2:DescribeSecurityGroupRules"];
    const IAM_CHANGES: &'static [&'static str] = &[
        "ec2:RevokeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupEgress",
    ];
    const OUTPUTS: &'static [&'static str] = &["revoked"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let rules: Vec<String> = p
            .rules
            .iter()
            .map(|r| {
                format!(
                    "{} {:?} of {} ({})",
                    r.security_group_rule_id, r.direction, r.group_id, r.region
                )
                .replace("Ingress", "ingress")
                .replace("Egress", "egress")
            })
            .collect();
        format!(
            "Revoke {}: {}",
            count(p.rules.len(), "security-group rule"),
            listing(&rules)
        )
    }
}
