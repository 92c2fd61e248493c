//! The one replication runner: independent replications in parallel on the current rayon
//! pool, gathered in replication order.
//!
//! Replication `r` uses streams derived from (seed, r) alone and results are gathered in
//! replication order, so the output is bit-identical whatever the number of threads. Every
//! command and planning search runs its replications through a [`Runner`], which carries what
//! the engine should record and the stop request it should poll.

use std::sync::atomic::{AtomicBool, AtomicU64};
use std::time::Instant;

use rayon::prelude::*;

use crate::scenario::Scenario;
use crate::sim::{self, RunOptions, Tally};
use crate::stats::{ReplicationKpis, Results, replication_kpis};

/// How replications are run: what the engine records and what may stop it.
#[derive(Clone, Copy, Debug, Default)]
pub struct Runner {
    options: RunOptions,
}

impl Runner {
    /// A runner whose replications stop early once `flag` is set (the command line's Ctrl-C).
    pub fn stopped_by(flag: &'static AtomicBool) -> Runner {
        Runner {
            options: RunOptions {
                stop: Some(flag),
                ..RunOptions::default()
            },
        }
    }

    /// This runner, adding the simulated seconds it has done to `counter` as it goes (a
    /// progress display reads it).
    pub fn reporting_to(mut self, counter: &'static AtomicU64) -> Runner {
        self.options.progress = Some(counter);
        self
    }

    /// This runner, also recording the number in system per hour of the week.
    pub fn tracking_in_system(mut self) -> Runner {
        self.options.track_in_system = true;
        self
    }

    /// Runs every replication of `scenario` and maps its tally with `f`, in replication order.
    pub fn map<T: Send>(&self, scenario: &Scenario, f: impl Fn(Tally) -> T + Sync) -> Vec<T> {
        (0..scenario.replications)
            .into_par_iter()
            .map(|r| f(sim::run_with(scenario, r, self.options)))
            .collect()
    }

    /// Runs every replication of `scenario` and summarises them.
    pub fn replicate(&self, scenario: &Scenario) -> Results {
        let started = Instant::now();
        let per_replication: Vec<ReplicationKpis> =
            self.map(scenario, |tally| replication_kpis(scenario, &tally));
        Results::summarise(scenario, per_replication, started.elapsed().as_secs_f64())
    }
}

/// Runs every replication of `scenario` on the current rayon pool and summarises them.
pub fn replicate(scenario: &Scenario) -> Results {
    Runner::default().replicate(scenario)
}

/// Runs [`replicate`] on a dedicated pool of `threads` threads.
pub fn replicate_with_threads(scenario: &Scenario, threads: usize) -> Results {
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(|| replicate(scenario)),
        Err(_) => replicate(scenario),
    }
}
