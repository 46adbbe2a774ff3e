# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 ^\[ *[0-9.]+\] liveupdate-test-stub 0000:03:00\.0: driver liveupdate-test-stub unbound during the liveupdate session; the session is broken
# e2e-log-count: 1 ^\[ *[0-9.]+\] pci 0000:03:00\.0: removed during the liveupdate session; the session is broken
# A prepared member is removed (sysfs remove): PCI unbinds its driver first,
# then removes it, and the kernel says each once, by name; the update can
# still be cancelled, without BUG or WARNING.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	before=$(dmesg | wc -l)
	echo 1 >"$PCI/$EDU1/remove"
	expect removed absent "$([ -e "$PCI/$EDU1" ] && echo present || echo absent)"
	dmesg | tail -n +$((before + 1)) | grep -F "$EDU1" >/tmp/said
	while read -r l; do info "kernel: $l"; done </tmp/said
	expect removal-messages 2 "$(wc -l </tmp/said)"
	lu_devices
	lu cancel session cancel
	expect state-normal normal "$(lu_state)"
}
