//! `irp run`: a playbook run (or, with --dry-run, a tabletop walkthrough) recorded in a case;
//! `--resume CASE` continues one.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use super::app::{CliError, Outcome};
use super::args::{EventFormat, RunArgs};
use super::exit::Exit;
use super::playbook_arg;
use super::prompt::TerminalPrompter;
use crate::event::{Consumer, EventKind, Mode, Outcome as RunOutcome};
use crate::evidence::case::{Case, CaseInfo, PlaybookRef, REPORT, new_id};
use crate::evidence::journal::{self, sha256_hex};
use crate::evidence::recorder::Recorder;
use crate::evidence::{durable, manifest};
use crate::exec::answers::AnswerFile;
use crate::exec::emitter::Emitter;
use crate::exec::plan::ExecutionPlan;
use crate::exec::prior::Prior;
use crate::exec::prompt::{Nobody, Prompter};
use crate::exec::runner::{self, Settings, Stop};
use crate::exec::selection;
use crate::playbook::model::Playbook;
use crate::report;
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
    playbook: Playbook,
    prior: Prior,
    recorder: Recorder,
    /// The bytes of a torn last journal line that reopening cut off.
    torn: Option<Vec<u8>>,
}

/// Reopens a case, after checking the playbook is the one it ran.
fn resume(args: &RunArgs, path: &std::path::Path) -> Result<Started, CliError> {
    if !args.inputs.is_empty() {
        return Err(CliError::Refused(
            "a resumed run keeps the inputs it started with: leave out --input".into(),
        ));
    }
    let case = Case::open(path)?;
    let arg = args.playbook.clone().unwrap_or_else(|| {
        case.info
            .playbook
            .source
            .strip_prefix("builtin:")
            .map_or_else(|| case.info.playbook.source.clone(), str::to_owned)
    });
    let (playbook, source) = playbook_arg::load_with_source(&arg, false)?;
    if playbook.sha256 != case.info.playbook.sha256 {
        return Err(CliError::Refused(format!(
            "{} is not the playbook this case ran: its sha256 is {}, the case's is {}; resume with the case's own copy: irp run --resume {} {}",
            source.name,
            playbook.sha256,
            case.info.playbook.sha256,
            path.display(),
            path.join("playbook.yaml").display()
        )));
    }
    manifest::remove(&case.root).map_err(CliError::Record)?;
    // A run killed while its case was being created may have left no playbook.yaml:
    // the playbook just checked against case.json is the one to keep.
    let kept = case.root.join(crate::evidence::case::PLAYBOOK);
    if !kept.exists() {
        durable::create_new(&kept, source.text.as_bytes(), true).map_err(CliError::Record)?;
    }
    let (recorder, read, torn) = Recorder::reopen(&case).map_err(CliError::Record)?;
    let prior = Prior::from_events(read.events());
    Ok(Started {
        case,
        playbook,
        prior,
        recorder,
        torn,
    })
}

/// Creates a new case for the playbook named on the command line.
fn create(args: &RunArgs, color: bool, operator: &str) -> Result<Started, CliError> {
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
    let plan = ExecutionPlan::build(&playbook, &args.inputs)?;
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
    let inputs = plan
        .inputs
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect();
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
        created_at: crate::event::now(),
    };
    let case = Case::create(&args.case_dir, info, &source.text)?;
    let recorder = Recorder::create(&case).map_err(CliError::Record)?;
    let prior = Prior {
        inputs,
        mode: Some(mode),
        ..Prior::default()
    };
    Ok(Started {
        case,
        playbook,
        prior,
        recorder,
        torn: None,
    })
}

pub fn run(args: RunArgs, color: bool) -> Outcome {
    let operator = operator();
    let Started {
        case,
        playbook,
        prior,
        recorder,
        torn,
    } = match &args.resume {
        Some(path) => resume(&args, path)?,
        None => create(&args, color, &operator)?,
    };
    let mode = case.info.mode;
    let answers = match &args.answers {
        Some(path) => AnswerFile::load(path, &playbook)?,
        None => AnswerFile::default(),
    };
    let selected = selection::select(&playbook, &args.only, &args.phase)?;
    for step in &args.approve {
        if playbook.step(step).is_none() {
            return Err(CliError::Refused(format!("--approve {step}: no such step")));
        }
    }

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
    if let Some(bytes) = torn {
        emitter
            .emit(EventKind::TornLineDiscarded {
                bytes: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
            })
            .map_err(|e| CliError::Refused(e.message))?;
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
        .map_err(|e| CliError::Refused(e.message))?;

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
    let stop = Arc::new(Stop::default());
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
        Arc::clone(&stop),
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
        summary(&case, &result, outcome);
    }
    Ok(Exit::from(outcome))
}

fn summary(case: &Case, result: &runner::RunResult, outcome: RunOutcome) {
    use runner::Final;
    let count = |f: fn(&Final) -> bool| result.finals.values().filter(|s| f(s)).count();
    eprintln!(
        "\n{}: {} succeeded, {} reused, {} failed, {} skipped, {} waiting, {} uncertain, {} not run",
        format!("{outcome:?}").to_lowercase(),
        count(|f| *f == Final::Succeeded),
        count(|f| *f == Final::Reused),
        count(|f| *f == Final::Failed),
        count(|f| matches!(f, Final::Skipped(_))),
        count(|f| *f == Final::Waiting),
        count(|f| *f == Final::Uncertain),
        count(|f| *f == Final::NotRun),
    );
    eprintln!("case: {}", case.root.display());
    let waiting: Vec<&String> = result
        .finals
        .iter()
        .filter(|(_, f)| matches!(f, Final::Waiting | Final::Uncertain))
        .map(|(id, _)| id)
        .collect();
    match outcome {
        RunOutcome::Waiting => eprintln!(
            "waiting: {}; approve or answer, then: irp run --resume {}{}",
            waiting
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            case.root.display(),
            waiting
                .iter()
                .map(|s| format!(" --approve {s}"))
                .collect::<String>()
        ),
        RunOutcome::Interrupted | RunOutcome::Failed => {
            eprintln!("to go on: irp run --resume {}", case.root.display())
        }
        _ => {}
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
    }
    // SAFETY: the handler only touches an atomic and calls _exit.
    unsafe {
        libc::signal(libc::SIGINT, on_sigint as *const () as libc::sighandler_t);
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
