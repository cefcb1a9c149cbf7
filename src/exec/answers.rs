//! `--answers FILE`: manual steps answered without a terminal. YAML, step id to answers,
//! either a list in question order or a mapping from question to answer.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::event::Answer;
use crate::playbook::diagnostics::did_you_mean;
use crate::playbook::model::{Playbook, Step};

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StepAnswers {
    InOrder(Vec<AnswerText>),
    ByQuestion(IndexMap<String, AnswerText>),
}

/// An answer as typed: `yes`, `3` or `true` are answers too, kept as the text written.
#[derive(Debug, Clone)]
pub struct AnswerText(pub String);

impl<'de> Deserialize<'de> for AnswerText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = AnswerText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an answer")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AnswerText, E> {
                Ok(AnswerText(v.to_owned()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<AnswerText, E> {
                Ok(AnswerText(if v { "yes" } else { "no" }.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<AnswerText, E> {
                Ok(AnswerText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AnswerText, E> {
                Ok(AnswerText(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<AnswerText, E> {
                Ok(AnswerText(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<AnswerText, E> {
                Ok(AnswerText(String::new()))
            }
        }
        d.deserialize_any(Text)
    }
}

#[derive(Debug, Default, Clone)]
pub struct AnswerFile {
    pub steps: IndexMap<String, StepAnswers>,
}

#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}: `{step}` is not a step of the playbook{}", .help.as_deref().map(|h| format!("; {h}")).unwrap_or_default())]
    UnknownStep {
        path: String,
        step: String,
        help: Option<String>,
    },
    #[error("{path}: `{step}` is not a manual step, so it asks nothing")]
    NotManual { path: String, step: String },
    #[error("{path}: `{step}` answers a question it does not ask: `{question}`")]
    UnknownQuestion {
        path: String,
        step: String,
        question: String,
    },
}

impl AnswerFile {
    pub fn load(path: &std::path::Path, playbook: &Playbook) -> Result<Self, AnswersError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| AnswersError::Read {
            path: shown.clone(),
            message: e.to_string(),
        })?;
        let steps: IndexMap<String, StepAnswers> =
            serde_saphyr::from_str(&text).map_err(|e| AnswersError::Read {
                path: shown.clone(),
                message: e.to_string(),
            })?;
        for (id, answers) in &steps {
            let Some(step) = playbook.step(id) else {
                return Err(AnswersError::UnknownStep {
                    path: shown,
                    step: id.clone(),
                    help: did_you_mean(id, playbook.steps.iter().map(|s| s.id.as_str())),
                });
            };
            if step.action.name != "manual" {
                return Err(AnswersError::NotManual {
                    path: shown,
                    step: id.clone(),
                });
            }
            if let StepAnswers::ByQuestion(map) = answers
                && let Some(q) = map
                    .keys()
                    .find(|q| !step.questions.iter().any(|s| s.text() == q.as_str()))
            {
                return Err(AnswersError::UnknownQuestion {
                    path: shown,
                    step: id.clone(),
                    question: q.clone(),
                });
            }
        }
        Ok(Self { steps })
    }

    /// The answers for a step, one per question (unanswered ones empty), if the file has
    /// an entry for it.
    pub fn for_step(&self, step: &Step) -> Option<Vec<Answer>> {
        let entry = self.steps.get(&step.id)?;
        Some(
            step.questions
                .iter()
                .enumerate()
                .map(|(i, q)| Answer {
                    question: q.text().to_owned(),
                    answer: match entry {
                        StepAnswers::InOrder(list) => list.get(i).map(|a| a.0.clone()),
                        StepAnswers::ByQuestion(map) => map.get(q.text()).map(|a| a.0.clone()),
                    }
                    .unwrap_or_default(),
                })
                .collect(),
        )
    }
}
