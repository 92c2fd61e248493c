//! Progress on standard error while a command simulates: what it is doing, the simulated time
//! done, elapsed time and, where the command estimated its work, the share done and the time
//! left. Drawn only on a terminal, so pipes, files and tests see nothing.
//!
//! The engine adds the simulated seconds of every replication to [`SIMULATED_S`] as it goes
//! (every 65,536 events); a command's work estimate (the one checked against the limits) sets
//! [`EXPECTED_S`]. A thread redraws the line five times a second until the command ends.

use std::io::IsTerminal;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Simulated seconds done, all replications of all runs of this command together.
pub(super) static SIMULATED_S: AtomicU64 = AtomicU64::new(0);

/// Simulated seconds the command expects to run in all (0: unknown).
static EXPECTED_S: AtomicU64 = AtomicU64::new(0);

/// Records the command's estimate of its work, in replication-hours; the last one stands.
pub(super) fn expect_hours(hours: f64) {
    if hours.is_finite() && hours > 0.0 {
        EXPECTED_S.store((hours * 3600.0) as u64, Ordering::Relaxed);
    }
}

/// The progress line of a running command; it disappears when dropped.
pub(super) struct Display {
    /// Dropping it tells the drawing thread to stop at once (not at its next tick).
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Display {
    /// Starts the line for `what` (e.g. "staff"), on a terminal only.
    pub(super) fn start(what: &'static str) -> Display {
        if !std::io::stderr().is_terminal() {
            return Display {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = channel();
        let thread = std::thread::spawn(move || draw_until(&stopped, what));
        Display {
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

/// Whether the command is still running after waiting up to `wait` for it to end.
fn still_running(stopped: &Receiver<()>, wait: Duration) -> bool {
    matches!(stopped.recv_timeout(wait), Err(RecvTimeoutError::Timeout))
}

/// Redraws the line until the command ends; nothing before a fifth of a second, so instant
/// commands never flash one (and never wait for it).
fn draw_until(stopped: &Receiver<()>, what: &'static str) {
    const TICK: Duration = Duration::from_millis(200);
    if !still_running(stopped, TICK) {
        return;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        .with_style(styles().0.clone())
        .with_message(what);
    let mut known = false;
    loop {
        let (simulated, expected) = (
            SIMULATED_S.load(Ordering::Relaxed),
            EXPECTED_S.load(Ordering::Relaxed),
        );
        if expected > 0 && !known {
            known = true;
            bar.set_style(styles().1.clone());
        }
        if known {
            bar.set_length(expected.max(simulated) / 3600);
        }
        bar.set_position(simulated / 3600);
        bar.tick();
        if !still_running(stopped, TICK) {
            break;
        }
    }
    bar.finish_and_clear();
}

/// The line without an estimate, and with one.
fn styles() -> &'static (ProgressStyle, ProgressStyle) {
    static STYLES: OnceLock<(ProgressStyle, ProgressStyle)> = OnceLock::new();
    STYLES.get_or_init(|| {
        let style = |template: &str| {
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
        };
        (
            style("{spinner} {msg}: simulating, {human_pos} replication-hours done [{elapsed}]"),
            style(
                "{spinner} {msg}: simulating {wide_bar} {percent}% [{elapsed}, about {eta} left]",
            ),
        )
    })
}
