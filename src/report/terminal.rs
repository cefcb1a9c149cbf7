//! The live view of a run for people, on stderr: on a terminal, a progress line (indicatif)
//! with finished steps printed above it; elsewhere, plain timestamped lines. A dry run also
//! shows each step's guide, parameters and preview, as a facilitator reads them out.

use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressStyle};

use super::timeline::describe;
use crate::event::{Consumer, EventKind, Mode, RunEvent};
use crate::playbook::model::Playbook;

/// The terminal, shared by the reporter and the prompts. While a prompt is open, what the
/// reporter would print waits in a queue instead of blocking: a responder taking a minute to
/// read a preview must not stall every other step's events.
pub struct Terminal {
    bar: Option<ProgressBar>,
    state: Mutex<Shown>,
    /// Held for the length of one prompt, so prompts come one at a time.
    prompt: Mutex<()>,
}

#[derive(Default)]
struct Shown {
    prompting: bool,
    queued: Vec<String>,
    message: Option<String>,
    done: u64,
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
            state: Mutex::new(Shown::default()),
            prompt: Mutex::new(()),
        })
    }

    /// Prints a line above the progress line (or queues it while a prompt is open).
    pub fn line(&self, text: &str) {
        let mut state = self.state.lock().expect("not poisoned");
        if state.prompting {
            state.queued.push(text.to_owned());
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// Sets the progress line's message and the count of finished steps.
    fn status(&self, message: String, done: u64) {
        let mut state = self.state.lock().expect("not poisoned");
        state.message = Some(message);
        state.done = done;
        if !state.prompting {
            self.show(&state);
        }
    }

    fn show(&self, state: &Shown) {
        if let Some(bar) = &self.bar {
            bar.set_position(state.done);
            if let Some(m) = &state.message {
                bar.set_message(m.clone());
            }
        }
    }

    /// Runs a prompt with the progress line hidden; lines printed meanwhile come after it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        let _one_at_a_time = self.prompt.lock().expect("not poisoned");
        self.state.lock().expect("not poisoned").prompting = true;
        let result = match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        };
        let mut state = self.state.lock().expect("not poisoned");
        state.prompting = false;
        for text in std::mem::take(&mut state.queued) {
            match &self.bar {
                Some(bar) => bar.println(text),
                None => eprintln!("{text}"),
            }
        }
        self.show(&state);
        result
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
    done: u64,
    /// Steps finished (whatever the outcome), for the per-phase counts.
    finished: std::collections::BTreeSet<String>,
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
            done: 0,
            finished: Default::default(),
        }
    }

    /// `Preparation 3/9 · Detection 0/6 · ...`: where the run stands, phase by phase.
    fn phases(&self) -> String {
        crate::playbook::model::Phase::ALL
            .into_iter()
            .filter_map(|phase| {
                let steps: Vec<&str> = self
                    .playbook
                    .steps
                    .iter()
                    .filter(|s| s.phase == phase)
                    .map(|s| s.id.as_str())
                    .collect();
                let done = steps.iter().filter(|s| self.finished.contains(**s)).count();
                (!steps.is_empty()).then(|| format!("{} {done}/{}", phase.title(), steps.len()))
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn status(&self) {
        self.terminal.status(
            format!(
                "{} | running: {} | failed {} | waiting {}",
                self.phases(),
                if self.running.is_empty() {
                    "-".to_owned()
                } else {
                    self.running.join(", ")
                },
                self.failed,
                self.waiting
            ),
            self.done,
        );
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
                self.done += 1;
                self.finished.insert(step.clone());
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
