//! The exit codes, chosen in this one place and documented in the README.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything went as asked: the playbooks are valid, the plan was printed.
    Success = 0,
    /// `validate` found a problem in a playbook.
    Problems = 1,
    /// The command could not do its work: bad usage, an unreadable file, or (for commands
    /// other than `validate`) a playbook with errors.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
