# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 device liveupdate: kexec refused: the loaded kernel carries no handover record
# e2e-log-count: 1 device liveupdate: kexec refused: the loaded kernel carries the record of a session that is no longer prepared
# e2e-log-count: 1 device liveupdate: kexec refused: the loaded kernel carries the record of another session
# The kexec image carries the record of the session prepared when it was
# loaded.  kernel_kexec() refuses, before anything is shut down (reboot(2)
# fails with ESTALE, one line each), an image loaded before prepare, one
# loaded before the session was cancelled, and one loaded for another
# session.  Loaded again, the image hands the new set (EDU3's chain) over.
# On the base kernel every one of these kexecs would happen.
refused() { # CHECK: kexec-load -e fails with ESTALE
	expect "$1" "kexec-load: reboot(KEXEC): Stale file handle" "$(kexec-load -e 2>&1)"
}

stage1() {
	default_setup
	kexec_load_stage2 || fail load "kexec_file_load failed"
	lu_prepare "$EDU1"
	refused refused-loaded-before-prepare
	kexec_load_stage2 || fail load "kexec_file_load failed"
	lu cancel session cancel
	refused refused-cancelled-since
	lu withdraw-$EDU1 withdraw pci "$EDU1"
	lu_prepare "$EDU3"
	refused refused-other-session
	# Nothing was shut down: the bridges keep what default_setup gave them
	# and the nvme driver is still bound.
	expect_kept $DN1 $UP1 $RP1
	expect driver-$NVME nvme "$(basename "$(readlink "$PCI/$NVME/driver")")"
	kexec_stage2
}

stage2() {
	expect_handover "$EDU3 $PB1 $RP2" "$DEFAULT_DEVICES"
}
