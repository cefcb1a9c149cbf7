//! The case recorder under load: 10,000 evidence files of 10 kB each, written as a run
//! writes them (redacted, fsynced, linked without overwrite, journalled), beside plain
//! `fs::write` of the same files; and the cost of fsyncing each journal line, beside the same
//! lines written without fsync. Ratios are measured side by side in one run.
//!
//!   cargo bench --bench recorder            (BENCH_DIR=... to choose the disk; default /tmp)

use std::io::Write;
use std::time::Instant;

use irp::action::context::Sink;
use irp::event::{EventKind, Mode, RunEvent};
use irp::evidence::case::{Case, CaseInfo, PlaybookRef};
use irp::evidence::recorder::{Evidence, Recorder};
use irp::exec::emitter::Emitter;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn body(i: usize) -> serde_json::Value {
    // About 10 kB of JSON, shaped like a Describe* answer.
    let items: Vec<serde_json::Value> = (0..27)
        .map(|j| {
            serde_json::json!({
                "GroupId": format!("sg-{i:08x}{j:04x}"),
                "Description": "x".repeat(160),
                "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}],
            })
        })
        .collect();
    serde_json::json!({ "SecurityGroups": items, "ResponseMetadata": { "RequestId": format!("req-{i}") } })
}

fn case(dir: &std::path::Path) -> Case {
    let info = CaseInfo {
        id: irp::evidence::case::new_id("bench"),
        playbook: PlaybookRef {
            id: "bench".into(),
            sha256: "0".repeat(64),
            source: "bench".into(),
        },
        tool_version: "bench".into(),
        mode: Mode::Run,
        operator: "bench".into(),
        accounts: vec![],
        regions: vec![],
        inputs: Default::default(),
        created_at: irp::event::now(),
    };
    Case::create(dir, info, "irp: 1\n").unwrap()
}

fn main() {
    let files: usize = std::env::var("BENCH_FILES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let lines: usize = 2_000;
    let base = std::env::var("BENCH_DIR").unwrap_or_else(|_| "/tmp".into());
    let dir = tempfile::tempdir_in(&base).unwrap();
    let bodies_bytes = serde_json::to_vec_pretty(&body(0)).unwrap().len();
    let rss_before = peak_rss_kib();

    // 1. The recorder: evidence files, each durable before the event that names it.
    let case = case(dir.path());
    // The path an action's evidence takes: the emitter announces it, the recorder writes
    // it, the emitter journals its record.
    let emitter = Emitter::new(Some(Recorder::create(&case).unwrap()), Vec::new());
    let start = Instant::now();
    for i in 0..files {
        let step = format!("step_{}", i % 20);
        emitter
            .evidence(Evidence {
                step: &step,
                service: "ec2",
                operation: "DescribeSecurityGroups",
                region: Some("us-east-1"),
                body: body(i),
            })
            .unwrap();
    }
    let recorded = start.elapsed();
    let rss_after = peak_rss_kib();

    // 2. The same bytes with plain fs::write: no fsync, no link, no journal.
    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let start = Instant::now();
    for i in 0..files {
        let bytes = serde_json::to_vec_pretty(&body(i)).unwrap();
        std::fs::write(plain.join(format!("{i}.json")), bytes).unwrap();
    }
    let written = start.elapsed();

    // 3. Journal lines: fsynced one by one (as the recorder does) against unsynced writes.
    let case2 = {
        let d = dir.path().join("lines");
        std::fs::create_dir(&d).unwrap();
        self::case(&d)
    };
    let mut journal = Recorder::create(&case2).unwrap();
    let event = RunEvent::new(EventKind::StepStarted {
        step: "s".into(),
        attempt: 1,
    });
    let start = Instant::now();
    for _ in 0..lines {
        journal.record(&event).unwrap();
    }
    let synced = start.elapsed();
    let mut unsynced = std::fs::File::create(dir.path().join("unsynced.jsonl")).unwrap();
    let text = serde_json::to_string(&event).unwrap();
    let start = Instant::now();
    for _ in 0..lines {
        unsynced.write_all(text.as_bytes()).unwrap();
        unsynced.write_all(b"\n").unwrap();
    }
    let unsynced_time = start.elapsed();

    println!("evidence: {files} files of {bodies_bytes} bytes");
    println!(
        "  recorder (redact, 2 journal lines + fsync, file fsync, link, dir fsync): {:>8.2} s  {:>7.3} ms/file",
        recorded.as_secs_f64(),
        recorded.as_secs_f64() * 1000.0 / files as f64
    );
    println!(
        "  plain fs::write of the same JSON:                               {:>8.2} s  {:>7.3} ms/file",
        written.as_secs_f64(),
        written.as_secs_f64() * 1000.0 / files as f64
    );
    println!(
        "  ratio recorder / plain: {:.1}x",
        recorded.as_secs_f64() / written.as_secs_f64()
    );
    println!(
        "  peak RSS: {} KiB before, {} KiB after the recorder ({} KiB more)",
        rss_before,
        rss_after,
        rss_after.saturating_sub(rss_before)
    );
    println!("journal: {lines} lines");
    println!(
        "  fsync per line: {:>8.3} ms/line; unsynced: {:>8.4} ms/line; ratio {:.0}x",
        synced.as_secs_f64() * 1000.0 / lines as f64,
        unsynced_time.as_secs_f64() * 1000.0 / lines as f64,
        synced.as_secs_f64() / unsynced_time.as_secs_f64().max(1e-9)
    );
}
