# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-memory: 524480K
# e2e-append: memmap=32K$0x20000000
# e2e-log-count: 1 lu-stub-top: liveupdate stub: kept memory intact$
# e2e-log-count: 0 liveupdate stub: kept memory changed
# e2e-log-count: 1 device liveupdate: preserved memory: 1 ranges taken by drivers, 0 freed, 0 kept reserved
# A preserved page where the kexec image would go: kexec_file_load(2)
# places its first segment top-down, at the end of System RAM, unless the
# range is excluded.  A stub device declares the last page of System RAM
# ("top": the stub takes it with alloc_contig_range()) and is requested;
# the record names it, the load keeps its segments off it, and the new
# kernel shows the same page, still the last of System RAM, preserved in
# /proc/iomem.  The stub device made again finds its pattern intact.
#
# alloc_contig_range() isolates whole 2 MiB pageblocks, and fails on one
# that holds a hole or boot memory (PG_reserved).  With -m 512 the last
# page of RAM (0x1ffd7000) shares its pageblock with firmware's reserved
# tail, and the 32 KiB above the initrd hold the first kernel's earliest
# memblock allocations: "top" fails with EBUSY.  So this scenario gets
# 512 MiB + 192 KiB: QEMU 7.2 loads the initrd to end 192 KiB below the
# end of low RAM, here at 0x20000000, and memmap= keeps the 32 KiB of RAM
# above it out of both kernels.  The last page of System RAM is then the
# initrd's, in a pageblock the kernel frees whole once it has unpacked it.
T=lu-stub-top

expect_top() { # CHECK RANGE: START-END is the last page of System RAM
	info "$1: preserved $2, System RAM ends at $(ram_top)"
	[ -n "$2" ] || { fail "$1" "no preserved range"; return; }
	expect "$1" "$(ram_top)" "${2#*-}"
	expect "$1-one-page" 4096 "$((0x${2#*-} - 0x${2%-*} + 1))"
}

stage1() {
	stub "create-$T" create "$T -"
	stub "memory-$T" memory platform "$T" top
	lu "request-$T" request platform "$T"
	lu prepare session prepare
	info "record: $(lu_handover | tr '\n' ' ')"
	r=$(lu_ranges "$T")
	expect_top top-before "$r"
	kexec_stage2 "e2e_range=$r"
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	show_iomem
	expect iomem "$(cmdline_word e2e_range none)" "$(lu_iomem)"
	expect_top top-after "$(lu_iomem)"
	stub "create-$T" create "$T -"
	lu finish session finish
	lu_report
	expect_report "$T" restored
}
