//! GitHub Actions workflow commands: each diagnostic an `::error` or `::warning`
//! annotation on its file, line and column.

use crate::playbook::diagnostics::{Diagnostic, Severity};
use crate::playbook::source::SourceFile;

/// Escapes a message as GitHub's workflow-command parser expects.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(source: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let (line, column) = source.line_col(d.offset());
        let (end_line, end_column) = d
            .labels
            .first()
            .map_or((line, column), |l| source.line_col(l.span.end));
        let mut message = d.message.clone();
        if let Some(label) = d.labels.first() {
            message.push_str(&format!(": {}", label.text));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{level} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}\n",
            property(&source.name),
            property(&format!("irp {}", d.code)),
            data(&message)
        ));
    }
    out
}
