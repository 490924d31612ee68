//! SIGINT, SIGTERM and SIGHUP during `commsim run`: the process ends at once (what it has written
//! is as safe as after `kill -9`: finished design points are kept in the staging folder), but it
//! first says what was kept and the command that continues the run, and exits with 128 + the
//! signal's number, as a shell reports a process ended by that signal.

use anyhow::{Context, Result};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::sync::Mutex;

/// What a signal would interrupt, said after "interrupted by SIGx: ".
static STATE: Mutex<String> = Mutex::new(String::new());
/// The lock file this process holds, removed before it exits as the lock's own drop would: the
/// process holds the lock, so no other process can have replaced the file.
static LOCK_FILE: Mutex<Option<std::path::PathBuf>> = Mutex::new(None);

/// Catches the three signals for the rest of the process; `state` is what is said if one comes.
pub fn install(state: String) -> Result<()> {
    set(state);
    let mut signals =
        Signals::new([SIGINT, SIGTERM, SIGHUP]).context("cannot catch SIGINT, SIGTERM, SIGHUP")?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let name = match signal {
                    SIGINT => "SIGINT",
                    SIGTERM => "SIGTERM",
                    _ => "SIGHUP",
                };
                // Holding the lock while exiting keeps the state from changing mid-message.
                let state = STATE.lock().unwrap_or_else(|p| p.into_inner());
                eprintln!("\ncommsim: interrupted by {name}: {state}");
                if let Some(lock) = LOCK_FILE.lock().unwrap_or_else(|p| p.into_inner()).take() {
                    let _ = std::fs::remove_file(lock);
                }
                std::process::exit(128 + signal);
            }
        })
        .context("cannot start the signal thread")?;
    Ok(())
}

/// The lock file the process holds from now on (`None` once it is let go).
pub fn set_lock(path: Option<std::path::PathBuf>) {
    *LOCK_FILE.lock().unwrap_or_else(|p| p.into_inner()) = path;
}

/// Changes what a signal would interrupt (the run has started writing, or has finished).
pub fn set(state: String) {
    *STATE.lock().unwrap_or_else(|p| p.into_inner()) = state;
}

/// The command line that continues this run: the same arguments with `--resume` instead of
/// `--force`, and `--out` spelled out, each quoted for a POSIX shell where needed.
pub fn resume_command(out_dir: &std::path::Path) -> String {
    let mut args: Vec<String> = std::env::args().collect();
    args.retain(|a| a != "--force" && a != "--resume");
    if !args.iter().any(|a| a == "--out" || a.starts_with("--out=")) {
        args.push("--out".into());
        args.push(out_dir.display().to_string());
    }
    args.push("--resume".into());
    args.iter()
        .map(|a| shell_quote(a))
        .collect::<Vec<_>>()
        .join(" ")
}

fn shell_quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn arguments_are_quoted_only_when_a_shell_needs_it() {
        assert_eq!(shell_quote("--set"), "--set");
        assert_eq!(shell_quote("grants.budget=20"), "grants.budget=20");
        assert_eq!(shell_quote("my runs/a b"), "'my runs/a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
