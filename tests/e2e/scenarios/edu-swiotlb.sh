# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-append: swiotlb=force
# e2e-memory: 256M
# e2e-log-count: 1 liveupdate-edu 0000:03:00.0: edu: its DMA address is not the page's own \(swiotlb\?\): not kept$
# The memory a driver declares preserved must be the memory its device
# writes.  With swiotlb=force, dma_map_page() gives the device a bounce
# slot instead of the page (256 MiB of RAM put the slots within edu's
# 28-bit reach): the device would write into the slot across the kexec,
# not into the page the record names.  The edu sample refuses to keep
# EDU1 then (EOPNOTSUPP, one line): nothing is requested, prepare finds
# nothing to keep.
stage1() {
	edu_bind "$EDU1"
	expect keep-refused EOPNOTSUPP "$(lu-write "$PCI/$EDU1/edu_keep" 1)"
	expect not-kept 0 "$(cat "$PCI/$EDU1/edu_keep")"
	expect state "none " "$(lu_part pci "$EDU1")"
	expect nothing-requested ENODATA "$(lu-write "$LUS/session" prepare)"
}
