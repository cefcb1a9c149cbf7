pub mod dot;
pub mod github;
pub mod human;
pub mod json;
pub mod mermaid;
pub mod plan_text;
