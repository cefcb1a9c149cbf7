//! `irp validate PATH...`: every problem of every playbook file, in the chosen format.

use std::path::PathBuf;

use super::app::{Outcome, print};
use super::args::DiagnosticFormat;
use super::exit::Exit;
use super::playbook_arg;
use crate::playbook::diagnostics::Severity;
use crate::playbook::source;
use crate::report;

pub fn run(paths: &[PathBuf], format: DiagnosticFormat, color: bool) -> Outcome {
    let files = source::discover(paths)?;
    let mut checked = Vec::with_capacity(files.len());
    for path in &files {
        checked.push(playbook_arg::refusal(source::read_file(path)?));
    }
    let errors: usize = checked.iter().map(|(_, c)| c.errors()).sum();
    let warnings: usize = checked
        .iter()
        .map(|(_, c)| {
            c.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count()
        })
        .sum();
    match format {
        DiagnosticFormat::Human => {
            for (source, c) in &checked {
                eprint!("{}", report::human::render(source, &c.diagnostics, color));
            }
            eprintln!(
                "{}: {} file{} checked, {} error{}, {} warning{}",
                if errors == 0 { "valid" } else { "invalid" },
                files.len(),
                plural(files.len()),
                errors,
                plural(errors),
                warnings,
                plural(warnings)
            );
        }
        DiagnosticFormat::Json => {
            let files: Vec<_> = checked
                .iter()
                .map(|(s, c)| (s, c.diagnostics.as_slice()))
                .collect();
            print(&report::json::diagnostics(&files))?;
        }
        DiagnosticFormat::Github => {
            for (source, c) in &checked {
                print(&report::github::render(source, &c.diagnostics))?;
            }
        }
    }
    if files.is_empty() {
        eprintln!("irp: no *.yaml or *.yml files under {}", show(paths));
        return Ok(Exit::Usage);
    }
    Ok(if errors == 0 {
        Exit::Success
    } else {
        Exit::Problems
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn show(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
