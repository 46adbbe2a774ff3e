# SPDX-License-Identifier: GPL-2.0
# Guest-side helpers for the scenario scripts (busybox ash), sourced by /init.
# A scenario (scenarios/NAME.sh) defines stage1, run by the first kernel, and
# usually stage2, run by the kernel that stage1 kexecs into.  Result lines are
# "E2E <scenario> PASS|FAIL <check> <detail>"; e2e_main ends with DONE.

LU=/sys/kernel/debug/device_liveupdate	# debugging views
LUS=/sys/kernel/device_liveupdate	# the session's control files
PCI=/sys/bus/pci/devices

# BDFs of tests/e2e/topologies/default.qemu (bus numbers from SeaBIOS).
RP1=0000:00:10.0 UP1=0000:01:00.0 DN1=0000:02:00.0 DN2=0000:02:01.0
EDU1=0000:03:00.0 EDU2=0000:04:00.0
RP2=0000:00:11.0 PB1=0000:05:00.0 EDU3=0000:06:01.0
RP3=0000:00:12.0 NVME=0000:07:00.0 VF1=0000:07:00.1
HOSTBRIDGE=0000:00:00.0
DEFAULT_DEVICES="$RP1 $UP1 $DN1 $DN2 $EDU1 $EDU2 $RP2 $PB1 $EDU3 $RP3 $NVME"
# ... and of tests/e2e/topologies/pxb.qemu.
PRP1=0000:80:00.0 EDU4=0000:81:00.0

cmdline_word() { # NAME DEFAULT: the value of NAME= on the kernel command line
	for w in $(cat /proc/cmdline); do
		case $w in "$1"=*) echo "${w#*=}"; return ;; esac
	done
	echo "$2"
}
E2E_STAGE=$(cmdline_word e2e_stage 1)
E2E_SCENARIO=$(cmdline_word e2e_scenario none)
# A scenario can name a PCI device by where its topology files put it:
#   topo_bdf ID            the device with id=ID (a bridge or a port)
#   topo_bdf ID/SLOT[.FN]  the device in SLOT (function FN, default 0) on
#                          the bus behind ID, or on the root bus, pcie.0
# The bus behind a bridge is read from its config space, as the kernel
# numbered it; behind a pxb-pcie expander it is the expander's bus_nr.
# A scenario with several "# e2e-topology:" lines runs once per line, the
# line named by e2e_topology=T1,T2... on the command line.
E2E_TOPOLOGIES=$(cmdline_word e2e_topology "" | tr , ' ')
[ -n "$E2E_TOPOLOGIES" ] ||
	E2E_TOPOLOGIES=$(sed -n 's/^# e2e-topology: *//p' "/e2e/scenarios/$E2E_SCENARIO.sh" 2>/dev/null)
topo_device() { # ID: the -device line with id=ID in the scenario's topologies
	for t in $E2E_TOPOLOGIES; do
		grep -E "^-device [^,]+,(.*,)?id=$1(,|$)" "/e2e/topologies/$t.qemu"
	done | head -n1
}
topo_field() { echo "$1" | tr ',' '\n' | sed -n "s/^$2=//p"; } # LINE KEY
topo_bus() { # ID: the number of the bus behind the device with id=ID
	local line
	[ "$1" = pcie.0 ] && { echo 0; return; }
	line=$(topo_device "$1")
	case $line in
	"") echo "topo_bus: no device $1 in topologies $E2E_TOPOLOGIES" >&2; return 1 ;;
	*pxb-pcie,*) echo $(($(topo_field "$line" bus_nr))) ;;
	*) cfg_byte "$(topo_bdf "$1")" 25 ;;
	esac
}
topo_bdf() {
	local parent slot fn=0 line bus
	case $1 in
	*/*) parent=${1%/*} slot=${1#*/} ;;
	*) line=$(topo_device "$1")
	   parent=$(topo_field "$line" bus) slot=$(topo_field "$line" addr) ;;
	esac
	case $slot in *.*) fn=${slot#*.} slot=${slot%.*} ;; esac
	bus=$(topo_bus "$parent") && [ -n "$bus" ] && [ -n "$slot" ] ||
		{ echo "topo_bdf: cannot place $1" >&2; return 1; }
	printf '0000:%02x:%02x.%x\n' "$bus" "$((slot))" "$((fn))"
}

# Kernels booted so far in this run: 1 for stage 1, 2 after kexec_stage2,
# 3 after a stage 2 that calls kexec_stage2 again (see generations.sh).
E2E_GENERATION=$(cmdline_word e2e_generation 1)

say() { echo "E2E $E2E_SCENARIO $*"; }
pass() { say PASS "$@"; }
fail() { say FAIL "$@"; }
info() { echo "e2e $E2E_SCENARIO info $*"; }
expect() { # CHECK WANT GOT
	if [ "$2" = "$3" ]; then pass "$1" "$3"; else fail "$1" "want '$2' got '$3'"; fi
}

# PCI config space through sysfs.  The command register of a device the
# previous kernel handed over is read from the PCI core's copy of its config
# space as it found it, before any write of this kernel (pcieport, for one,
# sets Bus Master Enable again on every port it drives); that copy is in
# debugfs until the session is finished.  Any other device's is read live.
FOUND=/sys/kernel/debug/pci_liveupdate
cmd_of() {
	if [ -r "$FOUND/$1" ]; then
		od -An -tu2 -j4 -N2 "$FOUND/$1" | tr -d ' '
	else
		pci-cmd "$1" 2>/dev/null || echo missing
	fi
}
bme_of() {
	c=$(cmd_of "$1")
	if [ "$c" = missing ]; then echo missing; else echo $(((c >> 2) & 1)); fi
}
cfg_byte() { od -An -tu1 -j"$2" -N1 "$PCI/$1/config" 2>/dev/null | tr -d ' '; }
cfg_write_byte() { # BDF OFFSET VALUE: one byte of config space, through sysfs
	printf "$(printf '\\%03o' "$3")" |
		dd of="$PCI/$1/config" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}
cap_offset() { # BDF CAP_ID: offset of the capability, empty if it has none
	o=$(cfg_byte "$1" 52)
	while [ -n "$o" ] && [ "$o" -ne 0 ]; do
		[ "$(cfg_byte "$1" "$o")" -eq "$2" ] && { echo "$o"; return; }
		o=$(cfg_byte "$1" $((o + 1)))
	done
}
cfg_word() { od -An -tu2 -j"$2" -N2 "$PCI/$1/config" 2>/dev/null | tr -d ' '; }
cfg_write_word() { # BDF OFFSET VALUE: two bytes of config space, little endian
	cfg_write_byte "$1" "$2" $(($3 & 255))
	cfg_write_byte "$1" $(($2 + 1)) $(($3 >> 8))
}
ext_cap_offset() { # BDF EXT_CAP_ID: offset of the extended capability, empty if none
	o=256
	while [ "$o" -ne 0 ]; do
		h=$(od -An -tu4 -j"$o" -N4 "$PCI/$1/config" 2>/dev/null | tr -d ' ')
		[ -n "$h" ] && [ "$h" -ne 0 ] || return 0
		[ $((h & 65535)) -eq "$2" ] && { echo "$o"; return; }
		o=$((h >> 20))
	done
}
bus_range() { echo "$(cfg_byte "$1" 25)-$(cfg_byte "$1" 26)"; } # secondary-subordinate
bridge_below() { printf '0000:%02x:00.0' "$(cfg_byte "$1" 25)"; } # device 0 of the secondary bus
show_devices() { # BDF...: one info line per device
	for d in "$@"; do
		info "$d cmd=$(cmd_of "$d")$([ -r "$FOUND/$d" ] && echo "(as found)") bme=$(bme_of "$d") power=$(cat "$PCI/$d/power_state" 2>/dev/null) driver=$(driver_of pci "$d")"
	done
}

# The state that every default-topology scenario starts from: EDU1 and EDU3
# enabled through sysfs (pci_enable_device(): their power state becomes D0 and
# the bridges above them are enabled with Bus Master set), EDU2 only gets Bus
# Master set by hand (power state stays unknown).
default_setup() {
	echo 1 >"$PCI/$EDU1/enable"
	echo 1 >"$PCI/$EDU3/enable"
	for d in $EDU1 $EDU2 $EDU3; do pci-cmd "$d" +master >/dev/null; done
	show_devices $DEFAULT_DEVICES
}

# The devices that a plain kexec from the topology's usual setup (for
# default, default_setup) leaves with Bus Master Enable set: the
# "# e2e-baseline-bme:" lines of the scenario's topology files, as the
# baseline scenario measures them on the base kernel (docs/e2e.md).
topo_set() { # KEY: the devices the "# KEY:" lines of the topology files name
	for t in $E2E_TOPOLOGIES; do
		for n in $(sed -n "s/^# $1: *//p" "/e2e/topologies/$t.qemu"); do
			topo_bdf "$n"
		done
	done
}
base_set() { topo_set e2e-baseline-bme; }
# Of those, the ones in a power state PCI does not know (mastering, never
# enabled): a live update's kexec stops them too.
unknown_set() { topo_set e2e-unknown-power; }
expect_base() { # [--live] BDF...: each device's BME is what a plain kexec
	# leaves, or with --live what a live update's leaves
	bs=" $(echo $(base_set)) "
	[ "$1" = --live ] && { shift; bs=" $(echo $(without "$(base_set)" "$(unknown_set)")) "; }
	for d in "$@"; do
		case $bs in *" $d "*) want=1 ;; *) want=0 ;; esac
		expect "base-bme-$d" "$want" "$(bme_of "$d")"
	done
}
# An edu device held stopped, enabled from userspace, cannot complete a DMA
# into $RESERVED (memory memmap= keeps out of the kernel).
expect_dma_held() { # BDF
	echo 1 >"$PCI/$1/enable"
	edu-dma "$1" "$RESERVED" || fail start "edu-dma could not start the transfer"
	sleep 1
	got=$(edu-dma -c "$RESERVED")
	info "what $1 wrote while held: $got"
	expect held-dma missing "${got%%:*}"
}
expect_kept() { # BDF...: each device kept Bus Master Enable
	for d in "$@"; do expect "kept-bme-$d" 1 "$(bme_of "$d")"; done
}
without() { # "LIST" "REMOVE": the words of LIST that are not in REMOVE
	for x in $1; do
		case " $2 " in *" $x "*) ;; *) echo "$x" ;; esac
	done
}

# The kernel logs every device_shutdown() step (initcall_debug), so that a
# scenario's "# e2e-log-count:" lines can check what the kexec shut down.
log_shutdown() { echo 1 >/sys/module/kernel/parameters/initcall_debug; }

# Requests come from the driver bound to a device, through an interface of
# the driver's own: the liveupdate edu sample's edu_keep file, or the test
# stub driver's debugfs file (CONFIG_DEVICE_LIVEUPDATE_STUB_TEST), to which
# a device without a driver is bound first through driver_override.
STUB=/sys/kernel/debug/liveupdate_stub
STUB_DRIVER=liveupdate-test-stub
driver_of() { # BUS DEVICE: the name of the driver bound to DEVICE, or nothing
	l=$(readlink "/sys/bus/$1/devices/$2/driver") && basename "$l"
}
stub_bind() { # BUS DEVICE: bind DEVICE to the stub driver unless it is
	[ "$(driver_of "$1" "$2")" = $STUB_DRIVER ] && return 0
	echo $STUB_DRIVER >"/sys/bus/$1/devices/$2/driver_override" &&
		echo "$2" >"/sys/bus/$1/drivers/$STUB_DRIVER/bind"
}
EDU_DRIVER=/sys/bus/pci/drivers/liveupdate-edu
edu_bind() { # BDF: bind the liveupdate edu sample (samples/liveupdate/) to an edu device
	echo liveupdate-edu >"$PCI/$1/driver_override"
	echo "$1" >"$EDU_DRIVER/bind" || fail bind "liveupdate-edu refused $1"
}
edu_transfer() { cat "$PCI/$1/edu_transfer" 2>/dev/null; } # BDF: what the sample found
lu_write() { # CHECK WORDS FILE: PASS if FILE takes WORDS
	if [ ! -e "$3" ]; then
		fail "$1" "$3 missing"
	elif echo "$2" >"$3"; then
		pass "$1" "'$2' > $3"
	else
		fail "$1" "'$2' > $3 refused"
	fi
}
# PASS or FAIL CHECK:
#   lu CHECK request BUS DEVICE    the device's driver requests it
#   lu CHECK withdraw BUS DEVICE   the device's driver withdraws it
#   lu CHECK session STEP          prepare, cancel or finish > $LUS/session
lu() {
	case $2:$(driver_of "$3" "$4") in
	session:*) lu_write "$1" "$3" "$LUS/session" ;;
	request:liveupdate-edu) lu_write "$1" 1 "/sys/bus/$3/devices/$4/edu_keep" ;;
	withdraw:liveupdate-edu) lu_write "$1" 0 "/sys/bus/$3/devices/$4/edu_keep" ;;
	request:*)
		stub_bind "$3" "$4" 2>/dev/null || fail "$1-bind" "$4 not bound to $STUB_DRIVER"
		lu_write "$1" "$3 $4 bus-master" "$STUB/request" ;;
	withdraw:*) lu_write "$1" "$3 $4 none" "$STUB/request" ;;
	esac
}
# The nvme PF given to the stub driver, which agrees to keep it for its VFs
# (nvme has no liveupdate ops), with Bus Master Enable set and two VFs
# enabled through the stub (pci_sriov_configure_simple), not probed.
stub_pf() {
	[ "$(driver_of pci "$NVME")" = nvme ] && echo "$NVME" >/sys/bus/pci/drivers/nvme/unbind
	stub_bind pci "$NVME" || fail bind-pf "$NVME not bound to $STUB_DRIVER"
	pci-cmd "$NVME" +master >/dev/null
	echo 0 >"$PCI/$NVME/sriov_drivers_autoprobe"
	echo 2 >"$PCI/$NVME/sriov_numvfs"
}
lu_state() { cat "$LUS/session" 2>/dev/null || echo missing; }
lu_broken() { cat "$LUS/broken" 2>/dev/null || echo missing; }
bus_of() { # DEVICE: the bus it is on
	for p in /sys/bus/*/devices/"$1"; do
		[ -e "$p" ] && { p=${p%/devices/*}; echo "${p##*/}"; return; }
	done
}
lu_part() { # BUS DEVICE: the device's part and the features it is kept for
	echo "$(cat "/sys/bus/$1/devices/$2/liveupdate/state" 2>/dev/null || echo missing)" \
		"$(cat "/sys/bus/$1/devices/$2/liveupdate/features" 2>/dev/null)"
}
lu_files() { # BUS DEVICE: one info line with every file of its liveupdate/
	l=
	for f in state requested features needed_by reason; do
		l="$l $f=$(cat "/sys/bus/$1/devices/$2/liveupdate/$f" 2>/dev/null || echo missing)"
	done
	info "$2 liveupdate:$l"
}
lu_devices() { # print the ordered set as info lines, keep it in /tmp/devices
	cat "$LU/devices" >/tmp/devices 2>/dev/null || echo missing >/tmp/devices
	while read -r l; do info "devices: $l"; done </tmp/devices
}
lu_pos() { awk -v d="$1" '$2 == d { print NR; exit }' /tmp/devices; }
expect_member() { # BDF...: each device is in the last lu_devices listing
	for d in "$@"; do
		p=$(lu_pos "$d")
		if [ -n "$p" ]; then pass "member-$d" "line $p"; else fail "member-$d" "not listed"; fi
		lu_files "$(bus_of "$d")" "$d"
	done
}
expect_absent() { # BDF...: no device is in the last lu_devices listing
	for d in "$@"; do
		p=$(lu_pos "$d")
		if [ -z "$p" ]; then pass "absent-$d" "not listed"; else fail "absent-$d" "line $p"; fi
	done
}
expect_set() { # CHECK DEVICE...: the ordered set is exactly DEVICE..., in order
	lu_devices
	expect "$1" "$(shift; echo "$@")" "$(awk '{ printf "%s%s", s, $2; s = " " }' /tmp/devices)"
}
expect_before() { # A B: A is listed before B
	a=$(lu_pos "$1") b=$(lu_pos "$2")
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then
		pass "order-$1-before-$2" "lines $a < $b"
	else
		fail "order-$1-before-$2" "lines '$a' '$b'"
	fi
}

lu_prepare() { # BDF...: request each device, then prepare
	for d in "$@"; do lu "request-$d" request pci "$d"; done
	lu prepare session prepare
	expect state-prepared prepared "$(lu_state)"
	lu_devices
}
# The prepared record (a flattened device tree), one entry a line:
# BUS/LOCATION/MODEL/FEATURES[/START+SIZE...]; its size in bytes.
lu_handover() { lu-record decode <"$LU/handover" 2>/dev/null; }
lu_handover_size() { wc -c <"$LU/handover"; }
# How the record names a device.  PCI: its path from the host bridge,
# DDDD:BB-DD.F-..., and vendor:device:subsystem vendor:subsystem
# device:revision (QEMU's devices have no Device Serial Number); other
# buses: the device's name, and no model.
lu_location() { # DEVICE
	[ -e "$PCI/$1" ] || { echo "$1"; return; }
	readlink -f "$PCI/$1" | awk -F/ '{
		for (i = 1; i <= NF; i++) if ($i ~ /^pci[0-9a-f]+:[0-9a-f]+$/) {
			s = substr($i, 4)
			for (j = i + 1; j <= NF; j++) s = s "-" substr($j, 9)
			print s; exit
		} }'
}
lu_model() { # BDF
	for f in vendor device subsystem_vendor subsystem_device; do
		sed 's/^0x//' "$PCI/$1/$f"
	done | tr '\n' ':'
	sed 's/^0x//' "$PCI/$1/revision"
}
lu_entry() { echo "pci/$(lu_location "$1")/$(lu_model "$1")/1"; } # BDF: a record entry for BUS_MASTER
# Preserved memory, as START-END in hex without leading zeros, one a line:
# the ranges the prepared record names for DEVICE (each entry ends with
# /ADDR+SIZE per range), those /proc/iomem shows as preserved, and the
# last byte of System RAM.
lu_ranges() { # DEVICE
	lu_handover | awk -F/ -v d="$(lu_location "$1")" '$2 == d { for (i = 5; i <= NF; i++) print $i }' |
		while IFS=+ read -r a s; do printf '%x-%x\n' $((0x$a)) $((0x$a + 0x$s - 1)); done
}
lu_iomem() {
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : device liveupdate$/\1 \2/p' /proc/iomem |
		while read -r a e; do printf '%x-%x\n' $((0x$a)) $((0x$e)); done
}
show_iomem() { grep 'device liveupdate' /proc/iomem | while read -r l; do info "iomem: $l"; done; }
ram_top() {
	printf '%x\n' $((0x$(sed -n 's/^[0-9a-f]*-\([0-9a-f]*\) : System RAM$/\1/p' /proc/iomem | tail -n1)))
}
lu_replace_record() { # [OPTION...] ENTRY...: the prepared session's record
	# becomes what `lu-record encode OPTION... ENTRY...` writes (a test
	# kernel's debugfs, CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER)
	lu-record encode "$@" >"$LU/handover" || fail replace-record "refused"
}

# The devices of BDF... that no driver took over are given to the stub, as
# their driver would take them over before finish: finish stops the rest.
take_over() { # BDF...
	for d in "$@"; do
		[ -n "$(driver_of pci "$d")" ] || stub_bind pci "$d" ||
			fail "take-over-$d" "$d not bound to $STUB_DRIVER"
	done
}

# Stage 2 after a live update: KEPT (the members and their bridges) kept Bus
# Master Enable, the rest of ALL is as after a plain kexec, the set arrives
# incoming and finish returns the session to normal.
expect_handover() { # "KEPT" "ALL"
	show_devices $2
	expect_kept $1
	expect_base --live $(without "$2" "$1")
	expect state-incoming incoming "$(lu_state)"
	lu_devices
	expect_member $1
	take_over $1
	lu finish session finish
	expect state-normal normal "$(lu_state)"
	lu_report
	for d in $1; do expect_report "$d" restored; done
}

# Stub platform devices (CONFIG_DEVICE_LIVEUPDATE_STUB_TEST, drivers/platform/liveupdate_stub.c).
stub() { # CHECK FILE WORDS...: write WORDS to the stub's FILE
	c=$1 f=$2; shift 2
	if [ ! -d "$STUB" ]; then
		fail "$c" "$STUB missing: kernel without CONFIG_DEVICE_LIVEUPDATE_STUB_TEST"
	else
		r=$(lu-write "$STUB/$f" "$*")
		case $r in
		ok*) pass "$c" "'$*' > $f" ;;
		*) fail "$c" "'$*' > $f refused: $r" ;;
		esac
	fi
}

numbered() { # PREFIX COUNT: PREFIX000, PREFIX001, ..., one a line
	i=0
	while [ "$i" -lt "$2" ]; do printf '%s%03d\n' "$1" "$i"; i=$((i + 1)); done
}
stub_many() { # PREFIX COUNT: make COUNT stub devices PREFIX000... below the root
	for d in $(numbered "$1" "$2"); do
		echo "$d -" >"$STUB/create" || fail "create-$d" refused
	done
	expect stub-devices "$2" "$(ls /sys/bus/platform/devices | grep -c "^$1")"
}

# The reconciliation report: "BUS LOCATION MODEL STATUS" per handed-over
# device, kept in /tmp/report.
lu_report() {
	cat "$LU/report" >/tmp/report 2>/dev/null || echo missing >/tmp/report
	while read -r l; do info "report: $l"; done </tmp/report
}
expect_report() { # DEVICE STATUS: the last lu_report says so
	expect "report-$1" "$2" "$(awk -v d="$(lu_location "$1")" '$2 == d { print $4 }' /tmp/report)"
}

# The initrd for the next kernel: /e2e/initrd.gz, which lacks /e2e/bzImage
# and itself, unless the scenario sets E2E_KEXEC_AGAIN=1 (the next kernel
# kexecs again), and the files a stage puts in $CARRY: then /e2e/initrd.gz
# followed by an uncompressed cpio of those.  The next kernel finds the
# files at the same place.
CARRY=/e2e/carry
next_initrd() {
	files=$([ -z "${E2E_KEXEC_AGAIN:-}" ] || printf 'e2e/bzImage\ne2e/initrd.gz\n'
		[ ! -d $CARRY ] || (cd / && find ${CARRY#/}))
	[ -n "$files" ] || { echo /e2e/initrd.gz; return; }
	pad=$(((4 - $(wc -c </e2e/initrd.gz) % 4) % 4)) # a cpio starts 4-aligned
	{ cat /e2e/initrd.gz; head -c "$pad" /dev/zero; echo "$files" |
		(cd / && cpio -o -H newc 2>/dev/null); } >/tmp/initrd-next
	echo /tmp/initrd-next
}

# Load $KEXEC_IMAGE (default /e2e/bzImage, this kernel; /e2e/bzImage-base,
# the kernel without device liveupdate, for a scenario with a "# e2e-needs:
# base-kernel" line) with initrd /e2e/initrd.gz and this command line minus
# e2e_* (e2e_topology aside) and device_liveupdate.* words, plus
# e2e_stage=2, e2e_scenario, the next e2e_generation and WORDS, with
# kexec_file_load(2): the image carries the prepared session's record.
# kexec_stage2 then kexecs into it; stage 2 may call it again.  Words
# matching a pattern of KEXEC_DROP are not handed on either.
kexec_load_stage2() {
	cl=$(set -f; for w in $(cat /proc/cmdline); do
		case $w in e2e_topology=*) ;; e2e_*|device_liveupdate.*) continue ;; esac
		for p in $KEXEC_DROP; do
			# shellcheck disable=SC2254 # a pattern
			case $w in $p) continue 2 ;; esac
		done
		printf '%s ' "$w"
	done)
	cl="${cl}e2e_stage=2 e2e_scenario=$E2E_SCENARIO e2e_generation=$((E2E_GENERATION + 1)) $*"
	info "kexec: $cl"
	kexec-load "${KEXEC_IMAGE:-/e2e/bzImage}" "$(next_initrd)" "$cl"
}
kexec_stage2() {
	kexec_load_stage2 "$@" && kexec-load -e
	fail kexec "could not kexec"
}

e2e_main() {
	info "stage $E2E_STAGE"
	f=/e2e/scenarios/$E2E_SCENARIO.sh
	if [ ! -f "$f" ]; then
		fail scenario "no $f"
	elif . "$f" && type "stage$E2E_STAGE" >/dev/null; then
		"stage$E2E_STAGE"
	else
		fail scenario "$f has no stage$E2E_STAGE"
	fi
	say DONE
	poweroff -f
}
