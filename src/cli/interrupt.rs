//! Ctrl-C (and SIGTERM): a process-wide request to stop, honoured promptly by the engine.
//!
//! Signals are process-wide, so the request is too. The command line hands [`flag`] to the
//! replication [`Runner`](crate::stats::Runner), which passes it to the engine (the engine reads
//! no globals itself). Once it is set, every simulation run stops within 65 536 events and its
//! tallies are incomplete: commands check [`requested`] before they report anything, and report
//! nothing from a run that was cut short. A second Ctrl-C ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// The exit code of a command stopped by an interrupt (128 + SIGINT, as shells report it).
pub const EXIT_CODE: u8 = 130;

/// Installs the Ctrl-C / SIGTERM handler: the first signal requests a stop, a second exits.
pub fn install_handler() -> Result<(), ctrlc::Error> {
    ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            super::atomic_file::remove_unfinished();
            std::process::exit(i32::from(EXIT_CODE));
        }
    })
}

/// Whether a stop has been requested.
#[inline]
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// The request itself, for the replication runner to pass to the engine.
pub fn flag() -> &'static AtomicBool {
    &REQUESTED
}
