//! brief: a static-site generator for linked briefing websites.
//!
//! The pipeline runs one way: `config` -> `content` -> `graph` (with
//! `markdown`) -> `model` -> `render` -> `output`. `pipeline` strings the
//! stages together; `cli` is the only module that prints.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::exit,
        clippy::print_stdout,
        clippy::print_stderr
    )
)]

pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod graph;
pub mod incremental;
pub mod lint;
pub mod markdown;
pub mod mentions;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod relations;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;
pub mod stamp;
pub mod urls;
pub mod watch;

/// The most notes (or pages, or files) a core takes on at a time in a
/// parallel stage. Rayon splits an indexed job into a handful of parts and
/// then works through each part alone unless the other core takes some of
/// it; a part it has started cannot be taken from, so with few parts a
/// stage could end with one core idle for a quarter of the stage. Parts
/// this small keep work to take until the end.
pub const PAR_CHUNK: usize = 16;

/// Threads that read the site's files: more than the cores, so that a
/// file the system has to fetch from the disk (after a reboot, or once the
/// system has let its cached copy go) is waited for while others are read
/// and parsed. Parsing runs on them too; the cores stay as busy as before.
const IO_THREADS: usize = 16;

/// Runs `f` on the reading threads (see [`IO_THREADS`]): the parallel
/// iterators inside it share them. On the usual pool if they cannot be
/// started, or if `RAYON_NUM_THREADS` sets how many threads brief may
/// use (for repeatable measurements, or a shared machine).
pub fn reading<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if std::env::var_os("RAYON_NUM_THREADS").is_some() {
        return f();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(IO_THREADS.max(rayon::current_num_threads()))
        .thread_name(|i| format!("brief-read-{i}"))
        .build();
    match pool {
        Ok(pool) => pool.install(f),
        Err(_) => f(),
    }
}
