//! What stderr shows while a calibration runs.

use super::tables::short;
use crate::cli::human_seconds;
use commsim::experiment::abc::Generation;
use std::io::IsTerminal;
use std::time::Instant;

/// The progress on stderr: a line per finished generation (its tolerance, acceptance rate and
/// effective sample size, and the time left if every remaining generation took as long as the
/// last), and on a terminal a bar of the current generation's draws and runs.
pub(super) struct Progress {
    generations: usize,
    quiet: bool,
    bar: Option<indicatif::ProgressBar>,
    /// The generation under way, the last finished one's tolerance and acceptance rate.
    current: usize,
    last: Option<(f64, f64)>,
    draws: u64,
    runs: u64,
    since: Instant,
    last_seconds: Option<f64>,
}

impl Progress {
    pub(super) fn new(generations: usize, quiet: bool, resumed: Option<&Generation>) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        let current = resumed.map_or(0, |g| g.index + 1);
        let p = Progress {
            generations,
            quiet,
            bar,
            current,
            last: resumed.map(|g| (g.tolerance, g.acceptance_rate())),
            draws: 0,
            runs: 0,
            since: Instant::now(),
            last_seconds: None,
        };
        if !quiet {
            match resumed {
                Some(g) => eprintln!(
                    "commsim: resuming after generation {} of at most {generations} (tolerance {})",
                    g.index,
                    short(g.tolerance)
                ),
                None => eprintln!("commsim: calibrating, at most {generations} generations"),
            }
        }
        p.redraw();
        p
    }

    pub(super) fn line(&self) -> String {
        let last = match self.last {
            Some((eps, rate)) => format!(
                ", last tolerance {}, acceptance {:.1}%",
                short(eps),
                100.0 * rate
            ),
            None => String::new(),
        };
        format!(
            "generation {} ({} of at most {}){last}: {} draws, {} runs, {}",
            self.current,
            self.current + 1,
            self.generations,
            self.draws,
            self.runs,
            self.eta()
        )
    }

    /// The time left at the pace of the last generation; the calibration may stop earlier.
    pub(super) fn eta(&self) -> String {
        match self.last_seconds {
            Some(_) if self.current >= self.generations => "no generation left".into(),
            Some(s) => format!(
                "ETA at most ~{}",
                human_seconds(s * (self.generations - self.current) as f64)
            ),
            None => "ETA unknown until a generation ends".into(),
        }
    }

    pub(super) fn redraw(&self) {
        if let Some(bar) = &self.bar {
            bar.set_message(self.line());
        }
    }

    pub(super) fn ran(&mut self, draws: u64, runs: u64) {
        self.draws += draws;
        self.runs += runs;
        self.redraw();
    }

    pub(super) fn finished(&mut self, g: &Generation) {
        let seconds = self.since.elapsed().as_secs_f64();
        self.last_seconds = Some(seconds);
        self.last = Some((g.tolerance, g.acceptance_rate()));
        self.current = g.index + 1;
        if !self.quiet {
            let text = format!(
                "commsim: generation {} ({} of at most {}) done: tolerance {}, accepted {} of {} draws ({:.1}%), ESS {:.0}, {}; {}",
                g.index,
                g.index + 1,
                self.generations,
                short(g.tolerance),
                g.accepted,
                g.draws,
                100.0 * g.acceptance_rate(),
                g.ess,
                human_seconds(seconds),
                self.eta()
            );
            match &self.bar {
                Some(bar) => bar.println(text),
                None => eprintln!("{text}"),
            }
        }
        self.draws = 0;
        self.runs = 0;
        self.since = Instant::now();
        self.redraw();
    }

    pub(super) fn close(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
