# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 lu-stub-child: shutdown skipped: requested for liveupdate
# e2e-log-count: 2 lu-stub-(parent|supplier): shutdown skipped: kept for liveupdate
# e2e-log-count: 0 lu-stub-(parent|child|supplier): liveupdate stub shutdown$
# e2e-log-count: 1 lu-stub-other: liveupdate stub shutdown$
# Platform devices made by the liveupdate stub (CONFIG_DEVICE_LIVEUPDATE_STUB_TEST):
# a child below a parent and linked to a supplier is requested; the set
# holds the parent and the supplier before the child, and not an unrelated
# stub device.  At the kexec the stub driver's shutdown() runs for the
# unrelated device only.  After the kexec the same devices, made again, are
# matched as incoming by name and base name, and finish restores them.
# Needs a kernel built with CONFIG_DEVICE_LIVEUPDATE_STUB_TEST=y.
P=lu-stub-parent C=lu-stub-child S=lu-stub-supplier O=lu-stub-other

make_stubs() {
	stub "create-$P" create "$P -"
	stub "create-$S" create "$S -"
	stub "create-$C" create "$C $P $S"
	stub "create-$O" create "$O -"
	expect "bound-$C" liveupdate-test-stub \
		"$(basename "$(readlink /sys/bus/platform/devices/$C/driver)")"
	expect "parent-$C" "$P" \
		"$(basename "$(dirname "$(readlink -f /sys/bus/platform/devices/$C)")")"
}

stage1() {
	make_stubs
	if echo "$P" >"$STUB/remove" 2>/dev/null; then
		fail "remove-busy-$P" "a parent in use was removed"
	else
		pass "remove-busy-$P" "refused"
	fi
	lu "request-$C" request platform "$C"
	lu prepare session prepare
	expect state-prepared prepared "$(lu_state)"
	lu_devices
	expect_member $C $P $S
	expect_absent $O
	expect_before $P $C
	expect_before $S $C
	log_shutdown
	kexec_stage2
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	make_stubs
	lu_devices
	expect_member $C $P $S
	expect_absent $O
	lu finish session finish
	expect state-normal normal "$(lu_state)"
	lu_report
	for d in $C $P $S; do expect_report "$d" restored; done
	for d in $C $O $S $P; do stub "remove-$d" remove "$d"; done
	expect states-zero 0 "$(cat "$LU/states")"
}
