# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A prepared member is removed (sysfs remove): the kernel says so once, by
# name, and the update can still be cancelled, without BUG or WARNING.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	before=$(dmesg | wc -l)
	echo 1 >"$PCI/$EDU1/remove"
	expect removed absent "$([ -e "$PCI/$EDU1" ] && echo present || echo absent)"
	dmesg | tail -n +$((before + 1)) | grep -F "$EDU1" >/tmp/said
	while read -r l; do info "kernel: $l"; done </tmp/said
	expect removal-message 1 "$(wc -l </tmp/said)"
	lu_devices
	lu cancel session cancel
	expect state-normal normal "$(lu_state)"
}
