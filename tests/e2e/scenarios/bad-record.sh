# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A record with a wrong checksum is rejected as a whole with one message:
# no device is incoming and the framework holds no state.  (The devices the
# old kernel preserved still have Bus Master Enable: the new kernel does not
# clear it, it only stops treating them as handed over.)
stage1() {
	default_setup
	lu_prepare "$EDU1"
	record=$(lu_handover)
	bad=$(echo "$record" | sed 's/,\([0-9a-f]\{8\}\),/,00000000,/')
	kexec_stage2 "$bad"
}

stage2() {
	expect rejected-message 1 "$(dmesg | grep -c 'device liveupdate: handover record rejected: checksum mismatch')"
	expect state-normal normal "$(lu_state)"
	lu_devices
	expect no-members 0 "$(grep -vc missing /tmp/devices)"
	expect one-message 1 "$(dmesg | grep -c 'device liveupdate:.*rejected')"
	expect states-zero 0 "$(cat "$LU/states" 2>/dev/null)"
}
