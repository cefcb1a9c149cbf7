//! Parameter types that several actions share: regions, durations, regional resource ids,
//! and the list formatting previews use.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use crate::playbook::model::{DURATION_PATTERN, parse_duration};

/// Which regions an action covers: the account's enabled regions, all regions (including
/// those never opted in, where an attacker may hide), or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Regions {
    Set(RegionSet),
    List(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RegionSet {
    /// The regions `ec2:DescribeRegions` lists as enabled for the account.
    Enabled,
    /// Every region, opted in or not.
    All,
}

impl Default for Regions {
    fn default() -> Self {
        Regions::Set(RegionSet::Enabled)
    }
}

impl Regions {
    pub fn all() -> Self {
        Regions::Set(RegionSet::All)
    }
}

impl fmt::Display for Regions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Regions::Set(RegionSet::Enabled) => f.write_str("every enabled region"),
            Regions::Set(RegionSet::All) => f.write_str("every region"),
            Regions::List(list) => f.write_str(&listing(list)),
        }
    }
}

/// A duration written as in the playbook (`7d`, `15m`), kept with its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Window {
    pub text: String,
    pub duration: Duration,
}

impl Window {
    pub fn days(days: u64) -> Self {
        Self {
            text: format!("{days}d"),
            duration: Duration::from_secs(days * 86_400),
        }
    }
}

impl TryFrom<String> for Window {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        let duration = parse_duration(&text)?;
        Ok(Self { text, duration })
    }
}

impl From<Window> for String {
    fn from(w: Window) -> String {
        w.text
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl JsonSchema for Window {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration such as 30s, 15m, 1h or 7d."
        })
    }
}

/// Up to five items and how many more: previews stay one line.
pub fn listing<T: fmt::Display>(items: &[T]) -> String {
    const SHOWN: usize = 5;
    let mut text = items
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    if items.is_empty() {
        text.push_str("(none)");
    }
    text
}

/// `1 access key`, `3 access keys`.
pub fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
