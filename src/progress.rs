//! Progress for a person at a terminal: a run that takes longer than about
//! a second shows how far it is (files read, objects checked) on stderr,
//! and clears the line before the report is printed. The CLI decides when
//! it is shown (pretty output, stderr a terminal, not in CI); the pipeline
//! only counts, with relaxed atomic additions.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

static FILES_READ: AtomicUsize = AtomicUsize::new(0);
static OBJECTS_CHECKED: AtomicUsize = AtomicUsize::new(0);

/// `n` more files read and parsed.
pub fn files_read(n: usize) {
    FILES_READ.fetch_add(n, Ordering::Relaxed);
}

/// `n` more objects checked by the rules.
pub fn objects_checked(n: usize) {
    OBJECTS_CHECKED.fetch_add(n, Ordering::Relaxed);
}

/// How long a run goes before its progress is shown.
const DELAY: Duration = Duration::from_secs(1);

/// The progress line, drawn by a thread of its own until [`Progress::finish`]
/// (or drop) clears it.
pub struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Shows progress after [`DELAY`] if `enabled`; otherwise does nothing.
    pub fn start(enabled: bool) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = enabled.then(|| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || draw(&stop))
        });
        Progress { stop, thread }
    }

    /// Clears the progress line (if one was drawn) and returns once it is gone.
    pub fn finish(mut self) {
        self.stop_thread();
    }

    fn stop_thread(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

/// Whether progress may be shown: on a terminal (stderr), never in CI.
pub fn wanted() -> bool {
    use std::io::IsTerminal;
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    std::io::stderr().is_terminal() && !ci
}

fn draw(stop: &AtomicBool) {
    let started = Instant::now();
    while started.elapsed() < DELAY {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    while !stop.load(Ordering::Relaxed) {
        bar.set_message(message(
            FILES_READ.load(Ordering::Relaxed),
            OBJECTS_CHECKED.load(Ordering::Relaxed),
        ));
        bar.tick();
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}

fn message(files: usize, objects: usize) -> String {
    format!(
        "kwire: {files} {} read, {objects} {} checked",
        if files == 1 { "file" } else { "files" },
        if objects == 1 { "object" } else { "objects" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_what_was_done() {
        assert_eq!(message(1, 0), "kwire: 1 file read, 0 objects checked");
        assert_eq!(message(12, 1), "kwire: 12 files read, 1 object checked");
    }

    #[test]
    fn a_quick_run_draws_nothing_and_finishes_at_once() {
        let started = Instant::now();
        Progress::start(true).finish();
        Progress::start(false).finish();
        assert!(started.elapsed() < DELAY);
    }
}
