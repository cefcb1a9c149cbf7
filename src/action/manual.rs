//! `manual`: a step only a person can do. Its questions and checklist are step fields;
//! the answers are recorded in the case.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::catalog::{Action, Effect};

pub struct Manual;

/// A manual step takes no parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Params {}

impl Action for Manual {
    const NAME: &'static str = "manual";
    const SUMMARY: &'static str =
        "A human step: questions asked and checklist ticked, answers recorded";
    const EFFECT: Effect = Effect::Read;
    const IAM_READS: &'static [&'static str] = &[];
    const OUTPUTS: &'static [&'static str] = &["answers"];
    type Params = Params;

    fn preview(_: &Params) -> String {
        "Ask the step's questions and record the answers".into()
    }
}
