# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-append: trace_event=device_liveupdate:device_liveupdate_step tp_printk
# e2e-log-count: 1 kexec-load: reboot\(KEXEC\) at tsc [0-9]+$
# What a kexec costs with a session of e2e_blackout_members stub platform
# devices (default 1; 0 is a plain kexec), read by tools/measure-blackout.
# The old kernel prints the freeze's trace event on the console (tp_printk,
# only the step event), kexec-load -e the TSC as reboot(2) is called.  The
# new kernel traces into its buffer only; stage 2 prints the TSC as it
# starts, around the stub devices it makes again (test scaffolding, not
# part of a real kexec), and after finish, with the finish and matching
# events and the TSC frequency.
M=$(cmdline_word e2e_blackout_members 1)
T=/sys/kernel/tracing
names() { i=0; while [ "$i" -lt "$M" ]; do printf 'lu-blackout-%03d\n' $i; i=$((i + 1)); done; }
make_stubs() {
	for d in $(names); do echo "$d -" >"$STUB/create" || fail "create-$d" refused; done
}

stage1() {
	make_stubs
	for d in $(names); do
		echo "platform $d bus-master" >"$STUB/request" || fail "request-$d" refused
	done
	[ "$M" -eq 0 ] || lu prepare session prepare
	KEXEC_DROP='tp_printk trace_event=*' kexec_stage2 'trace_event=device_liveupdate:*' \
		"e2e_blackout_members=$M"
}

stage2() {
	info "tsc-start $(tsc)"
	make_stubs
	info "tsc-made $(tsc)"
	if [ "$M" -gt 0 ]; then lu finish session finish; fi
	info "tsc-finished $(tsc)"
	mount -t tracefs nodev $T 2>/dev/null
	grep -o 'device_liveupdate_\(step\|matched\): .*' "$T/trace" |
		while read -r l; do info "trace: $l"; done
	info "tsc-mhz $(dmesg | sed -n 's/.*tsc: \(Refined TSC clocksource calibration\|Detected\):* \([0-9.]*\) MHz.*/\2/p' | tail -n1)"
	expect state-normal normal "$(lu_state)"
}
