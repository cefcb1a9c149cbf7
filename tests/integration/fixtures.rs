//! The corpus of broken playbooks: each file says, in `# expect: <code> <line>:<column>`
//! comments, exactly which diagnostics it must produce.

use std::collections::BTreeSet;

use crate::irp::{Irp, positions, repo};

fn expectations(text: &str) -> BTreeSet<(String, u64, u64)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|e| {
            let (code, at) = e.trim().split_once(' ').expect("`code line:column`");
            let (line, column) = at.split_once(':').expect("`line:column`");
            (
                code.to_owned(),
                line.parse().unwrap(),
                column.parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn each_invalid_fixture_gives_exactly_its_diagnostics() {
    let dir = repo().join("tests/fixtures/playbooks/invalid");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 40, "only {} fixtures", paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let expected = expectations(&String::from_utf8_lossy(&bytes));
        assert!(
            !expected.is_empty(),
            "{} states no expectation",
            path.display()
        );
        let out = Irp::new()
            .args(["validate", "--format", "json"])
            .args([path])
            .run();
        let doc: serde_json::Value = serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {}", path.display(), out.stderr));
        let found: BTreeSet<(String, u64, u64)> = positions(&doc).into_iter().collect();
        if out.code != 1 || found != expected {
            failures.push(format!(
                "{} (exit {}):\n  expected {expected:?}\n  found    {found:?}",
                path.file_name().unwrap().to_string_lossy(),
                out.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
