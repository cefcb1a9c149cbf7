//! `SHA256SUMS`: every file of a case with its sha256, in the format `sha256sum -c` checks.
//! Written when a run ends (sealing the case), removed when a resume begins.

use std::io;
use std::path::{Path, PathBuf};

use super::case::{MANIFEST, list_files};
use super::durable;
use super::journal::sha256_hex;

pub fn write(root: &Path) -> io::Result<()> {
    let mut text = String::new();
    for relative in list_files(root)? {
        if relative == Path::new(MANIFEST) {
            continue;
        }
        let bytes = std::fs::read(root.join(&relative))?;
        text.push_str(&format!("{}  {}\n", sha256_hex(&bytes), relative.display()));
    }
    durable::replace(&root.join(MANIFEST), text.as_bytes())
}

/// The entries of the manifest, or `None` when the case is not sealed.
pub fn read(root: &Path) -> io::Result<Option<Vec<(String, PathBuf)>>> {
    let text = match std::fs::read_to_string(root.join(MANIFEST)) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(
        text.lines()
            .filter_map(|l| l.split_once("  "))
            .map(|(hash, path)| (hash.to_owned(), PathBuf::from(path)))
            .collect(),
    ))
}

/// Unseals a case before more is recorded in it.
pub fn remove(root: &Path) -> io::Result<()> {
    match std::fs::remove_file(root.join(MANIFEST)) {
        Ok(()) => durable::sync_dir(root),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}
