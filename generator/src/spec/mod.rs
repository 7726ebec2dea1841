//! The spec: its file format ([`model`]), loading with positions ([`load`], [`locate`]).

pub mod load;
pub mod locate;
pub mod model;
pub mod yaml;

pub use load::{SpecFile, SpecSet, load_dir};
