#!/usr/bin/env bash
# A bounded load test of the sandbox on loopback: the real partner-sandbox binary with
# --data, 200 clients for 30 s mixing reads, creates and moves in dk-co, de-fr and us-dc.
# It stops by itself and prints throughput, p50/p99 latency and every answer that was not a
# success (designed limits apart from errors); it fails when there was an error.
#
#   scripts/load.sh                         # 200 clients, 30 s, release build (the figures)
#   scripts/load.sh --seconds 3             # a short run, e.g. for CI
#   LOAD_PROFILE=dev scripts/load.sh --seconds 3 --clients 50   # reuse the test build
#
# Figures and what they mean: docs/reliability.md, "The sandbox under load and SIGKILL".
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${LOAD_PROFILE:-release}"
cargo build -q --profile "$profile" -p partner-sandbox --bin partner-sandbox --example load
dir=target/$([ "$profile" = dev ] && echo debug || echo "$profile")
exec "$dir/examples/load" --sandbox "$dir/partner-sandbox" "$@"
