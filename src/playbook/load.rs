//! Load: YAML text to the spanned node tree, within input budgets.
//!
//! serde-saphyr does the parsing and enforces the budget below, so a billion-laughs file, a
//! 10,000-deep nesting or a flood of nodes is refused quickly with a clear error instead of
//! a hang. File size is refused earlier, in `source.rs`. Duplicate keys are let through to
//! the tree and reported here, every one of them, so that one repeated key does not hide
//! the rest of the file's problems.

use std::collections::HashMap;

use serde_saphyr::budget::BudgetBreach;

use super::diagnostics::Diagnostic;
use super::node::{Key, Node, Value};
use super::raw;
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
        // Every entry reaches the node tree, repeated keys included: `duplicate_keys` below
        // reports each one, where the parser would stop at the first.
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        strict_booleans: true,
        with_snippet: false,
    }
}

/// Parses a playbook's text into its node tree, with the problems that do not stop the
/// checking (duplicate keys), or says why it is not a YAML playbook.
pub fn parse(source: &SourceFile) -> Result<(Node, Vec<Diagnostic>), Diagnostic> {
    let tree = serde_saphyr::from_str_with_options::<Node>(&source.text, options())
        .map_err(|error| yaml_diagnostic(source, &error))?;
    // An empty file, one of only comments or a lone `~` is a document with nothing in it.
    if tree.value == Value::Null {
        return Err(Diagnostic::error("empty-file", "the playbook is empty")
            .label(0..0, "nothing here")
            .help("a playbook starts with `irp: 1`, `id:`, `title:` and `steps:`"));
    }
    let mut duplicates = Vec::new();
    duplicate_keys(&tree, &tree, String::new(), &mut duplicates);
    Ok((tree, duplicates))
}

/// Reports every key given again in the same mapping, at the repeated key. The rest of irp
/// reads the first entry (see `Node::get` and `Node::to_json`), so the help says so.
fn duplicate_keys(root: &Node, node: &Node, pointer: String, out: &mut Vec<Diagnostic>) {
    match &node.value {
        Value::Map(entries) => {
            let mut first: HashMap<&str, &Key> = HashMap::new();
            for (key, value) in entries {
                if let Some(first) = first.get(key.name.as_str()) {
                    out.push(
                        Diagnostic::error(
                            "duplicate-key",
                            format!(
                                "key `{}` is given twice in {}",
                                key.name,
                                raw::describe(root, &pointer)
                            ),
                        )
                        .label(key.span.clone(), "given again here")
                        .label(first.span.clone(), "first defined here")
                        .help("a key appears once in a mapping; irp reads the first and ignores this one"),
                    );
                    // The repeated value is never read, so its contents are not checked.
                    continue;
                }
                first.insert(&key.name, key);
                let escaped = key.name.replace('~', "~0").replace('/', "~1");
                duplicate_keys(root, value, format!("{pointer}/{escaped}"), out);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                duplicate_keys(root, item, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
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
    Diagnostic::error("yaml-syntax", message).label(offset..offset, "here")
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
