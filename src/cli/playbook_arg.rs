//! A PLAYBOOK argument: a file when one exists at that path, else a built-in playbook's id.
//! Its diagnostics are printed to stderr; errors make the command fail.

use std::path::Path;

use super::app::CliError;
use crate::playbook::model::Playbook;
use crate::playbook::resolve::{self, Checked};
use crate::playbook::source::{self, Loaded, SourceError, SourceFile};
use crate::report;

/// Reads a playbook file or a built-in one.
pub fn source(arg: &str) -> Result<Loaded, SourceError> {
    let path = Path::new(arg);
    if path.exists() {
        return source::read_file(path);
    }
    source::builtin(arg)
        .map(Loaded::Text)
        .ok_or_else(|| SourceError::NotFound(arg.to_owned()))
}

/// The refusal of a file that cannot be a playbook, as a diagnostic on that file.
pub fn refusal(loaded: Loaded) -> (SourceFile, Checked) {
    use crate::playbook::diagnostics::Diagnostic;
    match loaded {
        Loaded::Text(source) => {
            let checked = resolve::check(&source);
            (source, checked)
        }
        Loaded::TooLarge(source, size) => {
            let diagnostic = Diagnostic::error(
                "input-budget",
                format!(
                    "the file is {size} bytes; irp reads playbooks of at most {} bytes",
                    source::MAX_PLAYBOOK_BYTES
                ),
            )
            .label(0..0, "refused before reading");
            (
                source,
                Checked {
                    playbook: None,
                    diagnostics: vec![diagnostic],
                },
            )
        }
        Loaded::NotUtf8(source, at) => {
            let diagnostic = Diagnostic::error("not-utf8", "the file is not UTF-8 text")
                .label(at..at, "this byte is not UTF-8");
            (
                source,
                Checked {
                    playbook: None,
                    diagnostics: vec![diagnostic],
                },
            )
        }
    }
}

/// A playbook ready to plan: its warnings shown, its errors fatal.
pub fn load(arg: &str, color: bool) -> Result<Playbook, CliError> {
    load_with_source(arg, color).map(|(playbook, _)| playbook)
}

/// A playbook and the text it came from (which a case keeps).
pub fn load_with_source(arg: &str, color: bool) -> Result<(Playbook, SourceFile), CliError> {
    let (source, checked) = refusal(self::source(arg)?);
    if !checked.diagnostics.is_empty() {
        eprint!(
            "{}",
            report::human::render(&source, &checked.diagnostics, color)
        );
    }
    match checked.playbook {
        Some(playbook) => Ok((playbook, source)),
        None => Err(CliError::InvalidPlaybook(source.name.clone())),
    }
}
