//! The plan as a responder reads it: inputs, then steps grouped by NIST phase in execution
//! order, each with its action, effect, approval, needs, parameters, preview and IAM actions.

use std::fmt::Write;

use crate::action::catalog::Effect;
use crate::exec::plan::ExecutionPlan;
use crate::playbook::model::Approval;

pub fn render(plan: &ExecutionPlan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", plan.playbook, plan.title);
    let _ = writeln!(out, "sha256 {}", plan.sha256);
    let changes = plan
        .steps
        .iter()
        .filter(|s| s.effect == Effect::Change)
        .count();
    let _ = writeln!(
        out,
        "{} steps: {} read, {} change (each change waits for approval)",
        plan.steps.len(),
        plan.steps.len() - changes,
        changes
    );
    if !plan.inputs.is_empty() {
        let _ = writeln!(out, "\nInputs");
        let width = plan.inputs.keys().map(String::len).max().unwrap_or(0);
        for (name, input) in &plan.inputs {
            let value = match input.from {
                "missing" if input.required => "(required, not given)".to_owned(),
                "missing" => "(not given)".to_owned(),
                _ => compact(&input.value),
            };
            let _ = writeln!(
                out,
                "  {name:width$}  {value}  [{}{}]",
                input.ty,
                if input.from == "given" { ", given" } else { "" }
            );
        }
    }
    let mut number = 0;
    for (phase, steps) in plan.phases() {
        let _ = writeln!(out, "\n{}", phase.title());
        for step in steps {
            number += 1;
            let _ = writeln!(out, "  {number:>2}. {} — {}", step.id, step.title);
            let approval = match (step.effect, step.approval) {
                (Effect::Change, _) => ", approval required",
                (Effect::Read, Approval::Required) => ", approval required",
                (Effect::Read, Approval::None) => "",
            };
            field(
                &mut out,
                "action",
                &format!("{} ({}{approval})", step.action, step.effect.as_str()),
            );
            if !step.needs.is_empty() {
                field(&mut out, "needs", &step.needs.join(", "));
            }
            if let Some(when) = &step.when {
                field(&mut out, "when", when);
            }
            for (i, (name, value)) in step.params.iter().enumerate() {
                let label = if i == 0 { "with" } else { "" };
                field(&mut out, label, &format!("{name}: {}", compact(value)));
            }
            match (&step.preview, &step.preview_pending) {
                (Some(preview), _) => field(&mut out, "preview", preview),
                (None, Some(pending)) => field(&mut out, "preview", pending),
                (None, None) => {}
            }
            for (i, q) in step.questions.iter().enumerate() {
                field(&mut out, if i == 0 { "asks" } else { "" }, q.text());
            }
            for (i, item) in step.checklist.iter().enumerate() {
                field(
                    &mut out,
                    if i == 0 { "checklist" } else { "" },
                    &format!("[ ] {item}"),
                );
            }
            if !step.iam.is_empty() {
                field(&mut out, "iam", &step.iam.join(", "));
            }
        }
    }
    out
}

fn field(out: &mut String, label: &str, value: &str) {
    let _ = writeln!(out, "      {label:9} {value}");
}

fn compact(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => serde_json::to_string(other).expect("JSON values serialize"),
    }
}
