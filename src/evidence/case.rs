//! The case directory: where a run keeps its evidence.
//!
//! ```text
//! cases/2026-12-04T13-28-55Z-network-change-7f3a/
//!   case.json  playbook.yaml  journal.jsonl  evidence/<step>/...  SHA256SUMS  report.md
//! ```
//! `case.json` and `playbook.yaml` are written once at the start and never changed.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::durable;
use super::journal::sha256_hex;
use crate::event::Mode;

pub const CASE_JSON: &str = "case.json";
pub const PLAYBOOK: &str = "playbook.yaml";
pub const JOURNAL: &str = "journal.jsonl";
pub const MANIFEST: &str = "SHA256SUMS";
pub const REPORT: &str = "report.md";
pub const EVIDENCE: &str = "evidence";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaybookRef {
    pub id: String,
    pub sha256: String,
    /// Where it was loaded from: `builtin:<id>` or the path given.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseInfo {
    pub id: String,
    pub playbook: PlaybookRef,
    pub tool_version: String,
    pub mode: Mode,
    /// Who ran it: the AWS identity where known, else the local user.
    pub operator: String,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// The inputs the run started with, resolved; a resume runs with the same ones.
    #[serde(default)]
    pub inputs: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub root: PathBuf,
    pub info: CaseInfo,
}

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{0}: not a case folder (no case.json)")]
    NotACase(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{0}: another irp is working on this case; wait for it to finish")]
    InUse(PathBuf),
    #[error("{path}: case.json does not parse: {message}")]
    BadCaseJson { path: PathBuf, message: String },
}

/// A case id that sorts by time: `2026-12-04T13-28-55Z-network-change-7f3a`.
pub fn new_id(playbook: &str) -> String {
    let now = std::time::SystemTime::now();
    let stamp = humantime::format_rfc3339_seconds(now)
        .to_string()
        .replace(':', "-");
    let nanos = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let salt = sha256_hex(format!("{nanos}-{}", std::process::id()).as_bytes());
    format!("{stamp}-{playbook}-{}", &salt[..4])
}

impl Case {
    /// Creates the case folder under `base` with its `case.json` and `playbook.yaml`.
    pub fn create(base: &Path, info: CaseInfo, playbook_text: &str) -> Result<Self, CaseError> {
        let root = base.join(&info.id);
        let io = |source| CaseError::Io {
            path: root.clone(),
            source,
        };
        std::fs::create_dir_all(base).map_err(io)?;
        std::fs::create_dir(&root).map_err(io)?;
        std::fs::create_dir(root.join(EVIDENCE)).map_err(io)?;
        let json = serde_json::to_string_pretty(&info).expect("case info serializes") + "\n";
        durable::create_new(&root.join(CASE_JSON), json.as_bytes(), true).map_err(io)?;
        durable::create_new(&root.join(PLAYBOOK), playbook_text.as_bytes(), true).map_err(io)?;
        durable::sync_dir(base).map_err(io)?;
        Ok(Self { root, info })
    }

    pub fn open(root: &Path) -> Result<Self, CaseError> {
        let path = root.join(CASE_JSON);
        let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => CaseError::NotACase(root.to_path_buf()),
            _ => CaseError::Io {
                path: path.clone(),
                source: e,
            },
        })?;
        let info = serde_json::from_str(&text).map_err(|e| CaseError::BadCaseJson {
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok(Self {
            root: root.to_path_buf(),
            info,
        })
    }

    pub fn journal_path(&self) -> PathBuf {
        self.root.join(JOURNAL)
    }

    pub fn sha256_of(&self, name: &str) -> io::Result<String> {
        Ok(sha256_hex(&std::fs::read(self.root.join(name))?))
    }
}

/// Every file of a case, relative to its root, sorted; temporary files of interrupted writes
/// are left out.
pub fn list_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    walk(root, Path::new(""), &mut files)?;
    files.sort();
    Ok(files)
}

fn walk(root: &Path, relative: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(root.join(relative))? {
        let entry = entry?;
        let name = relative.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            walk(root, &name, files)?;
        } else if !is_temporary(&name) {
            files.push(name);
        }
    }
    Ok(())
}

/// A temporary file of a durable write (`.<name>.<pid>.<n>.tmp`), or the case's lock file:
/// what an interrupted write or a running irp leaves, not part of the evidence. Only these
/// exact shapes, so that other dot-files are still seen by `verify`.
pub fn is_temporary(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if path == Path::new(LOCK) {
        return true;
    }
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let mut parts = inner.rsplitn(3, '.');
    let (n, pid) = (parts.next(), parts.next());
    let digits =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    digits(n) && digits(pid) && parts.next().is_some_and(|base| !base.is_empty())
}

/// Held (flock) by the irp process working on a case, so that two cannot write one.
pub const LOCK: &str = ".lock";

/// An exclusive lock on a case folder, released when dropped.
pub struct CaseLock(#[allow(dead_code)] std::fs::File);

impl CaseLock {
    pub fn take(root: &Path) -> Result<Self, CaseError> {
        use std::os::fd::AsRawFd;
        let path = root.join(LOCK);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| CaseError::Io {
                path: path.clone(),
                source,
            })?;
        // SAFETY: flock on a descriptor we own.
        let locked = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0;
        if !locked {
            return Err(CaseError::InUse(root.to_path_buf()));
        }
        Ok(Self(file))
    }
}
