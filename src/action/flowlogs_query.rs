//! `flowlogs.query`: the playbook's named VPC flow-log queries, run by the embedded engine
//! over logs fetched into the case, or by Athena at scale.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Window, count};

pub struct FlowlogsQuery;

/// The queries AWS's Athena integration names; irp ships its own SQL for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FlowLogQuery {
    /// TCP connections allowed by security groups and network ACLs.
    VpcFlowLogsAcceptedTraffic,
    /// Traffic on administrative web application ports.
    VpcFlowLogsAdminPortTraffic,
    /// Total bytes of IPv4 traffic.
    VpcFlowLogsIPv4Traffic,
    /// Total bytes of IPv6 traffic.
    VpcFlowLogsIPv6Traffic,
    /// TCP connections rejected by security groups or network ACLs.
    VpcFlowLogsRejectedTCPTraffic,
    /// Traffic rejected by security groups or network ACLs.
    VpcFlowLogsRejectedTraffic,
    /// SSH and RDP traffic.
    VpcFlowLogsSshRdpTraffic,
    /// The 50 IP addresses with the most traffic.
    VpcFlowLogsTopTalkers,
    /// The 50 packet-level IP addresses with the most traffic.
    VpcFlowLogsTopTalkersPacketLevel,
    /// The 50 instances with the most traffic.
    VpcFlowLogsTopTalkingInstances,
    /// The 50 subnets with the most traffic.
    VpcFlowLogsTopTalkingSubnets,
    /// All TCP traffic for a source address.
    VpcFlowLogsTopTCPTraffic,
    /// The 50 source and destination pairs with the most bytes.
    VpcFlowLogsTotalBytesTransferred,
    /// The 50 packet-level source and destination pairs with the most bytes.
    VpcFlowLogsTotalBytesTransferredPacketLevel,
    /// Traffic from a given source address.
    VpcFlowLogsTrafficFrmSrcAddr,
    /// Traffic to a given destination address.
    VpcFlowLogsTrafficToDstAddr,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// The embedded engine, over log files copied into the case.
    #[default]
    Local,
    Athena,
}

fn week() -> Window {
    Window::days(7)
}

fn fifty() -> u32 {
    50
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The flow logs to read, as `ec2.flow_logs` gives them.
    pub flow_logs: Vec<serde_json::Value>,
    #[schemars(length(min = 1))]
    pub queries: Vec<FlowLogQuery>,
    #[serde(default)]
    pub engine: Engine,
    #[serde(default = "week")]
    pub since: Window,
    /// For the source-address queries.
    #[serde(default)]
    pub source_address: Option<String>,
    /// For the destination-address query.
    #[serde(default)]
    pub destination_address: Option<String>,
    /// Rows kept per query.
    #[serde(default = "fifty")]
    #[schemars(range(min = 1, max = 10000))]
    pub limit: u32,
}

impl Action for FlowlogsQuery {
    const NAME: &'static str = "flowlogs.query";
    const SUMMARY: &'static str = "Run named VPC flow-log queries, locally or with Athena";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[
        "s3:GetObject",
        "s3:ListBucket",
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "glue:GetTable",
        "glue:GetDatabase",
    ];
    const OUTPUTS: &'static [&'static str] = &["results"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        format!(
            "Run {} over {} of the last {} with the {} engine",
            count(p.queries.len(), "flow-log query"),
            count(p.flow_logs.len(), "flow log"),
            p.since,
            match p.engine {
                Engine::Local => "local",
                Engine::Athena => "Athena",
            }
        )
    }
}
