//! What was typed: the clap definition of every subcommand and flag. What it means is
//! worked out in each subcommand's file.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "irp",
    version,
    about = "Incident-response runbook executor for AWS",
    long_about = "Incident-response runbook executor for AWS.\n\n\
        Playbooks are YAML files of NIST SP 800-61 phase steps. `irp plan` shows what a playbook \
        would do, `irp validate` checks playbooks (in CI, say), and `irp list` shows the \
        playbooks built into irp.",
    after_help = "Exit codes: 0 success; 1 problems found (validate) or a step failed; \
        2 usage, I/O or playbook error."
)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check playbook files: every problem, with file, line and column.
    Validate {
        /// Playbook files, or folders searched recursively for *.yaml and *.yml.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
        format: DiagnosticFormat,
    },
    /// Show what a playbook would do: steps by phase, parameters, approvals, IAM actions.
    Plan {
        /// A built-in playbook's id (see `irp list`) or a playbook file.
        playbook: String,
        /// Set an input: `--input since=30d`. Lists are comma-separated.
        #[arg(long = "input", short = 'i', value_name = "KEY=VALUE")]
        inputs: Vec<String>,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
    },
    /// List the built-in playbooks, or with --actions the action catalog.
    List {
        /// List the actions a step may use instead.
        #[arg(long)]
        actions: bool,
    },
    /// Print the JSON Schema of the playbook format.
    Schema,
    /// Print a least-privilege IAM policy for a playbook: one statement for reads, one for
    /// changes.
    Permissions {
        /// A built-in playbook's id or a playbook file.
        playbook: String,
    },
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    /// Drawn for people, with the offending text labelled.
    Human,
    /// One JSON document.
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`).
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Json,
    /// A Mermaid flowchart (GitHub renders it).
    Mermaid,
    /// A Graphviz graph.
    Dot,
}
