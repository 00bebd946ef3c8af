//! The `notary-verify` command line: reads files, calls the verification core,
//! formats its outcome. No rule of the specification lives here.

pub mod config;
pub mod containerd;
pub mod files;
pub mod layout;
pub mod render;
pub mod signatures;
