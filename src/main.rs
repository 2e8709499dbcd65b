//! The `brief` binary: everything lives in the library.
//!
//! The one `unsafe` call of the project is here, outside the library
//! (which forbids `unsafe`): setting an option of the allocator.

/// mimalloc: rendering thousands of pages on every core allocates and frees
/// many small strings, which it does with less contention than the system
/// allocator (measured in docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its v3 numbering; the `-sys`
/// crate names no constant for it). A test checks that this option has
/// the purge delay's default.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    brief::cli::main_with(keep_freed_memory)
}

/// For `build` and `check`, which run once and exit: memory the build
/// frees stays with the allocator for its next allocation instead of
/// being handed back to the system a second after. Handed back, it comes
/// back as fresh pages the kernel must zero again: at 100,000 stories
/// that was 30,000-110,000 page faults instead of 2,100, and up to 10% of
/// the build's time (docs/performance.md). `serve`, which runs for hours,
/// keeps the default. `MIMALLOC_PURGE_DELAY` (or its older name,
/// `MIMALLOC_RESET_DELAY`) in the environment wins.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    if purge_delay_in_environment() {
        return;
    }
    // SAFETY: `mi_option_set` stores a number in mimalloc's option table;
    // it takes no pointers. It runs before the build starts any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// Is mimalloc's purge delay set in the environment (under either name)?
fn purge_delay_in_environment() -> bool {
    ["MIMALLOC_PURGE_DELAY", "MIMALLOC_RESET_DELAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(unsafe_code)]
    fn purge_delay() -> std::os::raw::c_long {
        // SAFETY: reads a number from mimalloc's option table.
        unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
    }

    #[test]
    fn keep_freed_memory_sets_the_purge_delay_option_to_never() {
        if purge_delay_in_environment() {
            return;
        }
        // v3's default purge delay is 1,000 ms, and no other option of
        // its table defaults to 1,000: a renumbering shows here.
        assert_eq!(purge_delay(), 1000);
        keep_freed_memory();
        assert_eq!(purge_delay(), -1);
    }
}
