//! `irp list`: the built-in playbooks; `irp list --actions`: the action catalog.

use std::fmt::Write;

use super::app::{Outcome, print};
use super::exit::Exit;
use crate::action::catalog::CATALOG;
use crate::playbook::resolve;
use crate::playbook::source::{self, SourceFile};

pub fn run(actions: bool) -> Outcome {
    let mut out = String::new();
    if actions {
        let width = CATALOG.iter().map(|a| a.name.len()).max().unwrap_or(0);
        for action in &CATALOG {
            let _ = writeln!(
                out,
                "{:width$}  {:6}  {}",
                action.name,
                action.effect.as_str(),
                action.summary
            );
        }
    } else {
        for (id, text) in source::BUILTIN {
            let checked = resolve::check(&SourceFile::new(*id, *text));
            let (title, steps) = checked
                .playbook
                .map_or(("(invalid)".to_owned(), 0), |p| (p.title, p.steps.len()));
            let _ = writeln!(out, "{id}  {title} ({steps} steps)");
        }
    }
    print(&out)?;
    Ok(Exit::Success)
}
