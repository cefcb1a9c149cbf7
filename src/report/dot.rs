//! The plan as a Graphviz graph: a cluster per phase, steps filled with their phase's
//! colour, change steps as red octagons.

use std::fmt::Write;

use super::mermaid::phase_colour;
use crate::action::catalog::Effect;
use crate::exec::plan::ExecutionPlan;

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn render(plan: &ExecutionPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&plan.playbook));
    out.push_str(
        "  rankdir=TB;\n  graph [fontname=\"Helvetica\"];\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n",
    );
    for (phase, steps) in plan.phases() {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            quote(&format!("cluster_{}", phase.as_str()))
        );
        let _ = writeln!(out, "    label={};", quote(phase.title()));
        out.push_str("    style=dashed;\n    labeljust=l;\n");
        for step in steps {
            let mut attrs = format!(
                "label={}, fillcolor={}",
                quote(&format!("{}\n{}", step.id, step.action)),
                quote(phase_colour(phase))
            );
            if step.effect == Effect::Change {
                attrs = format!(
                    "label={}, fillcolor={}, shape=octagon, style=filled, color=\"#b91c1c\", penwidth=3",
                    quote(&format!(
                        "{}\n{}\nchange: approval required",
                        step.id, step.action
                    )),
                    quote(phase_colour(phase))
                );
            }
            let _ = writeln!(out, "    {} [{attrs}];", quote(&step.id));
        }
        out.push_str("  }\n");
    }
    for step in &plan.steps {
        for need in &step.needs {
            let _ = writeln!(out, "  {} -> {};", quote(need), quote(&step.id));
        }
    }
    // Invisible edges from each phase's last step to the next phase's first step: the
    // clusters then stack in NIST order instead of one very wide row.
    let phases = plan.phases();
    for pair in phases.windows(2) {
        let (from, to) = (pair[0].1.last(), pair[1].1.first());
        if let (Some(from), Some(to)) = (from, to) {
            let _ = writeln!(
                out,
                "  {} -> {} [style=invis];",
                quote(&from.id),
                quote(&to.id)
            );
        }
    }
    out.push_str("}\n");
    out
}
