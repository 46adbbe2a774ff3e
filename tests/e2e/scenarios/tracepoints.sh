# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-append: trace_event=device_liveupdate:* tp_printk
# e2e-log-count: 1 device_liveupdate_step: freeze ret=0 members=4 ns=[0-9]+$
# The device_liveupdate trace events across a whole session, read from
# tracefs in each kernel: requests, a withdrawal, two prepares (set size and
# time taken) around a cancel; in the new kernel, enabled from boot
# (trace_event=), the four devices matched as incoming, then finish and the
# reconciliation of each.  The freeze runs in the reboot(2) call, after the
# last read: tp_printk copies it to the console, where the host counts it.
T=/sys/kernel/tracing

events() { # copy the device_liveupdate events traced so far to /tmp/trace
	grep -o 'device_liveupdate_[a-z]*: .*' "$T/trace" >/tmp/trace
	while read -r l; do info "trace: $l"; done </tmp/trace
}
count() { grep -c -- "$1" /tmp/trace; } # REGEX

stage1() {
	mount -t tracefs nodev $T 2>/dev/null
	[ -d "$T/events/device_liveupdate" ] || fail tracefs "no device_liveupdate events in $T"
	echo >"$T/trace"
	default_setup
	lu request-edu1 request pci "$EDU1"
	lu request-edu3 request pci "$EDU3"
	lu withdraw-edu3 withdraw pci "$EDU3"
	lu prepare session prepare
	lu cancel session cancel
	lu prepare-again session prepare
	events
	expect request-events 2 "$(count 'device_liveupdate_request: pci 0000:0[36]:0[01].0 features=0x1$')"
	expect withdraw-event 1 "$(count "device_liveupdate_withdraw: pci $EDU3 features=0x1$")"
	expect prepare-events 2 "$(count 'device_liveupdate_prepare: ret=0 members=4 ns=[0-9]*$')"
	expect cancel-event 1 "$(count 'device_liveupdate_step: cancel ret=0 members=4 ns=[0-9]*$')"
	kexec_stage2
}

stage2() {
	mount -t tracefs nodev $T 2>/dev/null
	lu finish session finish
	events
	for d in $EDU1 $DN1 $UP1 $RP1; do
		expect "incoming-event-$d" 1 "$(count "device_liveupdate_incoming: pci $d features=0x1$")"
		expect "reconcile-event-$d" 1 "$(count "device_liveupdate_reconcile: pci $(lu_location "$d") restored$")"
	done
	expect finish-event 1 "$(count 'device_liveupdate_step: finish ret=0 members=4 ns=[0-9]*$')"
	expect matched-event 1 "$(count 'device_liveupdate_matched: lookups=[1-9][0-9]* ns=[0-9]*$')"
}
