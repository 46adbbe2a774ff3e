# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 device liveupdate: kexec refused: a member was removed
# A prepared member is removed, then a kexec is attempted: kernel_kexec()
# refuses it before anything is shut down (reboot(2) fails with ENODEV, one
# line says why), the devices still run as before, and the session can be
# cancelled.  On the base kernel the kexec would happen.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	echo 1 >"$PCI/$EDU1/remove"
	expect state-broken "prepared 1" "$(lu_state) $(lu_broken)"
	kexec_load_stage2 || fail load "kexec_file_load failed"
	expect kexec-refused "kexec-load: reboot(KEXEC): No such device" "$(kexec-load -e 2>&1)"
	# Nothing was shut down: the bridges keep what default_setup gave them
	# and the nvme driver is still bound.
	expect_kept $DN1 $UP1 $RP1
	expect driver-$NVME nvme "$(basename "$(readlink "$PCI/$NVME/driver")")"
	expect state-still-broken "prepared 1" "$(lu_state) $(lu_broken)"
	lu cancel session cancel
	expect state-normal normal "$(lu_state)"
	expect states-zero 0 "$(cat "$LU/states")"
}

stage2() {
	fail kexec "the kexec happened with a broken session"
}
