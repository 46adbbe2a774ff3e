# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# The old kernel preserves EDU1's chain, but the record its kexec image
# carries is of a format the new kernel does not know: the session's own
# entries under another compatible, as a later kernel's incompatible
# revision would be (the test kernel's debugfs replaces it after prepare).  The new kernel rejects it as a whole with one message:
# no device is incoming and the framework holds no state.  The devices the
# old kernel left running are not left mastering into a kernel that does not
# know them: every PCI device's Bus Master Enable is cleared as it is added,
# before any driver binds, so only the devices whose drivers set it again
# have it: those a plain kexec leaves mastering (the baseline: the nvme PF,
# the ports pcieport masters and what it enables above them) but EDU2,
# whose power state is unknown, so that a plain kexec leaves it mastering.
# The previous kernel kept EDU1's chain.  An image loaded before the record
# was replaced carries the old one: its kexec is refused as stale.
stage1() {
	default_setup
	lu_prepare "$EDU1"
	kexec_load_stage2 || fail load "kexec_file_load failed"
	lu_replace_record --compatible linux,device-liveupdate-v2 $(lu_handover)
	expect loaded-before-replace "kexec-load: reboot(KEXEC): Stale file handle" "$(kexec-load -e 2>&1)"
	kexec_stage2
}

stage2() {
	expect rejected-message 1 "$(dmesg | grep -c 'device liveupdate: handover record rejected: unsupported format; stopping bus mastering of every device$')"
	show_devices $DEFAULT_DEVICES
	driven=" $(without "$(base_set)" "$EDU2" | tr '\n' ' ') "
	for d in $DEFAULT_DEVICES; do
		case $driven in *" $d "*) want=1 ;; *) want=0 ;; esac
		expect "stopped-bme-$d" $want "$(bme_of "$d")"
	done
	expect state-normal normal "$(lu_state)"
	lu_devices
	expect no-members 0 "$(grep -vc missing /tmp/devices)"
	expect one-message 1 "$(dmesg | grep -c 'device liveupdate:.*rejected')"
	expect states-zero 0 "$(cat "$LU/states" 2>/dev/null)"
}
