# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-needs: base-kernel
# e2e-log-count: 1 kexec-bzImage64: a device liveupdate session is prepared and this kernel cannot take it over, load one that can or cancel the session$
# A rollback to a kernel without device liveupdate (the unpatched base,
# /e2e/bzImage-base) while a session is prepared: that kernel would ignore
# the record and hand the preserved memory to its allocators while the
# devices write to it.  kexec_file_load(2) refuses it (EPROTONOSUPPORT, one
# line), nothing is loaded and the session stays prepared.  Once the
# session is cancelled the same kernel loads, and the kexec into it is a
# plain one: the base kernel boots and finds every device as after a plain
# kexec.
KEXEC_IMAGE=/e2e/bzImage-base

stage1() {
	[ -f "$KEXEC_IMAGE" ] || fail base-image "$KEXEC_IMAGE missing"
	default_setup
	lu_prepare "$EDU1"
	kexec_load_stage2 2>/tmp/load
	expect load-status 1 "$?"
	expect load-refused "kexec-load: kexec_file_load: Protocol not supported" "$(cat /tmp/load)"
	expect nothing-loaded 0 "$(cat /sys/kernel/kexec_loaded)"
	expect state-still-prepared prepared "$(lu_state)"
	lu cancel session cancel
	kexec_stage2
}

stage2() {
	info "kernel: $(cat /proc/version)"
	expect base-kernel missing "$(lu_state)"
	show_devices $DEFAULT_DEVICES
	expect_base $DEFAULT_DEVICES
}
