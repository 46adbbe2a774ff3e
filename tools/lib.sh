# SPDX-License-Identifier: GPL-2.0
# Paths shared by the harness scripts. Source it; do not run it.
#
# The base kernel is Debian's linux-source-6.12 package.  Everything derived
# from it (pristine tree, series git tree, build directories) lives in a cache
# outside the repository, keyed by the package version, so that a clean clone
# reuses it and a new package version starts afresh.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_ROOT=${LIVEUPDATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/liveupdate}
BASE_PACKAGE=linux-source-6.12
BASE_TARBALL=/usr/src/linux-source-6.12.tar.xz

base_version() {
	dpkg-query -W -f='${Version}' "$BASE_PACKAGE" 2>/dev/null | tr '~:+' '___'
}

if [ -n "$(base_version)" ]; then
	CACHE=$CACHE_ROOT/$(base_version)
else
	CACHE=$CACHE_ROOT/not-installed
fi
BASE=$CACHE/base		# pristine, never built in, never modified
TREE=$CACHE/series		# git: base commit + one commit per patch
AM_CHECK=$CACHE/am-check	# second pristine copy for the git am check
BUILD=$CACHE/build		# O= directories: x86, x86-base, uml
OUT=$REPO/out			# per-checkout results (series, logs, reports)
JOBS=${JOBS:-$(nproc)}

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }
