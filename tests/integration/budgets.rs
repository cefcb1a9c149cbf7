//! Hostile inputs are refused with a clear error, never a hang or a panic. How fast is
//! measured by `bench/refusals.sh`, not here.

use crate::irp::Irp;

fn refused(name: &str, contents: Vec<u8>, code: &str) {
    let out = Irp::new()
        .file(name, contents)
        .args(["validate", name, "--format", "json"])
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, [code], "{}", out.stdout);
}

pub fn billion_laughs() -> Vec<u8> {
    let mut text = String::from("irp: 1\nid: x\ntitle: x\n");
    text.push_str("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("steps: *a9\n");
    text.into_bytes()
}

#[test]
fn a_billion_laughs_is_refused() {
    refused("laughs.yaml", billion_laughs(), "input-budget");
}

#[test]
fn nesting_ten_thousand_deep_is_refused() {
    let flow = format!(
        "irp: 1\nid: x\ntitle: x\nsteps: {}{}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    refused("flow.yaml", flow.into_bytes(), "input-budget");
    let block = format!(
        "irp: 1\nid: x\ntitle: x\nsteps:\n{}x\n",
        "- ".repeat(10_000)
    );
    refused("block.yaml", block.into_bytes(), "input-budget");
}

#[test]
fn a_hundred_megabyte_file_is_refused_before_it_is_read() {
    let mut text = b"irp: 1\nid: x\ntitle: x\nsteps:\n".to_vec();
    let step = b"  - {id: s, phase: detection, title: padding padding padding, action: manual}\n";
    while text.len() < 100 * 1024 * 1024 {
        text.extend_from_slice(step);
    }
    refused("big.yaml", text, "input-budget");
}
