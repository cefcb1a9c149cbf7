pub mod answers;
pub mod emitter;
pub mod plan;
pub mod prior;
pub mod prompt;
pub mod runner;
pub mod selection;
