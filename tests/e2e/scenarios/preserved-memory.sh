# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 lu-stub-kept: liveupdate stub: kept memory intact
# e2e-log-count: 0 liveupdate stub: kept memory changed
# e2e-log-count: 1 device liveupdate: preserved memory: 1 ranges taken by drivers, 0 freed, 1 kept reserved as their devices may still write to them
# Two requested stub devices each declare a page preserved, filled with a
# pattern naming the device.  The new kernel keeps both pages out of its
# allocators from its first instruction and shows them in /proc/iomem; the
# stub device made again takes its page back and finds the pattern intact;
# finish keeps the page of the device that did not come back reserved (a
# device nothing here can stop may still write to it).  A third
# stub device declares a page but is not requested: the record does not
# carry it, and the new kernel reserves only the two.
K=lu-stub-kept G=lu-stub-gone U=lu-stub-unrequested

stage1() {
	for d in $K $G $U; do stub "create-$d" create "$d -"; done
	for d in $K $G $U; do stub "memory-$d" memory platform "$d"; done
	for d in $K $G; do lu "request-$d" request platform "$d"; done
	lu prepare session prepare
	info "record: $(lu_handover | tr '\n' ' ')"
	kexec_stage2
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	show_iomem
	expect iomem-before 2 "$(lu_iomem | wc -l)"
	stub "create-$K" create "$K -"
	lu finish session finish
	expect iomem-after 2 "$(lu_iomem | wc -l)"
	lu_report
	expect_report "$K" restored
	expect_report "$G" missing
}
