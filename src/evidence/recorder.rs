//! The case recorder: the consumer of the event stream that writes each event as a journal
//! line, and the writer of evidence files, each durable before the event that names it.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

use super::case::{Case, EVIDENCE};
use super::durable;
use super::journal::{self, Journal, sha256_hex};
use super::redact::redact;
use crate::event::{EventKind, RunEvent};

pub struct Recorder {
    root: PathBuf,
    journal: Journal,
    /// The next evidence number of each step.
    counters: HashMap<String, u32>,
}

/// What a call returned, to keep as evidence.
pub struct Evidence<'a> {
    pub step: &'a str,
    pub service: &'a str,
    pub operation: &'a str,
    pub region: Option<&'a str>,
    pub body: serde_json::Value,
}

impl Recorder {
    /// Starts recording into a new case.
    pub fn create(case: &Case) -> io::Result<Self> {
        Ok(Self {
            root: case.root.clone(),
            journal: Journal::create(&case.journal_path())?,
            counters: HashMap::new(),
        })
    }

    /// Goes on recording into an existing case, after the last complete journal line. The
    /// bytes of a torn last line, cut off here, are returned for the caller to report.
    pub fn reopen(case: &Case) -> io::Result<(Self, journal::Read, Option<Vec<u8>>)> {
        let read = journal::read(&case.journal_path())?;
        let (journal, torn) = Journal::reopen(&case.journal_path(), &read)?;
        let mut counters: HashMap<String, u32> = HashMap::new();
        // Evidence numbers go on from the files already on disk, recorded or not, so that a
        // file left by a crash is never overwritten.
        let evidence = case.root.join(EVIDENCE);
        if let Ok(steps) = std::fs::read_dir(&evidence) {
            for step in steps.flatten() {
                let name = step.file_name().to_string_lossy().into_owned();
                let count = std::fs::read_dir(step.path()).map_or(0, |f| f.count()) as u32;
                counters.insert(name, count);
            }
        }
        for event in read.events() {
            if let EventKind::EvidenceRecorded { step, .. } = &event.kind {
                let n = counters.entry(step.clone()).or_default();
                *n = (*n).max(1);
            }
        }
        Ok((
            Self {
                root: case.root.clone(),
                journal,
                counters,
            },
            read,
            torn,
        ))
    }

    /// Writes one event as a journal line, durably.
    pub fn record(&mut self, event: &RunEvent) -> io::Result<()> {
        self.journal.append(event).map(|_| ())
    }

    /// Names and redacts an evidence file before it is written: the `EvidencePending` event
    /// to journal first, so that a crash between the file and its record leaves a file the
    /// journal announced, not one it has never heard of.
    pub fn prepare_evidence(&mut self, evidence: Evidence<'_>) -> io::Result<PendingEvidence> {
        let mut body = evidence.body;
        let redacted = redact(&mut body);
        let n = self.counters.entry(evidence.step.to_owned()).or_default();
        *n += 1;
        let name = match evidence.region {
            Some(region) => format!(
                "{n}-{}.{}-{region}.json",
                evidence.service, evidence.operation
            ),
            None => format!("{n}-{}.{}.json", evidence.service, evidence.operation),
        };
        let file = format!("{EVIDENCE}/{}/{name}", evidence.step);
        let bytes = serde_json::to_vec_pretty(&body).map_err(io::Error::other)?;
        Ok(PendingEvidence {
            pending: RunEvent::new(EventKind::EvidencePending {
                step: evidence.step.to_owned(),
                file: file.clone(),
                sha256: sha256_hex(&bytes),
                bytes: bytes.len() as u64,
            }),
            step: evidence.step.to_owned(),
            file,
            bytes,
            redacted,
        })
    }

    /// Writes a prepared evidence file durably and returns the event that records it.
    pub fn write_evidence(&mut self, evidence: PendingEvidence) -> io::Result<RunEvent> {
        let path = self.root.join(&evidence.file);
        let dir = path.parent().expect("evidence files live in a step folder");
        if !dir.exists() {
            std::fs::create_dir_all(dir)?;
            durable::sync_dir(&self.root.join(EVIDENCE))?;
        }
        durable::create_new(&path, &evidence.bytes, true)?;
        Ok(RunEvent::new(EventKind::EvidenceRecorded {
            step: evidence.step,
            file: evidence.file,
            sha256: sha256_hex(&evidence.bytes),
            bytes: evidence.bytes.len() as u64,
            redacted: evidence.redacted,
        }))
    }
}

/// An evidence file named and redacted, not yet written.
pub struct PendingEvidence {
    pub pending: RunEvent,
    step: String,
    file: String,
    bytes: Vec<u8>,
    redacted: Vec<String>,
}

/// An evidence file a crash left between its `EvidencePending` and its record.
pub struct Unrecorded {
    pub step: String,
    pub file: String,
    /// What the announcement said the file holds.
    pub sha256: String,
    pub bytes: u64,
    /// Whether the file on disk is what was announced.
    pub matches: bool,
}

/// Evidence files announced, on disk, and never recorded. A resume records those that match
/// their announcement as recovered; `verify` names those that do not.
pub fn unrecorded(root: &std::path::Path, read: &journal::Read) -> Vec<Unrecorded> {
    let mut pending: Vec<(String, String, String, u64)> = Vec::new();
    for event in read.events() {
        match &event.kind {
            EventKind::EvidencePending {
                step,
                file,
                sha256,
                bytes,
            } => pending.push((step.clone(), file.clone(), sha256.clone(), *bytes)),
            EventKind::EvidenceRecorded { file, .. }
            | EventKind::EvidenceRecovered { file, .. } => pending.retain(|(_, f, _, _)| f != file),
            _ => {}
        }
    }
    pending
        .into_iter()
        .filter_map(|(step, file, sha256, bytes)| {
            let on_disk = std::fs::read(root.join(&file)).ok()?;
            Some(Unrecorded {
                matches: sha256_hex(&on_disk) == sha256,
                step,
                file,
                sha256,
                bytes,
            })
        })
        .collect()
}
