# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-append: memmap=64K$0x7000000
# e2e-log-count: 1 pci 0000:00:10\.0: liveupdate: bus numbers lost, bridge not kept, its bus mastering stopped
# e2e-log-count: 1 pcieport 0000:00:10\.0: liveupdate: bus mastering held off until the session is finished
# e2e-log-count: 3 liveupdate: below a bridge not kept, not kept either, its bus mastering stopped
# EDU1's chain is prepared, then RP1 loses its bus numbers (secondary and
# subordinate written 0 by hand) before the kexec.  The new kernel cannot
# trust RP1 with the devices below it: RP1 is refused rather than kept
# (one line, reported "refused") and the buses below it are numbered anew.
# The devices are found at their paths all the same, and refused as they
# are added, being below RP1: the two switch ports and EDU1 (one line
# each).  RP1 and every device below it have Bus
# Master Enable cleared and kept cleared until the session is finished,
# though pcieport asks for it on RP1 (one line says it is held off); after
# finish RP1 gets it.  Meanwhile EDU1, enabled from userspace, cannot
# complete a DMA (edu-dma, into memory memmap= keeps out of the kernel).
RESERVED=0x7000000
stage1() {
	default_setup
	lu_prepare "$EDU1"
	cfg_write_byte "$RP1" 25 0
	cfg_write_byte "$RP1" 26 0
	expect lost-range 0-0 "$(bus_range "$RP1")"
	kexec_stage2
}

stage2() {
	up=$(bridge_below "$RP1")
	dn=$(bridge_below "$up")
	edu=$(bridge_below "$dn")
	info "below RP1 now: $up $dn $edu"
	show_devices "$RP1" "$up" "$dn" "$edu"
	for d in $RP1 $up $dn $edu; do expect "held-bme-$d" 0 "$(bme_of "$d")"; done
	expect rp1-driver pcieport "$(driver_of pci "$RP1")"
	expect_dma_held "$edu"
	lu finish session finish
	expect given-after-finish-$RP1 1 "$(bme_of "$RP1")"
	lu_report
	for d in "$RP1" "$up" "$dn" "$edu"; do expect_report "$d" refused; done
	expect refused-summary 1 "$(dmesg | grep -c 'handover reconciled: 0 restored, .* 4 refused$')"
}
