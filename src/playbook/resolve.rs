//! Resolve: the checked file to the validated model, finding every problem on the way:
//! duplicate ids, `needs` naming no step, cycles, unknown actions, parameters that do not
//! fit their action, templates that do not parse or read what they may not, a change that
//! would run without approval, input defaults of the wrong type, and (a warning) a step that
//! needs a step of a later phase.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use indexmap::IndexMap;
use sha2::{Digest, Sha256};

use super::diagnostics::{Diagnostic, Severity, did_you_mean};
use super::graph::Graph;
use super::load;
use super::model::{Approval, Input, Phase, Playbook, Step, parse_duration};
use super::node::Node;
use super::raw::{self, RawInput, RawPlaybook, RawStep};
use super::source::SourceFile;
use super::template::{self, Reference};
use crate::action::catalog::{self, ActionDecl, Effect};

/// What checking a playbook gave: the model when there is no error, and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    pub playbook: Option<Playbook>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Loads, checks and resolves a playbook's text against irp's action catalog.
pub fn check(source: &SourceFile) -> Checked {
    check_with(source, &catalog::all())
}

/// Loads, checks and resolves a playbook against the given actions (tests add their own).
pub fn check_with(source: &SourceFile, actions: &[&'static ActionDecl]) -> Checked {
    let (tree, mut diagnostics) = match load::parse(source) {
        Ok(loaded) => loaded,
        Err(diagnostic) => {
            return Checked {
                playbook: None,
                diagnostics: vec![diagnostic],
            };
        }
    };
    let json = tree.to_json();
    diagnostics.extend(raw::schema_diagnostics(
        &tree,
        &json,
        raw::schema(),
        raw::validator(),
        "",
        &|_| false,
    ));
    let invalid = raw::invalid_pointers(&json);
    let playbook = match readable_outer(json, &invalid) {
        Some(outer) => {
            let mut resolver = Resolver {
                source,
                actions,
                tree: &tree,
                diagnostics: Vec::new(),
            };
            let playbook = resolver.resolve(outer, &invalid);
            diagnostics.append(&mut resolver.diagnostics);
            playbook
        }
        // There are no steps to check (`steps` is not a list, say): the schema said why.
        None => None,
    };
    diagnostics.sort_by_key(|d| (d.offset(), d.severity));
    diagnostics.dedup();
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    Checked {
        playbook: playbook.filter(|_| !has_errors),
        diagnostics,
    }
}

struct Resolver<'a> {
    source: &'a SourceFile,
    actions: &'a [&'static ActionDecl],
    tree: &'a Node,
    diagnostics: Vec<Diagnostic>,
}

/// A step that read well enough to be checked further.
struct Candidate {
    index: usize,
    raw: RawStep,
    /// `None` when the step's phase is not one (reported by the schema): `raw.phase` is
    /// then a placeholder, and no check may compare it.
    phase: Option<Phase>,
    action: Option<&'static ActionDecl>,
}

impl Resolver<'_> {
    fn span(&self, pointer: &str) -> Range<usize> {
        self.tree
            .at_pointer(pointer)
            .map_or(0..0, |(node, _)| node.span.clone())
    }

    fn key_span(&self, pointer: &str) -> Range<usize> {
        self.tree
            .at_pointer(pointer)
            .and_then(|(_, key)| key.map(|k| k.span.clone()))
            .unwrap_or_else(|| self.span(pointer))
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn resolve(
        &mut self,
        outer: RawPlaybook<serde_json::Value, serde_json::Value>,
        invalid: &[String],
    ) -> Option<Playbook> {
        let inputs = self.inputs(&outer.inputs);
        // Inputs that do not fit the schema were reported; their names still count as
        // declared, so that a template reading one is not reported a second time.
        let declared_inputs: Vec<&str> = outer.inputs.keys().map(String::as_str).collect();
        // Steps that do not fit the schema were reported; their ids still count, so that a
        // `needs` naming them is not reported a second time.
        let mut known_ids: Vec<String> = Vec::new();
        let mut candidates = Vec::new();
        for (index, value) in outer.steps.iter().enumerate() {
            if let Some(id) = value.get("id").and_then(|v| v.as_str()) {
                known_ids.push(id.to_owned());
            }
            if let Some(candidate) = readable_step(index, value, invalid) {
                candidates.push(candidate);
            }
        }
        for candidate in &mut candidates {
            candidate.action = self.action(candidate);
        }
        self.unique_ids(&candidates);
        self.needs_exist(&candidates, &known_ids);

        let edges: Vec<(&str, Vec<&str>)> = candidates
            .iter()
            .map(|c| {
                (
                    c.raw.id.as_str(),
                    c.raw.needs.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        let graph = Graph::new(&edges);
        self.cycles(&candidates, &graph);
        self.later_phase_needs(&candidates);

        let by_id: HashMap<&str, &Candidate> =
            candidates.iter().map(|c| (c.raw.id.as_str(), c)).collect();
        for (position, candidate) in candidates.iter().enumerate() {
            let ancestors: BTreeSet<&str> = graph
                .ancestors(position)
                .into_iter()
                .map(|i| candidates[i].raw.id.as_str())
                .collect();
            self.templates(candidate, &declared_inputs, &by_id, &ancestors, &known_ids);
        }

        let order = graph.order()?;
        let mut steps = Vec::with_capacity(candidates.len());
        for position in order {
            steps.push(self.step(&candidates[position])?);
        }
        if steps.len() != outer.steps.len() {
            return None;
        }
        Some(Playbook {
            id: outer.id,
            title: outer.title,
            summary: outer.summary,
            source: outer.source,
            classification: outer.classification,
            indicators: outer.indicators,
            objectives: outer.objectives,
            inputs,
            steps,
            sha256: format!("{:x}", Sha256::digest(self.source.text.as_bytes())),
        })
    }

    fn inputs(&mut self, raw: &IndexMap<String, serde_json::Value>) -> IndexMap<String, Input> {
        let mut inputs = IndexMap::new();
        for (name, value) in raw {
            let pointer = format!("/inputs/{name}");
            if !is_snake_case(name) {
                let span = self.key_span(&pointer);
                self.push(
                    Diagnostic::error(
                        "bad-input-name",
                        format!("input name `{name}` is not snake_case"),
                    )
                    .label(
                        span,
                        "lowercase letters, digits and `_`, starting with a letter",
                    )
                    .help("templates read inputs as `inputs.<name>`, so names must be identifiers"),
                );
            }
            let Ok(input) = serde_json::from_value::<RawInput>(value.clone()) else {
                continue;
            };
            let default = input.default.filter(|d| !d.is_null());
            if let Some(default) = &default
                && let Err(expected) = input.ty.check(default)
            {
                let span = self.span(&format!("{pointer}/default"));
                self.push(
                    Diagnostic::error(
                        "bad-default",
                        format!(
                            "the default of input `{name}` does not fit its type, `{}`",
                            input.ty.as_str()
                        ),
                    )
                    .label(span, expected),
                );
            }
            let required = default.is_none() && input.required.unwrap_or(true);
            inputs.insert(
                name.clone(),
                Input {
                    name: name.clone(),
                    ty: input.ty,
                    default,
                    required,
                    description: input.description,
                },
            );
        }
        inputs
    }

    fn unique_ids(&mut self, candidates: &[Candidate]) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for c in candidates {
            match first.get(c.raw.id.as_str()) {
                Some(&earlier) => {
                    let here = self.span(&format!("/steps/{}/id", c.index));
                    let there = self.span(&format!("/steps/{earlier}/id"));
                    self.push(
                        Diagnostic::error(
                            "duplicate-id",
                            format!("step id `{}` is used twice", c.raw.id),
                        )
                        .label(here, "used again here")
                        .label(there, "first used here"),
                    );
                }
                None => {
                    first.insert(&c.raw.id, c.index);
                }
            }
        }
    }

    fn needs_exist(&mut self, candidates: &[Candidate], known_ids: &[String]) {
        for c in candidates {
            for (j, need) in c.raw.needs.iter().enumerate() {
                if !known_ids.contains(need) {
                    let span = self.span(&format!("/steps/{}/needs/{j}", c.index));
                    let mut d = Diagnostic::error(
                        "unknown-need",
                        format!("step `{}` needs `{need}`, which is not a step", c.raw.id),
                    )
                    .label(span, "no step has this id");
                    if let Some(help) = did_you_mean(need, known_ids.iter().map(String::as_str)) {
                        d = d.help(help);
                    }
                    self.push(d);
                }
            }
        }
    }

    fn cycles(&mut self, candidates: &[Candidate], graph: &Graph<'_>) {
        for cycle in graph.cycles() {
            let path = graph.path_text(&cycle);
            let mut d =
                Diagnostic::error("cycle", format!("the steps' needs form a cycle: {path}"));
            for pair in cycle.windows(2) {
                let (from, to) = (&candidates[pair[0]], &candidates[pair[1]]);
                let j = from
                    .raw
                    .needs
                    .iter()
                    .position(|n| *n == to.raw.id)
                    .unwrap_or(0);
                let span = self.span(&format!("/steps/{}/needs/{j}", from.index));
                d = d.label(span, format!("`{}` needs `{}`", from.raw.id, to.raw.id));
            }
            self.push(
                d.help("a step can only run after the steps it needs; remove one of these needs"),
            );
        }
    }

    fn later_phase_needs(&mut self, candidates: &[Candidate]) {
        let phases: HashMap<&str, Phase> = candidates
            .iter()
            .filter_map(|c| Some((c.raw.id.as_str(), c.phase?)))
            .collect();
        for c in candidates {
            let Some(own) = c.phase else { continue };
            for (j, need) in c.raw.needs.iter().enumerate() {
                if let Some(&phase) = phases.get(need.as_str())
                    && phase > own
                {
                    let span = self.span(&format!("/steps/{}/needs/{j}", c.index));
                    self.push(
                        Diagnostic::warning(
                            "later-phase-need",
                            format!(
                                "step `{}` ({}) needs `{need}`, a step of a later phase ({})",
                                c.raw.id,
                                own.as_str(),
                                phase.as_str()
                            ),
                        )
                        .label(span, "needed from a later phase")
                        .help("phases run in NIST order; move one of the steps or drop the need"),
                    );
                }
            }
        }
    }

    /// The step's action, with its parameters, approval and manual-only keys checked.
    fn action(&mut self, c: &Candidate) -> Option<&'static ActionDecl> {
        let base = format!("/steps/{}", c.index);
        let found = self
            .actions
            .iter()
            .find(|a| a.name == c.raw.action)
            .copied();
        let Some(action) = found else {
            let span = self.span(&format!("{base}/action"));
            let help = did_you_mean(&c.raw.action, self.actions.iter().map(|a| a.name))
                .unwrap_or_else(|| "`irp list --actions` shows the catalog".to_owned());
            self.push(
                Diagnostic::error(
                    "unknown-action",
                    format!(
                        "step `{}` uses `{}`, which is not an action",
                        c.raw.id, c.raw.action
                    ),
                )
                .label(span, "unknown action")
                .help(help),
            );
            return None;
        };
        let manual = action.name == "manual";
        for (key, present, what_manual_does) in [
            ("questions", !c.raw.questions.is_empty(), "asks questions"),
            ("checklist", !c.raw.checklist.is_empty(), "has a checklist"),
        ] {
            if present && !manual {
                let span = self.key_span(&format!("{base}/{key}"));
                self.push(
                    Diagnostic::error(
                        "not-manual",
                        format!(
                            "`{key}` is for manual steps, and `{}` uses `{}`",
                            c.raw.id, action.name
                        ),
                    )
                    .label(span, format!("only `action: manual` {what_manual_does}"))
                    .help("split the human part into a step of its own with `action: manual`"),
                );
            }
        }
        if action.effect == Effect::Change && c.raw.approval == Some(Approval::None) {
            let span = self.span(&format!("{base}/approval"));
            self.push(
                Diagnostic::error(
                    "change-without-approval",
                    format!(
                        "step `{}` changes the account ({}), so it cannot run without approval",
                        c.raw.id, action.name
                    ),
                )
                .label(span, "a change always needs an approval of its preview")
                .help("remove `approval: none`; approve at the prompt or with `--approve STEP`"),
            );
        }
        let with = serde_json::Value::Object(c.raw.with.clone().unwrap_or_default());
        let pointer = format!("{base}/with");
        let problems = raw::schema_diagnostics(
            self.tree,
            &with,
            &action.schema(),
            action.validator(),
            &pointer,
            &|v| v.as_str().is_some_and(template::is_template),
        );
        // The messages already name the parameter and the action (`raw::describe`); the
        // codes say these are parameter problems.
        let problems: Vec<Diagnostic> = problems
            .into_iter()
            .map(|mut d| {
                d.code = match d.code {
                    "unknown-key" => "unknown-parameter",
                    "missing-key" => "missing-parameter",
                    _ => "bad-parameter",
                };
                if d.code == "missing-parameter" && c.raw.with.is_none() {
                    d.labels[0].span = self.key_span(&format!("{base}/action"));
                }
                d
            })
            .collect();
        self.diagnostics.extend(problems);
        Some(action)
    }

    fn templates(
        &mut self,
        c: &Candidate,
        inputs: &[&str],
        steps: &HashMap<&str, &Candidate>,
        ancestors: &BTreeSet<&str>,
        known_ids: &[String],
    ) {
        let env = template::environment();
        let base = format!("/steps/{}", c.index);
        let mut strings = Vec::new();
        if let Some((with, _)) = self.tree.at_pointer(&format!("{base}/with")) {
            with.strings(format!("{base}/with"), &mut strings);
        }
        if let Some((when, _)) = self.tree.at_pointer(&format!("{base}/when")) {
            strings.push((format!("{base}/when"), when));
        }
        for (pointer, node) in strings {
            let Some(text) = node.as_str() else { continue };
            // A `when` is always an expression, braced or not; other strings only when
            // they hold a template.
            let parsed = if pointer.ends_with("/when") {
                template::condition_references(&env, text)
            } else if template::is_template(text) {
                template::references(&env, text)
            } else {
                continue;
            };
            let refs = match parsed {
                Ok(refs) => refs,
                Err(e) => {
                    let span = self.inner_span(node, e.range.clone());
                    self.push(
                        Diagnostic::error(
                            "template-syntax",
                            format!("template does not parse: {}", e.message),
                        )
                        .label(span, "here"),
                    );
                    continue;
                }
            };
            let span = node.span.clone();
            for r in refs {
                if let Some(d) = self.reference(c, &r, inputs, steps, ancestors, known_ids) {
                    self.push(d.label(span.clone(), "in this template"));
                }
            }
        }
    }

    fn reference(
        &self,
        c: &Candidate,
        r: &Reference,
        inputs: &[&str],
        steps: &HashMap<&str, &Candidate>,
        ancestors: &BTreeSet<&str>,
        known_ids: &[String],
    ) -> Option<Diagnostic> {
        match r {
            Reference::Input(name) if !inputs.contains(&name.as_str()) => {
                let d = Diagnostic::error(
                    "unknown-input",
                    format!("`inputs.{name}` names no input of the playbook"),
                );
                let help = did_you_mean(name, inputs.iter().copied()).unwrap_or_else(|| {
                    if inputs.is_empty() {
                        "the playbook declares no inputs: declare it under `inputs:`".to_owned()
                    } else {
                        let names: Vec<String> = inputs.iter().map(|i| format!("`{i}`")).collect();
                        format!(
                            "declare it under `inputs:`; the playbook declares {}",
                            names.join(", ")
                        )
                    }
                });
                Some(d.help(help))
            }
            Reference::Input(_) => None,
            Reference::Step { id, .. } | Reference::StepOther { id, .. }
                if !known_ids.contains(id) =>
            {
                let d = Diagnostic::error("unknown-step", format!("`steps.{id}` names no step"));
                Some(match did_you_mean(id, known_ids.iter().map(String::as_str)) {
                    Some(help) => d.help(help),
                    None => d,
                })
            }
            Reference::Step { id, .. } | Reference::StepOther { id, .. }
                if !ancestors.contains(id.as_str()) =>
            {
                Some(
                    Diagnostic::error(
                        "step-not-needed",
                        format!(
                            "step `{}` reads `steps.{id}`, which is not among its needs",
                            c.raw.id
                        ),
                    )
                    .help(format!(
                        "add `{id}` to the `needs` of `{}`, so that its output exists when this step runs",
                        c.raw.id
                    )),
                )
            }
            Reference::StepOther { id, attribute } => Some(
                Diagnostic::error(
                    "unknown-output",
                    format!("`steps.{id}.{attribute}` is not a step's output"),
                )
                .help(format!("a step's results are read as `steps.{id}.output.<field>`")),
            ),
            Reference::Step {
                id,
                field: Some(field),
            } => {
                let action = steps.get(id.as_str()).and_then(|s| s.action)?;
                if action.outputs.contains(&field.as_str()) {
                    return None;
                }
                let d = Diagnostic::error(
                    "unknown-output",
                    format!(
                        "`steps.{id}.output.{field}`: `{}` has no output field `{field}`",
                        action.name
                    ),
                );
                Some(match did_you_mean(field, action.outputs.iter().copied()) {
                    Some(help) => d.help(help),
                    None => d.help(format!("its output fields are: {}", action.outputs.join(", "))),
                })
            }
            Reference::Step { field: None, .. } => None,
            // `steps['x']` or `inputs[name]`: the name exists, but what is read from it
            // is known only at run time.
            Reference::Unknown(name) if name == "steps" || name == "inputs" => Some(
                Diagnostic::error(
                    "unknown-variable",
                    format!("`{name}` is read by subscript or as a whole, which cannot be checked"),
                )
                .help(match name.as_str() {
                    "steps" => "only dotted names can be checked: write `steps.<id>.output.<field>`",
                    _ => "only dotted names can be checked: write `inputs.<name>`",
                }),
            ),
            Reference::Unknown(name) => Some(
                Diagnostic::error(
                    "unknown-variable",
                    format!("`{name}` is not defined: templates read `inputs` and `steps`"),
                )
                .help("write `inputs.<name>` or `steps.<id>.output.<field>`"),
            ),
        }
    }

    /// The span of a range within a string scalar, when the scalar is written plainly or
    /// quoted without escapes; the whole scalar otherwise.
    fn inner_span(&self, node: &Node, range: Option<Range<usize>>) -> Range<usize> {
        let (Some(range), Some(text)) = (range, node.as_str()) else {
            return node.span.clone();
        };
        let start = node.span.start;
        let quoted = matches!(self.source.text.as_bytes().get(start), Some(b'"' | b'\''));
        let base = start + usize::from(quoted);
        let written = self.source.text.get(base..base + range.end.min(text.len()));
        if written == text.get(..range.end.min(text.len())) {
            base + range.start..base + range.end.min(text.len())
        } else {
            node.span.clone()
        }
    }

    fn step(&mut self, c: &Candidate) -> Option<Step> {
        let action = c.action?;
        let phase = c.phase?;
        let raw = c.raw.clone();
        let timeout = match &raw.timeout {
            Some(text) => Some(parse_duration(text).ok()?),
            None => None,
        };
        let approval = raw.approval.unwrap_or(match action.effect {
            Effect::Change => Approval::Required,
            Effect::Read => Approval::None,
        });
        Some(Step {
            id: raw.id,
            phase,
            title: raw.title,
            guide: raw.guide,
            needs: raw.needs,
            action,
            with: raw.with.unwrap_or_default(),
            when: raw.when,
            timeout,
            retries: raw.retries.unwrap_or(0),
            on_failure: raw.on_failure.unwrap_or_default(),
            approval,
            questions: raw.questions,
            checklist: raw.checklist,
        })
    }
}

/// The file's outer shape as far as it can be read, so that a misspelt or broken top-level
/// key does not hide the problems of the steps: keys the schema rejected are left out, and
/// an `id` or `title` that is not a string is read as empty. Nothing is read when there are
/// no steps or the file is not of this format's version.
fn readable_outer(
    json: serde_json::Value,
    invalid: &[String],
) -> Option<RawPlaybook<serde_json::Value, serde_json::Value>> {
    let serde_json::Value::Object(mut outer) = json else {
        return None;
    };
    for pointer in invalid {
        let mut segments = pointer.split('/').skip(1);
        let key = segments.next()?.replace("~1", "/").replace("~0", "~");
        let own = segments.next().is_none();
        match key.as_str() {
            // The problems inside a step or an input are worked around one by one, later.
            "steps" | "inputs" if !own => {}
            "irp" | "steps" => return None,
            "id" | "title" if outer.get(&key).is_some_and(|v| v.is_string()) => {}
            "id" | "title" => {
                outer.insert(key, serde_json::Value::String(String::new()));
            }
            _ => {
                outer.remove(&key);
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(outer)).ok()
}

/// A step as far as it can be read: keys the schema rejected are left out, so the rest of
/// the step is still checked. An id that only breaks its pattern is still the step's name,
/// and a phase that is not one is read as unknown. A step whose id or action is missing or
/// not a string is not read: nothing could name it or check it.
fn readable_step(index: usize, value: &serde_json::Value, invalid: &[String]) -> Option<Candidate> {
    let candidate = |raw: RawStep, phase_known: bool| Candidate {
        index,
        phase: phase_known.then_some(raw.phase),
        raw,
        action: None,
    };
    if let Ok(raw) = serde_json::from_value::<RawStep>(value.clone()) {
        return Some(candidate(raw, true));
    }
    let prefix = format!("/steps/{index}/");
    let mut step = value.as_object()?.clone();
    let mut phase_known = true;
    for pointer in invalid {
        let Some(rest) = pointer.strip_prefix(&prefix) else {
            continue;
        };
        let key = rest
            .split('/')
            .next()
            .unwrap_or_default()
            .replace("~1", "/")
            .replace("~0", "~");
        match key.as_str() {
            "id" | "action" if step.get(&key).is_some_and(|v| v.is_string()) => {}
            "id" | "action" => return None,
            "phase" => {
                // Any phase will do to read the step; `phase_known` keeps it from being used.
                step.insert(key, serde_json::json!(Phase::Preparation));
                phase_known = false;
            }
            "title" => {
                step.insert(key, serde_json::Value::String(String::new()));
            }
            "with" if rest.contains('/') => {}
            _ => {
                step.remove(&key);
            }
        }
    }
    let raw = serde_json::from_value(serde_json::Value::Object(step)).ok()?;
    Some(candidate(raw, phase_known))
}

fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
