//! `report.md`: summary, timeline, findings, every change with who approved it and when,
//! manual answers, open questions, lessons-learned prompts, and a Mermaid graph of the run.

use std::fmt::Write;

use super::run_summary::{RunSummary, StepState};
use crate::event::{EventKind, RunEvent};
use crate::evidence::case::CaseInfo;
use crate::playbook::model::{Phase, Playbook};

pub fn render(info: &CaseInfo, playbook: Option<&Playbook>, events: &[RunEvent]) -> String {
    let summary = RunSummary::from_events(events);
    let mut out = String::new();
    let _ = writeln!(out, "# Case {}\n", info.id);
    let title = playbook.map_or(info.playbook.id.as_str(), |p| p.title.as_str());
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(
        out,
        "| Playbook | {title} (`{}`, sha256 `{}`) |",
        info.playbook.id,
        &info.playbook.sha256[..16.min(info.playbook.sha256.len())]
    );
    let _ = writeln!(
        out,
        "| Mode | {} |",
        match info.mode {
            crate::event::Mode::DryRun => "dry run (tabletop walkthrough, no AWS call)",
            crate::event::Mode::Run => "run",
        }
    );
    let _ = writeln!(out, "| Operator | {} |", info.operator);
    let _ = writeln!(out, "| irp | {} |", info.tool_version);
    let _ = writeln!(
        out,
        "| Started | {} |",
        summary.started_at.as_deref().unwrap_or("-")
    );
    let _ = writeln!(
        out,
        "| Finished | {} |",
        summary.finished_at.as_deref().unwrap_or("not finished")
    );
    let _ = writeln!(
        out,
        "| Outcome | {} |",
        summary.outcome.map_or(
            "not finished (interrupted or still running)".to_owned(),
            |o| o.as_str().to_owned()
        )
    );
    let _ = writeln!(
        out,
        "| Runs | {} (the first and each resume) |",
        summary.runs
    );
    let _ = writeln!(out, "| Evidence files | {} |", summary.evidence_files);
    if let Some(playbook) = playbook {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for step in &playbook.steps {
            *counts.entry(summary.state(&step.id).name()).or_default() += 1;
        }
        let counts: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
        let _ = writeln!(out, "| Steps | {} |", counts.join(", "));
    }

    let _ = writeln!(out, "\n## Timeline\n");
    let _ = writeln!(out, "| time | step | event |\n|---|---|---|");
    for event in events {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            event.at,
            event.kind.step().unwrap_or(""),
            cell(&super::timeline::describe(&event.kind))
        );
    }

    let _ = writeln!(out, "\n## Findings\n");
    let mut any = false;
    for event in events {
        if let EventKind::StepSucceeded { step, output } = &event.kind
            && !output.is_null()
            && !summary.answers.contains_key(step)
        {
            any = true;
            let _ = writeln!(out, "- **{step}**: {}", cell(&findings(output)));
        }
    }
    if !any {
        let _ = writeln!(out, "No step produced findings.");
    }

    let _ = writeln!(out, "\n## Changes made\n");
    if summary.changes.is_empty() {
        let _ = writeln!(out, "No change was approved.");
    } else {
        let _ = writeln!(
            out,
            "| step | change | approved by | approved at | via | preview sha256 | result |\n|---|---|---|---|---|---|---|"
        );
        for c in &summary.changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | `{}` | {} |",
                c.step,
                cell(&c.preview),
                c.approved_by.as_deref().unwrap_or("-"),
                c.approved_at.as_deref().unwrap_or("-"),
                c.approved_via.as_deref().unwrap_or("-"),
                &c.preview_sha256[..16.min(c.preview_sha256.len())],
                cell(&c.result)
            );
        }
        // The preview may shorten long lists; each approval was for exactly these parameters.
        for c in &summary.changes {
            let params = serde_json::to_string_pretty(&c.params).unwrap_or_default();
            let _ = writeln!(
                out,
                "\n`{}`, approved at {}, with exactly these parameters:\n\n```json\n{params}\n```",
                c.step,
                c.approved_at.as_deref().unwrap_or("-")
            );
        }
    }

    let _ = writeln!(out, "\n## Answers\n");
    if summary.answers.is_empty() {
        let _ = writeln!(out, "No manual step was answered.");
    }
    for (step, answers) in &summary.answers {
        let _ = writeln!(out, "### {step}\n");
        for a in answers {
            let answer = if a.answer.trim().is_empty() {
                "_(no answer)_".to_owned()
            } else {
                a.answer.clone()
            };
            let _ = writeln!(
                out,
                "- **{}**\n  {}",
                a.question,
                answer.replace('\n', "\n  ")
            );
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "## Open questions\n");
    let mut open = Vec::new();
    for (step, answers) in &summary.answers {
        for a in answers.iter().filter(|a| a.answer.trim().is_empty()) {
            open.push(format!("{step}: {}", a.question));
        }
    }
    for (step, state) in &summary.states {
        match state {
            StepState::AwaitingApproval { preview } => {
                open.push(format!("{step} waits for approval of: {preview}"))
            }
            StepState::AwaitingAnswers => open.push(format!("{step} waits for answers")),
            StepState::Uncertain => open.push(format!(
                "{step}: a change started and its outcome is not recorded; check the account"
            )),
            StepState::Interrupted => open.push(format!("{step} was interrupted")),
            StepState::Failed { error } => open.push(format!("{step} failed: {error}")),
            _ => {}
        }
    }
    if open.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for q in open {
        let _ = writeln!(out, "- {}", cell(&q));
    }

    if let Some(playbook) = playbook {
        let _ = writeln!(out, "\n## Lessons learned\n");
        for step in playbook
            .steps
            .iter()
            .filter(|s| s.phase == Phase::PostIncident)
        {
            let _ = writeln!(out, "### {}\n", step.title);
            for q in &step.questions {
                let _ = writeln!(out, "- {}", q.text());
            }
            for item in &step.checklist {
                let _ = writeln!(out, "- [ ] {item}");
            }
            let _ = writeln!(out);
        }
        let _ = writeln!(
            out,
            "## The run\n\n```mermaid\n{}```",
            graph(playbook, &summary)
        );
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A one-line summary of an output: each field and how many items it holds.
fn findings(output: &serde_json::Value) -> String {
    match output {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                serde_json::Value::Array(items) => format!("{k}: {} item(s)", items.len()),
                serde_json::Value::Object(m) => format!("{k}: {} field(s)", m.len()),
                other => format!("{k}: {other}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// The step graph with each step's final state.
pub fn graph(playbook: &Playbook, summary: &RunSummary) -> String {
    let mut out = String::from("flowchart LR\n");
    for step in &playbook.steps {
        let state = summary.state(&step.id);
        let _ = writeln!(
            out,
            "  {}[\"{}<br/>{}\"]:::{}",
            step.id,
            step.id,
            state.name(),
            class(state)
        );
    }
    for step in &playbook.steps {
        for need in &step.needs {
            let _ = writeln!(out, "  {need} --> {}", step.id);
        }
    }
    out.push_str("  classDef succeeded fill:#dcfce7,stroke:#15803d\n");
    out.push_str("  classDef failed fill:#fee2e2,stroke:#b91c1c,stroke-width:3px\n");
    out.push_str("  classDef skipped fill:#f3f4f6,stroke:#9ca3af,stroke-dasharray:4\n");
    out.push_str("  classDef waiting fill:#fef3c7,stroke:#b45309,stroke-width:3px\n");
    out.push_str("  classDef notrun fill:#ffffff,stroke:#9ca3af\n");
    out
}

fn class(state: &StepState) -> &'static str {
    match state {
        StepState::Succeeded | StepState::Previewed => "succeeded",
        StepState::Failed { .. } => "failed",
        StepState::Skipped { .. } => "skipped",
        StepState::AwaitingApproval { .. }
        | StepState::AwaitingAnswers
        | StepState::Uncertain
        | StepState::Interrupted => "waiting",
        StepState::NotRun => "notrun",
    }
}
