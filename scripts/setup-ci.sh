#!/usr/bin/env bash
# Installs the Debian packages the tests need: chromium (the browser that drives code-server) and
# fonts-liberation (which chromium only recommends) for readable screenshots, libkrb5-dev (code-server's
# `kerberos` native module), ripgrep (stands in for the rg download that code-server's @vscode/ripgrep
# postinstall cannot fetch here), procps and atop (process tools the agent's tests compare against),
# prometheus (its server and promtool: test/integration/metrics.test.ts starts its own on a free
# 127.0.0.1 port with a private data folder; the package's system service is never started here, see
# below, and never used by the tests), influxdb (1.x influxd: test/integration/influx.test.ts starts
# its own the same way, with a temp config, data and wal folders; the system service is never started),
# tmux (a real terminal for `process-tracker live`: test/integration/live.test.ts runs it on its own
# server socket).
# Idempotent: does nothing when everything is present, and runs `apt-get update` only when an install
# fails on missing or stale package lists.
set -euo pipefail

# fonts-wqy-microhei: Chinese glyphs for the panel in zh-cn (test/e2e/panelChinese.test.ts, docs/panel-zh-cn.png).
packages=(chromium fonts-liberation fonts-wqy-microhei libkrb5-dev ripgrep procps atop prometheus influxdb tmux)

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing=()
for package in "${packages[@]}"; do
  is_installed "$package" || missing+=("$package")
done
# A half-finished install can leave the package recorded without its launcher.
if [[ ! -x /usr/bin/chromium ]] && [[ ! " ${missing[*]} " == *" chromium "* ]]; then
  missing+=(chromium)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-ci: all packages present (${packages[*]})"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-ci: missing packages: ${missing[*]}; run this script as root (or: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt run (a colleague's, or the system's) may hold the lock: wait for it instead of failing.
apt_get() { apt-get -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"; }

# Packages such as prometheus start a system service from their postinst. CI needs none (and a
# container has no init to start one with): while we install, a policy-rc.d that we put in place only
# when none exists denies every service start. Removed again on any exit.
policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\n# setup-ci.sh: no service starts while CI installs packages\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

echo "setup-ci: installing ${missing[*]}"
if ! apt_get install -y --no-install-recommends "${missing[@]}"; then
  echo "setup-ci: install failed; refreshing package lists and retrying"
  apt_get update
  apt_get install -y --no-install-recommends "${missing[@]}"
fi

if [[ ! -x /usr/bin/chromium ]]; then
  echo "setup-ci: /usr/bin/chromium is still missing after installing the chromium package" >&2
  exit 1
fi
for tool in /usr/bin/prometheus /usr/bin/promtool; do
  if [[ ! -x $tool ]]; then
    echo "setup-ci: $tool is still missing after installing the prometheus package" >&2
    exit 1
  fi
done
if [[ ! -x /usr/bin/influxd ]]; then
  echo "setup-ci: /usr/bin/influxd is still missing after installing the influxdb package" >&2
  exit 1
fi
echo "setup-ci: done"
