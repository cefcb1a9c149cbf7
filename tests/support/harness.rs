//! `irp-test`: the irp command line with the test actions of `tests/support/actions.rs`
//! added to its catalog, so that crash tests can kill a real process in the middle of
//! evidence writes and approved changes. Built only with `--features test-actions`
//! (`scripts/test` passes it); never installed.

// The in-process tests read the counters; this binary only registers the actions.
#[allow(dead_code)]
#[path = "actions.rs"]
mod actions;

fn main() -> std::process::ExitCode {
    let extra = actions::catalog()
        .into_iter()
        .filter(|a| a.name.starts_with("test."))
        .collect();
    irp::action::catalog::install(extra);
    irp::run()
}
