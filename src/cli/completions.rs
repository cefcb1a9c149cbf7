//! `irp completions SHELL`: a completion script from the clap definition.

use clap::CommandFactory;

use super::app::{Outcome, print};
use super::args::Cli;
use super::exit::Exit;

pub fn run(shell: clap_complete::Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "irp", &mut script);
    print(&String::from_utf8_lossy(&script))?;
    Ok(Exit::Success)
}
