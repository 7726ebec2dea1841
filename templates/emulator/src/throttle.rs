//! The documented rate limits, counted in a sliding window per operation.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::api::RateLimit;
use crate::lock::lock;

/// Calls seen per operation within its window.
#[derive(Debug, Default)]
pub(crate) struct Throttle {
    seen: Mutex<HashMap<usize, VecDeque<Instant>>>,
}

impl Throttle {
    /// Whether one more call of `operation` fits in its quota; counts it if so.
    pub fn admit(&self, operation: usize, limit: RateLimit) -> bool {
        let window = Duration::from_secs(u64::from(limit.per_seconds.max(1)));
        let now = Instant::now();
        let mut seen = lock(&self.seen);
        let calls = seen.entry(operation).or_default();
        while calls.front().is_some_and(|t| now.duration_since(*t) >= window) {
            calls.pop_front();
        }
        if calls.len() >= limit.requests as usize {
            return false;
        }
        calls.push_back(now);
        true
    }

    /// Forgets every call.
    pub fn clear(&self) {
        lock(&self.seen).clear();
    }
}
