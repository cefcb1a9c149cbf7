//! `irp plan PLAYBOOK`: the execution plan as text, JSON, Mermaid or dot.

use super::app::{Outcome, print};
use super::args::PlanFormat;
use super::exit::Exit;
use super::playbook_arg;
use crate::exec::plan::ExecutionPlan;
use crate::report;

pub fn run(playbook: &str, inputs: &[String], format: PlanFormat, color: bool) -> Outcome {
    let playbook = playbook_arg::load(playbook, color)?;
    let plan = ExecutionPlan::build(&playbook, inputs)?;
    print(&match format {
        PlanFormat::Text => report::plan_text::render(&plan),
        PlanFormat::Json => report::json::plan(&plan),
        PlanFormat::Mermaid => report::mermaid::render(&plan),
        PlanFormat::Dot => report::dot::render(&plan),
    })?;
    Ok(Exit::Success)
}
