//! `securityhub.enable_standards`: turns on Security Hub standards, by default AWS
//! Foundational Security Best Practices.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Regions, listing};

pub struct SecurityhubEnableStandards;

fn foundational() -> Vec<String> {
    vec!["aws-foundational-security-best-practices/v/1.0.0".into()]
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    pub regions: Regions,
    /// Standards by the last part of their ARN, `<name>/v/<version>`.
    #[serde(default = "foundational")]
    pub standards: Vec<String>,
}

impl Action for SecurityhubEnableStandards {
    const NAME: &'static str = "securityhub.enable_standards";
    const SUMMARY: &'static str = "Enable Security Hub standards";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "securityhub:GetEnabledStandards",
        "securityhub:DescribeStandards",
    ];
    const IAM_CHANGES: &'static [&'static str] = &["securityhub:BatchEnableStandards"];
    const OUTPUTS: &'static [&'static str] = &["subscriptions"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        format!(
            "Enable Security Hub standards {} in {}",
            listing(&p.standards),
            p.regions
        )
    }
}
