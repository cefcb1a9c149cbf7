use crate::irp::{Irp, repo};

#[test]
fn the_committed_schema_matches_irp_schema() {
    let out = Irp::new().args(["schema"]).run();
    assert_eq!(out.code, 0);
    let committed = std::fs::read_to_string(repo().join("schema/playbook.schema.json"))
        .expect("schema/playbook.schema.json exists");
    assert!(
        committed == out.stdout,
        "schema/playbook.schema.json has drifted from the format: run `cargo run -- schema > schema/playbook.schema.json`"
    );
}

#[test]
fn the_schema_rejects_unknown_keys_and_names_every_step_key() {
    let out = Irp::new().args(["schema"]).run();
    let schema: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    let step = &schema["$defs"]["RawStep"];
    assert_eq!(step["additionalProperties"], false);
    for key in [
        "id",
        "phase",
        "title",
        "guide",
        "needs",
        "action",
        "with",
        "when",
        "timeout",
        "retries",
        "on_failure",
        "approval",
        "questions",
        "checklist",
    ] {
        assert!(
            step["properties"].get(key).is_some(),
            "step key {key} missing"
        );
    }
}
