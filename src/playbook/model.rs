//! The validated playbook: what `resolve` builds once every check has passed, and what the
//! plan and the runner read. Nothing here can be malformed: ids are unique snake_case, every
//! `needs` names a step, actions exist and their parameters fit their schema.

use std::time::Duration;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::raw::{RawClassification, RawIndicators, RawObjectives, RawSource};
use crate::action::catalog::ActionDecl;

/// The NIST SP 800-61 phases, in the order a plan shows them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Preparation,
    Detection,
    Containment,
    Eradication,
    Recovery,
    PostIncident,
}

impl Phase {
    pub const ALL: [Phase; 6] = [
        Phase::Preparation,
        Phase::Detection,
        Phase::Containment,
        Phase::Eradication,
        Phase::Recovery,
        Phase::PostIncident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Preparation => "preparation",
            Phase::Detection => "detection",
            Phase::Containment => "containment",
            Phase::Eradication => "eradication",
            Phase::Recovery => "recovery",
            Phase::PostIncident => "post_incident",
        }
    }

    /// The NIST name, for people.
    pub fn title(self) -> &'static str {
        match self {
            Phase::Preparation => "Preparation",
            Phase::Detection => "Detection and analysis",
            Phase::Containment => "Containment",
            Phase::Eradication => "Eradication",
            Phase::Recovery => "Recovery",
            Phase::PostIncident => "Post-incident activity",
        }
    }
}

/// What a failed step does to the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnFailure {
    /// Skip the steps that need this one (independent branches go on).
    #[default]
    Stop,
    /// Let the steps that need this one run anyway.
    Continue,
}

/// Whether a responder must approve the step's previewed change before it runs.
/// A change action always requires approval; `none` is only possible on a read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    Required,
    None,
}

/// The type of a playbook input, which its default and any `--input` must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputType {
    String,
    Integer,
    Boolean,
    /// A duration such as `30s`, `15m`, `1h`, `7d`.
    Duration,
    /// `enabled` (the account's enabled regions), `all`, or a list of region names.
    Regions,
    StringList,
    IntegerList,
}

impl InputType {
    pub fn as_str(self) -> &'static str {
        match self {
            InputType::String => "string",
            InputType::Integer => "integer",
            InputType::Boolean => "boolean",
            InputType::Duration => "duration",
            InputType::Regions => "regions",
            InputType::StringList => "string_list",
            InputType::IntegerList => "integer_list",
        }
    }

    /// Checks that a value has this type; the error says what was expected.
    pub fn check(self, value: &serde_json::Value) -> Result<(), String> {
        use serde_json::Value as J;
        let ok = match (self, value) {
            (InputType::String, J::String(_)) => true,
            (InputType::Integer, J::Number(n)) => n.is_i64() || n.is_u64(),
            (InputType::Boolean, J::Bool(_)) => true,
            (InputType::Duration, J::String(s)) => parse_duration(s).is_ok(),
            (InputType::Regions, J::String(s)) => s == "enabled" || s == "all",
            (InputType::Regions, J::Array(items)) => {
                items.iter().all(|i| i.as_str().is_some_and(is_region_name))
            }
            (InputType::StringList, J::Array(items)) => items.iter().all(J::is_string),
            (InputType::IntegerList, J::Array(items)) => {
                items.iter().all(|i| i.is_i64() || i.is_u64())
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("expected {}", self.expectation()))
        }
    }

    pub fn expectation(self) -> &'static str {
        match self {
            InputType::String => "a string",
            InputType::Integer => "an integer",
            InputType::Boolean => "true or false",
            InputType::Duration => "a duration such as 30s, 15m, 1h or 7d",
            InputType::Regions => "`enabled`, `all` or a list of region names such as [us-east-1]",
            InputType::StringList => "a list of strings",
            InputType::IntegerList => "a list of integers",
        }
    }

    /// Reads a value typed on the command line (`--input key=value`): lists are
    /// comma-separated.
    pub fn parse_cli(self, text: &str) -> Result<serde_json::Value, String> {
        use serde_json::Value as J;
        let list = || text.split(',').map(str::trim).filter(|s| !s.is_empty());
        let value = match self {
            InputType::String | InputType::Duration => J::String(text.to_owned()),
            InputType::Integer => text
                .trim()
                .parse::<i64>()
                .map(J::from)
                .map_err(|_| format!("expected {}", self.expectation()))?,
            InputType::Boolean => match text.trim() {
                "true" => J::Bool(true),
                "false" => J::Bool(false),
                _ => return Err(format!("expected {}", self.expectation())),
            },
            InputType::Regions if matches!(text.trim(), "enabled" | "all") => {
                J::String(text.trim().to_owned())
            }
            InputType::Regions | InputType::StringList => {
                J::Array(list().map(|s| J::String(s.to_owned())).collect())
            }
            InputType::IntegerList => J::Array(
                list()
                    .map(|s| s.parse::<i64>().map(J::from))
                    .collect::<Result<_, _>>()
                    .map_err(|_| format!("expected {}", self.expectation()))?,
            ),
        };
        self.check(&value)?;
        Ok(value)
    }
}

/// A region name as AWS spells them: `us-east-1`, `ap-southeast-2`, `us-gov-west-1`.
pub fn is_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Durations are a number and a unit, possibly several: `90s`, `15m`, `1h30m`, `7d`, `2w`.
pub const DURATION_PATTERN: &str = "^([0-9]+(ms|s|m|h|d|w))+$";

pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let valid = !text.is_empty() && {
        let mut rest = text;
        loop {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                break false;
            }
            rest = &rest[digits..];
            let unit = ["ms", "s", "m", "h", "d", "w"]
                .into_iter()
                .find(|u| rest.starts_with(u));
            let Some(unit) = unit else { break false };
            rest = &rest[unit.len()..];
            if rest.is_empty() {
                break true;
            }
        }
    };
    if !valid {
        return Err(format!(
            "`{text}` is not a duration such as 30s, 15m, 1h or 7d"
        ));
    }
    humantime::parse_duration(text).map_err(|e| format!("`{text}`: {e}"))
}

#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: InputType,
    pub default: Option<serde_json::Value>,
    pub required: bool,
    pub description: Option<String>,
}

/// A question a manual step asks; choices, where given, are what the answer picks from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Question {
    Text(String),
    Choice(ChoiceQuestion),
}

/// A question whose answer is picked from its `choices`.
// Unknown keys are refused, as everywhere in the format: a misspelt `choices` would
// otherwise lose the choices silently.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChoiceQuestion {
    pub ask: String,
    #[serde(default)]
    pub choices: Vec<String>,
}

impl Question {
    pub fn text(&self) -> &str {
        match self {
            Question::Text(text) | Question::Choice(ChoiceQuestion { ask: text, .. }) => text,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub phase: Phase,
    pub title: String,
    pub guide: Option<String>,
    pub needs: Vec<String>,
    pub action: &'static ActionDecl,
    pub with: serde_json::Map<String, serde_json::Value>,
    pub when: Option<String>,
    pub timeout: Option<Duration>,
    pub retries: u32,
    pub on_failure: OnFailure,
    pub approval: Approval,
    pub questions: Vec<Question>,
    pub checklist: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Playbook {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub source: Option<RawSource>,
    pub classification: Option<RawClassification>,
    pub indicators: Option<RawIndicators>,
    pub objectives: Option<RawObjectives>,
    pub inputs: IndexMap<String, Input>,
    /// In execution order: a step comes after every step it needs.
    pub steps: Vec<Step>,
    /// sha256 of the playbook file's bytes, as recorded in a case.
    pub sha256: String,
}

impl Step {
    /// Whether the step waits for a responder's approval of its preview: every change, and
    /// any step the playbook marks `approval: required`.
    pub fn needs_approval(&self) -> bool {
        self.action.effect == crate::action::catalog::Effect::Change
            || self.approval == Approval::Required
    }
}

impl Playbook {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}
