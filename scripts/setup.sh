#!/usr/bin/env bash
# Installs what Partner Portal needs, and only what is missing (safe to run again).
#   scripts/setup.sh            toolchain for building and serving: wasm32 target, trunk,
#                               wasm-bindgen-cli (the version in Cargo.lock), wasm-opt
#   scripts/setup.sh --browser  also Chromium, chromedriver, brotli, and nginx with its
#                               brotli_static module (Debian), for the tests (nginx serves
#                               dist/ in the deployment tests)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

TRUNK_VERSION=0.22.1
BINARYEN_VERSION=132.0.0
AXE_VERSION=4.14.1
browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *) echo "setup.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes the first time)"
  # trunk declares a newer rustc than this machine's but builds and runs on it (toolchain.md).
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version
fi

# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, or Trunk would try to download it.
WB=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WB"; then
  say "installing wasm-bindgen-cli $WB (about 2 minutes)"
  # Not --locked: its lockfile pins a crate version this registry lacks (toolchain.md).
  cargo install wasm-bindgen-cli --version "$WB" --force
fi

# binaryen 132 from npm: Debian's wasm-opt 108 silently breaks Rust 1.95 output.
if ! "$ROOT/.tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version 132"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION) into .tools"
  npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# axe-core, injected into pages by the e2e tests to check accessibility.
if [ "$browser" = 1 ] && ! grep -qs "\"version\": \"$AXE_VERSION\"" "$ROOT/.tools/node_modules/axe-core/package.json"; then
  say "installing axe-core $AXE_VERSION into .tools"
  npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
fi

if [ "$browser" = 1 ] && ! { command -v chromium && command -v chromedriver && command -v brotli && [ -x /usr/sbin/nginx ] \
  && [ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; } >/dev/null 2>&1; then
  say "installing Chromium, chromedriver, brotli and nginx with brotli_static (Debian packages)"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium chromium-driver brotli \
    nginx-light libnginx-mod-http-brotli-static >/dev/null
fi

# Trunk builds with --offline, so every crate must be here first.
cargo fetch --locked --quiet
say "ready: $(trunk --version), $(wasm-bindgen --version), $("$ROOT/.tools/node_modules/.bin/wasm-opt" --version)"
