# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-timeout: 200
# e2e-log-count: 2 liveupdate-edu 0000:03:00.0: liveupdate edu: DMA into the preserved page started$
# e2e-log-count: 2 liveupdate-edu 0000:03:00.0: liveupdate edu: the DMA during the kexec landed$
# e2e-log-count: 0 liveupdate edu: the DMA during the kexec missing
# e2e-log-count: 1 liveupdate-edu 0000:03:00.0: liveupdate edu: the page taken from the previous kernel is given back$
# Two live updates in a row of a device that keeps writing to memory: the
# edu sample keeps EDU1 (edu_keep) in kernel 1; kernel 2 finds the DMA
# started at freeze landed in the page it takes back and finishes.  Asked
# to keep EDU1 again, the sample declares that same page for the next
# update (prepared, the record names it; then cancelled); asked to stop, it
# gives the page back (one line; /proc/iomem no longer shows it); asked
# again, it allocates a fresh page (the page allocator may well hand back
# the one just given back), and kernel 2 hands EDU1 over.  Kernel 3 finds
# the second DMA landed in the page the record named.
E2E_KEXEC_AGAIN=1

keep() { # kernel 1 and 2: keep EDU1, prepare and kexec into the next kernel
	lu "keep-$E2E_GENERATION" request pci "$EDU1"
	lu prepare session prepare
	info "record: $(lu_handover | tr '\n' ' ')"
	kexec_stage2 "e2e_range=$(lu_ranges "$EDU1")"
}

stage1() {
	edu_bind "$EDU1"
	keep
}

stage2() {
	info "kernel $E2E_GENERATION"
	expect "state-incoming-$E2E_GENERATION" incoming "$(lu_state)"
	edu_bind "$EDU1"
	expect "landed-$E2E_GENERATION" landed "$(edu_transfer "$EDU1")"
	page=$(cmdline_word e2e_range none)
	expect "iomem-$E2E_GENERATION" "$page" "$(lu_iomem)"
	lu finish session finish
	lu_report
	expect_report "$EDU1" restored
	expect "taken-$E2E_GENERATION" "$page" "$(lu_iomem)"
	[ "$E2E_GENERATION" -eq 2 ] || return 0
	lu keep-taken request pci "$EDU1"
	lu prepare-taken session prepare
	expect declared-again "$page" "$(lu_ranges "$EDU1")"
	lu cancel session cancel
	lu give-back withdraw pci "$EDU1"
	expect given-back "" "$(lu_iomem)"
	keep
}
