#!/usr/bin/env bash
# Every test, in the order a failure is cheapest to find: formatting, lints, native tests,
# browser component tests, the release build and its size, end-to-end tests in Chromium.
# Installs what is missing first. Ends with one summary line.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

# Bytes of brotli (the .br copies nginx sends) of the release build, docs/benchmarks.md:
FIRST_LOAD_LIMIT=275000   # what the first screen loads (issue 18's goal is 250000: not met yet;
                          # issue 14's hardening and issue 15's routes took it from 264.4 to 272.5 KB)
CHUNK_LIMIT=120000        # each chunk of pages, with the shared chunks it needs
TOTAL_LIMIT=600000        # the whole portal: every wasm, JS and CSS file (grows with each page;
                          # 571.5 KB with the people pages)
LOG_DIR="$ROOT/target/test-logs"
mkdir -p "$LOG_DIR"
passed_steps=0
failed_steps=()
started=$(date +%s)
# A clean checkout builds everything once: incremental caches would only take disk (about
# 2 GB of target/), and CI's disk is not large.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

# disk: what target/ holds and what the disk has left, after every step, so a full disk is
# seen coming rather than found in a linker error.
disk() {
  local used free
  used=$(du -sm target 2>/dev/null | cut -f1)
  free=$(df -Pm . | awk 'NR == 2 { print $4 }')
  printf 'disk: target/ %s MB, %s MB free\n' "${used:-0}" "$free"
}

# step NAME COMMAND...: runs it, shows its output, keeps a log to count tests from.
step() {
  local name=$1; shift
  local t0=$(date +%s)
  printf '\n=== %s\n' "$name"
  if "$@" 2>&1 | tee "$LOG_DIR/$name.log"; then
    passed_steps=$((passed_steps + 1))
    printf -- '--- %s: ok (%ss)\n' "$name" $(( $(date +%s) - t0 ))
    disk
    return 0
  else
    failed_steps+=("$name")
    printf -- '--- %s: FAILED (%ss)\n' "$name" $(( $(date +%s) - t0 ))
    disk
    return 1
  fi
}

size_check() {
  cargo run --quiet --locked -p partner-deploy -- sizes dist \
    --first-load "$FIRST_LOAD_LIMIT" --chunk "$CHUNK_LIMIT" --total "$TOTAL_LIMIT"
}

disk
# A clean checkout needs about 2.8 GB in target/ (README, "Tests").
if [ "$(df -Pm . | awk 'NR == 2 { print $4 }')" -lt 4096 ]; then
  echo "disk: less than 4 GB free; the build may not fit (a clean run needs about 2.8 GB)"
fi
step setup scripts/setup.sh --browser || { echo "tests: 0 passed, 1 failed"; exit 1; }
step fmt cargo fmt --all -- --check
step clippy-native cargo clippy --workspace --all-targets --locked -- -D warnings
step clippy-wasm cargo clippy -p partner-portal --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
step native-tests cargo test --workspace --exclude partner-e2e --locked
# Bounded fuzzing of every decoder and validator (scripts/fuzz.sh runs it longer).
step fuzz cargo run --release --locked --quiet -p partner-api --example fuzz -- --seconds 20
# A short load test of the real sandbox binary (scripts/load.sh runs the 30 s one): fails on
# any error other than the limits it was designed with.
step load env LOAD_PROFILE=dev scripts/load.sh --seconds 3 --clients 50
step wasm-tests cargo test -p partner-portal --target wasm32-unknown-unknown --locked
if step release-build trunk build --release --offline; then
  step bundle-size size_check
  rm -rf target/fault-matrix
  # --no-fail-fast: one failing file must not hide the results of the others.
  step e2e cargo test -p partner-e2e --locked --no-fail-fast -- --test-threads=2
  # The sign-in, tree and chunk tests again, through real nginx running deploy's rendered site.
  step e2e-nginx env E2E_FRONT=nginx cargo test -p partner-e2e --locked --no-fail-fast --test portal --test tree --test chunks -- --test-threads=2
  # Last, the table of what tests/e2e/tests/fault_matrix.rs saw, fault by surface.
  step fault-matrix scripts/fault-matrix.sh
else
  failed_steps+=("bundle-size (not run)" "e2e (not run)" "e2e-nginx (not run)" "fault-matrix (not run)")
fi

# Count the tests every runner reported.
read -r tests_passed tests_failed < <(cat "$LOG_DIR"/*.log | awk '
  /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed;?$/) p += $(i-1); if ($(i) ~ /^failed;?$/) f += $(i-1) } }
  END { print p + 0, f + 0 }')

elapsed=$(( $(date +%s) - started ))
echo
if [ ${#failed_steps[@]} -eq 0 ]; then
  echo "test.sh: all $passed_steps steps passed in ${elapsed}s"
else
  echo "test.sh: $passed_steps steps passed, ${#failed_steps[@]} failed: ${failed_steps[*]} (${elapsed}s)"
  tests_failed=$(( tests_failed > 0 ? tests_failed : ${#failed_steps[@]} ))
fi
echo "tests: $tests_passed passed, $tests_failed failed"
[ ${#failed_steps[@]} -eq 0 ]
