# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# The new kernel gets a valid record that names, besides a real member, a
# path where no device exists and a device whose IDs differ from the
# record's: reconciliation reports them missing and mismatch, and keeps only
# the real member and its bridges.  The record also has what a later
# revision of the format may add, which this kernel ignores: a property of
# the root and of a device, and a root subnode that is not a device.
# EDU2, found where the record names another model, is held stopped from
# its setup on (Bus Master Enable 0; the live update's kexec already
# stopped it, see unknown-stopped; mismatched-bridge shows the hold on a
# device the previous kernel kept).
stage1() {
	default_setup
	lu_prepare "$EDU1"
	entries=$(lu_handover | tr '\n' ' ')
	info "entries: $entries"
	lu_replace_record --root-property 'linux,revision=<2>' \
		--property 'linux,queue=<0x40>' --node 'queues@0' $entries \
		"pci/0000:00-1f.7/$(lu_model "$EDU1")/1" \
		"pci/$(lu_location "$EDU2")/8086:1234:1af4:1100:10/1"
	kexec_stage2
}

stage2() {
	expect mismatch-message 1 "$(dmesg | grep -c "$EDU2: handed over as model 8086:1234:1af4:1100:10 but is $(lu_model "$EDU2"): not kept, stopped")"
	expect mismatch-stopped 0 "$(bme_of "$EDU2")"
	expect_handover "$EDU1 $DN1 $UP1 $RP1" "$(without "$DEFAULT_DEVICES" "$EDU2")"
	expect_report 0000:00-1f.7 missing
	expect_report "$EDU2" mismatch
	expect summary-message 1 "$(dmesg | grep -c 'handover reconciled: 4 restored, 1 missing, 1 mismatch, 0 removed')"
}
