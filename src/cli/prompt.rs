//! Prompts at the terminal: a manual step's questions, and a change's approval, which is the
//! step id typed back after reading the preview.

use std::io::{BufRead, Write};
use std::sync::Arc;

use crate::event::Answer;
use crate::exec::prompt::{Decision, Prompter};
use crate::playbook::model::{Question, Step};
use crate::report::terminal::Terminal;

pub struct TerminalPrompter {
    pub terminal: Arc<Terminal>,
}

fn read_line() -> Option<String> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\n', '\r']).to_owned()),
    }
}

fn ask(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    read_line()
}

impl Prompter for TerminalPrompter {
    fn answers(&self, step: &Step) -> Option<Vec<Answer>> {
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
