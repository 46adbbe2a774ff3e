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

KERNEL_IMAGE=$BUILD/x86/arch/x86/boot/bzImage	  # final patch (check-build)
BASE_IMAGE=$BUILD/x86-base/arch/x86/boot/bzImage  # unpatched (check-build)
PATCHES=$OUT/series		# exported patches (build-series)
LOGS=$OUT/logs			# one log per check

tree_git() { git -C "$TREE" "$@"; }

# The exported patches, cover letter aside.
exported_patches() {
	local p
	for p in "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -f "$p" ] && [ "${p##*/}" != 0000-cover-letter.patch ] && echo "$p"
	done
	return 0
}

need_tree() {
	[ -d "$TREE/.git" ] || die "no series tree at $TREE: run 'make setup'"
}

# Also takes the cache lock: $TREE's work tree moves during check-build.
need_series() {
	need_tree
	lock_cache
	tree_git rev-parse -q --verify refs/heads/series >/dev/null ||
		die "no series branch in $TREE: run 'make series'"
}

# The series' Coccinelle rules carry their spatch options in an
# "// Options:" line.  cocci_options RULE prints them; spatch_report RULE
# ARGS... runs RULE in report mode with them on ARGS.
cocci_options() { sed -n 's|^// Options:||p' "$1" | head -n1; }
spatch_report() {
	local rule=$1
	shift
	# shellcheck disable=SC2046 # the options are words
	spatch --very-quiet -D report --no-show-diff $(cocci_options "$rule") \
		--sp-file "$rule" "$@"
}

# series_files FILTER [PATHSPEC...]: paths the series adds (A), modifies
# (M), ... relative to the kernel tree, whatever is checked out.
series_files() {
	tree_git diff --name-only --diff-filter="$1" base series -- "${@:2}"
}

# Serialise everything that checks out or builds in the shared cache.
lock_cache() {
	[ -n "${LIVEUPDATE_LOCKED:-}" ] && return
	mkdir -p "$CACHE"
	exec 9>"$CACHE/.lock"
	flock -w 7200 9 || die "cache $CACHE stays locked by another run"
	export LIVEUPDATE_LOCKED=1
}

# run_step NAME CMD...: run CMD with its output in $LOGS/NAME.log and print
# one line "PASS NAME (Ns)" or "FAIL NAME (Ns) log: ..." plus the log's tail.
run_step() {
	local name=$1 log=$LOGS/$1.log start rc=0
	shift
	mkdir -p "$LOGS"
	start=$(date +%s)
	rm -f "$LOGS/$name.summary"
	LIVEUPDATE_STEP=$name "$@" </dev/null >"$log" 2>&1 || rc=$?
	local how="($(($(date +%s) - start))s)$(sed 's/^/ /' "$LOGS/$name.summary" 2>/dev/null)"
	if [ "$rc" -eq 0 ]; then
		echo "PASS $name $how"
	else
		echo "FAIL $name $how log: $log"
		tail -n "${TAIL_LINES:-25}" "$log" | sed 's/^/    | /'
	fi
	return "$rc"
}

# as_check NAME "$@": at the top of a check script, re-run the script under
# run_step unless it already runs under one (e.g. from tools/run-tests).
as_check() {
	[ "${LIVEUPDATE_STEP:-}" = "$1" ] && return
	run_step "$1" "$0" "${@:2}" && exit 0 || exit
}

# The identity every patch is written by: series/AUTHOR, "Name <email>".
AUTHOR_FILE=$REPO/series/AUTHOR
author() {
	local a
	a=$(head -n1 "$AUTHOR_FILE" 2>/dev/null) || die "$AUTHOR_FILE missing"
	local re='^[^<>]+ <[^<> ]+@[^<> ]+>$'
	[[ $a =~ $re ]] ||
		die "$AUTHOR_FILE: want one line 'Name <email>', got '$a'"
	echo "$a"
}
author_name() { author | sed 's/ <.*//'; }
author_email() { author | sed 's/.*<\(.*\)>/\1/'; }

# kmake SRC OBJDIR [ARGS...]: kbuild for x86_64 out of the source tree.
kmake() {
	make -C "$1" O="$2" ARCH=x86_64 -j"$JOBS" "${@:3}"
}

# configure SRC OBJDIR [FRAGMENT]: tinyconfig plus FRAGMENT, by default the
# e2e one (configs/e2e.config) once it exists, else configs/build.config.
configure() {
	local frag=${3:-$REPO/configs/e2e.config}
	[ -f "$frag" ] || frag=$REPO/configs/build.config
	mkdir -p "$2"
	kmake "$1" "$2" -s tinyconfig
	"$1"/scripts/kconfig/merge_config.sh -m -O "$2" "$2/.config" "$frag" >/dev/null
	kmake "$1" "$2" -s olddefconfig
}

# step_summary TEXT: a few words run_step adds to its PASS/FAIL line.
step_summary() {
	[ -n "${LIVEUPDATE_STEP:-}" ] && echo "$*" >"$LOGS/$LIVEUPDATE_STEP.summary"
	log "$*"
}
