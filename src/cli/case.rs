//! `irp case verify CASE` and `irp case show CASE`.

use super::app::{CliError, Outcome, print};
use super::args::{CaseCommand, EventFormat};
use super::exit::Exit;
use crate::evidence::case::Case;
use crate::evidence::{journal, verify};
use crate::report;

pub fn run(command: CaseCommand) -> Outcome {
    match command {
        CaseCommand::Verify { case, format } => {
            let case = Case::open(&case)?;
            let v = verify::verify(&case).map_err(CliError::Record)?;
            match format {
                EventFormat::Json => {
                    print(&(serde_json::to_string_pretty(&v).expect("serializes") + "\n"))?
                }
                EventFormat::Human => {
                    for p in &v.problems {
                        eprintln!("✗ {p}");
                    }
                    for n in &v.notes {
                        eprintln!("note: {n}");
                    }
                    eprintln!(
                        "{}: {} journal lines, {} files{}",
                        if v.intact() { "intact" } else { "NOT intact" },
                        v.lines,
                        v.files,
                        if v.sealed { ", sealed" } else { ", not sealed" }
                    );
                    if let Some((seq, sha)) = &v.head {
                        eprintln!("head: seq {seq}, sha256 {sha} (keep it outside the case)");
                    }
                }
            }
            Ok(if v.intact() {
                Exit::Success
            } else {
                Exit::Problems
            })
        }
        CaseCommand::Show { case } => {
            let case = Case::open(&case)?;
            let read = journal::read(&case.journal_path()).map_err(CliError::Record)?;
            let events: Vec<_> = read.events().cloned().collect();
            print(&format!(
                "case {} · {} · {} · {}\n\n{}",
                case.info.id,
                case.info.playbook.id,
                case.info.mode.as_str(),
                case.info.operator,
                report::timeline::render(&events)
            ))?;
            Ok(Exit::Success)
        }
    }
}
