//! Documents as an input: the partner reference is read into a neutral [`model::Document`] (what
//! the text states, each fact with its line), which is then compared with the spec.

pub mod model;
pub mod read;

pub use model::Document;
pub use read::{ReadError, read, read_bytes};
pub mod compare;
pub mod draft;
pub mod spec_view;
