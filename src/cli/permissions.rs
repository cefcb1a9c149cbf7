//! `irp permissions PLAYBOOK`: the IAM policy document the playbook needs.

use super::app::{Outcome, print};
use super::exit::Exit;
use super::playbook_arg;
use crate::exec::plan::ExecutionPlan;

pub fn run(playbook: &str, color: bool) -> Outcome {
    let playbook = playbook_arg::load(playbook, color)?;
    let plan = ExecutionPlan::build(&playbook, &[])?;
    let policy = serde_json::to_string_pretty(&plan.policy()).expect("policies serialize");
    print(&(policy + "\n"))?;
    Ok(Exit::Success)
}
