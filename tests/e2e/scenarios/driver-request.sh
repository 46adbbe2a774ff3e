# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# A device is requested by the driver bound to it, through an interface of
# the driver's own: the liveupdate edu sample's edu_keep file.  The device's
# liveupdate directory only tells: each file refuses a write, root's
# (EACCES) and an unprivileged user's.  Writing 1 to edu_keep twice makes one
# request and declares one page (states stays 1, the debugfs view lists one
# range).  Unbinding the sample with no session withdraws the request and
# drops the page's declaration: the device takes no part any more.  On the
# base kernel there is no such file.
E1=$PCI/$EDU1/liveupdate

stage1() {
	default_setup
	for f in state requested features needed_by reason; do
		expect "root-write-$f" EACCES "$(lu-write "$E1/$f" bus-master)"
		expect "user-write-$f" EACCES "$(lu-write -u 65534 "$E1/$f" bus-master)"
	done
	expect state-before "none " "$(lu_part pci "$EDU1")"
	edu_bind "$EDU1"
	expect user-keep EACCES "$(lu-write -u 65534 "$PCI/$EDU1/edu_keep" 1)"
	lu keep request pci "$EDU1"
	lu keep-again request pci "$EDU1"
	expect state-requested "requested bus-master" "$(lu_part pci "$EDU1")"
	expect requested-file bus-master "$(cat "$E1/requested")"
	expect states-one 1 "$(cat "$LU/states")"
	lu_devices
	expect_set listed "$EDU1"
	echo "$EDU1" >"$EDU_DRIVER/unbind" || fail unbind "unbind refused with no session"
	expect state-unbound "none " "$(lu_part pci "$EDU1")"
	expect states-zero 0 "$(cat "$LU/states")"
	expect nothing-requested ENODATA "$(lu-write "$LUS/session" prepare)"
}
