# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-append: memmap=64K$0x7000000
# e2e-log-count: 1 liveupdate: below a bridge not kept, not kept either, its bus mastering stopped
# EDU1's chain is prepared, then the record is replaced by one that names
# DN1, the switch port above EDU1, with another model, as a port whose
# firmware changed would be found.  The port found may be the kept one,
# still forwarding for what it kept below: the new kernel holds DN1 stopped
# from its setup on (Bus Master Enable 0 until finish, pcieport
# notwithstanding) and refuses EDU1 below it (one line).  Meanwhile EDU1,
# enabled from userspace, cannot complete a DMA (edu-dma, into memory
# memmap= keeps out of the kernel).  The report says DN1 mismatch, EDU1
# refused, UP1 and RP1 restored.  Before the fix DN1's Bus Master Enable
# was cleared once as it was added, pcieport set it again, and EDU1 was
# restored below it.
RESERVED=0x7000000
stage1() {
	default_setup
	lu_prepare "$EDU1"
	dn1=$(lu_location "$DN1")
	entries=$(lu_handover | sed "s|^pci/$dn1/[^/]*/|pci/$dn1/8086:1234:1af4:1100:10/|" | tr '\n' ' ')
	info "entries: $entries"
	lu_replace_record $entries
	kexec_stage2
}

stage2() {
	expect mismatch-message 1 "$(dmesg | grep -c "$DN1: handed over as model 8086:1234:1af4:1100:10 but is $(lu_model "$DN1"): not kept, stopped")"
	show_devices "$RP1" "$UP1" "$DN1" "$EDU1"
	for d in $DN1 $EDU1; do expect "held-bme-$d" 0 "$(bme_of "$d")"; done
	expect_dma_held "$EDU1"
	expect held-after-dma 0 "$(bme_of "$DN1")"
	lu finish session finish
	lu_report
	expect_report "$DN1" mismatch
	expect_report "$EDU1" refused
	for d in "$RP1" "$UP1"; do expect_report "$d" restored; done
}
