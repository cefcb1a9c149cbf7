use crate::irp::Irp;

#[test]
fn version_and_help_exit_zero() {
    let out = Irp::new().args(["--version"]).run();
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.trim(),
        format!("irp {}", env!("CARGO_PKG_VERSION"))
    );
    let out = Irp::new().args(["--help"]).run();
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("Exit codes"), "{}", out.stdout);
}

#[test]
fn a_usage_error_exits_two() {
    assert_eq!(Irp::new().args(["frobnicate"]).run().code, 2);
    assert_eq!(Irp::new().args(["validate"]).run().code, 2);
    assert_eq!(
        Irp::new()
            .args(["plan", "network-change", "--format", "pdf"])
            .run()
            .code,
        2
    );
}

#[test]
fn list_shows_the_built_in_playbooks_and_the_catalog() {
    let out = Irp::new().args(["list"]).run();
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .starts_with("network-change  Unauthorized network changes ("),
        "{}",
        out.stdout
    );
    let out = Irp::new().args(["list", "--actions"]).run();
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout.lines().count(), 16, "{}", out.stdout);
    assert!(
        out.stdout.lines().any(|l| l
            .split_whitespace()
            .take(2)
            .eq(["iam.deactivate_access_keys", "change"])),
        "{}",
        out.stdout
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Irp::new().args(["completions", shell]).run();
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("validate"), "{shell}");
    }
}

#[test]
fn permissions_are_one_read_and_one_change_statement() {
    let out = Irp::new().args(["permissions", "network-change"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let policy: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(policy["Version"], "2012-10-17");
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 2);
    let actions = |i: usize| -> Vec<&str> {
        statements[i]["Action"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect()
    };
    assert_eq!(statements[0]["Sid"], "IrpReads");
    assert!(actions(0).contains(&"cloudtrail:LookupEvents"));
    assert!(actions(0).iter().all(|a| !a.starts_with("iam:Update")));
    assert_eq!(statements[1]["Sid"], "IrpChanges");
    assert!(actions(1).contains(&"iam:UpdateAccessKey"));
    // Deactivation, never deletion.
    assert!(!actions(1).contains(&"iam:DeleteAccessKey"));
    let mut sorted = actions(0);
    sorted.sort();
    assert_eq!(sorted, actions(0), "actions are sorted and unique");
}

#[test]
fn a_playbook_with_errors_cannot_be_planned() {
    let out = Irp::new()
        .file(
            "x.yaml",
            "irp: 1\nid: x\ntitle: x\nsteps: [{id: a, phase: detection, title: a, action: nope}]\n",
        )
        .args(["plan", "x.yaml", "--color", "never"])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown-action"), "{}", out.stderr);
    assert!(out.stderr.contains("x.yaml has errors"), "{}", out.stderr);
}

#[test]
fn an_unknown_playbook_name_says_what_is_built_in() {
    let out = Irp::new().args(["plan", "network-chnage"]).run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("built-in: network-change"),
        "{}",
        out.stderr
    );
}
