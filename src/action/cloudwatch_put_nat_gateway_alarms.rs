//! `cloudwatch.put_nat_gateway_alarms`: CloudWatch alarms on NAT gateway metrics, such as
//! a burst of outbound bytes (exfiltration) or port-allocation errors.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Window, count, listing};

pub struct CloudwatchPutNatGatewayAlarms;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NatGateway {
    pub region: String,
    pub nat_gateway_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Comparison {
    #[serde(rename = ">=")]
    GreaterOrEqual,
    #[serde(rename = ">")]
    Greater,
    #[serde(rename = "<=")]
    LessOrEqual,
    #[serde(rename = "<")]
    Less,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::GreaterOrEqual => ">=",
            Comparison::Greater => ">",
            Comparison::LessOrEqual => "<=",
            Comparison::Less => "<",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Statistic {
    Sum,
    Maximum,
    Minimum,
    Average,
    SampleCount,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Alarm {
    /// A metric of the `AWS/NATGateway` namespace, such as `BytesOutToDestination`.
    pub metric: String,
    pub comparison: Comparison,
    pub threshold: f64,
    /// How many consecutive periods must breach.
    #[schemars(range(min = 1))]
    pub periods: u32,
    /// The length of one period.
    pub period: Window,
    pub statistic: Statistic,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub nat_gateways: Vec<NatGateway>,
    #[schemars(length(min = 1))]
    pub alarms: Vec<Alarm>,
    /// Where the alarm notifies; no action when absent.
    #[serde(default)]
    pub sns_topic_arn: Option<String>,
}

impl Action for CloudwatchPutNatGatewayAlarms {
    const NAME: &'static str = "cloudwatch.put_nat_gateway_alarms";
    const SUMMARY: &'static str = "Create CloudWatch alarms on NAT gateway metrics";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &["cloudwatch:DescribeAlarms"];
    const IAM_CHANGES: &'static [&'static str] = &["cloudwatch:PutMetricAlarm"];
    const OUTPUTS: &'static [&'static str] = &["alarms"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let alarms: Vec<String> = p
            .alarms
            .iter()
            .map(|a| {
                format!(
                    "{} {} {} over {} x {} ({:?})",
                    a.metric,
                    a.comparison.symbol(),
                    a.threshold,
                    a.periods,
                    a.period,
                    a.statistic
                )
            })
            .collect();
        let gateways: Vec<&str> = p
            .nat_gateways
            .iter()
            .map(|g| g.nat_gateway_id.as_str())
            .collect();
        format!(
            "Put {} on {} ({}): {}{}",
            count(p.alarms.len() * p.nat_gateways.len(), "alarm"),
            count(p.nat_gateways.len(), "NAT gateway"),
            listing(&gateways),
            alarms.join("; "),
            p.sns_topic_arn
                .as_ref()
                .map(|t| format!(", notifying {t}"))
                .unwrap_or_default()
        )
    }
}
