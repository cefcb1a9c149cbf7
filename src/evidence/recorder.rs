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

    /// Writes an evidence file (secrets redacted) and returns the event that names it, for
    /// the caller to emit once the file is durable.
    pub fn write_evidence(&mut self, evidence: Evidence<'_>) -> io::Result<RunEvent> {
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
        let dir = self.root.join(EVIDENCE).join(evidence.step);
        if !dir.exists() {
            std::fs::create_dir_all(&dir)?;
            durable::sync_dir(&self.root.join(EVIDENCE))?;
        }
        let bytes = serde_json::to_vec_pretty(&body).map_err(io::Error::other)?;
        durable::create_new(&dir.join(&name), &bytes, true)?;
        Ok(RunEvent::new(EventKind::EvidenceRecorded {
            step: evidence.step.to_owned(),
            file: format!("{EVIDENCE}/{}/{name}", evidence.step),
            sha256: sha256_hex(&bytes),
            bytes: bytes.len() as u64,
            redacted,
        }))
    }
}
