# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-topology: default buses pxb
# The whole config space (4 KiB, 256 bytes for conventional PCI) of every
# member of the set, devices and bridges, changes across the live update
# only as the table below allows.
# Stage 1 dumps it right after prepare and carries the dumps, with each
# member's driver, to stage 2 in the next initrd.  Stage 2 compares them,
# dword by dword, with the new kernel's record of the config space as it
# found it (what the kexec changed: freeze and shutdown), then that record
# with the live config space after finish (what the new kernel wrote).
# Every differing dword is printed with its register, named by walking
# the capability lists; one the table does not allow fails.  Default
# topology: EDU1, EDU3 (conventional PCI) and the nvme PF, with two VFs
# enabled, given to the stub, requested; in the new kernel nvme's probe of
# the kept PF is deferred until finish, and the stub takes it over.
# Stage 2 asks for every setting the policy keeps: pci=pcie_bus_perf (MPS
# and MRRS on every device) and forced ASPM with the powersave policy
# (QEMU's devices leave nothing for either to change, so the table's
# "kept" entries show here only as the absence of a difference); and a
# function reset through sysfs of EDU1 is refused until finish (EBUSY).
# Bus-numbers' topology: its four devices, stage 2 with
# pci=assign-busses,hpbussize=0x10.  The table is checked against the
# writers: each entry names the code that makes the difference.
DUMPS=$CARRY/config

# STEP DRIVER REGISTER MASK REASON: a difference is allowed if only bits of
# MASK changed, in a register named REGISTER (see REGISTERS) of a device
# DRIVER drives ("-": any, or none).  STEP is kexec (as dumped -> as found;
# DRIVER the old kernel's) or new (as found -> after finish; the new
# kernel's), "-" for both.
ALLOW="
- - Command/Status 0xf9080000 Status: Interrupt Status and the error bits (RW1C) are events the device records, not settings
- - IOBase/IOLimit/SecStatus 0xf9000000 Secondary Status: error bits (RW1C) the bridge records
kexec - MSI:Ctl 0x00010000 MSI Enable: freeze turns every member's MSI off, by design
kexec - MSI-X:Ctl 0x80000000 MSI-X Enable: freeze turns every member's MSI-X off, by design (a port: pci_msix_shutdown() as pcieport frees its vectors)
kexec - Command/Status 0x00000400 Interrupt Disable set by freeze on every member whose INTx was enabled (pcieport's freeze enables it on a port as it frees its services' vectors): no kept device asserts INTx before its driver binds
kexec pcieport AER:RootCmd 0x00000007 the AER service removed at freeze: aer_disable_irq(), the port's own error interrupts
kexec pcieport PCIe:SltCtl/SltSta 0x0000103f pciehp removed at freeze: pcie_disable_notification(), the port's own hotplug interrupts
new pcieport MSI-X:Ctl 0x80000000 MSI-X Enable: the vectors of pcieport's services (msix_capability_init())
new pcieport AER:RootCmd 0x00000007 the AER service: aer_enable_irq(), the port's own error interrupts
new pcieport PCIe:SltCtl/SltSta 0x0000103b pciehp: pcie_enable_notification(), the port's own hotplug interrupts
new - SR-IOV:Ctl/Sta 0x00000009 VF Enable and VF MSE of a kept PF cleared by sriov_init(): VFs are not kept, and were stopped at the kexec
new - SR-IOV:NumVFs/FDL 0x0000ffff NumVFs of a kept PF reset by sriov_init() (compute_max_vf_buses()): VFs are not kept
"

# The registers: per header type (H0, H1) and capability (Cxx, Eyyyy
# extended) a prefix and the names of its dwords from offset 0.  The
# capabilities are found by walking both lists of the config space as found.
REGISTERS='
H0 - ID Command/Status Class/Revision BIST/Header/Latency/CacheLine BAR0 BAR1 BAR2 BAR3 BAR4 BAR5 CardbusCIS Subsystem ROM CapPointer Reserved IntLine/IntPin/MinGnt/MaxLat
H1 - ID Command/Status Class/Revision BIST/Header/Latency/CacheLine BAR0 BAR1 BusNumbers IOBase/IOLimit/SecStatus MemBase/MemLimit PrefBase/PrefLimit PrefBaseUpper PrefLimitUpper IOUpper CapPointer ROM IntLine/IntPin/BridgeCtl
C01 PM Cap Ctl/Sta
C05 MSI Ctl
C0d SSVID Cap Subsystem
C10 PCIe Cap DevCap DevCtl/DevSta LnkCap LnkCtl/LnkSta SltCap SltCtl/SltSta RootCtl/RootCap RootSta DevCap2 DevCtl2/DevSta2 LnkCap2 LnkCtl2/LnkSta2 SltCap2 SltCtl2/SltSta2
C11 MSI-X Ctl Table PBA
E0001 AER Header UESta UEMask UESeverity CESta CEMask Cap/Ctl HeaderLog0 HeaderLog1 HeaderLog2 HeaderLog3 RootCmd RootSta ErrSrcID
E0003 DSN Header Lower Upper
E000d ACS Header Cap/Ctl
E000e ARI Header Cap/Ctl
E0010 SR-IOV Header Cap Ctl/Sta InitialVFs/TotalVFs NumVFs/FDL VFOffset/VFStride VFDeviceID PageSizes SystemPageSize VFBAR0 VFBAR1 VFBAR2 VFBAR3 VFBAR4 VFBAR5 Migration
E0019 SecPCIe Header LnkCtl3 LaneErrSta
E001d DPC Header Cap/Ctl Sta/SrcID
'

stage1() {
	case " $E2E_TOPOLOGIES " in
	*" buses "*)
		requested="$(topo_bdf s3d/0) $(topo_bdf cb/1) $(topo_bdf rp6/0.1) $EDU4"
		for d in $requested; do echo 1 >"$PCI/$d/enable"; done
		words=pci=assign-busses,hpbussize=0x10 ;;
	*)
		default_setup
		stub_pf
		requested="$EDU1 $EDU3 $NVME"
		words="pci=pcie_bus_perf pcie_aspm=force pcie_aspm.policy=powersave" ;;
	esac
	lu_prepare $requested
	mkdir -p $DUMPS
	for d in $(awk '$1 == "pci" { print $2 }' /tmp/devices); do
		cat "$PCI/$d/config" >"$DUMPS/$d"
		echo "$d $(driver_of pci "$d" || echo -)" >>$CARRY/drivers
	done
	info "dumped: $(ls $DUMPS | tr '\n' ' ')"
	log_shutdown
	kexec_stage2 $words
}

dwords() { od -An -tu4 -v -w4 "$1" 2>/dev/null; } # FILE: one dword a line, decimal
vf_bars() { od -An -tx4 -v -j$(($2 + 0x24)) -N24 "$1" 2>/dev/null | xargs; } # FILE SRIOV_CAP

# OLD_DRIVER NEW_DRIVER AS_DUMPED AS_FOUND AFTER: for each dword that
# differs, where both sides could be read, a line "STEP OFFSET REGISTER
# OLD NEW allowed REASONS" or "STEP OFFSET REGISTER OLD NEW forbidden BITS".
compare() {
	{ dwords "$3"; echo '='; dwords "$4"; echo '='; dwords "$5"; echo '='
	  echo "$REGISTERS"; echo '='; echo "$ALLOW"; } |
	awk -v drv0="$1" -v drv1="$2" '
	function hex(v) { return sprintf("%04x%04x", int(v / 65536), v % 65536) }
	function byte(o) { return and(rshift(c[1, int(o / 4)], (o % 4) * 8), 255) }
	function name(k, o) {	# the dword at offset o of capability k
		if (!(k in pre)) return sprintf("%s+0x%02x", k, o)
		if ((k, o) in reg) return (pre[k] == "-" ? "" : pre[k] ":") reg[k, o]
		return sprintf("%s+0x%02x", pre[k], o)
	}
	function msi(p,   ctl, d) {	# MSI: the layout follows its control
		ctl = rshift(c[1, p / 4], 16)
		d = and(ctl, 0x80) ? 4 : 0
		at[p + 4] = "MSI:Address"
		if (d) at[p + 8] = "MSI:UpperAddress"
		at[p + 8 + d] = "MSI:Data"
		if (and(ctl, 0x100)) { at[p + 12 + d] = "MSI:Mask"; at[p + 16 + d] = "MSI:Pending" }
	}
	function walk(   p, i, h, o, s) {	# name every dword, in at[]
		s = and(rshift(c[1, 3], 16), 0x7f) ? "H1" : "H0"
		for (o = 0; o < 64; o += 4) at[o] = name(s, o)
		if (and(c[1, 1], 0x100000))	# Status: Capabilities List
			for (p = and(byte(0x34), 0xfc); p >= 0x40 && i++ < 48; p = and(byte(p + 1), 0xfc))
				cap[p] = sprintf("C%02x", byte(p))
		for (p = 256; p >= 256 && i++ < 112; p = and(rshift(h, 20), 0xffc)) {
			h = c[1, p / 4]
			if (h == 0 || h == 4294967295) break
			cap[p] = sprintf("E%04x", and(h, 0xffff))
		}
		s = ""
		for (o = 64; o < 4096; o += 4) {	# in the capability last started
			if (o == 256) s = ""
			if (o in cap) s = o
			if (s != "") at[o] = name(cap[s], o - s)
		}
		for (p in cap) if (cap[p] == "C05") msi(p + 0)
	}
	function check(step, drv, a, b,   i, j, m, x, r, ok, why) {
		m = n[a] < n[b] ? n[a] : n[b]
		for (i = 0; i < m; i++) {
			if (c[a, i] == c[b, i]) continue
			r = (i * 4) in at ? at[i * 4] : "unknown"
			x = xor(c[a, i], c[b, i])
			ok = 0; why = ""
			for (j = 0; j < na; j++)
				if ((as[j] == "-" || as[j] == step) && (ad[j] == "-" || ad[j] == drv) &&
				    ar[j] == r && and(x, am[j])) {
					ok = or(ok, am[j]); why = why (why == "" ? "" : "; ") aw[j]
				}
			printf "%s 0x%03x %s %s %s ", step, i * 4, r, hex(c[a, i]), hex(c[b, i])
			if (and(x, xor(ok, 4294967295)))
				print "forbidden " hex(and(x, xor(ok, 4294967295)))
			else
				print "allowed " why
		}
	}
	BEGIN { f = 0; na = 0 }
	$0 == "=" { f++; next }
	f < 3 { c[f, n[f]++] = $1; next }
	f == 3 && NF > 1 { pre[$1] = $2; for (i = 3; i <= NF; i++) reg[$1, (i - 3) * 4] = $i; next }
	f == 4 && NF > 4 {
		as[na] = $1; ad[na] = $2; ar[na] = $3; am[na] = $4 + 0
		aw[na] = $0; sub(/^([^ ]+ ){4}/, "", aw[na]); na++
	}
	END { walk(); check("kexec", drv0, 0, 1); check("new", drv1, 1, 2) }'
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	members=$(ls $DUMPS 2>/dev/null)
	[ -n "$members" ] || fail dumps "stage 1 carried no config space"
	mkdir -p /tmp/found /tmp/after
	for d in $members; do
		cp "$FOUND/$d" "/tmp/found/$d" 2>/dev/null ||
			{ fail "found-$d" "no $FOUND/$d"; : >"/tmp/found/$d"; }
	done
	case " $E2E_TOPOLOGIES " in
	*" buses "*) ;;
	*)
		expect nvme-deferred 1 "$(dmesg | grep -c "$NVME: nvme cannot take over a device the previous kernel kept")"
		expect reset-refused EBUSY "$(lu-write "$PCI/$EDU1/reset" 1)" ;;
	esac
	take_over $members
	lu finish session finish
	for d in $members; do
		cat "$PCI/$d/config" >"/tmp/after/$d" 2>/dev/null || fail "after-$d" "$d is gone"
	done
	# The PF's VF BARs (SR-IOV capability, 0x24 to 0x38): VFs are refused,
	# but what the PF tells them is kept (compare() allows no change).
	p=$(ext_cap_offset "$NVME" 16)
	if [ -n "$p" ] && [ -f "$DUMPS/$NVME" ]; then
		info "VF BARs of $NVME: dumped $(vf_bars "$DUMPS/$NVME" "$p"), found $(vf_bars "/tmp/found/$NVME" "$p"), after finish $(vf_bars "/tmp/after/$NVME" "$p")"
		expect vf-bars "$(vf_bars "$DUMPS/$NVME" "$p")" "$(vf_bars "/tmp/after/$NVME" "$p")"
	fi
	for d in $members; do
		old=$(awk -v d="$d" '$1 == d { print $2 }' $CARRY/drivers)
		new=$(driver_of pci "$d" || echo -)
		info "$d ($old, then $new): $(wc -c <"$DUMPS/$d") bytes dumped, $(wc -c <"/tmp/found/$d") found, $(wc -c <"/tmp/after/$d") after finish"
		compare "$old" "$new" "$DUMPS/$d" "/tmp/found/$d" "/tmp/after/$d" >/tmp/diff
		while read -r step off reg was now verdict why; do
			if [ "$verdict" = allowed ]; then
				info "differs: $step $d $off $reg $was -> $now allowed: $why"
			else
				fail "config-$step-$d-$off" "$reg $was -> $now (bits $why, driver $([ $step = kexec ] && echo "$old" || echo "$new"))"
			fi
		done </tmp/diff
		grep -q forbidden /tmp/diff ||
			pass "config-$d" "$(grep -c . /tmp/diff) differences, none forbidden"
	done
}
