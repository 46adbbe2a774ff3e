# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 liveupdate-test-stub 0000:03:00\.0: shutdown skipped: requested for liveupdate
# e2e-log-count: 1 pcieport 0000:00:10\.0: shutdown skipped: kept for liveupdate
# e2e-log-count: 1 pcieport 0000:00:10\.0: liveupdate: bridge kept, bus master on, MSI/MSI-X off
# e2e-log-count: 1 liveupdate-test-stub 0000:03:00\.0: liveupdate: frozen, bus master on, MSI/MSI-X off
# An edu endpoint below the switch is a member, after every bridge above it
# in the set: after the kexec it and every bridge above it still have Bus
# Master Enable (a plain kexec clears them all, see baseline); every other
# device is as after a plain kexec.  At the kexec
# the endpoint is not shut down, and the root port above it, kept only for
# it, keeps bus mastering but not the MSI or MSI-X that pcieport enabled
# for its services (pcieport's freeze removes them); the endpoint keeps bus
# mastering but not the MSI it had enabled (by hand).
MSI=5 MSIX=17
msi_on() { # BDF: 1 if MSI or MSI-X is enabled
	m=$(cap_offset "$1" $MSI) x=$(cap_offset "$1" $MSIX)
	on=0
	[ -n "$m" ] && [ $(($(cfg_byte "$1" $((m + 2))) & 1)) -eq 1 ] && on=1
	[ -n "$x" ] && [ $(($(cfg_byte "$1" $((x + 3))) & 0x80)) -ne 0 ] && on=1
	echo $on
}
stage1() {
	default_setup
	expect msi-enabled-$RP1 1 "$(msi_on "$RP1")"
	c=$(cap_offset "$EDU1" $MSI)
	cfg_write_byte "$EDU1" $((c + 2)) $(($(cfg_byte "$EDU1" $((c + 2))) | 1))
	expect msi-enabled-$EDU1 1 "$(msi_on "$EDU1")"
	lu_prepare "$EDU1"
	expect_set set "$RP1" "$UP1" "$DN1" "$EDU1"
	log_shutdown
	kexec_stage2
}

stage2() {
	expect_handover "$EDU1 $DN1 $UP1 $RP1" "$DEFAULT_DEVICES"
}
