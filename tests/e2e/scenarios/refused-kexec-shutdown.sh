# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 liveupdate-test-stub 0000:03:00.0: liveupdate stub: freeze requested=bus-master derived=-
# e2e-log-count: 1 liveupdate-test-stub 0000:06:01.0: liveupdate stub: unfreeze requested=bus-master derived=-
# e2e-log-count: 1 liveupdate-test-stub 0000:03:00.0: liveupdate stub shutdown$
# e2e-log-count: 1 liveupdate-test-stub 0000:06:01.0: liveupdate stub shutdown$
# e2e-log-count: 0 shutdown skipped
# A refused kexec leaves nothing frozen.  EDU1 and EDU3 are requested
# through the stub driver, which is told to refuse EDU1's freeze.  The
# kexec freezes the set in reverse order (EDU3 and its path first), EDU1's
# freeze fails, and kernel_kexec() refuses the kexec: reboot(2) returns the
# stub's EPERM, EDU3 is unfrozen and the session is prepared again.  The
# power-off that ends the scenario then shuts every member down as usual
# (initcall_debug shows each shutdown; none is skipped).
stage1() {
	default_setup
	lu request-edu1 request pci "$EDU1"
	lu request-edu3 request pci "$EDU3"
	echo "pci $EDU1 freeze" >"$STUB/refuse" || fail refuse "the stub took no refusal"
	lu prepare session prepare
	kexec_load_stage2 || fail load "kexec_file_load failed"
	expect kexec-refused "kexec-load: reboot(KEXEC): Operation not permitted" "$(kexec-load -e 2>&1)"
	expect state-prepared "prepared 0" "$(lu_state) $(lu_broken)"
	log_shutdown
}

stage2() {
	fail kexec "the kexec happened although a freeze failed"
}
