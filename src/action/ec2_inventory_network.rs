//! `ec2.inventory_network`: lists the network resources an attacker changes, region by
//! region, and flags what is reachable from the internet.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{Regions, listing};

pub struct Ec2InventoryNetwork;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NetworkResource {
    Vpcs,
    NetworkAcls,
    SecurityGroups,
    RouteTables,
    NetworkInterfaces,
    InternetGateways,
    PeeringConnections,
    NatGateways,
    VpcEndpoints,
    ClientVpnEndpoints,
    ElasticIps,
}

impl NetworkResource {
    pub const ALL: [NetworkResource; 11] = [
        NetworkResource::Vpcs,
        NetworkResource::NetworkAcls,
        NetworkResource::SecurityGroups,
        NetworkResource::RouteTables,
        NetworkResource::NetworkInterfaces,
        NetworkResource::InternetGateways,
        NetworkResource::PeeringConnections,
        NetworkResource::NatGateways,
        NetworkResource::VpcEndpoints,
        NetworkResource::ClientVpnEndpoints,
        NetworkResource::ElasticIps,
    ];

    /// The EC2 call that lists this kind of resource.
    pub fn operation(self) -> &'static str {
        match self {
            NetworkResource::Vpcs => "DescribeVpcs",
            NetworkResource::NetworkAcls => "DescribeNetworkAcls",
            NetworkResource::SecurityGroups => "DescribeSecurityGroups",
            NetworkResource::RouteTables => "DescribeRouteTables",
            NetworkResource::NetworkInterfaces => "DescribeNetworkInterfaces",
            NetworkResource::InternetGateways => "DescribeInternetGateways",
            NetworkResource::PeeringConnections => "DescribeVpcPeeringConnections",
            NetworkResource::NatGateways => "DescribeNatGateways",
            NetworkResource::VpcEndpoints => "DescribeVpcEndpoints",
            NetworkResource::ClientVpnEndpoints => "DescribeClientVpnEndpoints",
            NetworkResource::ElasticIps => "DescribeAddresses",
        }
    }
}

fn all_resources() -> Vec<NetworkResource> {
    NetworkResource::ALL.to_vec()
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The regions to inventory.
    #[serde(default)]
    pub regions: Regions,
    /// The kinds of resource to list; all of them by default.
    #[serde(default = "all_resources")]
    pub resources: Vec<NetworkResource>,
}

impl Action for Ec2InventoryNetwork {
    const NAME: &'static str = "ec2.inventory_network";
    const SUMMARY: &'static str =
        "List VPC network resources by region and flag those exposed to the internet";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[
        "ec2:DescribeRegions",
        "ec2:DescribeVpcs",
        "ec2:DescribeNetworkAcls",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSecurityGroupRules",
        "ec2:DescribeRouteTables",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeInternetGateways",
        "ec2:DescribeVpcPeeringConnections",
        "ec2:DescribeNatGateways",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeClientVpnEndpoints",
        "ec2:DescribeAddresses",
    ];
    const OUTPUTS: &'static [&'static str] = &[
        "resources",
        "exposed",
        "nat_gateways",
        "vpcs",
        "security_groups",
    ];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let ops: Vec<&str> = p.resources.iter().map(|r| r.operation()).collect();
        format!("Call {} in {}", listing(&ops), p.regions)
    }
}
