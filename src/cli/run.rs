//! `irp run`: a playbook run (or, with --dry-run, a tabletop walkthrough) recorded in a case;
//! `--resume CASE` continues one.
//!
//! Everything the command line says is checked before the case folder is touched: a typo in
//! `--approve` neither leaves a stray case behind nor unseals one.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use super::app::{CliError, Outcome};
use super::args::{EventFormat, RunArgs};
use super::exit::Exit;
use super::playbook_arg;
use super::prompt::TerminalPrompter;
use crate::event::{Consumer, EventKind, Mode, Outcome as RunOutcome};
use crate::evidence::case::{Case, CaseInfo, CaseLock, PLAYBOOK, PlaybookRef, REPORT, new_id};
use crate::evidence::journal::{self, sha256_hex};
use crate::evidence::recorder::Recorder;
use crate::evidence::{durable, manifest, verify};
use crate::exec::answers::AnswerFile;
use crate::exec::emitter::Emitter;
use crate::exec::plan::ExecutionPlan;
use crate::exec::prior::Prior;
use crate::exec::prompt::{Nobody, Prompter};
use crate::exec::runner::{self, Settings, Stop};
use crate::exec::selection;
use crate::playbook::diagnostics::did_you_mean;
use crate::playbook::model::Playbook;
use crate::playbook::source::SourceFile;
use crate::report;
use crate::report::run_summary::{RunSummary, StepState};
use crate::report::terminal::{JsonLines, Terminal, TerminalReporter};

/// Who runs irp: the AWS identity once AWS calls exist; the local user for now.
fn operator() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "localhost".into());
    format!("local:{user}@{host}")
}

/// A case ready to record into, with what it already holds.
struct Started {
    case: Case,
    _lock: CaseLock,
    recorder: Recorder,
    prior: Prior,
    /// The bytes of a torn last journal line that reopening cut off.
    torn: Option<Vec<u8>>,
}

/// The playbook of a resume: the one given, or by default the case's own copy; either way
/// it must be the one the case ran.
fn resume_playbook(args: &RunArgs, case: &Case) -> Result<(Playbook, SourceFile), CliError> {
    let copy = case.root.join(PLAYBOOK);
    let arg = match &args.playbook {
        Some(arg) => arg.clone(),
        // A case killed while it was being created may not hold its copy yet.
        None if !copy.exists() => case
            .info
            .playbook
            .source
            .strip_prefix("builtin:")
            .map_or_else(|| case.info.playbook.source.clone(), str::to_owned),
        None => copy.display().to_string(),
    };
    let (playbook, source) = playbook_arg::load_with_source(&arg, false)?;
    if playbook.sha256 != case.info.playbook.sha256 {
        return Err(CliError::Refused(format!(
            "{} is not the playbook this case ran: its sha256 is {}, the case's is {}; resume with the case's own copy: irp run --resume {}",
            source.name,
            playbook.sha256,
            case.info.playbook.sha256,
            case.root.display(),
        )));
    }
    Ok((playbook, source))
}

/// Reopens a case: locked, verified, unsealed, its journal read back.
fn reopen(case: Case, source: &SourceFile) -> Result<Started, CliError> {
    let lock = CaseLock::take(&case.root)?;
    let check = verify::verify(&case).map_err(CliError::Record)?;
    if !check.intact() {
        return Err(CliError::Refused(format!(
            "{} does not verify, so it is not resumed: {}",
            case.root.display(),
            check.problems.join("; ")
        )));
    }
    manifest::remove(&case.root).map_err(CliError::Record)?;
    let kept = case.root.join(PLAYBOOK);
    if !kept.exists() {
        durable::create_new(&kept, source.text.as_bytes(), true).map_err(CliError::Record)?;
    }
    let (mut recorder, read, torn) = Recorder::reopen(&case).map_err(CliError::Record)?;
    // Files a crash left between their announcement and their record: recorded now, as
    // found.
    // (verify, above, refused any that is not what was announced)
    for u in crate::evidence::recorder::unrecorded(&case.root, &read) {
        recorder
            .record(&crate::event::RunEvent::new(EventKind::EvidenceRecovered {
                step: u.step,
                file: u.file,
                sha256: u.sha256,
                bytes: u.bytes,
            }))
            .map_err(CliError::Record)?;
    }
    let mut prior = Prior::from_events(read.events());
    // The inputs were fixed when the case was created.
    if !case.info.inputs.is_empty() {
        prior.inputs = case.info.inputs.clone();
    }
    Ok(Started {
        case,
        _lock: lock,
        recorder,
        prior,
        torn,
    })
}

/// The resolved inputs of a new run; a real run refuses to start without a required one.
fn inputs(
    playbook: &Playbook,
    args: &RunArgs,
    mode: Mode,
) -> Result<serde_json::Map<String, serde_json::Value>, CliError> {
    let plan = ExecutionPlan::build(playbook, &args.inputs)?;
    if mode == Mode::Run
        && let Some((name, _)) = plan
            .inputs
            .iter()
            .find(|(_, i)| i.required && i.from == "missing")
    {
        return Err(CliError::Refused(format!(
            "input `{name}` is required: give it with --input {name}=..."
        )));
    }
    Ok(plan.inputs.into_iter().map(|(k, v)| (k, v.value)).collect())
}

/// The inputs a resume is given again: only those the case could not keep because they
/// held a secret. Every other input is the case's, unchangeable.
fn secret_inputs(
    args: &RunArgs,
    playbook: &Playbook,
    kept: &serde_json::Map<String, serde_json::Value>,
) -> Result<serde_json::Map<String, serde_json::Value>, CliError> {
    let redacted = |v: &serde_json::Value| v.as_str() == Some(crate::evidence::redact::REDACTED);
    let mut given = serde_json::Map::new();
    for pair in &args.inputs {
        let (name, text) = pair.split_once('=').unwrap_or((pair, ""));
        if !kept.get(name).is_some_and(redacted) {
            return Err(CliError::Refused(format!(
                "--input {name}: a resumed run keeps the inputs it started with; only an input that held a secret is given again"
            )));
        }
        let ty = playbook
            .inputs
            .get(name)
            .map(|i| i.ty)
            .expect("kept inputs are the playbook's");
        let value = ty
            .parse_cli(text)
            .map_err(|m| CliError::Refused(format!("--input {name}: {m}")))?;
        given.insert(name.to_owned(), value);
    }
    if let Some((name, _)) = kept
        .iter()
        .find(|(k, v)| redacted(v) && !given.contains_key(*k))
    {
        return Err(CliError::Refused(format!(
            "input `{name}` held a secret, which the case does not keep: give it again with --input {name}=..."
        )));
    }
    Ok(given)
}

/// Creates a new case; its `case.json` holds the resolved inputs (secrets redacted), so a
/// resume after any crash runs with them.
fn create(
    args: &RunArgs,
    playbook: &Playbook,
    source: &SourceFile,
    mode: Mode,
    inputs: serde_json::Map<String, serde_json::Value>,
    operator: &str,
) -> Result<Started, CliError> {
    let info = CaseInfo {
        id: new_id(&playbook.id),
        playbook: PlaybookRef {
            id: playbook.id.clone(),
            sha256: playbook.sha256.clone(),
            source: source.name.clone(),
        },
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        mode,
        operator: operator.to_owned(),
        accounts: Vec::new(),
        regions: Vec::new(),
        inputs: {
            let mut kept = serde_json::Value::Object(inputs.clone());
            let _ = crate::evidence::redact::redact(&mut kept);
            kept.as_object().cloned().unwrap_or_default()
        },
        created_at: crate::event::now(),
    };
    let case = Case::create(&args.case_dir, info, &source.text)?;
    let lock = CaseLock::take(&case.root)?;
    let recorder = Recorder::create(&case).map_err(CliError::Record)?;
    Ok(Started {
        case,
        _lock: lock,
        recorder,
        prior: Prior {
            inputs,
            ..Prior::default()
        },
        torn: None,
    })
}

/// What the command line asks for beyond the playbook, checked against it.
fn check_args(
    args: &RunArgs,
    playbook: &Playbook,
) -> Result<(AnswerFile, Option<std::collections::BTreeSet<String>>), CliError> {
    let answers = match &args.answers {
        Some(path) => AnswerFile::load(path, playbook)?,
        None => AnswerFile::default(),
    };
    let selected = selection::select(playbook, &args.only, &args.phase)?;
    for id in &args.approve {
        match playbook.step(id) {
            None => {
                return Err(CliError::Refused(format!(
                    "--approve {id}: no such step{}",
                    did_you_mean(id, playbook.steps.iter().map(|s| s.id.as_str()))
                        .map(|h| format!("; {h}"))
                        .unwrap_or_default()
                )));
            }
            Some(step) if !step.needs_approval() => {
                return Err(CliError::Refused(format!(
                    "--approve {id}: `{id}` ({}) changes nothing, so it needs no approval",
                    step.action.name
                )));
            }
            Some(_) => {}
        }
    }
    Ok((answers, selected))
}

pub fn run(args: RunArgs, color: bool) -> Outcome {
    let operator = operator();
    let (playbook, started, answers, selected) = match &args.resume {
        Some(path) => {
            let case = Case::open(path)?;
            let (playbook, source) = resume_playbook(&args, &case)?;
            let secrets = secret_inputs(&args, &playbook, &case.info.inputs)?;
            let (answers, selected) = check_args(&args, &playbook)?;
            let mut started = reopen(case, &source)?;
            started.prior.inputs.extend(secrets);
            (playbook, started, answers, selected)
        }
        None => {
            let arg = args
                .playbook
                .clone()
                .expect("clap requires a playbook without --resume");
            let (playbook, source) = playbook_arg::load_with_source(&arg, color)?;
            let mode = if args.dry_run {
                Mode::DryRun
            } else {
                Mode::Run
            };
            let inputs = inputs(&playbook, &args, mode)?;
            let (answers, selected) = check_args(&args, &playbook)?;
            let started = create(&args, &playbook, &source, mode, inputs, &operator)?;
            (playbook, started, answers, selected)
        }
    };
    let Started {
        case,
        _lock,
        recorder,
        prior,
        torn,
    } = started;
    let mode = case.info.mode;

    let tty = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let terminal = Terminal::new(
        tty && args.format == EventFormat::Human,
        playbook.steps.len(),
    );
    let consumer: Box<dyn Consumer> = match args.format {
        EventFormat::Human => Box::new(TerminalReporter::new(
            Arc::clone(&terminal),
            playbook.clone(),
            mode,
        )),
        EventFormat::Json => Box::new(JsonLines),
    };
    let prompter: Arc<dyn Prompter> = if tty {
        Arc::new(TerminalPrompter {
            terminal: Arc::clone(&terminal),
        })
    } else {
        Arc::new(Nobody)
    };
    let emitter = Arc::new(Emitter::new(Some(recorder), vec![consumer]));
    let recording = |e: crate::event::StepError| CliError::Record(std::io::Error::other(e.message));
    if let Some(bytes) = torn {
        emitter
            .emit(EventKind::TornLineDiscarded {
                bytes: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
            })
            .map_err(recording)?;
    }
    let case_sha256 = case.sha256_of("case.json").map_err(CliError::Record)?;
    emitter
        .emit(EventKind::RunStarted {
            case: case.info.id.clone(),
            playbook: playbook.id.clone(),
            playbook_sha256: playbook.sha256.clone(),
            case_sha256,
            mode,
            operator: operator.clone(),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            inputs: prior.inputs.clone(),
            resumed: args.resume.is_some(),
        })
        .map_err(recording)?;

    let settings = Settings {
        mode,
        concurrency: usize::from(args.concurrency),
        approvals: args.approve.iter().cloned().collect(),
        answers,
        selected,
        operator,
        default_timeout: Duration::from_secs(30 * 60),
    };
    let inputs = prior.inputs.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CliError::Output)?;
    install_ctrl_c();
    let result = runtime.block_on(runner::run(
        playbook.clone(),
        inputs,
        settings,
        prior,
        Arc::clone(&emitter),
        prompter,
        Arc::new(Stop::default()),
    ));
    runtime.shutdown_background();
    terminal.finish();

    let sealed = seal(&case, &playbook);
    let outcome = match (&sealed, emitter.record_failure()) {
        (Err(_), _) | (_, Some(_)) => RunOutcome::Incomplete,
        _ => result.outcome,
    };
    if let Err(e) = &sealed {
        eprintln!("irp: the case could not be sealed: {e}");
    }
    if args.format == EventFormat::Human {
        summary(&case, outcome);
    }
    Ok(Exit::from(outcome))
}

/// The end of a run in words, from the journal: what each step came to, and exactly what
/// to do next for each step that waits.
fn summary(case: &Case, outcome: RunOutcome) {
    let events: Vec<_> = journal::read(&case.journal_path())
        .map(|r| r.events().cloned().collect())
        .unwrap_or_default();
    let summary = RunSummary::from_events(&events);
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for state in summary.states.values() {
        *counts.entry(state.name()).or_default() += 1;
    }
    let counts: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    eprintln!("\n{}: {}", outcome.as_str(), counts.join(", "));
    eprintln!("case: {}", case.root.display());
    let root = case.root.display();
    let with = |f: fn(&StepState) -> bool| -> Vec<&str> {
        summary
            .states
            .iter()
            .filter(|(_, s)| f(s))
            .map(|(id, _)| id.as_str())
            .collect()
    };
    let approvals = with(|s| matches!(s, StepState::AwaitingApproval { .. }));
    if !approvals.is_empty() {
        eprintln!(
            "waiting for approval: {}; read each preview, then: irp run --resume {root}{}",
            approvals.join(", "),
            approvals
                .iter()
                .map(|s| format!(" --approve {s}"))
                .collect::<String>()
        );
    }
    let answers = with(|s| *s == StepState::AwaitingAnswers);
    if !answers.is_empty() {
        eprintln!(
            "waiting for answers: {}; answer on a terminal (irp run --resume {root}) or with --answers FILE",
            answers.join(", ")
        );
    }
    let uncertain = with(|s| *s == StepState::Uncertain);
    if !uncertain.is_empty() {
        eprintln!(
            "uncertain: {}: a change started and its outcome is not recorded. Check the account first; --approve repeats the change",
            uncertain.join(", ")
        );
    }
    if matches!(outcome, RunOutcome::Interrupted | RunOutcome::Failed) {
        eprintln!("to go on: irp run --resume {root}");
    }
}

/// The first Ctrl-C stops scheduling (the runner sees `CTRL_C` before each step, journals
/// it, and lets steps in flight finish); the second exits at once with code 4. Every journal
/// line is whole and fsynced, so the journal is valid wherever that happens.
fn install_ctrl_c() {
    extern "C" fn on_sigint(_: libc::c_int) {
        if runner::CTRL_C.swap(true, std::sync::atomic::Ordering::SeqCst) {
            // SAFETY: _exit is async-signal-safe.
            unsafe { libc::_exit(Exit::Interrupted as i32) };
        }
        const SAY: &[u8] = b"\nirp: stopping: no new step starts; steps in flight finish and are recorded (Ctrl-C again aborts)\n";
        // SAFETY: write(2) is async-signal-safe; a failed write is of no consequence.
        unsafe {
            libc::write(2, SAY.as_ptr().cast(), SAY.len());
        }
    }
    // Without SA_RESTART, so that a prompt waiting on the terminal gives up at the first
    // Ctrl-C (its step is left waiting) instead of reading on.
    // SAFETY: the handler only touches an atomic and calls write and _exit; the sigaction
    // struct is zeroed and then filled as the C API expects.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigint as *const () as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        action.sa_flags = 0;
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

/// Ends a run: the report, then SHA256SUMS over every file.
pub fn seal(case: &Case, playbook: &Playbook) -> std::io::Result<()> {
    let read = journal::read(&case.journal_path())?;
    let events: Vec<_> = read.events().cloned().collect();
    let report = report::markdown::render(&case.info, Some(playbook), &events);
    durable::replace(&case.root.join(REPORT), report.as_bytes())?;
    manifest::write(&case.root)
}
