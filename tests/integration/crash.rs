//! Crash safety: the binary is stopped at 22 different durable writes of a run and killed
//! there with SIGKILL; each time the case verifies up to its last line and `--resume`
//! completes it without running a step twice. And Ctrl-C: the run stops scheduling, the case
//! is marked interrupted, and it resumes.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::irp::Irp;
use crate::run_cli::{ANSWERS, MANUAL, events};

fn start(dir: &Path, stop_after: u32, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_irp"))
        .args([
            "run",
            "drill.yaml",
            "--answers",
            "answers.yaml",
            "--concurrency",
            "1",
        ])
        .args(extra)
        .current_dir(dir)
        .env_clear()
        .env("IRP_TEST_STOP_AFTER_WRITES", stop_after.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start irp")
}

/// Waits until the process has stopped itself (state `T`), or has exited.
pub fn wait_stopped(child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", child.id())).unwrap_or_default();
        let state = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.chars().next());
        if state == Some('T') {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("irp neither stopped nor exited");
}

fn irp(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_irp"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn case_of(dir: &Path) -> Option<String> {
    let cases = std::fs::read_dir(dir.join("cases")).ok()?;
    cases
        .map(|e| e.unwrap().path().display().to_string())
        .next()
}

#[test]
fn a_run_killed_at_any_of_22_points_verifies_and_resumes_without_repeating_a_step() {
    let mut killed = 0;
    for point in 1..=22 {
        let irp_dir = Irp::new()
            .file("drill.yaml", MANUAL)
            .file("answers.yaml", ANSWERS);
        let dir = irp_dir.path();
        let mut child = start(dir, point, &[]);
        if wait_stopped(&mut child) {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let _ = child.wait();
        let case = case_of(dir).unwrap_or_else(|| panic!("point {point}: no case folder"));
        let (code, out) = irp(dir, &["case", "verify", &case]);
        assert_eq!(code, 0, "point {point}: the killed case verifies: {out}");
        let (code, out) = irp(
            dir,
            &["run", "--resume", &case, "--answers", "answers.yaml"],
        );
        assert_eq!(code, 0, "point {point}: the resume completes: {out}");
        let (code, out) = irp(dir, &["case", "verify", &case]);
        assert_eq!(code, 0, "point {point}: {out}");
        assert!(out.contains("sealed"), "point {point}: {out}");
        let journal = events(Path::new(&case));
        for step in ["gather", "decide", "contain", "notify", "record", "review"] {
            let succeeded = journal
                .iter()
                .filter(|e| e["event"] == "step_succeeded" && e["step"] == step)
                .count();
            assert_eq!(
                succeeded, 1,
                "point {point}: {step} succeeded {succeeded} times"
            );
            let done_at = journal
                .iter()
                .position(|e| e["event"] == "step_succeeded" && e["step"] == step)
                .unwrap();
            assert!(
                !journal[done_at..]
                    .iter()
                    .any(|e| e["event"] == "step_started" && e["step"] == step),
                "point {point}: {step} started again after it succeeded"
            );
        }
    }
    assert!(killed >= 20, "only {killed} of the 22 points were reached");
}

#[test]
fn ctrl_c_stops_scheduling_marks_the_case_interrupted_and_it_resumes() {
    let irp_dir = Irp::new()
        .file("drill.yaml", MANUAL)
        .file("answers.yaml", ANSWERS);
    let dir = irp_dir.path();
    // Stopped in the middle of the run (after the third step's first line), interrupted
    // there, and let go.
    let mut child = start(dir, 9, &[]);
    assert!(wait_stopped(&mut child));
    let pid = child.id() as i32;
    unsafe {
        libc::kill(pid, libc::SIGINT);
        libc::kill(pid, libc::SIGCONT);
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(4), "interrupted");
    let case = case_of(dir).unwrap();
    let journal = events(Path::new(&case));
    assert!(journal.iter().any(|e| e["event"] == "interrupted"));
    assert_eq!(journal.last().unwrap()["outcome"], "interrupted");
    let finished = journal
        .iter()
        .filter(|e| e["event"] == "step_succeeded")
        .count();
    assert!(finished < 6, "steps after the interruption did not start");
    assert_eq!(irp(dir, &["case", "verify", &case]).0, 0);
    let (code, out) = irp(
        dir,
        &["run", "--resume", &case, "--answers", "answers.yaml"],
    );
    assert_eq!(code, 0, "{out}");
    let journal = events(Path::new(&case));
    assert_eq!(
        journal
            .iter()
            .filter(|e| e["event"] == "step_succeeded")
            .count(),
        6
    );
}

#[test]
fn a_torn_last_line_is_noted_by_verify_and_cut_by_resume() {
    let irp_dir = Irp::new()
        .file("drill.yaml", MANUAL)
        .file("answers.yaml", ANSWERS);
    let dir = irp_dir.path();
    let mut child = start(dir, 8, &[]);
    assert!(wait_stopped(&mut child));
    child.kill().unwrap();
    let _ = child.wait();
    let case = case_of(dir).unwrap();
    // The bytes of a line being written when the process died.
    let journal = Path::new(&case).join("journal.jsonl");
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(b"{\"seq\":99,\"prev\":\"ab");
    std::fs::write(&journal, &bytes).unwrap();
    let (code, out) = irp(dir, &["case", "verify", &case]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("torn line of 20 bytes"), "{out}");
    let (code, out) = irp(
        dir,
        &["run", "--resume", &case, "--answers", "answers.yaml"],
    );
    assert_eq!(code, 0, "{out}");
    let events = events(Path::new(&case));
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "torn_line_discarded" && e["bytes"] == 20)
    );
    let (code, out) = irp(dir, &["case", "verify", &case]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("torn"), "{out}");
}
