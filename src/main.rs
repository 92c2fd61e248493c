//! The `triage-sim` binary: everything is in the library's [`triage_sim::cli`].

fn main() -> std::process::ExitCode {
    triage_sim::cli::main()
}
