//! irp: an incident-response runbook executor for AWS.
//!
//! The pipeline (DESIGN.md section 1): a playbook file is loaded into a spanned YAML tree,
//! checked against the format's JSON Schema, resolved into the validated model, and turned
//! into an execution plan that `plan` prints and, in later stages, the runner executes.

// A step's error keeps service, operation, code, message and request id by value; it is made
// once per failed step, so its size is no cost worth boxing it for.
#![allow(clippy::result_large_err)]

pub mod action;
pub mod cli;
pub mod event;
pub mod evidence;
pub mod exec;
pub mod playbook;
pub mod report;

pub use cli::app::run;
