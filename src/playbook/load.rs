//! Load: YAML text to the spanned node tree, within input budgets.
//!
//! serde-saphyr does the parsing and enforces the budget below, so a billion-laughs file, a
//! 10,000-deep nesting or a flood of nodes is refused quickly with a clear error instead of
//! a hang. File size is refused earlier, in `source.rs`.

use serde_saphyr::budget::BudgetBreach;

use super::diagnostics::Diagnostic;
use super::node::{Node, Value};
use super::source::SourceFile;

/// How deep a playbook may nest; the shipped one nests 7 deep.
const MAX_DEPTH: usize = 64;

/// Budgets sized for playbooks: the shipped one has about 3,000 nodes.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_events: 500_000,
            max_nodes: 250_000,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_documents: 1,
            max_total_scalar_bytes: super::source::MAX_PLAYBOOK_BYTES as usize,
            max_recorded_anchor_events: 10_000,
            max_recorded_anchor_bytes: 4 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 50_000,
            max_replay_stack_depth: 16,
            max_alias_expansions_per_anchor: 1_000,
        },
        strict_booleans: true,
        with_snippet: false,
    }
}

/// Parses a playbook's text into its node tree, or says why it is not a YAML playbook.
pub fn parse(source: &SourceFile) -> Result<Node, Diagnostic> {
    let tree = serde_saphyr::from_str_with_options::<Node>(&source.text, options())
        .map_err(|error| yaml_diagnostic(source, &error))?;
    // An empty file, one of only comments or a lone `~` is a document with nothing in it.
    if tree.value == Value::Null {
        return Err(Diagnostic::error("empty-file", "the playbook is empty")
            .label(0..0, "nothing here")
            .help("a playbook starts with `irp: 1`, `id:`, `title:` and `steps:`"));
    }
    Ok(tree)
}

fn yaml_diagnostic(source: &SourceFile, error: &serde_saphyr::Error) -> Diagnostic {
    let location = error.location();
    let offset = location.map_or(0, |l| {
        l.span().byte_offset().map_or_else(
            || source.offset_of(l.line() as usize, l.column() as usize),
            |o| o as usize,
        )
    });
    if let Some(message) = budget_message(error) {
        return Diagnostic::error("input-budget", message)
            .label(offset..offset, "refused here")
            .help(
                "playbooks are small: irp refuses deep nesting, many aliases and huge documents",
            );
    }
    let mut message = error.render();
    // serde-saphyr appends the location to its message; ours is in the label.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let (code, label) = if message.contains("duplicate") {
        ("duplicate-key", "duplicate key")
    } else {
        ("yaml-syntax", "here")
    };
    Diagnostic::error(code, message).label(offset..offset, label)
}

/// What a breached input budget means, in words; `None` for any other error.
fn budget_message(error: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error as E;
    let aliases = "too many alias expansions (an alias bomb?)";
    let message = match error.without_snippet() {
        E::AliasError { error, .. } => return budget_message(error),
        E::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { .. } => {
                format!("the playbook nests deeper than {MAX_DEPTH} levels")
            }
            BudgetBreach::Documents { .. } => {
                "more than one YAML document: a playbook is one document".into()
            }
            BudgetBreach::Events { .. } | BudgetBreach::Nodes { .. } => {
                "too many YAML nodes and events for a playbook".into()
            }
            BudgetBreach::ScalarBytes { .. } | BudgetBreach::InputBytes { .. } => {
                "too much text for a playbook".into()
            }
            BudgetBreach::Aliases { .. }
            | BudgetBreach::Anchors { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => aliases.into(),
            _ => "the playbook is too large or too complex to read".into(),
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => aliases.into(),
        E::MultipleDocuments { .. } => {
            "more than one YAML document: a playbook is one document".into()
        }
        // The parser's own nesting limit (`flow_nesting_limit`).
        E::ExternalMessage { source, .. }
            if matches!(
                &**source,
                serde_saphyr::ExternalMessageSource::Parser(scan)
                    if *scan.kind() == serde_saphyr::granit_parser::ErrorKind::RecursionLimitExceeded
            ) =>
        {
            format!("the playbook nests deeper than {MAX_DEPTH} levels")
        }
        _ => return None,
    };
    Some(message)
}
