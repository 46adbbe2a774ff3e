# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A device no driver ever enabled is in a power state PCI does not know,
# and a plain kexec leaves its Bus Master Enable as it is (the baseline:
# EDU2 arrives mastering).  A kexec that keeps a session's members stops
# it too: EDU1's chain is kept, and EDU2, given Bus Master Enable from
# userspace and never enabled, reads 0 in the new kernel, where no driver
# binds it.  Fails on the series before patch 28 (1) and on the base
# kernel (no session).
stage1() {
	default_setup
	expect edu2-unknown unknown "$(cat "$PCI/$EDU2/power_state" 2>/dev/null)"
	expect edu2-master 1 "$(bme_of "$EDU2")"
	lu_prepare "$EDU1"
	kexec_stage2
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	expect edu2-unbound "" "$(driver_of pci "$EDU2")"
	expect edu2-stopped 0 "$(bme_of "$EDU2")"
	expect edu1-kept 1 "$(bme_of "$EDU1")"
}
