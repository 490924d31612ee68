//! The progress of `commsim run` on stderr: a bar on a terminal; off a terminal (a batch job's
//! log) a plain line at the start and then at a steady interval; nothing with `--quiet`. Runs
//! are counted as each one finishes, from the worker threads.

use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often a plain progress line is printed off a terminal, by default.
pub const PLAIN_INTERVAL_SECONDS: f64 = 30.0;

/// How often the bar is redrawn when no run finishes (so its rate and ETA stay current).
const BAR_TICK: Duration = Duration::from_millis(200);

/// Runs done, out of how many, since when.
struct Count {
    done: AtomicU64,
    /// Runs already done when this process started (a resumed run).
    first: u64,
    total: u64,
    start: Instant,
}

impl Count {
    /// `commsim: 120/200 runs (60%), 4.1 runs/s, ETA 20 s`.
    fn line(&self) -> String {
        let done = self.done.load(Ordering::Relaxed);
        let percent = if self.total == 0 {
            100.0
        } else {
            100.0 * done as f64 / self.total as f64
        };
        let rate = (done - self.first) as f64 / self.start.elapsed().as_secs_f64().max(1e-9);
        let head = format!("commsim: {done}/{} runs ({percent:.0}%)", self.total);
        if done == self.first {
            return format!("{head}, no run finished yet");
        }
        let left = self.total.saturating_sub(done) as f64 / rate;
        format!(
            "{head}, {}, ETA {}",
            rate_text(rate),
            super::human_seconds(left)
        )
    }
}

/// A rate with the precision it deserves: `0.25 runs/s`, `5.6 runs/s`, `240 runs/s`.
pub fn rate_text(per_second: f64) -> String {
    if per_second < 1.0 {
        format!("{per_second:.2} runs/s")
    } else if per_second < 100.0 {
        format!("{per_second:.1} runs/s")
    } else {
        format!("{per_second:.0} runs/s")
    }
}

pub struct Progress {
    count: Arc<Count>,
    bar: Option<ProgressBar>,
    /// The thread printing plain lines, and the channel that stops it.
    ticker: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Progress of `total` runs of which `first` are already done. `interval` is the time between
    /// plain lines off a terminal.
    pub fn start(total: u64, first: u64, quiet: bool, interval: Duration) -> Progress {
        let count = Arc::new(Count {
            done: AtomicU64::new(first),
            first,
            total,
            start: Instant::now(),
        });
        let mut progress = Progress {
            count: Arc::clone(&count),
            bar: None,
            ticker: None,
        };
        if quiet {
            return progress;
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {rate}  ETA {left}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .with_key("rate", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&rate_text(s.per_sec()));
                    })
                    .with_key("left", |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let left = match s.len() {
                            Some(len) if s.per_sec() > 0.0 => super::human_seconds(
                                len.saturating_sub(s.pos()) as f64 / s.per_sec(),
                            ),
                            _ => "unknown".into(),
                        };
                        let _ = w.write_str(&left);
                    }),
            );
            bar.set_position(first);
            bar.enable_steady_tick(BAR_TICK);
            progress.bar = Some(bar);
        } else {
            // A first line at once, so a log shows the run has started.
            eprintln!("{}", count.line());
            let (stop, stopped) = mpsc::channel::<()>();
            let thread = std::thread::spawn(move || loop {
                match stopped.recv_timeout(interval) {
                    Err(RecvTimeoutError::Timeout) => eprintln!("{}", count.line()),
                    _ => return,
                }
            });
            progress.ticker = Some((stop, thread));
        }
        progress
    }

    /// Counts `n` finished runs; called from any thread.
    pub fn add(&self, n: u64) {
        self.count.done.fetch_add(n, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Clears the bar, or stops the plain lines.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if let Some((stop, thread)) = self.ticker.take() {
            drop(stop);
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    /// A failed run stops its progress lines too.
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_says_runs_share_rate_and_time_left() {
        let count = Count {
            done: AtomicU64::new(50),
            first: 50,
            total: 200,
            start: Instant::now(),
        };
        assert_eq!(
            count.line(),
            "commsim: 50/200 runs (25%), no run finished yet"
        );
        count.done.store(120, Ordering::Relaxed);
        let line = count.line();
        assert!(
            line.starts_with("commsim: 120/200 runs (60%), ") && line.contains(" runs/s, ETA "),
            "{line}"
        );
        assert_eq!(rate_text(5.5724), "5.6 runs/s");
        assert_eq!(rate_text(0.25), "0.25 runs/s");
        assert_eq!(rate_text(240.4), "240 runs/s");
    }
}
