//! Work spread over the cores, with results in input order so that nothing downstream depends
//! on the scheduling.

use std::sync::{Mutex, PoisonError};

/// `items.into_iter().map(f).collect()`, with the calls shared out among one thread per core
/// (the calling thread is one of them). Items are started in order; a panic in `f` is resumed
/// on the calling thread.
pub fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let count = items.len();
    let queue = Mutex::new(items.into_iter().enumerate());
    let work = || {
        let mut done = Vec::new();
        loop {
            // A statement of its own, so the lock is released before `f` runs.
            let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
            let Some((i, item)) = next else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut results = std::thread::scope(|s| {
        let helpers: Vec<_> = (1..threads.min(count)).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in helpers {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}
