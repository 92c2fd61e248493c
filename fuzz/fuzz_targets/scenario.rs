//! Fuzz target: any bytes as a scenario file (with `#set` lines as --set flags). See `check.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../check.rs"]
mod check;

fuzz_target!(|data: &[u8]| check::check_scenario_bytes(data));
