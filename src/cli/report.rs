//! `irp report CASE`: writes `report.md` again from the journal (and re-seals the case), or
//! prints the run's summary as JSON.

use std::path::Path;

use super::app::{CliError, Outcome, print};
use super::args::ReportFormat;
use super::exit::Exit;
use crate::evidence::case::{Case, PLAYBOOK};
use crate::evidence::journal;
use crate::playbook::resolve;
use crate::playbook::source::SourceFile;
use crate::report::run_summary::RunSummary;

pub fn run(path: &Path, format: ReportFormat) -> Outcome {
    let case = Case::open(path)?;
    let text = std::fs::read_to_string(case.root.join(PLAYBOOK)).map_err(CliError::Record)?;
    let playbook = resolve::check(&SourceFile::new(PLAYBOOK, text)).playbook;
    match format {
        ReportFormat::Md => {
            let playbook = playbook.ok_or_else(|| CliError::InvalidPlaybook(PLAYBOOK.into()))?;
            // Sealing again must not bless tampering: only an intact case is re-sealed.
            let _lock = crate::evidence::case::CaseLock::take(&case.root)?;
            let check = crate::evidence::verify::verify(&case).map_err(CliError::Record)?;
            // The report itself is derived from the journal: a missing or edited report.md is
            // what this command mends.
            let problems: Vec<&String> = check
                .problems
                .iter()
                .filter(|p| !p.starts_with(crate::evidence::case::REPORT))
                .collect();
            if !problems.is_empty() {
                return Err(CliError::Refused(format!(
                    "{} does not verify, so its report is not written again: {}",
                    case.root.display(),
                    problems
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
            }
            super::run::seal(&case, &playbook).map_err(CliError::Record)?;
            eprintln!("wrote {}", case.root.join("report.md").display());
        }
        ReportFormat::Json => {
            let read = journal::read(&case.journal_path()).map_err(CliError::Record)?;
            let summary = RunSummary::from_events(read.events());
            let doc = serde_json::json!({ "case": case.info, "summary": summary });
            print(&(serde_json::to_string_pretty(&doc).expect("serializes") + "\n"))?;
        }
    }
    Ok(Exit::Success)
}
