# SPDX-License-Identifier: GPL-2.0
# e2e-topology: iommu default
# e2e-append: iommu=pt
# With an IOMMU present the kernel sets every port's ACS controls at
# enumeration, and a port's ARI Forwarding Enable from the device below it.
# Stage 1 gives the ports on two preserved paths values the kernel would not
# choose: ACS Control 0 on each port of EDU1's path that has ACS, and ARI
# Forwarding off on RP3, above the nvme PF, which is requested (bound to
# the stub driver, which agrees to keep it).  (iommu=pt
# puts the devices in identity domains, so that they can be requested.)  The
# new kernel adopts both instead of rewriting them, so that IOMMU groups and
# routing do not change under the running devices; on the base kernel they
# are rewritten.
ACS_ID=13		# PCI_EXT_CAP_ID_ACS; ACS Control at +6
PATH_PORTS="$RP1 $UP1 $DN1"

acs_ctrl() { o=$(ext_cap_offset "$1" $ACS_ID); [ -n "$o" ] && cfg_word "$1" $((o + 6)) || echo none; }
ari_fwd() { o=$(cap_offset "$1" 16); echo $((($(cfg_word "$1" $((o + 40))) >> 5) & 1)); }
show_registers() {
	for d in $PATH_PORTS $RP3; do info "$d acs-control=$(acs_ctrl "$d") ari-forwarding=$(ari_fwd "$d")"; done
}

stage1() {
	default_setup
	stub_pf
	show_registers
	want=
	for d in $PATH_PORTS; do
		o=$(ext_cap_offset "$d" $ACS_ID)
		[ -n "$o" ] && cfg_write_word "$d" $((o + 6)) 0
		want="$want$d=$(acs_ctrl "$d"),"
	done
	o=$(cap_offset "$RP3" 16)
	v=$(cfg_word "$RP3" $((o + 40)))
	cfg_write_word "$RP3" $((o + 40)) $((v & ~32))	# Device Control 2, ARI Forwarding
	show_registers
	lu_prepare "$EDU1" "$NVME"
	kexec_stage2 e2e_acs="$want" e2e_ari="$(ari_fwd "$RP3")"
}

stage2() {
	show_registers
	for kv in $(cmdline_word e2e_acs "" | tr , ' '); do
		expect "acs-control-${kv%=*}" "${kv#*=}" "$(acs_ctrl "${kv%=*}")"
	done
	expect ari-forwarding-$RP3 "$(cmdline_word e2e_ari "")" "$(ari_fwd "$RP3")"
	expect state-incoming incoming "$(lu_state)"
	lu finish session finish
}
