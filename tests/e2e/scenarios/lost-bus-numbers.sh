# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 pci 0000:00:10\.0: liveupdate: bus numbers lost, bridge not kept, its bus mastering stopped
# EDU1's chain is prepared, then RP1 loses its bus numbers (secondary and
# subordinate written 0 by hand) before the kexec.  The new kernel cannot
# trust RP1 with the devices below it: RP1 is refused rather than kept
# (one line, reported "refused") and its Bus Master Enable is cleared, so
# it forwards no DMA, as after a plain kexec; the buses are numbered anew.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	cfg_write_byte "$RP1" 25 0
	cfg_write_byte "$RP1" 26 0
	expect lost-range 0-0 "$(bus_range "$RP1")"
	kexec_stage2
}

stage2() {
	show_devices "$RP1"
	expect stopped-bme-$RP1 0 "$(bme_of "$RP1")"
	lu finish session finish
	lu_report
	expect_report "$RP1" refused
	expect refused-summary 1 "$(dmesg | grep -c 'handover reconciled: .* 1 refused$')"
}
