//! `irp case verify`: recomputes every hash and the journal's chain, and names each file
//! edited, removed or added and each journal line changed, removed or reordered.
//!
//! A case whose run was cut short (a crash, a kill) is accepted up to its last complete
//! line: it is unsealed (no SHA256SUMS), which `verify` notes, not a problem.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::case::{CASE_JSON, Case, EVIDENCE, JOURNAL, MANIFEST, PLAYBOOK, REPORT, list_files};
use super::journal::{self, GENESIS, sha256_hex};
use super::manifest;
use crate::event::EventKind;

#[derive(Debug, Default, Serialize)]
pub struct Verification {
    /// What was tampered with; empty when the case is intact.
    pub problems: Vec<String>,
    /// What is worth knowing but is not tampering (an unsealed case, a torn last line).
    pub notes: Vec<String>,
    pub lines: usize,
    pub files: usize,
    pub sealed: bool,
    /// The last line's sequence number and sha256: a chain cannot vouch for its own end, so
    /// this is what to keep outside the case.
    pub head: Option<(u64, String)>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

pub fn verify(case: &Case) -> io::Result<Verification> {
    let root = &case.root;
    let mut v = Verification::default();
    let read = journal::read(&root.join(JOURNAL))?;
    v.lines = read.lines.len();
    v.head = read
        .lines
        .iter()
        .max_by_key(|l| l.seq)
        .map(|l| (l.seq, sha256_hex(l.raw.as_bytes())));
    chain(&read, &mut v);

    // What the journal says each file should be.
    let mut expected: BTreeMap<PathBuf, String> = BTreeMap::new();
    for event in read.events() {
        match &event.kind {
            EventKind::EvidenceRecorded { file, sha256, .. }
            | EventKind::EvidenceRecovered { file, sha256, .. } => {
                expected.insert(PathBuf::from(file), sha256.clone());
            }
            EventKind::RunStarted {
                playbook_sha256,
                case_sha256,
                ..
            } => {
                expected.insert(PathBuf::from(PLAYBOOK), playbook_sha256.clone());
                expected.insert(PathBuf::from(CASE_JSON), case_sha256.clone());
            }
            _ => {}
        }
    }
    let on_disk: BTreeSet<PathBuf> = list_files(root)?.into_iter().collect();
    v.files = on_disk.len();
    // Each file is named once, with the first thing found wrong with it.
    let mut wrong: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (file, sha) in &expected {
        if !on_disk.contains(file) {
            wrong.insert(file.clone(), format!("{} was removed", file.display()));
        } else if &sha256_hex(&std::fs::read(root.join(file))?) != sha {
            wrong.insert(
                file.clone(),
                format!(
                    "{} was edited: its sha256 differs from the journal's",
                    file.display()
                ),
            );
        }
    }
    let known = |p: &Path| {
        // case.json and playbook.yaml exist before the first journal line names them.
        [JOURNAL, MANIFEST, REPORT, CASE_JSON, PLAYBOOK]
            .iter()
            .any(|f| p == Path::new(f))
            || expected.contains_key(p)
    };
    let mut announced: BTreeSet<PathBuf> = BTreeSet::new();
    for u in super::recorder::unrecorded(root, &read) {
        let file = PathBuf::from(&u.file);
        if u.matches {
            v.notes.push(format!(
                "{} was written just before the run stopped and is not recorded yet; `--resume` records it",
                u.file
            ));
        } else {
            wrong.insert(
                file.clone(),
                format!(
                    "{} was edited: it is not what the journal announced",
                    u.file
                ),
            );
        }
        announced.insert(file);
    }
    for file in &on_disk {
        if !known(file) && !announced.contains(file) {
            let place = if file.starts_with(EVIDENCE) {
                "evidence file"
            } else {
                "file"
            };
            wrong.insert(
                file.clone(),
                format!(
                    "{place} {} was added: the journal records no such file",
                    file.display()
                ),
            );
        }
    }
    match manifest::read(root)? {
        Some(entries) => {
            v.sealed = true;
            let listed: HashMap<&PathBuf, &String> = entries.iter().map(|(h, p)| (p, h)).collect();
            for (path, hash) in &listed {
                if wrong.contains_key(*path) {
                    continue;
                }
                if !on_disk.contains(*path) {
                    wrong.insert((*path).clone(), format!("{} was removed (SHA256SUMS lists it)", path.display()));
                } else if &&sha256_hex(&std::fs::read(root.join(path))?) != hash {
                    wrong.insert((*path).clone(), format!("{} was edited: it no longer matches SHA256SUMS", path.display()));
                }
            }
            for file in &on_disk {
                if file != Path::new(MANIFEST) && !listed.contains_key(file) && !wrong.contains_key(file) {
                    wrong.insert(file.clone(), format!("{} was added after the case was sealed", file.display()));
                }
            }
        }
        None => v.notes.push(
            "the case is not sealed (no SHA256SUMS): its run stopped before it finished; `irp run --resume` continues it".into(),
        ),
    }
    v.problems.extend(wrong.into_values());
    if let Some(torn) = &read.torn {
        v.notes.push(format!(
            "the journal ends in a torn line of {} bytes (a crash while writing it); the lines before it verify, and `--resume` cuts it off",
            torn.len()
        ));
    }
    Ok(v)
}

/// The hash chain: every line links to the one before by sha256 and carries the next
/// sequence number.
fn chain(read: &journal::Read, v: &mut Verification) {
    for number in &read.unreadable {
        v.problems.push(format!(
            "journal line {number} is not a journal line: it was changed"
        ));
    }
    let lines = &read.lines;
    // Out of order: a sequence number lower than the one before it.
    for pair in lines.windows(2) {
        if pair[1].seq < pair[0].seq {
            v.problems.push(format!(
                "journal lines {} and {} are out of order (seq {} comes before seq {})",
                pair[0].number, pair[1].number, pair[0].seq, pair[1].seq
            ));
        }
    }
    let mut by_seq: Vec<&journal::ReadLine> = lines.iter().collect();
    by_seq.sort_by_key(|l| l.seq);
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_owned();
    let mut prev_line: Option<&journal::ReadLine> = None;
    for line in by_seq {
        if line.seq > expected_seq {
            let missing = if line.seq - expected_seq == 1 {
                format!("seq {expected_seq}")
            } else {
                format!("seq {} to {}", expected_seq, line.seq - 1)
            };
            v.problems.push(format!(
                "journal line{} {missing} {} removed (before line {})",
                if line.seq - expected_seq == 1 {
                    ""
                } else {
                    "s"
                },
                if line.seq - expected_seq == 1 {
                    "was"
                } else {
                    "were"
                },
                line.number
            ));
        } else if line.seq < expected_seq {
            v.problems.push(format!(
                "journal seq {} appears twice (line {})",
                line.seq, line.number
            ));
        } else if line.prev != prev_hash {
            match prev_line {
                Some(prev) => v.problems.push(format!(
                    "journal line {} (seq {}) was changed: line {} no longer links to it",
                    prev.number, prev.seq, line.number
                )),
                None => v.problems.push(format!(
                    "journal line {} does not start the chain",
                    line.number
                )),
            }
        }
        expected_seq = line.seq + 1;
        prev_hash = sha256_hex(line.raw.as_bytes());
        prev_line = Some(line);
    }
}
