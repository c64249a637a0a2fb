#!/usr/bin/env bash
# Installs code-server (VS Code OSS, server + web workbench) into .code-server/ at the repo root, in its
# own package.json so it never enters the extension's dependency tree or lock file. The real-VS-Code test
# suites (npm run test:vscode, npm run test:e2e) run the extension inside it. Idempotent: skips when the
# pinned version is already installed. The install compiles native modules (about 90 s), so a finished
# install is also kept in a per-machine cache and copied from there into the next fresh clone (about 1 s);
# $PROCESS_TRACKER_CODE_SERVER_CACHE overrides the cache folder, and setting it to "off" disables it.
#
# 4.100.3 (VS Code 1.100.3) is the newest code-server whose engines.node accepts Node 20.
set -euo pipefail

VERSION=4.100.3
RIPGREP_PACKAGE_VERSION=1.15.11 # @vscode/ripgrep, as code-server $VERSION depends on it
RIPGREP_RELEASE=v13.0.0-10      # the rg release that @vscode/ripgrep $RIPGREP_PACKAGE_VERSION downloads

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
install_dir="$root/.code-server"
marker="$install_dir/.installed-$VERSION"
entry="$install_dir/node_modules/code-server/out/node/entry.js"

if [[ -f "$marker" && -f "$entry" ]]; then
  echo "setup-code-server: code-server $VERSION already installed in $install_dir"
  exit 0
fi

# Native modules are built for one Node ABI and CPU: both are part of the cache key.
cache_root="${PROCESS_TRACKER_CODE_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/process-tracker}"
cache_dir=""
if [[ "$cache_root" != "off" ]] && command -v node >/dev/null; then
  cache_dir="$cache_root/code-server-$VERSION-node-abi$(node -p process.versions.modules)-$(uname -m)"
fi
if [[ -n "$cache_dir" && -f "$cache_dir/.installed-$VERSION" ]]; then
  rm -rf "$install_dir"
  if cp -a "$cache_dir" "$install_dir" && [[ -f "$entry" ]]; then
    echo "setup-code-server: code-server $VERSION copied from the machine cache $cache_dir"
    exit 0
  fi
  echo "setup-code-server: copying from $cache_dir failed; installing afresh" >&2
  rm -rf "$install_dir"
fi

for need in rg tar node npm; do
  if ! command -v "$need" >/dev/null; then
    echo "setup-code-server: '$need' not found; run 'bash scripts/setup-ci.sh' first (it installs ripgrep, libkrb5-dev, chromium)" >&2
    exit 1
  fi
done
if [[ "$(dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null || true)" != "install ok installed" ]]; then
  echo "setup-code-server: libkrb5-dev (needed by code-server's kerberos module) is missing; run 'bash scripts/setup-ci.sh' first" >&2
  exit 1
fi

case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) rg_target=aarch64-unknown-linux-musl ;;
  *)
    echo "setup-code-server: no ripgrep cache recipe for $(uname -m); @vscode/ripgrep will try to download rg" >&2
    rg_target=""
    ;;
esac

# @vscode/ripgrep's postinstall downloads rg from outside the package registries, which fails here.
# It first looks in $TMPDIR/vscode-ripgrep-cache-<version>/ for the release tarball: seed that with
# Debian's rg, in a private TMPDIR so that concurrent runs and other users' /tmp are left alone.
work_tmp="$(mktemp -d "${TMPDIR:-/tmp}/setup-code-server.XXXXXX")"
trap 'rm -rf "$work_tmp"' EXIT
if [[ -n "$rg_target" ]]; then
  rg_cache_dir="$work_tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
  mkdir -p "$rg_cache_dir"
  cp "$(command -v rg)" "$work_tmp/rg"
  tar -czf "$rg_cache_dir/ripgrep-$RIPGREP_RELEASE-$rg_target.tar.gz" -C "$work_tmp" rg
fi

mkdir -p "$install_dir"
rm -f "$install_dir"/.installed-*
cat >"$install_dir/package.json" <<JSON
{
  "name": "process-tracker-code-server",
  "private": true,
  "description": "code-server for the real-VS-Code test suites; installed by scripts/setup-code-server.sh",
  "dependencies": { "code-server": "$VERSION" }
}
JSON

echo "setup-code-server: installing code-server $VERSION into $install_dir (about 2 minutes)"
# unsafe_perm: code-server's postinstall refuses to run as root otherwise.
# yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise prompt (and CI has no stdin).
(
  cd "$install_dir"
  TMPDIR="$work_tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error
)

if [[ ! -f "$entry" ]]; then
  echo "setup-code-server: install finished but $entry is missing" >&2
  exit 1
fi
installed="$(node -p "require('$install_dir/node_modules/code-server/package.json').version")"
if [[ "$installed" != "$VERSION" ]]; then
  echo "setup-code-server: expected code-server $VERSION, found $installed" >&2
  exit 1
fi
touch "$marker"
echo "setup-code-server: code-server $VERSION ready ($install_dir/node_modules/.bin/code-server)"

# Fill the cache through a temporary name and a rename, so a concurrent run never copies half of it.
# A failure here (a full disk, say) costs only the next clone's speed.
if [[ -n "$cache_dir" && ! -f "$cache_dir/.installed-$VERSION" ]]; then
  partial="$cache_dir.partial-$$"
  if mkdir -p "$cache_root" && cp -a "$install_dir" "$partial" && { rm -rf "$cache_dir" && mv -T "$partial" "$cache_dir"; }; then
    echo "setup-code-server: cached in $cache_dir"
  else
    echo "setup-code-server: could not fill the cache $cache_dir (continuing)" >&2
  fi
  rm -rf "$partial"
fi
