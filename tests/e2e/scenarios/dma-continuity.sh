# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-append: memmap=64K$0x7000000
# e2e-log-count: 1 liveupdate-edu 0000:03:00.0: liveupdate edu: DMA into the preserved page started
# e2e-log-count: 1 liveupdate-edu 0000:03:00.0: liveupdate edu: the DMA during the kexec landed
# A device really writes to memory across the kexec.  The liveupdate edu
# sample (samples/liveupdate/) is bound to EDU1 and asked to keep it
# through its edu_keep file: the driver loads a pattern into the device and declares a
# zeroed page preserved.  At freeze, the last step before the kexec, it has
# the device write the pattern into that page, about 100 ms later, while
# the kexec runs.  In the new kernel the driver, bound again, takes EDU1
# back without resetting it and finds the pattern in the page, which
# /proc/iomem shows preserved.
#
# On a kernel without device liveupdate the same transfer is started from
# userspace (tests/e2e/helpers/edu-dma.c) right before a plain kexec, into
# memory memmap= keeps out of both kernels: it does not land, because the
# kexec clears Bus Master Enable on EDU1 and the bridges above it.
RESERVED=0x7000000

stage1() {
	if [ -d "$EDU_DRIVER" ]; then
		edu_bind "$EDU1"
		lu request-edu request pci "$EDU1"
		lu prepare session prepare
		lu_devices
		info "record: $(lu_handover | tr '\n' ' ')"
		show_devices "$EDU1" "$DN1" "$UP1" "$RP1"
		kexec_stage2	# the driver starts the transfer at freeze
	fi
	info "no liveupdate-edu driver: the transfer starts from userspace, then a plain kexec"
	echo 1 >"$PCI/$EDU1/enable"
	pci-cmd "$EDU1" +master >/dev/null
	show_devices "$EDU1" "$DN1" "$UP1" "$RP1"
	kexec_load_stage2 || fail load "kexec_file_load failed"
	edu-dma "$EDU1" "$RESERVED" || fail start "edu-dma could not start the transfer"
	kexec-load -e
	fail kexec "could not kexec"
}

stage2() {
	show_devices "$EDU1" "$DN1" "$UP1" "$RP1"
	if [ -d "$EDU_DRIVER" ]; then
		expect state-incoming incoming "$(lu_state)"
		show_iomem
		edu_bind "$EDU1"
		got=$(edu_transfer "$EDU1")
		lu finish session finish
		lu_report
		expect_report "$EDU1" restored
	else
		got=$(edu-dma -c "$RESERVED")
	fi
	info "what the device wrote during the kexec: $got"
	expect landed landed "${got%%:*}"
}
