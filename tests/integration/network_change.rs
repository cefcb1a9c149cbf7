//! The shipped playbook says everything the source says, with the source's errors fixed.

use crate::irp::{Irp, repo};

fn playbook() -> String {
    std::fs::read_to_string(repo().join("playbooks/network-change.yaml")).unwrap()
}

fn plan() -> serde_json::Value {
    let out = Irp::new()
        .args(["plan", "network-change", "--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

/// Each of the source's 16 steps, its NIST phase, and the playbook steps that carry it out.
const SOURCE_STEPS: [(u8, &str, &[&str]); 16] = [
    (1, "preparation", &["inventory_exposed"]),
    (
        2,
        "preparation",
        &["check_flow_logs", "enable_flow_logs", "nat_gateway_alarms"],
    ),
    (3, "preparation", &["training"]),
    (4, "preparation", &["escalation"]),
    (
        5,
        "detection",
        &["review_cloudtrail", "review_network_changes"],
    ),
    (6, "detection", &["security_group_alerts"]),
    (7, "detection", &["check_security_groups"]),
    (8, "detection", &["locate_flow_logs"]),
    (9, "detection", &["query_flow_logs"]),
    (10, "containment", &["identify_actor", "deactivate_keys"]),
    (
        11,
        "eradication",
        &[
            "review_key_activity",
            "preserve_evidence",
            "remove_attacker_resources",
        ],
    ),
    (12, "eradication", &["unexpected_charges"]),
    (
        13,
        "recovery",
        &[
            "revoke_unauthorized_rules",
            "revert_network_changes",
            "verify_exposure",
        ],
    ),
    (14, "preparation", &["config_auto_remediation"]),
    (15, "preparation", &["security_hub_standards"]),
    (16, "preparation", &["security_assessment"]),
];

#[test]
fn all_sixteen_source_steps_are_under_their_nist_phases() {
    let plan = plan();
    let steps = plan["steps"].as_array().unwrap();
    for (number, phase, ids) in SOURCE_STEPS {
        for id in ids {
            let step = steps
                .iter()
                .find(|s| s["id"] == *id)
                .unwrap_or_else(|| panic!("source step {number}: no step `{id}`"));
            assert_eq!(step["phase"], phase, "source step {number}: `{id}`");
        }
    }
    let lessons = steps.iter().find(|s| s["id"] == "lessons_learned").unwrap();
    assert_eq!(lessons["phase"], "post_incident");
}

#[test]
fn every_guardduty_finding_type_is_spelled_as_guardduty_spells_it() {
    let text = playbook();
    let doc: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let types: Vec<&str> = doc["indicators"]["guardduty"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 49, "{types:?}");
    for t in &types {
        assert!(!t.contains(' '), "`{t}` has a space");
        let (threat, rest) = t.split_once(':').expect("ThreatPurpose:Resource/Name");
        assert!(threat.chars().all(|c| c.is_ascii_alphabetic()), "{t}");
        assert!(rest.contains('/'), "{t}");
    }
    for fixed in [
        "Trojan:EC2/DGADomainRequest.C!DNS",
        "Trojan:EC2/DriveBySourceTraffic!DNS",
        "Trojan:EC2/PhishingDomainRequest!DNS",
        "Backdoor:EC2/C&CActivity.B!DNS",
        "CryptoCurrency:EC2/BitcoinTool.B!DNS",
    ] {
        assert!(types.contains(&fixed), "{fixed} missing");
    }
}

#[test]
fn the_translation_errors_are_fixed() {
    let text = playbook();
    for wrong in [
        "AutoriseSecurityGroup",
        "RevokeSecurityGroupeGress",
        "VPCFlowLogssShrdp",
        "rôdeur",
        "groupe 17",
        "Check my progress",
    ] {
        assert!(!text.contains(wrong), "`{wrong}` is still in the playbook");
    }
    assert!(text.contains("prowler aws --categories internet-exposed"));
    for right in [
        "AuthorizeSecurityGroupIngress",
        "AuthorizeSecurityGroupEgress",
        "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
    ] {
        assert!(text.contains(right), "{right}");
    }
}

#[test]
fn containment_deactivates_keys_and_never_deletes_them() {
    let plan = plan();
    let actions: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"iam.deactivate_access_keys"));
    assert!(!playbook().contains("iam.delete"));
}

#[test]
fn the_event_pattern_keeps_its_english_keys() {
    let plan = plan();
    let rule = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "security_group_alerts")
        .unwrap();
    let pattern = &rule["params"]["event_pattern"];
    assert_eq!(pattern["source"], serde_json::json!(["aws.ec2"]));
    assert_eq!(
        pattern["detail-type"],
        serde_json::json!(["AWS API Call via CloudTrail"])
    );
    assert_eq!(
        pattern["detail"]["eventSource"],
        serde_json::json!(["ec2.amazonaws.com"])
    );
    assert_eq!(pattern["detail"]["eventName"].as_array().unwrap().len(), 4);
}

#[test]
fn the_nat_alarms_and_the_ingress_policy_match_the_source() {
    let plan = plan();
    let steps = plan["steps"].as_array().unwrap();
    let alarms = &steps
        .iter()
        .find(|s| s["id"] == "nat_gateway_alarms")
        .unwrap()["params"]["alarms"];
    assert_eq!(
        alarms,
        &serde_json::json!([
            {"metric": "BytesOutToDestination", "comparison": ">=", "threshold": 5000000, "periods": 1, "period": "15m", "statistic": "Sum"},
            {"metric": "ErrorPortAllocation", "comparison": ">", "threshold": 0, "periods": 3, "period": "5m", "statistic": "Maximum"},
        ])
    );
    assert_eq!(
        plan["inputs"]["allowed_ingress_ports"]["value"],
        serde_json::json!([80, 443])
    );
}

#[test]
fn all_sixteen_flow_log_queries_are_asked_for() {
    let plan = plan();
    let query = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "query_flow_logs")
        .unwrap();
    let queries = query["params"]["queries"].as_array().unwrap();
    assert_eq!(queries.len(), 16);
    assert!(queries.contains(&serde_json::json!("VpcFlowLogsSshRdpTraffic")));
}

#[test]
fn the_source_is_credited() {
    let text = playbook();
    assert!(text.contains("CC-BY-4.0"));
    assert!(text.contains("aws-customer-playbook-framework"));
}
