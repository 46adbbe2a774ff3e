# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 2 liveupdate-edu 0000:06:01.0: liveupdate edu: DMA into the preserved page started$
# e2e-log-count: 1 liveupdate-edu 0000:06:01.0: liveupdate edu: the DMA during the kexec missing$
# e2e-log-count: 0 liveupdate edu: the DMA during the kexec landed
# The edu sample's verdict is about the kexec that happened, not one that
# was refused.  The sample keeps EDU3 (edu_keep), the stub driver EDU1,
# and the stub refuses EDU1's freeze: EDU3 is frozen first (its DMA into
# the preserved page starts), then unfrozen when the kexec is refused; the
# sample waits for that transfer and zeroes the page again.  The refusal
# withdrawn, Bus Master Enable is cleared on EDU3 from userspace, so that
# the transfer started at the next freeze cannot land, and the kexec goes
# ahead: the new kernel must find the page empty ("missing"), where the
# pattern the refused kexec's transfer wrote would read "landed".
stage1() {
	default_setup
	edu_bind "$EDU3"
	lu keep request pci "$EDU3"
	lu request-edu1 request pci "$EDU1"
	echo "pci $EDU1 freeze" >"$STUB/refuse" || fail refuse "the stub took no refusal"
	lu prepare session prepare
	kexec_load_stage2 || fail load "kexec_file_load failed"
	expect kexec-refused "kexec-load: reboot(KEXEC): Operation not permitted" "$(kexec-load -e 2>&1)"
	expect state-prepared "prepared 0" "$(lu_state) $(lu_broken)"
	echo "pci $EDU1 none" >"$STUB/refuse" || fail refuse-none "the stub kept its refusal"
	pci-cmd "$EDU3" -master >/dev/null
	kexec_stage2
}

stage2() {
	edu_bind "$EDU3"
	expect stale-not-landed missing "$(edu_transfer "$EDU3")"
}
