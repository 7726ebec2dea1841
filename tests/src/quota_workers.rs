//! Runs copies of the `quota_worker` binary (`src/bin/quota_worker.rs`) at once and reads their
//! reports: several processes calling one throttled operation of an emulator.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// What one worker process reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Successful calls.
    pub ok: usize,
    /// Calls answered with HTTP 429.
    pub throttled: usize,
    /// Other failures, as displayed.
    pub errors: Vec<String>,
    /// Calls the Redis limiter could not decide on (they fell back or failed).
    pub fallbacks: u64,
    /// When each successful call ended (ms since the Unix epoch).
    pub ok_at: Vec<u64>,
    /// When each 429 arrived (ms since the Unix epoch).
    pub throttled_at: Vec<u64>,
}

/// Starts `processes` copies of the worker at `binary` with `args`; collect them with [`wait`].
pub fn spawn(binary: &Path, processes: usize, args: &[String]) -> Vec<Child> {
    (0..processes)
        .map(|_| {
            Command::new(binary)
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("quota_worker starts")
        })
        .collect()
}

/// Waits for every worker and parses its report; panics with the worker's output when one
/// failed, so that a test shows why.
pub fn wait(children: Vec<Child>) -> Vec<Report> {
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().expect("quota_worker runs");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "quota_worker failed ({}): {text}",
                out.status
            );
            let v: Value = serde_json::from_str(text.trim())
                .unwrap_or_else(|e| panic!("quota_worker printed `{text}`: {e}"));
            let times = |k: &str| -> Vec<u64> {
                v[k].as_array()
                    .map(|a| a.iter().filter_map(Value::as_u64).collect())
                    .unwrap_or_default()
            };
            Report {
                ok: v["ok"].as_u64().unwrap_or(0) as usize,
                throttled: v["throttled"].as_u64().unwrap_or(0) as usize,
                errors: v["errors"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
                fallbacks: v["fallbacks"].as_u64().unwrap_or(0),
                ok_at: times("ok_at"),
                throttled_at: times("throttled_at"),
            }
        })
        .collect()
}

/// Every report's successful call times, merged and sorted.
pub fn all_ok_times(reports: &[Report]) -> Vec<u64> {
    let mut all: Vec<u64> = reports
        .iter()
        .flat_map(|r| r.ok_at.iter().copied())
        .collect();
    all.sort_unstable();
    all
}

/// The largest number of `times` (sorted, in ms) within any window of `window_ms`.
pub fn busiest_window(times: &[u64], window_ms: u64) -> usize {
    let mut start = 0;
    let mut most = 0;
    for (end, t) in times.iter().enumerate() {
        while times[start] + window_ms <= *t {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}
