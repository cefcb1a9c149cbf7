//! `irp schema`: the JSON Schema of the playbook format, for editors and CI.

use super::app::{Outcome, print};
use super::exit::Exit;
use crate::playbook::raw;

/// The schema as `irp schema` prints it and `schema/playbook.schema.json` keeps it.
pub fn text() -> String {
    serde_json::to_string_pretty(raw::schema()).expect("schemas serialize") + "\n"
}

pub fn run() -> Outcome {
    print(&text())?;
    Ok(Exit::Success)
}
