# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A prepared update that is cancelled before the kexec leaves no trace: the
# session is normal again and every device ends as after a plain kexec.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	lu cancel session cancel
	expect state-normal normal "$(lu_state)"
	kexec_stage2
}

stage2() {
	show_devices $DEFAULT_DEVICES
	expect_base $DEFAULT_DEVICES
	expect state-normal normal "$(lu_state)"
}
