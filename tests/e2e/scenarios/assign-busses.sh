# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# Stage 2 boots with pci=assign-busses,hpbussize=0x10: Linux renumbers every
# bus and reserves 16 buses below each hotplug port, which SeaBIOS does not,
# so a plain kexec moves the switch (01-04 becomes 01-22).  The bridges above
# a member must keep their secondary/subordinate bus numbers (config space
# 0x19/0x1a), so that the member stays where it was.  Non-members may move:
# only the member's chain is checked.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	kexec_stage2 pci=assign-busses,hpbussize=0x10 \
		e2e_buses="$(bus_range $RP1),$(bus_range $UP1),$(bus_range $DN1)"
}

stage2() {
	up=$(bridge_below $RP1) dn=$(bridge_below "$up")
	info "after: $RP1 $(bus_range $RP1), $up $(bus_range "$up"), $dn $(bus_range "$dn")"
	expect bus-numbers "$(cmdline_word e2e_buses)" \
		"$(bus_range $RP1),$(bus_range "$up"),$(bus_range "$dn")"
	expect_handover "$EDU1 $DN1 $UP1 $RP1" "$EDU1 $DN1 $UP1 $RP1"
}
