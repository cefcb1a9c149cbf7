//! The entry point: parse the arguments, run the subcommand, turn its outcome into an exit
//! code. User messages go to stderr; only a command's output goes to stdout.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use super::args::{Cli, Color, Command};
use super::exit::Exit;

/// What every subcommand returns: the exit it chose, or an error that ends the run with
/// exit code 2 (`Usage`).
pub type Outcome = Result<Exit, CliError>;

/// Why a command could not do its work.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Source(#[from] crate::playbook::source::SourceError),
    #[error(transparent)]
    Plan(#[from] crate::exec::plan::PlanError),
    #[error("{0} has errors (shown above); `irp validate` lists them all")]
    InvalidPlaybook(String),
    #[error("writing output: {0}")]
    Output(#[from] std::io::Error),
    #[error(transparent)]
    Case(#[from] crate::evidence::case::CaseError),
    #[error(transparent)]
    Answers(#[from] crate::exec::answers::AnswersError),
    #[error(transparent)]
    Selection(#[from] crate::exec::selection::UnknownStep),
    #[error("{0}")]
    Refused(String),
    #[error("recording the case: {0}")]
    Record(std::io::Error),
}

impl CliError {
    /// A case that cannot be written is evidence lost (5); anything else is usage (2).
    pub fn exit(&self) -> Exit {
        use crate::evidence::case::CaseError;
        match self {
            CliError::Record(_) | CliError::Case(CaseError::Io { .. }) => Exit::Incomplete,
            _ => Exit::Usage,
        }
    }
}

/// Writes a command's output to stdout. A closed pipe (`irp plan | head`) is not an error.
pub fn print(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    Exit::Success.into()
                }
                _ => Exit::Usage.into(),
            };
        }
    };
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    };
    let outcome = match cli.command {
        Command::Validate { paths, format } => super::validate::run(&paths, format, color),
        Command::Plan {
            playbook,
            inputs,
            format,
        } => super::plan::run(&playbook, &inputs, format, color),
        Command::Run(args) => super::run::run(args, color),
        Command::Case { command } => super::case::run(command),
        Command::Report { case, format } => super::report::run(&case, format),
        Command::List { actions } => super::list::run(actions),
        Command::Schema => super::schema::run(),
        Command::Permissions { playbook } => super::permissions::run(&playbook, color),
        Command::Completions { shell } => super::completions::run(shell),
    };
    match outcome {
        Ok(exit) => exit.into(),
        Err(error) => {
            eprintln!("irp: {error}");
            error.exit().into()
        }
    }
}
