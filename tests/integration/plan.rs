use crate::irp::Irp;

#[test]
fn the_text_plan_of_network_change() {
    let out = Irp::new().args(["plan", "network-change"]).run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn the_mermaid_plan_of_network_change() {
    let out = Irp::new()
        .args(["plan", "network-change", "--format", "mermaid"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("flowchart TD\n"));
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn the_dot_plan_of_network_change() {
    let out = Irp::new()
        .args(["plan", "network-change", "--format", "dot"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout);
}

fn json_plan(args: &[&str]) -> serde_json::Value {
    let out = Irp::new()
        .args(["plan", "network-change", "--format", "json"])
        .args(args)
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn step<'a>(plan: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
}

#[test]
fn defaults_are_filled_in_and_inputs_override_them() {
    let plan = json_plan(&[]);
    let config = step(&plan, "check_security_groups");
    assert_eq!(
        config["params"]["allowed_ports"],
        serde_json::json!([80, 443])
    );
    assert_eq!(
        config["params"]["protocol"], "tcp",
        "an action default is filled in"
    );

    let plan = json_plan(&[
        "--input",
        "allowed_ingress_ports=443,8443",
        "--input",
        "since=30d",
    ]);
    let config = step(&plan, "check_security_groups");
    assert_eq!(
        config["params"]["allowed_ports"],
        serde_json::json!([443, 8443])
    );
    assert_eq!(plan["inputs"]["since"]["value"], "30d");
    assert_eq!(plan["inputs"]["since"]["from"], "given");
    assert_eq!(step(&plan, "review_cloudtrail")["params"]["since"], "30d");
}

#[test]
fn change_steps_need_approval_and_say_so() {
    let plan = json_plan(&[]);
    let keys = step(&plan, "deactivate_keys");
    assert_eq!(keys["effect"], "change");
    assert_eq!(keys["approval"], "required");
    assert_eq!(
        keys["iam"],
        serde_json::json!(["iam:ListAccessKeys", "iam:UpdateAccessKey"])
    );
    assert!(
        keys["deferred"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d == "steps.identify_actor.output.access_keys")
    );
    assert!(
        keys["preview"].is_null(),
        "its keys are known only at run time"
    );
    for step in plan["steps"].as_array().unwrap() {
        if step["effect"] == "change" {
            assert_eq!(step["approval"], "required", "{}", step["id"]);
        }
    }
}

#[test]
fn a_preview_is_built_when_the_parameters_are_known() {
    let plan = json_plan(&[]);
    assert_eq!(
        step(&plan, "security_hub_standards")["preview"],
        "Enable Security Hub standards aws-foundational-security-best-practices/v/1.0.0 in every enabled region"
    );
}

#[test]
fn bad_inputs_are_usage_errors() {
    for (input, message) in [
        ("sinse=7d", "did you mean `since`?"),
        ("since=soon", "expected a duration"),
        ("allowed_ingress_ports=http", "a list of integers"),
        ("regions", "not of the form key=value"),
    ] {
        let out = Irp::new()
            .args(["plan", "network-change", "--input", input])
            .run();
        assert_eq!(out.code, 2, "{input}");
        assert!(out.stderr.contains(message), "{input}: {}", out.stderr);
    }
}

#[test]
fn steps_come_after_what_they_need() {
    let plan = json_plan(&[]);
    let ids: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for (i, step) in plan["steps"].as_array().unwrap().iter().enumerate() {
        for need in step["needs"].as_array().unwrap() {
            let at = ids.iter().position(|id| id == need).unwrap();
            assert!(at < i, "{} runs before its need {need}", step["id"]);
        }
    }
}
