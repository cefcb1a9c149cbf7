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
        let schema_path = error.schema_path().as_str();
        let rule = schema_at(schema, schema_path);
        let parent = schema_at(schema, parent_path(schema_path));
        let what = describe(tree, &pointer);
        use jsonschema::error::ValidationErrorKind as K;
        match error.kind() {
            K::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    out.push(unknown_key(tree, &pointer, key, parent));
                }
            }
            // `additionalProperties: false` with no property allowed at all (a manual
            // step's `with`) fails on the object's first value, as a false schema: every
            // key of that object is unknown.
            K::FalseSchema if schema_path.ends_with("/additionalProperties") => {
                for key in value.as_object().into_iter().flat_map(|o| o.keys()) {
                    out.push(unknown_key(tree, &pointer, key, parent));
                }
            }
            K::Required { property } => {
                let key = property.as_str().unwrap_or_default();
                let noun = key_noun(&pointer);
                out.push(
                    Diagnostic::error("missing-key", format!("missing {noun} `{key}` in {what}"))
                        .label(span.start..span.start, format!("`{key}` is required here")),
                );
            }
            K::Type { .. } => {
                let expected = rule.map_or_else(|| "another type".to_owned(), type_names);
                out.push(wrong_type(value, &expected, &what, span));
            }
            K::Enum { options } => {
                let options = options.as_array().cloned().unwrap_or_default();
                out.push(wrong_value(value, &options, &what, span));
            }
            K::Pattern { pattern } => {
                let examples = parent.and_then(|p| p.get("examples"));
                let (message, label) = pattern_message(pattern, value, &what, examples);
                out.push(Diagnostic::error("wrong-value", message).label(span, label));
            }
            K::Minimum { .. } | K::Maximum { .. } if pointer == "/irp" => out.push(
                Diagnostic::error(
                    "format-version",
                    format!("unsupported format version {value}: this irp reads version 1"),
                )
                .label(span, "expected 1"),
            ),
            K::AnyOf { .. } | K::OneOfNotValid { .. } => {
                // `parent` is the schema holding the alternatives.
                let alternatives = parent.unwrap_or(&serde_json::Value::Null);
                out.extend(alternatives_diagnostics(
                    tree,
                    value,
                    schema,
                    alternatives,
                    &pointer,
                    skip,
                    span,
                ));
            }
            _ => {
                let text = one_line(&error.to_string());
                out.push(
                    Diagnostic::error("wrong-value", format!("{what}: {text}")).label(span, text),
                );
            }
        }
    }
    out
}

/// A value that fits none of the alternatives of an `anyOf` or `oneOf`, which is what
/// schemars makes of an `Option<T>` (T or null) and of an enum with documented variants
/// (one `const` each). Saying only "does not fit" would hide what is wrong, so:
/// - when every alternative is a fixed value, the value is not one of them;
/// - when only one alternative takes a value of this JSON type (the `T` of an `Option<T>`,
///   the mapping form of a question), the value is checked against that alternative alone,
///   and its problems are reported at their places (an unknown key at the key);
/// - otherwise the value has the type of none of the alternatives.
fn alternatives_diagnostics(
    tree: &Node,
    value: &serde_json::Value,
    root: &serde_json::Value,
    alternatives: &serde_json::Value,
    pointer: &str,
    skip: &dyn Fn(&serde_json::Value) -> bool,
    span: std::ops::Range<usize>,
) -> Vec<Diagnostic> {
    let what = describe(tree, pointer);
    if let Some(options) = fixed_values(root, alternatives).filter(|o| !o.is_empty()) {
        return vec![wrong_value(value, &options, &what, span)];
    }
    let taking: Vec<&serde_json::Value> = alternatives_of(root, alternatives)
        .into_iter()
        .flatten()
        .filter(|alt| takes_type_of(root, alt, value))
        .collect();
    if let [alternative] = taking.as_slice()
        && let Some(sub) = alternative_schema(root, alternative)
        && let Ok(validator) = jsonschema::validator_for(&sub)
    {
        let found = schema_diagnostics(tree, value, &sub, &validator, pointer, skip);
        if !found.is_empty() {
            return found;
        }
    }
    let forms = forms(root, alternatives);
    // Several alternatives take a value of this type, and it fits none of them: which one
    // was meant cannot be told.
    if forms.is_empty() || !taking.is_empty() {
        return vec![
            Diagnostic::error("wrong-type", format!("{} does not fit {what}", show(value)))
                .label(span, "expected one of the allowed forms"),
        ];
    }
    vec![wrong_type(value, &join_or(&forms), &what, span)]
}

/// One alternative of a schema as a schema of its own: it may `$ref` the root's `$defs`.
fn alternative_schema(
    root: &serde_json::Value,
    alternative: &serde_json::Value,
) -> Option<serde_json::Value> {
    let mut sub = alternative.as_object()?.clone();
    for keyword in ["$schema", "$defs"] {
        if let Some(value) = root.get(keyword) {
            sub.entry(keyword).or_insert_with(|| value.clone());
        }
    }
    Some(serde_json::Value::Object(sub))
}

/// The schema a `$ref` names, or the schema itself.
fn resolve_ref<'a>(
    root: &'a serde_json::Value,
    schema: &'a serde_json::Value,
) -> &'a serde_json::Value {
    schema
        .get("$ref")
        .and_then(|r| r.as_str())
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|target| root.pointer(target))
        .map_or(schema, |target| resolve_ref(root, target))
}

fn is_null_schema(schema: &serde_json::Value) -> bool {
    schema.get("type").and_then(|t| t.as_str()) == Some("null")
}

/// The alternatives of an `anyOf` or `oneOf` schema, null left out.
fn alternatives_of<'a>(
    root: &'a serde_json::Value,
    schema: &'a serde_json::Value,
) -> Option<impl Iterator<Item = &'a serde_json::Value>> {
    let alternatives = schema.get("anyOf").or_else(|| schema.get("oneOf"))?;
    Some(
        alternatives
            .as_array()?
            .iter()
            .filter(move |alt| !is_null_schema(resolve_ref(root, alt))),
    )
}

/// The values a schema allows, when it allows only fixed values (`const`, `enum`, or
/// alternatives of those).
fn fixed_values(
    root: &serde_json::Value,
    schema: &serde_json::Value,
) -> Option<Vec<serde_json::Value>> {
    let schema = resolve_ref(root, schema);
    if let Some(value) = schema.get("const") {
        return Some(vec![value.clone()]);
    }
    if let Some(values) = schema.get("enum") {
        return values.as_array().cloned();
    }
    alternatives_of(root, schema)?
        .map(|alt| fixed_values(root, alt))
        .collect::<Option<Vec<_>>>()
        .map(|values| values.concat())
}

/// Whether a schema may take a value of this JSON type (one that says nothing of types may).
fn takes_type_of(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
) -> bool {
    let schema = resolve_ref(root, schema);
    let kind = json_type(value);
    let takes = |t: &serde_json::Value| {
        let t = t.as_str().unwrap_or_default();
        t == kind || (t == "number" && kind == "integer")
    };
    if let Some(types) = schema.get("type") {
        return match types {
            serde_json::Value::Array(types) => types.iter().any(takes),
            t => takes(t),
        };
    }
    if let Some(values) = fixed_values(root, schema) {
        return values.iter().any(|v| json_type(v) == kind);
    }
    alternatives_of(root, schema)
        .is_none_or(|mut alts| alts.any(|alt| takes_type_of(root, alt, value)))
}

/// What a schema takes, for people: its fixed values, or its types.
fn forms(root: &serde_json::Value, schema: &serde_json::Value) -> Vec<String> {
    let schema = resolve_ref(root, schema);
    if let Some(values) = fixed_values(root, schema) {
        return values.iter().map(show).collect();
    }
    match (schema.get("type"), alternatives_of(root, schema)) {
        (Some(types), _) => vec![type_names(types)],
        (None, Some(alts)) => alts.flat_map(|alt| forms(root, alt)).collect(),
        (None, None) => Vec::new(),
    }
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// An unknown key of the object at `pointer`, at the key, with the closest known key.
fn unknown_key(
    tree: &Node,
    pointer: &str,
    key: &str,
    object_schema: Option<&serde_json::Value>,
) -> Diagnostic {
    let what = describe(tree, pointer);
    let noun = key_noun(pointer);
    let known: Vec<&str> = object_schema
        .and_then(|p| p.get("properties"))
        .and_then(|p| p.as_object())
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let key_span = tree
        .at_pointer(&format!("{pointer}/{}", escape(key)))
        .and_then(|(_, k)| k.map(|k| k.span.clone()))
        .or_else(|| tree.at_pointer(pointer).map(|(n, _)| n.span.clone()))
        .unwrap_or(0..0);
    let help = if known.is_empty() {
        match step_action(tree, pointer) {
            Some(action) if noun == "parameter" => format!("`{action}` takes no parameters"),
            _ => format!("{what} takes no keys"),
        }
    } else {
        // `what` of a step's `with` is already "the parameters of step ...".
        let whose = match noun {
            "parameter" => what.clone(),
            _ => format!("the keys of {what}"),
        };
        did_you_mean(key, known.iter().copied())
            .unwrap_or_else(|| format!("{whose} are: {}", known.join(", ")))
    };
    Diagnostic::error("unknown-key", format!("unknown {noun} `{key}` in {what}"))
        .label(key_span, format!("unknown {noun}"))
        .help(help)
}

fn wrong_type(
    value: &serde_json::Value,
    expected: &str,
    what: &str,
    span: std::ops::Range<usize>,
) -> Diagnostic {
    Diagnostic::error(
        "wrong-type",
        format!(
            "wrong type for {what}: expected {expected}, found {}",
            json_kind(value)
        ),
    )
    .label(span, format!("expected {expected}"))
}

/// A value that is not one of a fixed list, with the closest if one is close.
fn wrong_value(
    value: &serde_json::Value,
    options: &[serde_json::Value],
    what: &str,
    span: std::ops::Range<usize>,
) -> Diagnostic {
    let options: Vec<String> = options.iter().map(show).collect();
    let diagnostic = Diagnostic::error(
        "wrong-value",
        format!("{} is not a valid value for {what}", show(value)),
    )
    .label(span, format!("expected one of {}", options.join(", ")));
    match value
        .as_str()
        .and_then(|v| did_you_mean(v, options.iter().map(|o| o.trim_matches('`'))))
    {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
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
    // Parameters belong to the step's action, which says what they may be.
    let action = || step_action(tree, pointer).map_or_else(String::new, |a| format!(" ({a})"));
    match parts.as_slice() {
        [] => "the playbook".into(),
        ["steps", i] => format!("step {}", ordinal(i)),
        ["steps", i, "with", rest @ ..] if !rest.is_empty() => format!(
            "parameter `{}` of step {}{}",
            rest.join("."),
            ordinal(i),
            action()
        ),
        ["steps", i, "with"] => format!("the parameters of step {}{}", ordinal(i), action()),
        ["steps", i, key, ..] => format!("`{key}` of step {}", ordinal(i)),
        ["inputs", name] => format!("input `{name}`"),
        ["inputs", name, key, ..] => format!("`{key}` of input `{name}`"),
        [key] => format!("`{key}`"),
        [first, .., last] => format!("`{last}` in `{first}`"),
    }
}

/// What a key of the object at `pointer` is called: a step's `with` holds its action's
/// parameters; any other mapping, keys.
fn key_noun(pointer: &str) -> &'static str {
    match pointer.split('/').skip(1).collect::<Vec<_>>().as_slice() {
        ["steps", _, "with"] => "parameter",
        _ => "key",
    }
}

/// The action of the step a pointer is in, if it names one.
fn step_action<'a>(tree: &'a Node, pointer: &str) -> Option<&'a str> {
    let index = pointer.strip_prefix("/steps/")?.split('/').next()?;
    tree.at_pointer(&format!("/steps/{index}/action"))?
        .0
        .as_str()
}

/// A message on one line: labels are drawn under one place in the file.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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

/// The JSON Schema type of a value.
fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(n) if n.is_f64() => "number",
        serde_json::Value::Number(_) => "integer",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
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

/// Messages for the patterns of the format, which say more than the regular expression.
/// `examples` are the schema's examples of the value, if it gives any.
fn pattern_message(
    pattern: &str,
    value: &serde_json::Value,
    what: &str,
    examples: Option<&serde_json::Value>,
) -> (String, String) {
    let shown = show(value);
    let example = examples
        .and_then(|e| e.as_array())
        .and_then(|e| e.first())
        .and_then(|e| e.as_str());
    if pattern == super::model::DURATION_PATTERN {
        (
            format!("{what} must be a duration, not {shown}"),
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
    } else if pattern.starts_with("^arn:") {
        (
            format!("{what} must be an ARN, not {shown}"),
            match example {
                Some(example) => format!("expected an ARN such as {example}"),
                None => "expected an ARN (`arn:aws:<service>:...`)".into(),
            },
        )
    } else {
        (
            format!("{shown} is not a valid value for {what}"),
            format!("expected a value matching {pattern}"),
        )
    }
}
