//! The serde mirror of a playbook file, and the JSON Schema generated from it.
//!
//! These types are the one definition of the format: `irp schema` prints their schema, the
//! loader checks files against it (which is how every unknown key, missing key and wrong type
//! is found in one pass, each at its place), and serde then reads the checked JSON into them.
//! Spans are not kept here but in the node tree (`node.rs`), found again by JSON pointer.

use std::sync::OnceLock;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::diagnostics::{Diagnostic, did_you_mean};
use super::model::{Approval, InputType, OnFailure, Phase, Question};
use super::node::Node;

/// An irp playbook: the steps of an incident response, by NIST SP 800-61 phase.
///
/// The step and input types are parameters so that the loader can read the file's outer
/// shape first and each step on its own, reporting a broken step without losing the others.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Playbook")]
pub struct RawPlaybook<S = RawStep, I = RawInput> {
    /// The format version: 1.
    #[schemars(range(min = 1, max = 1))]
    pub irp: u32,
    /// The playbook's id (kebab-case), as typed after `irp run`.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"))]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// Where the playbook comes from, and its licence.
    #[serde(default)]
    pub source: Option<RawSource>,
    #[serde(default)]
    pub classification: Option<RawClassification>,
    /// What suggests this playbook applies.
    #[serde(default)]
    pub indicators: Option<RawIndicators>,
    /// What the responder works towards.
    #[serde(default)]
    pub objectives: Option<RawObjectives>,
    /// Named values the steps use as `{{ inputs.<name> }}`.
    #[serde(default)]
    pub inputs: IndexMap<String, I>,
    /// The steps; a step runs once every step it `needs` has succeeded.
    pub steps: Vec<S>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: String,
    pub url: String,
    /// An SPDX licence id, such as `CC-BY-4.0`.
    pub license: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawClassification {
    pub category: String,
    /// Tactics, techniques and procedures.
    #[serde(default)]
    pub ttps: Vec<String>,
    #[serde(default)]
    pub resources: Vec<String>,
    #[serde(default)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub log_sources: Vec<String>,
    #[serde(default)]
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIndicators {
    /// Signs a person may notice.
    #[serde(default)]
    pub signs: Vec<String>,
    /// GuardDuty finding types, spelled as GuardDuty spells them.
    #[serde(default)]
    pub guardduty: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawObjectives {
    #[serde(default)]
    pub determine: Vec<String>,
    #[serde(default)]
    pub recover: Vec<String>,
    #[serde(default)]
    pub improve: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawInput {
    #[serde(rename = "type")]
    pub ty: InputType,
    /// The value when none is given; it must have the input's type.
    #[serde(default)]
    pub default: Option<serde_json::Value>,
    /// Whether a value must be given; an input with a default never needs one.
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    /// Unique within the playbook, snake_case, so templates name it without quoting.
    #[schemars(regex(pattern = r"^[a-z][a-z0-9_]*$"))]
    pub id: String,
    pub phase: Phase,
    pub title: String,
    /// What the responder reads before the step runs (Markdown).
    #[serde(default)]
    pub guide: Option<String>,
    /// The steps that must succeed before this one starts.
    #[serde(default)]
    pub needs: Vec<String>,
    /// An action of the catalog (`irp list --actions`), or `manual`.
    pub action: String,
    /// The action's parameters; strings may be MiniJinja templates over `inputs` and
    /// `steps.<id>.output`.
    #[serde(default)]
    pub with: Option<serde_json::Map<String, serde_json::Value>>,
    /// A template; the step runs only when it is true.
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    #[schemars(regex(pattern = r"^([0-9]+(ms|s|m|h|d|w))+$"))]
    pub timeout: Option<String>,
    /// Retries of retryable errors (throttling, timeouts), with exponential backoff.
    #[serde(default)]
    #[schemars(range(max = 10))]
    pub retries: Option<u32>,
    #[serde(default)]
    pub on_failure: Option<OnFailure>,
    /// `required` by default for a change; a change cannot be set to `none`.
    #[serde(default)]
    pub approval: Option<Approval>,
    /// For `manual` steps: what to ask; the answers are recorded.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// For `manual` steps: what to do and tick off.
    #[serde(default)]
    pub checklist: Vec<String>,
}

/// The JSON Schema of the format, as `irp schema` prints it.
pub fn schema() -> &'static serde_json::Value {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(RawPlaybook).to_value())
}

/// The compiled format schema, built once.
pub fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::validator_for(schema()).expect("the generated playbook schema compiles")
    })
}

/// Checks a JSON value against a schema and reports each problem at its place in the file.
///
/// `base` is the JSON pointer of `instance` in the file (empty for the whole file);
/// `skip` says which values not to judge (template strings, whose type is known only when
/// they are rendered).
pub fn schema_diagnostics(
    tree: &Node,
    instance: &serde_json::Value,
    schema: &serde_json::Value,
    validator: &jsonschema::Validator,
    base: &str,
    skip: &dyn Fn(&serde_json::Value) -> bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for error in validator.iter_errors(instance) {
        let path = error.instance_path().as_str().to_owned();
        let pointer = format!("{base}{path}");
        let value = instance.pointer(&path).unwrap_or(&serde_json::Value::Null);
        if skip(value) {
            continue;
        }
        let at = tree.at_pointer(&pointer);
        let span = at.map_or(0..0, |(n, _)| n.span.clone());
        let rule = schema_at(schema, error.schema_path().as_str());
        let parent = schema_at(schema, parent_path(error.schema_path().as_str()));
        let what = describe(tree, &pointer);
        use jsonschema::error::ValidationErrorKind as K;
        match error.kind() {
            K::AdditionalProperties { unexpected } => {
                let known: Vec<String> = parent
                    .and_then(|p| p.get("properties"))
                    .and_then(|p| p.as_object())
                    .map(|p| p.keys().cloned().collect())
                    .unwrap_or_default();
                for key in unexpected {
                    let key_pointer = format!("{pointer}/{}", escape(key));
                    let key_span = tree
                        .at_pointer(&key_pointer)
                        .and_then(|(_, k)| k.map(|k| k.span.clone()))
                        .unwrap_or(span.clone());
                    let help = did_you_mean(key, known.iter().map(String::as_str))
                        .unwrap_or_else(|| format!("the keys of {what} are: {}", known.join(", ")));
                    out.push(
                        Diagnostic::error("unknown-key", format!("unknown key `{key}` in {what}"))
                            .label(key_span, "unknown key")
                            .help(help),
                    );
                }
            }
            K::Required { property } => {
                let key = property.as_str().unwrap_or_default();
                out.push(
                    Diagnostic::error("missing-key", format!("missing key `{key}` in {what}"))
                        .label(span.start..span.start, format!("`{key}` is required here")),
                );
            }
            K::Type { .. } => {
                let expected = rule.map_or_else(|| "another type".to_owned(), type_names);
                out.push(
                    Diagnostic::error(
                        "wrong-type",
                        format!(
                            "wrong type for {what}: expected {expected}, found {}",
                            json_kind(value)
                        ),
                    )
                    .label(span, format!("expected {expected}")),
                );
            }
            K::Enum { options } => {
                let options: Vec<String> = options
                    .as_array()
                    .map(|o| o.iter().map(show).collect())
                    .unwrap_or_default();
                let mut diagnostic = Diagnostic::error(
                    "wrong-value",
                    format!("{} is not a valid value for {what}", show(value)),
                )
                .label(span, format!("expected one of {}", options.join(", ")));
                if let Some(help) = value
                    .as_str()
                    .and_then(|v| did_you_mean(v, options.iter().map(|o| o.trim_matches('`'))))
                {
                    diagnostic = diagnostic.help(help);
                }
                out.push(diagnostic);
            }
            K::Pattern { pattern } => {
                let (message, label) = pattern_message(pattern, value, &what);
                out.push(Diagnostic::error("wrong-value", message).label(span, label));
            }
            K::Minimum { .. } | K::Maximum { .. } if pointer == "/irp" => out.push(
                Diagnostic::error(
                    "format-version",
                    format!("unsupported format version {value}: this irp reads version 1"),
                )
                .label(span, "expected 1"),
            ),
            K::AnyOf { .. } | K::OneOfNotValid { .. } | K::OneOfMultipleValid { .. } => {
                let expected = parent
                    .and_then(|p| p.get("description"))
                    .and_then(|d| d.as_str())
                    .map(|d| d.trim_end_matches('.').to_owned())
                    .unwrap_or_else(|| "one of the allowed forms".to_owned());
                out.push(
                    Diagnostic::error("wrong-type", format!("{} does not fit {what}", show(value)))
                        .label(span, format!("expected {}", lowercase_first(&expected))),
                );
            }
            _ => out.push(
                Diagnostic::error("wrong-value", format!("{what}: {error}"))
                    .label(span, error.to_string()),
            ),
        }
    }
    out
}

/// The JSON pointers of every value the format's schema rejects; an unknown key's pointer
/// names the key. The resolver drops these values to check the rest of a broken step.
pub fn invalid_pointers(instance: &serde_json::Value) -> Vec<String> {
    use jsonschema::error::ValidationErrorKind as K;
    let mut pointers = Vec::new();
    for error in validator().iter_errors(instance) {
        let path = error.instance_path().as_str().to_owned();
        match error.kind() {
            K::AdditionalProperties { unexpected } => {
                pointers.extend(unexpected.iter().map(|k| format!("{path}/{}", escape(k))));
            }
            K::Required { property } => {
                pointers.push(format!("{path}/{}", property.as_str().unwrap_or_default()));
            }
            _ => pointers.push(path),
        }
    }
    pointers
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn parent_path(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// The schema object at a path of the schema, following `$ref`s as the validator did.
fn schema_at<'a>(root: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    let mut node = root;
    for segment in path.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment == "$ref" {
            let target = node.get("$ref")?.as_str()?.strip_prefix('#')?;
            node = root.pointer(target)?;
            continue;
        }
        node = match node {
            serde_json::Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => node.get(&segment)?,
        };
    }
    Some(node)
}

/// The place a pointer names, for messages: ``step `scan` ``, ``input `since` ``, `the playbook`.
/// A step is named by its id when it has one, else by its position.
pub fn describe(tree: &Node, pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let ordinal = |index: &str| {
        tree.at_pointer(&format!("/steps/{index}/id"))
            .and_then(|(n, _)| n.as_str())
            .map_or_else(|| ordinal(index), |id| format!("`{id}`"))
    };
    match parts.as_slice() {
        [] => "the playbook".into(),
        ["steps", i] => format!("step {}", ordinal(i)),
        ["steps", i, "with", rest @ ..] if !rest.is_empty() => {
            format!("parameter `{}` of step {}", rest.join("."), ordinal(i))
        }
        ["steps", i, "with"] => format!("the parameters of step {}", ordinal(i)),
        ["steps", i, key, ..] => format!("`{key}` of step {}", ordinal(i)),
        ["inputs", name] => format!("input `{name}`"),
        ["inputs", name, key, ..] => format!("`{key}` of input `{name}`"),
        [key] => format!("`{key}`"),
        [first, .., last] => format!("`{last}` in `{first}`"),
    }
}

fn ordinal(index: &str) -> String {
    index
        .parse::<usize>()
        .map_or_else(|_| index.to_owned(), |i| (i + 1).to_string())
}

fn type_names(rule: &serde_json::Value) -> String {
    let name = |t: &serde_json::Value| match t.as_str().unwrap_or_default() {
        "array" => "a list",
        "object" => "a mapping",
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "true or false",
        "null" => "nothing",
        _ => "a value",
    };
    match rule {
        serde_json::Value::Array(types) => types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .map(name)
            .collect::<Vec<_>>()
            .join(" or "),
        t => name(t).to_owned(),
    }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "nothing",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(n) if n.is_f64() => "a number",
        serde_json::Value::Number(_) => "an integer",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a mapping",
    }
}

fn show(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => format!("`{s}`"),
        serde_json::Value::Array(_) => "this list".into(),
        serde_json::Value::Object(_) => "this mapping".into(),
        other => format!("`{other}`"),
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

/// Messages for the patterns of the format, which say more than the regular expression.
fn pattern_message(pattern: &str, value: &serde_json::Value, what: &str) -> (String, String) {
    let shown = show(value);
    if pattern == super::model::DURATION_PATTERN {
        (
            format!("{shown} is not a duration ({what})"),
            "expected a duration such as 30s, 15m, 1h or 7d".into(),
        )
    } else if pattern == r"^[a-z][a-z0-9_]*$" {
        (
            format!("step id {shown} is not snake_case"),
            "lowercase letters, digits and `_`, starting with a letter".into(),
        )
    } else if pattern == r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$" {
        (
            format!("playbook id {shown} is not kebab-case"),
            "lowercase letters and digits separated by `-`".into(),
        )
    } else {
        (
            format!("{shown} is not a valid value for {what}"),
            format!("expected a value matching {pattern}"),
        )
    }
}
