# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 liveupdate-edu 0000:03:00.0: cannot unbind liveupdate-edu: a member of the prepared liveupdate session, cancel it first
# e2e-log-count: 1 pcieport 0000:02:00.0: cannot unbind pcieport: a member of the prepared liveupdate session, cancel it first
# e2e-log-count: 1 liveupdate-edu 0000:03:00.0: liveupdate edu: the DMA during the kexec landed
# While a session is prepared, the binding of its members is fixed.  The
# edu sample keeps EDU1 (edu_keep) and the session is prepared: unbinding
# the sample from EDU1, or pcieport from DN1 (kept for EDU1), through sysfs
# fails with EBUSY and one line naming the device and the session; both
# stay bound, their command registers unchanged, the session prepared and
# not broken.  The kexec then goes ahead and the sample's DMA lands in the
# new kernel.  On the base kernel there is no session to refuse for.
stage1() {
	default_setup
	edu_bind "$EDU1"
	lu keep request pci "$EDU1"
	lu prepare session prepare
	for d in $EDU1 $DN1; do lu_files pci "$d"; done
	before="$(cmd_of "$EDU1") $(cmd_of "$DN1")"
	expect unbind-member EBUSY "$(lu-write "$EDU_DRIVER/unbind" "$EDU1")"
	expect unbind-kept-bridge EBUSY "$(lu-write /sys/bus/pci/drivers/pcieport/unbind "$DN1")"
	expect still-bound "liveupdate-edu pcieport" "$(driver_of pci "$EDU1") $(driver_of pci "$DN1")"
	expect registers-unchanged "$before" "$(cmd_of "$EDU1") $(cmd_of "$DN1")"
	expect state-prepared "prepared 0" "$(lu_state) $(lu_broken)"
	kexec_stage2
}

stage2() {
	show_devices "$EDU1" "$DN1" "$UP1" "$RP1"
	expect_kept "$EDU1" "$DN1" "$UP1" "$RP1"
	lu_files pci "$EDU1"
	edu_bind "$EDU1"
	expect landed "landed" "$(edu_transfer "$EDU1")"
	lu finish session finish
	expect state-normal normal "$(lu_state)"
	for f in "$LUS"/report/*; do info "${f#$LUS/}: $(cat "$f")"; done
	expect restored 4 "$(cat "$LUS/report/restored")"
}
