//! The live view of a run for people, on stderr: on a terminal, a progress line (indicatif)
//! with finished steps printed above it; elsewhere, plain timestamped lines. A dry run also
//! shows each step's guide, parameters and preview, as a facilitator reads them out.

use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressStyle};

use super::timeline::describe;
use crate::event::{Consumer, EventKind, Mode, RunEvent};
use crate::playbook::model::Playbook;

/// The terminal, shared by the reporter and the prompts (which hide the progress line while
/// they ask).
pub struct Terminal {
    bar: Option<ProgressBar>,
    lock: Mutex<()>,
}

impl Terminal {
    pub fn new(tty: bool, steps: usize) -> Arc<Self> {
        let bar = tty.then(|| {
            let bar = ProgressBar::new(steps as u64);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{pos}/{len}] {wide_msg}")
                    .expect("a valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Arc::new(Self {
            bar,
            lock: Mutex::new(()),
        })
    }

    /// Prints a line above the progress line.
    pub fn line(&self, text: &str) {
        let _guard = self.lock.lock();
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// Runs `f` with the progress line hidden (for prompts).
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        let _guard = self.lock.lock();
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

pub struct TerminalReporter {
    terminal: Arc<Terminal>,
    playbook: Playbook,
    mode: Mode,
    running: Vec<String>,
    waiting: usize,
    failed: usize,
}

impl TerminalReporter {
    pub fn new(terminal: Arc<Terminal>, playbook: Playbook, mode: Mode) -> Self {
        Self {
            terminal,
            playbook,
            mode,
            running: Vec::new(),
            waiting: 0,
            failed: 0,
        }
    }

    fn status(&self) {
        if let Some(bar) = &self.terminal.bar {
            bar.set_message(format!(
                "running: {} | failed {} | waiting {}",
                if self.running.is_empty() {
                    "-".to_owned()
                } else {
                    self.running.join(", ")
                },
                self.failed,
                self.waiting
            ));
        }
    }
}

impl Consumer for TerminalReporter {
    fn event(&mut self, event: &RunEvent) {
        let kind = &event.kind;
        let step = kind.step().unwrap_or("");
        match kind {
            EventKind::StepStarted { step, .. } => {
                self.running.push(step.clone());
                if self.mode == Mode::DryRun
                    && let Some(s) = self.playbook.step(step)
                {
                    let mut text = format!(
                        "\n── {} · {} · {} ({})",
                        s.phase.title(),
                        s.id,
                        s.title,
                        s.action.name
                    );
                    if let Some(guide) = &s.guide {
                        text.push('\n');
                        text.push_str(guide.trim_end());
                    }
                    if let Some(when) = &s.when {
                        text.push_str(&format!("\nruns when: {when}"));
                    }
                    self.terminal.line(&text);
                }
            }
            EventKind::StepPreviewed {
                params,
                preview,
                pending,
                approval_needed,
                ..
            } => {
                let mut text = format!(
                    "parameters: {}",
                    serde_json::to_string(params).unwrap_or_default()
                );
                text.push_str(&format!(
                    "\nwould: {}",
                    preview
                        .as_deref()
                        .or(pending.as_deref())
                        .unwrap_or("(known at run time)")
                ));
                if *approval_needed {
                    text.push_str(&format!(
                        "\napproval: this changes the account; in a real run it waits until a responder types `{step}` (or passes --approve {step})"
                    ));
                }
                self.terminal.line(&text);
            }
            _ => {}
        }
        match kind {
            EventKind::StepSucceeded { step, .. }
            | EventKind::StepFailed { step, .. }
            | EventKind::StepSkipped { step, .. }
            | EventKind::StepUncertain { step, .. } => {
                self.running.retain(|s| s != step);
                if matches!(kind, EventKind::StepFailed { .. }) {
                    self.failed += 1;
                }
                if let Some(bar) = &self.terminal.bar {
                    bar.inc(1);
                }
            }
            EventKind::ApprovalRequested { step, .. }
            | EventKind::AnswersRequested { step, .. } => {
                self.running.retain(|s| s != step);
                self.waiting += 1;
            }
            EventKind::ApprovalGranted { .. } | EventKind::StepAnswered { .. } => {
                self.waiting = self.waiting.saturating_sub(1);
            }
            _ => {}
        }
        let quiet = matches!(kind, EventKind::StepPreviewed { .. })
            || (self.mode == Mode::DryRun && matches!(kind, EventKind::StepStarted { .. }));
        if !quiet {
            let time = event.at.get(11..19).unwrap_or(&event.at);
            self.terminal
                .line(&format!("{time}  {step:24}  {}", describe(kind)));
        }
        self.status();
    }
}

/// `--format json`: one event per line on stdout.
pub struct JsonLines;

impl Consumer for JsonLines {
    fn event(&mut self, event: &RunEvent) {
        use std::io::Write;
        let line = serde_json::to_string(event).expect("events serialize");
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{line}");
        let _ = stdout.flush();
    }
}
