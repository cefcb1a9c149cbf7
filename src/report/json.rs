//! Machine-readable output: diagnostics as one JSON document, plans as JSON.

use serde::Serialize;

use crate::exec::plan::ExecutionPlan;
use crate::playbook::diagnostics::{Diagnostic, Severity};
use crate::playbook::source::SourceFile;

#[derive(Serialize)]
struct JsonLabel<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    labels: Vec<JsonLabel<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// The diagnostics of every checked file, with a count of files, errors and warnings.
pub fn diagnostics(files: &[(&SourceFile, &[Diagnostic])]) -> String {
    let mut all = Vec::new();
    for (source, diagnostics) in files {
        for d in *diagnostics {
            let (line, column) = source.line_col(d.offset());
            let labels = d
                .labels
                .iter()
                .map(|l| {
                    let (line, column) = source.line_col(l.span.start);
                    let (end_line, end_column) = source.line_col(l.span.end);
                    JsonLabel {
                        line,
                        column,
                        end_line,
                        end_column,
                        text: &l.text,
                    }
                })
                .collect();
            all.push(JsonDiagnostic {
                file: &source.name,
                severity: d.severity,
                code: d.code,
                message: &d.message,
                line,
                column,
                labels,
                help: d.help.as_deref(),
            });
        }
    }
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let document = serde_json::json!({
        "files": files.len(),
        "errors": errors,
        "warnings": all.len() - errors,
        "diagnostics": all,
    });
    serde_json::to_string_pretty(&document).expect("diagnostics serialize") + "\n"
}

pub fn plan(plan: &ExecutionPlan) -> String {
    serde_json::to_string_pretty(plan).expect("plans serialize") + "\n"
}
