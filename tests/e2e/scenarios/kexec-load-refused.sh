# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 device liveupdate: kexec refused: a session is prepared and kexec_load\(2\) cannot carry its record
# kexec_load(2), the old syscall, takes its boot parameters from userspace,
# so its image cannot carry the record.  With a session prepared, a kexec
# of such an image is refused before anything is shut down (reboot(2) fails
# with EOPNOTSUPP, one line says why), and the session can be cancelled.
# On the base kernel the kexec would happen.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	kexec-load -o || fail load "kexec_load failed"
	expect kexec-refused "kexec-load: reboot(KEXEC): Operation not supported" "$(kexec-load -e 2>&1)"
	expect_kept $DN1 $UP1 $RP1
	expect driver-$NVME nvme "$(basename "$(readlink "$PCI/$NVME/driver")")"
	expect state-still-prepared prepared "$(lu_state)"
	lu cancel session cancel
	lu withdraw-$EDU1 withdraw pci "$EDU1"
	expect states-zero 0 "$(cat "$LU/states")"
}

stage2() {
	fail kexec "the kexec happened through kexec_load(2)"
}
