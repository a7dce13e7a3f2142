#!/usr/bin/env bash
# The long fuzzing run: every decoder, config.json, the embedding protocol, the CSV import and
# the validators of the core, on mutated real documents, for SECONDS (default 600).
#   scripts/fuzz.sh [SECONDS] [--seed S]
# scripts/test.sh runs the same fuzzer for 20 seconds. docs/reliability.md records runs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
seconds=${1:-600}
shift || true
cargo run --release --locked --quiet -p partner-api --example fuzz -- --seconds "$seconds" "$@"
