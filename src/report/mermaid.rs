//! The plan as a Mermaid flowchart, which GitHub renders: a subgraph per phase, steps
//! coloured by phase, change steps drawn as hexagons with a heavy red border.

use std::fmt::Write;

use crate::action::catalog::Effect;
use crate::exec::plan::ExecutionPlan;
use crate::playbook::model::Phase;

/// Fill colours by phase, shared with the dot renderer.
pub fn phase_colour(phase: Phase) -> &'static str {
    match phase {
        Phase::Preparation => "#dbeafe",
        Phase::Detection => "#fef3c7",
        Phase::Containment => "#fee2e2",
        Phase::Eradication => "#fce7f3",
        Phase::Recovery => "#dcfce7",
        Phase::PostIncident => "#e5e7eb",
    }
}

fn escape(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

pub fn render(plan: &ExecutionPlan) -> String {
    let mut out = String::from("flowchart TD\n");
    for (phase, steps) in plan.phases() {
        let _ = writeln!(out, "  subgraph {}[\"{}\"]", phase.as_str(), phase.title());
        for step in steps {
            let label = format!(
                "{}<br/>{}{}",
                escape(&step.id),
                escape(step.action),
                if step.effect == Effect::Change {
                    "<br/>change, approval required"
                } else {
                    ""
                }
            );
            let (open, close) = match step.effect {
                Effect::Change => ("{{", "}}"),
                Effect::Read => ("[", "]"),
            };
            let _ = writeln!(out, "    {}{open}\"{label}\"{close}", step.id);
        }
        out.push_str("  end\n");
    }
    // Invisible links keep the phases in NIST order, whatever the edges pull.
    let phases: Vec<&str> = plan.phases().iter().map(|(p, _)| p.as_str()).collect();
    if phases.len() > 1 {
        let _ = writeln!(out, "  {}", phases.join(" ~~~ "));
    }
    for step in &plan.steps {
        for need in &step.needs {
            let _ = writeln!(out, "  {need} --> {}", step.id);
        }
    }
    for (phase, steps) in plan.phases() {
        // No stroke here: the `change` class's red border must win.
        let _ = writeln!(
            out,
            "  classDef {} fill:{},color:#111",
            phase.as_str(),
            phase_colour(phase)
        );
        let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
        let _ = writeln!(out, "  class {} {}", ids.join(","), phase.as_str());
    }
    let changes: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.effect == Effect::Change)
        .map(|s| s.id.as_str())
        .collect();
    if !changes.is_empty() {
        out.push_str("  classDef change stroke:#b91c1c,stroke-width:3px\n");
        let _ = writeln!(out, "  class {} change", changes.join(","));
    }
    out
}
