# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-timeout: 200
# e2e-log-count: 1 device liveupdate: handover record accepted: 120 devices to restore
# e2e-log-count: 1 device liveupdate: handover reconciled: 120 restored, 0 missing, 0 mismatch, 0 removed
# A set of 120 members, far beyond what a kernel command line could carry:
# 120 stub platform devices are requested, and the record in the kexec
# image names them all.  The new kernel, where they are made again, finds
# each one incoming and restores it.
N=120

stage1() {
	stub_many lu-many- $N
	for d in $(numbered lu-many- $N); do
		echo "platform $d bus-master" >"$STUB/request" || fail "request-$d" refused
	done
	lu prepare session prepare
	lu_devices
	expect set-size $N "$(wc -l </tmp/devices)"
	info "record of $(lu_handover_size) bytes"
	kexec_stage2
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	stub_many lu-many- $N
	lu_devices
	expect incoming-members $N "$(grep -c '^platform lu-many-' /tmp/devices)"
	lu finish session finish
	lu_report
	expect restored $N "$(grep -c ' restored$' /tmp/report)"
}
