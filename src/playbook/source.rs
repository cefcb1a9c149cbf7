//! Where a playbook's text comes from: a file on disk or a playbook built into the binary.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest playbook irp reads. The shipped playbook is about 40 kB; anything near this
/// limit is a mistake or an attack, and refusing it before reading keeps `validate` fast.
pub const MAX_PLAYBOOK_BYTES: u64 = 2 * 1024 * 1024;

/// The playbooks embedded in the binary, so `irp plan network-change` works from any folder.
pub const BUILTIN: &[(&str, &str)] = &[(
    "network-change",
    include_str!("../../playbooks/network-change.yaml"),
)];

/// A playbook's text with its name, and a line index for turning byte offsets into
/// line and column.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user typed it, or `builtin:<id>`.
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// Why a playbook's text could not be had at all (exit code 2), as opposed to a problem in
/// the text (a diagnostic, exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no playbook file or built-in playbook named `{0}` (built-in: {list})", list = builtin_ids().join(", "))]
    NotFound(String),
}

/// What reading a file gave: its text, or a refusal that is reported as a diagnostic.
pub enum Loaded {
    Text(SourceFile),
    /// The file is larger than [`MAX_PLAYBOOK_BYTES`]; its size.
    TooLarge(SourceFile, u64),
    /// The file is not UTF-8; the byte offset of the first bad byte.
    NotUtf8(SourceFile, usize),
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, column + 1)
    }

    /// Byte offset of a 1-based line and column (in characters).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

pub fn builtin_ids() -> Vec<&'static str> {
    BUILTIN.iter().map(|(id, _)| *id).collect()
}

pub fn builtin(id: &str) -> Option<SourceFile> {
    BUILTIN
        .iter()
        .find(|(name, _)| *name == id)
        .map(|(name, text)| SourceFile::new(format!("builtin:{name}"), *text))
}

/// Reads a playbook file, refusing one over [`MAX_PLAYBOOK_BYTES`] before reading it whole.
pub fn read_file(path: &Path) -> Result<Loaded, SourceError> {
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_PLAYBOOK_BYTES {
        return Ok(Loaded::TooLarge(SourceFile::new(name, ""), size));
    }
    // The size can change between stat and read (a growing file, a pipe): read one byte past
    // the limit to notice.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_PLAYBOOK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_PLAYBOOK_BYTES {
        return Ok(Loaded::TooLarge(
            SourceFile::new(name, ""),
            bytes.len() as u64,
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Loaded::Text(SourceFile::new(name, text))),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Ok(Loaded::NotUtf8(SourceFile::new(name, text), at))
        }
    }
}

/// Finds the playbook files under the given paths: files as given, folders searched
/// recursively for `*.yaml` and `*.yml`, in a stable (sorted) order.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SourceError> {
    let mut found = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| SourceError::Io {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut found)?;
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), SourceError> {
    let io = |source| SourceError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, found)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            found.push(path);
        }
    }
    Ok(())
}
