# SPDX-License-Identifier: GPL-2.0
# e2e-topology: iommu default
# e2e-log-count: 1 0000:03:00.0: liveupdate: cannot keep bus mastering across a kexec: an IOMMU translates its DMA
# With QEMU's intel-iommu every PCI device gets a DMA (translating) domain.
# The IOMMU's tables are not handed over and the kexec turns translation
# off, so the stub driver's request to keep EDU1 mastering fails with
# EOPNOTSUPP and one line naming the reason (the PCI bus's validate), and
# leaves nothing behind.
stage1() {
	groups=$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)
	info "iommu groups: $groups"
	[ "$groups" -gt 0 ] && pass iommu-on "$groups groups" || fail iommu-on "no IOMMU group"
	stub_bind pci "$EDU1" || fail bind "stub refused $EDU1"
	expect request-refused EOPNOTSUPP "$(lu-write "$STUB/request" "pci $EDU1 bus-master")"
	expect state-normal normal "$(lu_state)"
	expect states-zero 0 "$(cat "$LU/states")"
	expect prepare-nothing ENODATA "$(lu-write "$LUS/session" prepare)"
}
