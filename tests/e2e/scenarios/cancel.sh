# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A prepared update that is cancelled before the kexec is undone: the
# session is normal again and only the request stays (cancel keeps the
# requests: a later prepare would collect EDU1 again).  The kexec is then a
# plain one: every device ends as after a plain kexec.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	lu cancel session cancel
	expect state-normal normal "$(lu_state)"
	lu_devices
	expect request-kept "pci $EDU1 requested=bus-master derived=- requested" "$(cat /tmp/devices)"
	kexec_stage2
}

stage2() {
	show_devices $DEFAULT_DEVICES
	expect_base $DEFAULT_DEVICES
	expect state-normal normal "$(lu_state)"
}
