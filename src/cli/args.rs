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
    after_help = "Exit codes: 0 success; 1 problems found (validate), a step failed, or a case \
        does not verify; 2 usage, I/O or playbook error; 3 a step waits for approval or answers; \
        4 interrupted; 5 evidence could not be recorded."
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
    /// Run a playbook: for real, or with --dry-run as a tabletop walkthrough.
    Run(RunArgs),
    /// Inspect a case folder.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Write a case's report again (report.md), or print it as JSON.
    Report {
        /// The case folder.
        case: PathBuf,
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
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

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// A built-in playbook's id or a playbook file; with --resume, the case's playbook by
    /// default.
    #[arg(required_unless_present = "resume")]
    pub playbook: Option<String>,
    /// A tabletop walkthrough: no AWS call and no credentials; every step shown, questions
    /// asked, approvals shown; recorded in a case marked dry-run. (A resume keeps the case's
    /// mode.)
    #[arg(long, conflicts_with = "resume")]
    pub dry_run: bool,
    /// Set an input: `--input since=30d`. Lists are comma-separated.
    #[arg(long = "input", short = 'i', value_name = "KEY=VALUE")]
    pub inputs: Vec<String>,
    /// Answers to manual steps' questions (YAML: step id -> list of answers, or question ->
    /// answer), for runs without a terminal.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Approve a change step in advance (repeatable); its preview is still shown and journalled.
    #[arg(long, value_name = "STEP")]
    pub approve: Vec<String>,
    /// Continue a case: completed steps are not run again.
    #[arg(long, value_name = "CASE")]
    pub resume: Option<PathBuf>,
    /// Run only this step (repeatable), with the steps it needs.
    #[arg(long, value_name = "STEP")]
    pub only: Vec<String>,
    /// Run only the steps of this phase (repeatable), with the steps they need.
    #[arg(long, value_name = "PHASE", value_parser = parse_phase)]
    pub phase: Vec<crate::playbook::model::Phase>,
    /// How many independent steps may run at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Where cases are kept.
    #[arg(long, default_value = "cases", value_name = "DIR")]
    pub case_dir: PathBuf,
    #[arg(long, value_enum, default_value_t = EventFormat::Human)]
    pub format: EventFormat,
}

fn parse_phase(text: &str) -> Result<crate::playbook::model::Phase, String> {
    use crate::playbook::model::Phase;
    Phase::ALL
        .into_iter()
        .find(|p| p.as_str() == text)
        .ok_or_else(|| {
            format!(
                "not a phase; phases are {}",
                Phase::ALL.map(|p| p.as_str()).join(", ")
            )
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventFormat {
    /// A live view on stderr.
    Human,
    /// One event per line (JSON) on stdout.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Recompute every hash and the journal's chain; name what was edited, removed, added or
    /// reordered. Exit 0 intact, 1 not.
    Verify {
        case: PathBuf,
        #[arg(long, value_enum, default_value_t = EventFormat::Human)]
        format: EventFormat,
    },
    /// The case's timeline.
    Show { case: PathBuf },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}
