#!/usr/bin/env bash
# The tree benchmark (issue: first rows, filter, first level) beside the plain-JS reference,
# in headless Chromium on the release build. Prints a table for docs/benchmarks.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
scripts/setup.sh --browser
trunk build --release --offline
cargo run --quiet --release -p partner-e2e --bin bench
