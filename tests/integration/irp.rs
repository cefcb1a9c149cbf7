//! A builder for running the irp binary as a user would: in a fresh temporary folder, with
//! a cleared environment (no AWS profile, no instance metadata), with files written first.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

pub struct Irp {
    dir: tempfile::TempDir,
    args: Vec<OsString>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Irp {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temporary folder"),
            args: Vec::new(),
        }
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Writes a file under the temporary folder (parents created).
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().expect("a parent")).expect("create folders");
        std::fs::write(full, contents).expect("write a test file");
        self
    }

    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub fn run(&self) -> Output {
        self.run_args(&self.args)
    }

    /// Runs irp again in the same folder with other arguments (a resume, a verify).
    pub fn again<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        self.run_args(&args)
    }

    fn run_args(&self, args: &[OsString]) -> Output {
        let home = self.dir.path().join(".home");
        std::fs::create_dir_all(&home).expect("a home folder");
        let output = Command::new(env!("CARGO_BIN_EXE_irp"))
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("HOME", &home)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", home.join("aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
            .output()
            .expect("run irp");
        Output {
            code: output.status.code().expect("irp exits with a code"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// The repository's root, for fixtures and shipped playbooks.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The (code, line, column) of each diagnostic of `irp validate --format json`.
pub fn positions(doc: &serde_json::Value) -> Vec<(String, u64, u64)> {
    doc["diagnostics"]
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}
