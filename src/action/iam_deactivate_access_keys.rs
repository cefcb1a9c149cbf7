//! `iam.deactivate_access_keys`: sets compromised access keys to `Inactive`.
//!
//! Deactivation, not deletion: it stops the key at once and can be undone, while deleting a
//! key is irreversible and loses the evidence of which key was used.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};
use super::types::{count, listing};

pub struct IamDeactivateAccessKeys;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessKey {
    pub user_name: String,
    #[schemars(regex(pattern = r"^[A-Z0-9]{16,128}$"))]
    pub access_key_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub access_keys: Vec<AccessKey>,
}

impl Action for IamDeactivateAccessKeys {
    const NAME: &'static str = "iam.deactivate_access_keys";
    const SUMMARY: &'static str =
        "Set access keys to Inactive (reversible; keys are never deleted)";
    const EFFECT: Effect = Effect::Change;
    const IAM_READS: &'static [&'static str] = &["iam:ListAccessKeys"];
    const IAM_CHANGES: &'static [&'static str] = &["iam:UpdateAccessKey"];
    const OUTPUTS: &'static [&'static str] = &["deactivated"];
    type Params = Params;

    fn preview(p: &Params) -> String {
        let keys: Vec<String> = p
            .access_keys
            .iter()
            .map(|k| format!("{} of {}", k.access_key_id, k.user_name))
            .collect();
        format!(
            "Set {} to Inactive: {}",
            count(p.access_keys.len(), "access key"),
            listing(&keys)
        )
    }
}
