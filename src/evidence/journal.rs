//! The journal: one `RunEvent` a line, append-only, each line carrying its sequence number
//! and the sha256 of the line before it, and fsynced before the next event happens.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::durable;
use crate::event::RunEvent;

/// The link of the first line: no line before it.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub seq: u64,
    /// sha256 of the previous line's bytes (without its newline).
    pub prev: String,
    #[serde(flatten)]
    pub event: RunEvent,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

pub struct Journal {
    file: File,
    next_seq: u64,
    prev: String,
    /// Length of the file up to its last good line.
    len: u64,
    /// Set by a failed write: nothing more is appended, so no line follows a broken one.
    broken: bool,
}

impl Journal {
    /// Starts a new journal; the file must not exist.
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(path)?;
        durable::sync_dir(path.parent().expect("a case folder"))?;
        Ok(Self {
            file,
            next_seq: 1,
            prev: GENESIS.to_owned(),
            len: 0,
            broken: false,
        })
    }

    /// Continues a journal after its last complete line. A torn last line (a crash during a
    /// write) is cut off first; its bytes are returned so that the cut can be journalled.
    pub fn reopen(path: &Path, read: &Read) -> io::Result<(Self, Option<Vec<u8>>)> {
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        let torn = if read.torn.is_some() {
            let keep = read.complete_bytes as u64;
            file.set_len(keep)?;
            file.sync_all()?;
            read.torn.clone()
        } else {
            None
        };
        let (next_seq, prev) = match read.lines.last() {
            Some(last) => (last.seq + 1, sha256_hex(last.raw.as_bytes())),
            None => (1, GENESIS.to_owned()),
        };
        Ok((
            Self {
                file,
                next_seq,
                prev,
                len: read.complete_bytes as u64,
                broken: false,
            },
            torn,
        ))
    }

    /// Appends an event as one line and makes it durable.
    pub fn append(&mut self, event: &RunEvent) -> io::Result<Line> {
        if self.broken {
            return Err(io::Error::other("an earlier journal write failed"));
        }
        let line = Line {
            seq: self.next_seq,
            prev: self.prev.clone(),
            event: event.clone(),
        };
        let text = serde_json::to_string(&line).map_err(io::Error::other)?;
        let mut bytes = text.clone().into_bytes();
        bytes.push(b'\n');
        // One write of the whole line: a crash leaves at most a torn last line, which
        // `verify` reports and `reopen` cuts off.
        if let Err(e) = self
            .file
            .write_all(&bytes)
            .and_then(|()| self.file.sync_data())
        {
            // Cut what may have been half written, and write no more.
            self.broken = true;
            let _ = self.file.set_len(self.len);
            return Err(e);
        }
        self.len += bytes.len() as u64;
        self.prev = sha256_hex(text.as_bytes());
        self.next_seq += 1;
        durable::checkpoint();
        Ok(line)
    }
}

/// A line as read back: its text, and its parse if it parsed.
#[derive(Debug, Clone)]
pub struct ReadLine {
    /// 1-based line number in the file.
    pub number: usize,
    pub raw: String,
    pub seq: u64,
    pub prev: String,
    pub event: Option<RunEvent>,
}

#[derive(Debug, Default)]
pub struct Read {
    pub lines: Vec<ReadLine>,
    /// Lines that are not journal lines at all (no seq/prev).
    pub unreadable: Vec<usize>,
    /// Bytes after the last newline: a line being written when the process died.
    pub torn: Option<Vec<u8>>,
    /// Length of the file up to and including the last newline.
    pub complete_bytes: usize,
}

impl Read {
    /// The events of the readable lines, in order.
    pub fn events(&self) -> impl Iterator<Item = &RunEvent> {
        self.lines.iter().filter_map(|l| l.event.as_ref())
    }
}

/// Reads a journal without judging it; `verify` judges. A case whose run died before its
/// first line has no journal yet: that reads as empty.
pub fn read(path: &Path) -> io::Result<Read> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    let complete = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut read = Read {
        complete_bytes: complete,
        torn: (complete < bytes.len()).then(|| bytes[complete..].to_vec()),
        ..Read::default()
    };
    let body = bytes[..complete].strip_suffix(b"\n").unwrap_or_default();
    let lines = if body.is_empty() {
        Vec::new()
    } else {
        body.split(|&b| b == b'\n').collect()
    };
    for (i, raw) in lines.into_iter().enumerate() {
        let raw = String::from_utf8_lossy(raw).into_owned();
        #[derive(Deserialize)]
        struct Head {
            seq: u64,
            prev: String,
        }
        match serde_json::from_str::<Head>(&raw) {
            Ok(head) => {
                let event = serde_json::from_str::<Line>(&raw).ok().map(|l| l.event);
                read.lines.push(ReadLine {
                    number: i + 1,
                    raw,
                    seq: head.seq,
                    prev: head.prev,
                    event,
                });
            }
            Err(_) => read.unreadable.push(i + 1),
        }
    }
    Ok(read)
}
