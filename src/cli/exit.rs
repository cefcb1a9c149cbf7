//! The exit codes, chosen in this one place and documented in the README.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything went as asked: the playbooks are valid, the plan was printed.
    Success = 0,
    /// `validate` found a problem in a playbook, a step failed, or a case does not verify.
    Problems = 1,
    /// The command could not do its work: bad usage, an unreadable file, or (for commands
    /// other than `validate`) a playbook with errors.
    Usage = 2,
    /// A step waits for an approval or for answers: `irp run --resume CASE` goes on.
    Waiting = 3,
    /// Ctrl-C stopped the run; the case is consistent and resumable.
    Interrupted = 4,
    /// Evidence could not be recorded: the case is incomplete.
    Incomplete = 5,
}

impl From<crate::event::Outcome> for Exit {
    fn from(outcome: crate::event::Outcome) -> Exit {
        use crate::event::Outcome;
        match outcome {
            Outcome::Succeeded => Exit::Success,
            Outcome::Failed => Exit::Problems,
            Outcome::Waiting => Exit::Waiting,
            Outcome::Interrupted => Exit::Interrupted,
            Outcome::Incomplete => Exit::Incomplete,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
