//! The one integration test binary: irp's binary run in a temporary folder with a cleared
//! environment, through the builder in `irp.rs`.

mod irp;
mod testkit;

mod budgets;
mod cli;
mod crash;
#[cfg(feature = "test-actions")]
mod crash_changes;
mod fixtures;
mod loader_props;
mod network_change;
mod plan;
mod run_cli;
mod runner;
mod schema;
mod tamper;
mod validate;
