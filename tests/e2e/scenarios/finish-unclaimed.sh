# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 pci 0000:03:00.0: liveupdate: no driver took the device over, stopped before its memory is freed$
# e2e-log-count: 1 liveupdate: no driver took the device over
# e2e-log-count: 1 device liveupdate: preserved memory: 0 ranges taken by drivers, 1 freed, 0 kept reserved as their devices may still write to them$
# A device kept mastering that no driver takes over in the new kernel is
# stopped at finish before its memory is freed.  EDU1, given to the stub,
# declares a page preserved and is requested with bus mastering.  In the
# new kernel nothing binds EDU1 (edu has no driver of its own; the stub and
# the edu sample bind only where driver_override names them; pcieport
# drives its bridges): it arrives incoming with Bus Master Enable, the page
# reserved.  Finish stops it, one line: its live Bus Master Enable reads 0,
# finish's line counts the page freed, and /proc/iomem no longer shows it.

stage1() {
	default_setup
	stub_bind pci "$EDU1" || fail bind "$EDU1 not bound to $STUB_DRIVER"
	stub "memory-$EDU1" memory pci "$EDU1"
	lu_prepare "$EDU1"
	info "record: $(lu_handover | tr '\n' ' ')"
	kexec_stage2 "e2e_range=$(lu_ranges "$EDU1")"
}

stage2() {
	show_devices "$EDU1" "$DN1" "$UP1" "$RP1"
	expect state-incoming incoming "$(lu_state)"
	expect unbound "" "$(driver_of pci "$EDU1")"
	expect_kept "$EDU1"
	show_iomem
	expect iomem-before "$(cmdline_word e2e_range none)" "$(lu_iomem)"
	lu finish session finish
	expect state-normal normal "$(lu_state)"
	expect "stopped-bme-$EDU1" 0 "$(($(pci-cmd "$EDU1") >> 2 & 1))"
	expect iomem-after "" "$(lu_iomem)"
	lu_report
	expect_report "$EDU1" restored
}
