#!/usr/bin/env bash
# Fuzz the native detection core (scanner/native/fuzz, cargo fuzz + libFuzzer).
#   bash tests/fuzz/native.sh            # 10 seconds (what the test suite runs)
#   bash tests/fuzz/native.sh 3600       # an hour, by hand; findings land in scanner/native/fuzz/artifacts/
# cargo fuzz needs nightly-only compiler flags; RUSTC_BOOTSTRAP=1 allows them on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/../../scanner/native/fuzz"
seconds="${1:-10}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --quiet --locked cargo-fuzz
mkdir -p corpus/scan_text
RUSTC_BOOTSTRAP=1 exec cargo fuzz run scan_text corpus/scan_text seeds -- \
  -max_total_time="$seconds" -max_len=4096 -print_final_stats=1
