//! Fuzz target: any bytes as a force's export (per-call CSV, interval report or staffing
//! file), read and fitted. See `check_calls.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../check_calls.rs"]
mod check_calls;

fuzz_target!(|data: &[u8]| check_calls::check_export_bytes(data));
