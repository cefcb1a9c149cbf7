//! Templates: MiniJinja expressions over `inputs` and `steps.<id>.output`.
//!
//! The environment is sandboxed: it has no loader, so a template cannot read files or
//! include other templates, and no function reads the environment. A parameter that is one
//! whole `{{ expression }}` keeps the expression's type (a list stays a list); any other
//! string with `{{` renders to a string.

use std::ops::Range;

use minijinja::{Environment, UndefinedBehavior};

/// A name a template reads: `inputs.<name>`, `steps.<id>.output.<field>`, or anything else
/// (which is an error: only `inputs` and `steps` exist).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reference {
    Input(String),
    /// A step's output, and the field read from it if one is named.
    Step {
        id: String,
        field: Option<String>,
    },
    /// `steps.<id>` read without `.output`.
    StepOther {
        id: String,
        attribute: String,
    },
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    /// Where in the template text, when MiniJinja says.
    pub range: Option<Range<usize>>,
}

/// The one environment every template is compiled and rendered in.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // A misspelt output field is an error at run time, not a silent empty string.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
}

/// Whether a string is a template at all.
pub fn is_template(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// The expression of a string that is exactly one `{{ ... }}`, which keeps its type.
pub fn whole_expression(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then_some(inner)
}

/// Parses a template and lists the names it reads.
pub fn references(env: &Environment<'_>, text: &str) -> Result<Vec<Reference>, TemplateError> {
    let names = match whole_expression(text) {
        Some(expr) => env
            .compile_expression(expr)
            .map_err(|e| error(&e, text, Some(expr)))?
            .undeclared_variables(true),
        None => env
            .template_from_str(text)
            .map_err(|e| error(&e, text, None))?
            .undeclared_variables(true),
    };
    Ok(classify_all(env, names))
}

/// Parses a `when` condition as `condition` reads it (one expression, in `{{ }}` or bare)
/// and lists the names it reads.
pub fn condition_references(
    env: &Environment<'_>,
    text: &str,
) -> Result<Vec<Reference>, TemplateError> {
    let expr = whole_expression(text).unwrap_or(text);
    let names = env
        .compile_expression(expr)
        .map_err(|e| error(&e, text, Some(expr)))?
        .undeclared_variables(true);
    Ok(classify_all(env, names))
}

/// The references among the names a template reads without defining them. MiniJinja's
/// global functions (`range`, `dict`, `namespace`, ...) are among those names, but they
/// exist in every template: they are not references.
fn classify_all(env: &Environment<'_>, names: impl IntoIterator<Item = String>) -> Vec<Reference> {
    let is_global = |name: &str| {
        let root = name.split('.').next().unwrap_or(name);
        env.globals().any(|(global, _)| global == root)
    };
    let mut refs: Vec<Reference> = names
        .into_iter()
        .filter(|n| !is_global(n))
        .map(|n| classify(&n))
        .collect();
    refs.sort();
    refs
}

fn classify(name: &str) -> Reference {
    let parts: Vec<&str> = name.split('.').collect();
    match parts.as_slice() {
        ["inputs", input, ..] => Reference::Input((*input).to_owned()),
        ["steps", id, "output", field, ..] => Reference::Step {
            id: (*id).to_owned(),
            field: Some((*field).to_owned()),
        },
        ["steps", id, "output"] | ["steps", id] => Reference::Step {
            id: (*id).to_owned(),
            field: None,
        },
        ["steps", id, attribute, ..] => Reference::StepOther {
            id: (*id).to_owned(),
            attribute: (*attribute).to_owned(),
        },
        _ => Reference::Unknown(name.to_owned()),
    }
}

fn error(e: &minijinja::Error, text: &str, expr: Option<&str>) -> TemplateError {
    // For a whole expression, MiniJinja's range is within the expression: shift it to the
    // template text.
    let shift = expr.map_or(0, |expr| expr.as_ptr() as usize - text.as_ptr() as usize);
    let message = e
        .detail()
        .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
    TemplateError {
        message,
        range: e.range().map(|r| r.start + shift..r.end + shift),
    }
}

/// Renders a value: every template string in it is rendered against the context, a whole
/// expression keeping its type. Values without templates are returned as they are.
pub fn render(
    env: &Environment<'_>,
    value: &serde_json::Value,
    context: &minijinja::Value,
) -> Result<serde_json::Value, TemplateError> {
    use serde_json::Value as J;
    Ok(match value {
        J::String(text) if is_template(text) => render_str(env, text, context)?,
        J::Array(items) => J::Array(
            items
                .iter()
                .map(|i| render(env, i, context))
                .collect::<Result<_, _>>()?,
        ),
        J::Object(map) => J::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), render(env, v, context)?)))
                .collect::<Result<_, TemplateError>>()?,
        ),
        other => other.clone(),
    })
}

fn render_str(
    env: &Environment<'_>,
    text: &str,
    context: &minijinja::Value,
) -> Result<serde_json::Value, TemplateError> {
    let to_json = |v: minijinja::Value| {
        serde_json::to_value(&v).map_err(|e| TemplateError {
            message: format!("the value cannot be used as a parameter: {e}"),
            range: None,
        })
    };
    match whole_expression(text) {
        Some(expr) => {
            let compiled = env
                .compile_expression(expr)
                .map_err(|e| error(&e, text, Some(expr)))?;
            let value = compiled
                .eval(context.clone())
                .map_err(|e| error(&e, text, Some(expr)))?;
            to_json(value)
        }
        None => {
            let rendered = env
                .render_str(text, context.clone())
                .map_err(|e| error(&e, text, None))?;
            Ok(serde_json::Value::String(rendered))
        }
    }
}

/// Evaluates a `when` condition: MiniJinja's truthiness of the expression.
pub fn condition(
    env: &Environment<'_>,
    text: &str,
    context: &minijinja::Value,
) -> Result<bool, TemplateError> {
    let expr = whole_expression(text).unwrap_or(text);
    let compiled = env
        .compile_expression(expr)
        .map_err(|e| error(&e, text, Some(expr)))?;
    let value = compiled
        .eval(context.clone())
        .map_err(|e| error(&e, text, Some(expr)))?;
    Ok(value.is_true())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_classified() {
        let env = environment();
        let refs = references(
            &env,
            "{{ steps.scan.output.findings | length > 0 and inputs.regions }}",
        )
        .unwrap();
        assert_eq!(
            refs,
            vec![
                Reference::Input("regions".into()),
                Reference::Step {
                    id: "scan".into(),
                    field: Some("findings".into())
                },
            ]
        );
    }

    #[test]
    fn loop_variables_are_not_references() {
        let env = environment();
        let refs = references(&env, "{% for k in inputs.keys %}{{ k }}{% endfor %}").unwrap();
        assert_eq!(refs, vec![Reference::Input("keys".into())]);
    }

    #[test]
    fn global_functions_are_not_references() {
        let env = environment();
        let text =
            "{% for i in range(2) %}{{ dict(a=1) }}{{ namespace() }}{% endfor %}{{ inputs.x }}";
        assert_eq!(
            references(&env, text).unwrap(),
            vec![Reference::Input("x".into())]
        );
    }

    #[test]
    fn a_whole_expression_keeps_its_type() {
        let env = environment();
        let ctx = minijinja::context! { inputs => minijinja::context! { ports => vec![80, 443] } };
        let value = render(&env, &serde_json::json!("{{ inputs.ports }}"), &ctx).unwrap();
        assert_eq!(value, serde_json::json!([80, 443]));
        let text = render(
            &env,
            &serde_json::json!("ports {{ inputs.ports[0] }}"),
            &ctx,
        )
        .unwrap();
        assert_eq!(text, serde_json::json!("ports 80"));
    }

    #[test]
    fn a_syntax_error_has_a_range_in_the_text() {
        let env = environment();
        let err = references(&env, "{{ inputs.regions | }}").unwrap_err();
        assert!(err.message.contains("syntax error"), "{}", err.message);
        assert!(err.range.is_some());
    }

    #[test]
    fn a_bare_condition_has_its_error_range_in_its_own_text() {
        let env = environment();
        let text = "steps.scan.output.count >";
        let err = condition_references(&env, text).unwrap_err();
        let range = err.range.expect("a range");
        assert!(range.start <= text.len(), "{range:?} is past the text");
        let braced = condition_references(&env, "{{ steps.scan.output.count > 0 }}").unwrap();
        assert_eq!(
            braced,
            condition_references(&env, "steps.scan.output.count > 0").unwrap()
        );
    }

    #[test]
    fn an_undefined_field_fails_rendering() {
        let env = environment();
        let ctx = minijinja::context! { inputs => minijinja::context! {} };
        assert!(render(&env, &serde_json::json!("{{ inputs.nope.deeper }}"), &ctx).is_err());
    }
}
