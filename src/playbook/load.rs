//! Load: YAML text to the spanned node tree, within input budgets.
//!
//! serde-saphyr does the parsing: it rejects duplicate keys and enforces the budget below,
//! so a billion-laughs file, a 10,000-deep nesting or a flood of nodes is refused quickly
//! with a clear error instead of a hang. File size is refused earlier, in `source.rs`.

use super::diagnostics::Diagnostic;
use super::node::Node;
use super::source::SourceFile;

/// Budgets sized for playbooks: the shipped one has about 3,000 nodes and nests 7 deep.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 64,
            flow_nesting_limit: 64,
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
    if source.text.trim().is_empty() {
        return Err(
            Diagnostic::error("empty-file", "the playbook file is empty")
                .label(0..0, "nothing here")
                .help("a playbook starts with `irp: 1`, `id:`, `title:` and `steps:`"),
        );
    }
    serde_saphyr::from_str_with_options::<Node>(&source.text, options())
        .map_err(|error| yaml_diagnostic(source, &error))
}

fn yaml_diagnostic(source: &SourceFile, error: &serde_saphyr::Error) -> Diagnostic {
    let location = error.location();
    let offset = location.map_or(0, |l| {
        l.span().byte_offset().map_or_else(
            || source.offset_of(l.line() as usize, l.column() as usize),
            |o| o as usize,
        )
    });
    let mut message = error.render();
    let (code, label) = if matches!(error, serde_saphyr::Error::Budget { .. })
        || message.contains("budget breached")
        || message.contains("recursion limit")
    {
        ("input-budget", "refused here")
    } else if message.contains("duplicate") {
        ("duplicate-key", "duplicate key")
    } else {
        ("yaml-syntax", "here")
    };
    // serde-saphyr appends the location to its message; ours is in the label.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let diagnostic = Diagnostic::error(code, message).label(offset..offset, label);
    match code {
        "input-budget" => diagnostic
            .help("playbooks are small: irp refuses deep nesting, many aliases and huge documents"),
        _ => diagnostic,
    }
}
