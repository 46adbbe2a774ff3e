#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Device liveupdate across a kexec, in QEMU: a q35 guest with QEMU's edu
# device behind a PCIe root port keeps the device doing DMA across a kexec
# into the same kernel, and checks that the new kernel took it back.
#
#   vmtest.sh [-k BZIMAGE] [-b BUILD_DIR] [-t SECONDS] [-l LOG] [-a WORDS]
#
#   -k BZIMAGE    boot this kernel (built with the options of ./config)
#   -b BUILD_DIR  without -k: build the kernel of this tree there (O=),
#                 tinyconfig plus ./config; default $srctree/.vmtest-device_liveupdate
#   -t SECONDS    stop QEMU after that long (default 300)
#   -l LOG        also write the serial console to LOG
#   -a WORDS      add WORDS to the kernel command line (both kernels)
#
# The guest's /init is dlu_init (dlu_init.c, built static with this
# directory's Makefile).  The initramfs QEMU boots holds /init,
# /dlu/bzImage (the same kernel) and /dlu/stage2.cpio (an initramfs
# holding /init alone): stage 1 prepares the session and kexecs
# /dlu/bzImage with /dlu/stage2.cpio and dlu_stage=2, stage 2 checks the
# handover.  The archives are made with usr/gen_init_cpio of the kernel's
# build directory, else cpio(1), else usr/gen_init_cpio.c of this tree.
# The guest prints "TEST PASSED" or "TEST FAILED: <reason>" and powers off.
#
# Exit status: 0 passed, 1 failed, 4 skipped (no QEMU, or no edu device
# in it).  QEMU_SYSTEM names the QEMU binary (qemu-system-x86_64), ACCEL
# its accelerator (tcg).

set -u

ksft_pass=0
ksft_fail=1
ksft_skip=4

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
srctree=$(cd "$script_dir/../../../.." && pwd)
name=device_liveupdate

kernel=
build_dir=
limit=300
log=
extra=
qemu=${QEMU_SYSTEM:-qemu-system-x86_64}
accel=${ACCEL:-tcg}

usage() {
	sed -n 's/^#   //p' "$0" >&2
	exit $ksft_fail
}
msg() { echo "# $name: $*"; }
die() { msg "error: $*"; echo "not ok 1 $name # $*"; exit $ksft_fail; }
skip() { msg "$*"; echo "ok 1 $name # SKIP $*"; exit $ksft_skip; }

while getopts "k:b:t:l:a:h" opt; do
	case $opt in
	k) kernel=$(realpath -m "$OPTARG") ;;
	b) build_dir=$(realpath -m "$OPTARG") ;;
	t) limit=$OPTARG ;;
	l) log=$(realpath -m "$OPTARG") ;;
	a) extra=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
case $limit in ''|*[!0-9]*) die "-t wants seconds, not '$limit'" ;; esac

command -v "$qemu" >/dev/null || skip "$qemu not found"
"$qemu" -device help 2>/dev/null | grep -q '"edu"' ||
	skip "$qemu has no edu device"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Options of ./config a kernel's .config (CONFIG) lacks, one a line.
missing_options() {
	grep -E '^CONFIG_[A-Z0-9_]+=' "$script_dir/config" | while read -r o; do
		grep -qxF "$o" "$1" || echo "$o"
	done
}

build_kernel() {
	local kmake

	if [ ! -f "$srctree/Makefile" ] || [ ! -d "$srctree/arch/x86" ]; then
		die "no kernel tree at $srctree: give a kernel with -k"
	fi
	build_dir=${build_dir:-$srctree/.vmtest-$name}
	mkdir -p "$build_dir" || die "cannot make $build_dir"
	msg "building the kernel in $build_dir"
	kmake=(make -C "$srctree" O="$build_dir" ARCH=x86_64 -s)
	"${kmake[@]}" tinyconfig || die "make tinyconfig failed"
	"$srctree/scripts/kconfig/merge_config.sh" -m -O "$build_dir" \
		"$build_dir/.config" "$script_dir/config" >/dev/null ||
		die "cannot merge $script_dir/config"
	"${kmake[@]}" olddefconfig || die "make olddefconfig failed"
	[ -z "$(missing_options "$build_dir/.config")" ] ||
		die "the configuration lacks: $(missing_options "$build_dir/.config" | tr '\n' ' ')"
	"${kmake[@]}" -j"$(nproc)" bzImage || die "the kernel does not build"
	kernel=$build_dir/arch/x86/boot/bzImage
}

if [ -n "$kernel" ]; then
	[ -f "$kernel" ] || die "$kernel: no such kernel image"
else
	build_kernel
fi
# The build directory of the kernel: arch/x86/boot/bzImage is three levels down.
kbuild=$(realpath -m "$(dirname "$kernel")/../../..")
if [ -f "$kbuild/.config" ]; then
	missing=$(missing_options "$kbuild/.config" | tr '\n' ' ')
	[ -z "$missing" ] ||
		msg "warning: $kbuild/.config lacks $missing(the guest may fail)"
else
	msg "warning: no .config beside $kernel: its options are not checked"
fi

# The guest's /init.
if [ -f "$script_dir/dlu_init.c" ]; then
	make -C "$script_dir" OUTPUT="$work" "$work/dlu_init" >"$work/make.log" 2>&1 ||
		{ cat "$work/make.log"; die "cannot build dlu_init"; }
	init=$work/dlu_init
elif [ -x "$script_dir/dlu_init" ]; then
	init=$script_dir/dlu_init	# an installed copy of the selftests
else
	die "neither dlu_init.c nor dlu_init in $script_dir"
fi

gen_init_cpio=
if [ -x "$kbuild/usr/gen_init_cpio" ]; then
	gen_init_cpio=$kbuild/usr/gen_init_cpio
elif ! command -v cpio >/dev/null; then
	if [ ! -f "$srctree/usr/gen_init_cpio.c" ] ||
	   ! ${HOSTCC:-cc} -O2 -o "$work/gen_init_cpio" "$srctree/usr/gen_init_cpio.c"; then
		die "no usr/gen_init_cpio beside the kernel, no cpio, and cannot build one"
	fi
	gen_init_cpio=$work/gen_init_cpio
fi

# pack OUTPUT PATH=FILE...: an uncompressed newc archive that holds each
# FILE at PATH, mode 0755, owned by root, and /dev/console.
pack() {
	local out=$1 entry path dir
	shift
	if [ -n "$gen_init_cpio" ]; then
		{
			echo "dir /dev 0755 0 0"
			echo "nod /dev/console 0600 0 0 c 5 1"
			for entry; do
				path=${entry%%=*}
				dir=$(dirname "$path")
				[ "$dir" = / ] || echo "dir $dir 0755 0 0"
				echo "file $path ${entry#*=} 0755 0 0"
			done
		} >"$work/cpio.list"
		"$gen_init_cpio" "$work/cpio.list" >"$out"
	else
		rm -rf "$work/root"
		mkdir -p "$work/root/dev"
		for entry; do
			path=$work/root${entry%%=*}
			mkdir -p "$(dirname "$path")"
			install -m 0755 "${entry#*=}" "$path"
		done
		(cd "$work/root" && find . | LC_ALL=C sort |
			cpio -o -H newc -R 0:0 --quiet) >"$out"
	fi
}
pack "$work/stage2.cpio" "/init=$init" || die "cannot make the stage 2 initramfs"
pack "$work/stage1.cpio" "/init=$init" "/dlu/bzImage=$kernel" \
	"/dlu/stage2.cpio=$work/stage2.cpio" || die "cannot make the initramfs"

console=$work/console.log
msg "booting $kernel in $qemu (-accel $accel), at most $limit s"
start=$(date +%s)
timeout "$limit" "$qemu" -M q35 -accel "$accel" -m 512 -smp 1 \
	-nographic -no-reboot -vga none -nic none \
	-kernel "$kernel" -initrd "$work/stage1.cpio" \
	-append "console=ttyS0 panic=-1 dlu_stage=1${extra:+ $extra}" \
	-device pcie-root-port,id=dlu_rp,bus=pcie.0,addr=0x10,chassis=1 \
	-device edu,bus=dlu_rp,addr=0x0 \
	</dev/null 2>&1 | tr -d '\r' | tee "$console"
status=${PIPESTATUS[0]}
seconds=$(($(date +%s) - start))
[ -z "$log" ] || cp "$console" "$log"

verdicts=$(grep -E 'TEST (PASSED|FAILED)' "$console")
crash=$(grep -m1 -E 'Kernel panic|BUG:|Oops' "$console")
if [ "$(echo "$verdicts" | grep -c .)" -gt 1 ]; then
	why="more than one verdict: $(echo "$verdicts" | tr '\n' ' ')"
elif [ -n "$verdicts" ] && [ "${verdicts#*TEST PASSED}" != "$verdicts" ]; then
	why=
elif [ -n "$verdicts" ]; then
	why=${verdicts#*TEST FAILED: }
elif [ -n "$crash" ]; then
	why="the kernel crashed: $crash"
elif [ "$status" -eq 124 ]; then
	why="no verdict after $limit s (timeout)"
else
	why="no verdict on the console (QEMU exit status $status)"
fi
if [ -n "$why" ]; then
	msg "failed in $seconds s: $why"
	echo "not ok 1 $name # $why"
	exit $ksft_fail
fi
msg "passed in $seconds s"
echo "ok 1 $name"
exit $ksft_pass
