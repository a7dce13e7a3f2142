#!/usr/bin/env bash
# The main job: the sandbox on 127.0.0.1:8787 (demo seed) and the portal on
# http://127.0.0.1:8080, rebuilt on every change. Ctrl-C stops both.
#   SEED=large:100000 scripts/dev.sh   another seed (see partner-sandbox --help)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
scripts/setup.sh

cargo build --quiet -p partner-sandbox
./target/debug/partner-sandbox --listen 127.0.0.1:8787 --seed "${SEED:-demo}" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/8787) 2>/dev/null && break
  kill -0 "$sandbox" 2>/dev/null || { echo "dev.sh: the sandbox did not start" >&2; exit 1; }
  sleep 0.1
done

cat <<MSG

  Partner Portal: http://127.0.0.1:8080   (sandbox API: http://127.0.0.1:8787)
  Demo logins, password "demo": distributor@demo.example, partner@demo.example,
  msp@demo.example, readonly@demo.example

MSG
trunk serve --offline
