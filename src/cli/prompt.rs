//! Prompts at the terminal: a manual step's questions, and a change's approval, which is the
//! step id typed back after reading the preview.

use std::io::Write;
use std::sync::Arc;

use crate::event::Answer;
use crate::exec::prompt::{Decision, Prompter};
use crate::playbook::model::{Question, Step};
use crate::report::terminal::Terminal;

pub struct TerminalPrompter {
    pub terminal: Arc<Terminal>,
}

/// One line typed at the terminal; `None` at end of input or once Ctrl-C was pressed.
///
/// It polls the descriptor itself, a fifth of a second at a time: Ctrl-C may be delivered
/// to another thread than this one, and a responder who asked irp to stop must not be held
/// at a prompt.
fn read_line() -> Option<String> {
    let mut line = Vec::new();
    let mut buf = [0u8; 1024];
    while !line.ends_with(b"\n") {
        if stopping() {
            return None;
        }
        let mut fd = libc::pollfd {
            fd: 0,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one pollfd we own.
        let ready = unsafe { libc::poll(&mut fd, 1, 200) };
        if ready <= 0 {
            continue;
        }
        // SAFETY: reading into a buffer we own, of the length given.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return None;
        }
        if n == 0 {
            break;
        }
        line.extend_from_slice(&buf[..n as usize]);
    }
    if line.is_empty() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&line)
            .trim_end_matches(['\n', '\r'])
            .to_owned(),
    )
}

fn ask(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    read_line()
}

/// After a Ctrl-C nothing more is asked: the steps that would ask are left waiting.
fn stopping() -> bool {
    crate::exec::runner::CTRL_C.load(std::sync::atomic::Ordering::SeqCst)
}

impl Prompter for TerminalPrompter {
    fn answers(&self, step: &Step) -> Option<Vec<Answer>> {
        if stopping() {
            return None;
        }
        self.terminal.suspend(|| {
            eprintln!("\n{} — {}", step.id, step.title);
            let mut answers = Vec::new();
            for question in &step.questions {
                let text = match question {
                    Question::Text(text) => ask(&format!("? {text}\n> "))?,
                    Question::Choice(choice) => {
                        let choices = &choice.choices;
                        eprintln!("? {}", choice.ask);
                        for (i, c) in choices.iter().enumerate() {
                            eprintln!("  {}. {c}", i + 1);
                        }
                        let typed = ask("> (a number, or your own words) ")?;
                        typed
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|n| choices.get(n.wrapping_sub(1)).cloned())
                            .unwrap_or(typed)
                    }
                };
                answers.push(Answer {
                    question: question.text().to_owned(),
                    answer: text,
                });
            }
            if !step.checklist.is_empty() {
                for item in &step.checklist {
                    eprintln!("  [ ] {item}");
                }
                ask("press Enter when the checklist is done ")?;
            }
            Some(answers)
        })
    }

    fn approve(&self, step: &Step, params: &serde_json::Value, preview: &str) -> Decision {
        if stopping() {
            return Decision::Unavailable;
        }
        self.terminal.suspend(|| {
            eprintln!(
                "\n{} — {} ({}) changes the account:",
                step.id, step.title, step.action.name
            );
            eprintln!("  {preview}");
            // The preview may shorten long lists: the approval is for these exact parameters.
            eprintln!("exactly, with these parameters:");
            // Shown as the journal keeps it: no secret on a screen or in a terminal log.
            let mut shown = params.clone();
            let _ = crate::evidence::redact::redact(&mut shown);
            let full = serde_json::to_string_pretty(&shown).unwrap_or_default();
            for line in full.lines() {
                eprintln!("  {line}");
            }
            let typed = ask(&format!(
                "type `{}` to approve exactly this, `skip` to skip it, or Enter to leave it waiting: ",
                step.id
            ));
            match typed.as_deref().map(str::trim) {
                Some(t) if t == step.id => Decision::Approve,
                Some("skip") => Decision::Decline,
                _ => Decision::Unavailable,
            }
        })
    }
}
