pub mod case;
pub mod durable;
pub mod journal;
pub mod manifest;
pub mod recorder;
pub mod redact;
pub mod verify;
