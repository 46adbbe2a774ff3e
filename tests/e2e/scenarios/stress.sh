# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# Loops of request/withdraw (through the test stub driver bound to the edu
# devices, and to VF1 when it exists)/prepare/cancel race against the stub's
# unbind/bind, PCI remove/rescan, nvme unbind/bind and VF enable/disable, for e2e_stress_seconds (default 30)
# or e2e_stress_count cycles per loop (default 2000), whichever ends first.
# The framework's errors are expected and counted by errno.  Afterwards,
# once cancelled and withdrawn, nothing may be left: session normal, no
# devices listed, states 0, and no kmemleak report at all (on a kernel with
# configs/stress.config: KASAN, lockdep, list and object debugging, kmemleak).
DURATION=$(cmdline_word e2e_stress_seconds 30)
COUNT=$(cmdline_word e2e_stress_count 2000)
S=/tmp/stress
NVDRV=/sys/bus/pci/drivers/nvme
STUB_DRV=/sys/bus/pci/drivers/$STUB_DRIVER

running() { [ "$1" -lt "$COUNT" ] && [ "$(date +%s)" -lt "$END" ]; }
pick() { shift $(($1 % ($# - 1) + 1)); echo "$1"; } # N WORDS...: word N mod count
try() { # LOOP OP FILE DATA: write, count an error as "OP ERRNO" of LOOP
	r=$(lu-write "$3" "$4") || echo "$2 $r" >>"$S/errors.$1"
}
prepared() { case $(lu_state) in prepared*) return 0 ;; esac; return 1; }
bump() { echo $(($(cat "$S/$1" 2>/dev/null || echo 0) + 1)) >"$S/$1"; }
member() { grep -q " $1 " "$LU/devices"; }

loop_lu() { # the stub driver requests and withdraws its devices; prepare, cancel
	n=0 all="$EDU1 $EDU2 $EDU3 $NVME $VF1 $DN2"
	while running $n; do
		n=$((n + 1))
		a=$(pick $n $all) b=$(pick $((n + 2)) $all)
		try lu request "$STUB/request" "pci $a bus-master"
		try lu request "$STUB/request" "pci $b bus-master"
		try lu prepare "$LUS/session" prepare
		prepared && bump prepared
		try lu request-prepared "$STUB/request" "pci $(pick $((n + 4)) $all) bus-master"
		try lu cancel "$LUS/session" cancel
		try lu withdraw "$STUB/request" "pci $a none"
		[ $((n % 3)) -eq 0 ] && try lu withdraw "$STUB/request" "pci $b none"
	done
	echo $n >$S/cycles.lu
}

loop_stub() { # unbind and bind the stub driver of the edu devices and the VF
	n=0
	while running $n; do
		n=$((n + 1))
		d=$(pick $n $EDU1 $EDU2 $EDU3 $VF1)
		prepared && bump stub-unbind-while-prepared
		member "$d" && bump stub-unbind-of-member
		try stub unbind "$STUB_DRV/unbind" "$d"
		[ -e "$PCI/$d" ] && echo $STUB_DRIVER >"$PCI/$d/driver_override" 2>/dev/null
		try stub bind "$STUB_DRV/bind" "$d"
	done
	echo $n >$S/cycles.stub
}

loop_pci() { # remove a device or a subtree, rescan
	n=0
	while running $n; do
		n=$((n + 1))
		d=$(pick $n $EDU1 $UP1 $EDU2 $EDU3 $PB1 $DN2)
		prepared && bump remove-while-prepared
		member "$d" && bump remove-of-member
		try pci remove "$PCI/$d/remove" 1
		try pci rescan /sys/bus/pci/rescan 1
	done
	echo $n >$S/cycles.pci
}

loop_nvme() { # unbind and bind the PF's driver
	n=0
	while running $n; do
		n=$((n + 1))
		prepared && bump unbind-while-prepared
		member "$NVME" && bump unbind-of-member
		try nvme unbind "$NVDRV/unbind" "$NVME"
		try nvme bind "$NVDRV/bind" "$NVME"
	done
	echo $n >$S/cycles.nvme
}

loop_vf() { # disable and enable the PF's two VFs
	n=0
	while running $n; do
		n=$((n + 1))
		prepared && bump vf-toggle-while-prepared
		member "$VF1" && bump vf-disable-of-member
		try vf disable "$PCI/$NVME/sriov_numvfs" 0
		try vf enable "$PCI/$NVME/sriov_numvfs" 2
	done
	echo $n >$S/cycles.vf
}

kmemleak() { # scan and keep the report in /tmp/kmemleak (none without it)
	: >/tmp/kmemleak
	[ -e /sys/kernel/debug/kmemleak ] || return 0
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/kmemleak
}

# The serial console is slow under TCG: during the loops only emergencies go
# to it, and every kernel message to /tmp/kmsg, checked afterwards.
quiet_console() {
	level=$(cut -f1 /proc/sys/kernel/printk)
	echo 1 >/proc/sys/kernel/printk
	cat /dev/kmsg >/tmp/kmsg &
	kmsg=$!
}
loud_console() {
	echo "$level" >/proc/sys/kernel/printk
	kill "$kmsg"
	info "kernel messages during the loops: $(wc -l </tmp/kmsg)"
	grep -E "$PROBLEMS" /tmp/kmsg >/tmp/problems
	while read -r l; do info "kernel: $l"; done </tmp/problems
	expect kernel-reports 0 "$(wc -l </tmp/problems)"
}
PROBLEMS='Kernel panic|BUG:|WARNING:|Oops|KASAN|possible recursive locking|circular locking|list_(add|del) corruption|ODEBUG:|suspected memory leak'

stage1() {
	mkdir -p $S
	default_setup
	for d in $EDU1 $EDU2 $EDU3; do stub_bind pci "$d" || fail "bind-$d" "stub refused"; done
	echo 0 >"$PCI/$NVME/sriov_drivers_autoprobe"
	[ -e /sys/kernel/debug/kmemleak ] ||
		info "no kmemleak: build with configs/stress.config to check leaks"
	kmemleak
	expect leaks-at-boot 0 "$(grep -c '^unreferenced object' /tmp/kmemleak)"
	END=$(($(date +%s) + DURATION))
	info "stress for ${DURATION}s or $COUNT cycles per loop"
	quiet_console
	loop_lu & p1=$!
	loop_pci & p2=$!
	loop_nvme & p3=$!
	loop_vf & p4=$!
	loop_stub & p5=$!
	wait $p1 $p2 $p3 $p4 $p5
	loud_console
	echo 1 >/sys/bus/pci/rescan
	prepared && try end cancel "$LUS/session" cancel
	awk '$3 != "requested=-" { print $1, $2 }' "$LU/devices" >/tmp/requested
	while read -r b d; do try end withdraw "$STUB/request" "$b $d none"; done </tmp/requested
	for l in lu pci nvme vf stub; do
		expect "cycles-$l" 1 "$([ "$(cat $S/cycles.$l)" -gt 0 ] && echo 1)"
		info "cycles $l $(cat $S/cycles.$l)"
	done
	for r in prepared remove-while-prepared remove-of-member unbind-while-prepared \
		unbind-of-member vf-toggle-while-prepared vf-disable-of-member \
		stub-unbind-while-prepared stub-unbind-of-member; do
		info "races $r $(cat $S/$r 2>/dev/null || echo 0)"
	done
	cat $S/errors.* 2>/dev/null | sort | uniq -c | while read -r c e; do info "errors $e $c"; done
	expect end-errors 0 "$(cat $S/errors.end 2>/dev/null | wc -l)"
	expect state-normal normal "$(lu_state)"
	expect no-devices "" "$(cat "$LU/devices")"
	expect states-zero 0 "$(cat "$LU/states")"
	sleep 6 # kmemleak reports objects older than 5 s
	kmemleak
	while read -r l; do info "kmemleak: $l"; done </tmp/kmemleak
	expect leaks 0 "$(grep -c '^unreferenced object' /tmp/kmemleak)"
}
