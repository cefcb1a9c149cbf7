//! Durable writes: a file exists under its name only once its bytes are on disk.
//!
//! New files are written to a temporary name, fsynced, and linked to their final name, which
//! fails rather than replace an existing file; the folder is then fsynced so the name itself
//! survives a crash. Derived files (the manifest, the report) are replaced by rename.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes a new file durably; an existing file of that name is an error, never replaced.
pub fn create_new(path: &Path, bytes: &[u8], read_only: bool) -> io::Result<()> {
    let temp = synced_temp(path, bytes, read_only)?;
    // A hard link fails if the name exists: a file is never replaced, even in a race.
    let linked = fs::hard_link(&temp, path);
    let _ = fs::remove_file(&temp);
    linked?;
    finish(path)
}

/// Replaces a derived file (manifest, report) atomically.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = synced_temp(path, bytes, false)?;
    if let Err(e) = fs::rename(&temp, path) {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    finish(path)
}

/// The bytes in a temporary file beside `path`, on disk.
fn synced_temp(path: &Path, bytes: &[u8], read_only: bool) -> io::Result<std::path::PathBuf> {
    let temp = temp_name(path);
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if read_only {
            fs::set_permissions(&temp, fs::Permissions::from_mode(0o444))?;
        }
        Ok(())
    })();
    match written {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Makes the new name itself durable.
fn finish(path: &Path) -> io::Result<()> {
    sync_dir(path.parent().expect("case files live in a folder"))?;
    checkpoint();
    Ok(())
}

pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn temp_name(path: &Path) -> std::path::PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Called after every durable write (journal line or file). In debug builds, the crash tests
/// set `IRP_TEST_STOP_AFTER_WRITES=N`: after the N-th write the process stops itself
/// (SIGSTOP) so that the test can SIGKILL it at exactly that point. Release builds have no
/// such hook.
pub fn checkpoint() {
    #[cfg(debug_assertions)]
    {
        use std::sync::OnceLock;
        static STOP_AFTER: OnceLock<Option<u64>> = OnceLock::new();
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let stop_after = STOP_AFTER.get_or_init(|| {
            std::env::var("IRP_TEST_STOP_AFTER_WRITES")
                .ok()
                .and_then(|v| v.parse().ok())
        });
        if let Some(n) = stop_after
            && WRITES.fetch_add(1, Ordering::SeqCst) + 1 == *n
        {
            // SAFETY: raising a signal on our own process has no memory-safety concern.
            unsafe {
                libc::raise(libc::SIGSTOP);
            }
        }
    }
}
