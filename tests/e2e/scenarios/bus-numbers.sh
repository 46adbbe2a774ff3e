# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default buses pxb
# Bus numbers are kept on every path to a preserved device, whatever the
# topology, when stage 2 renumbers all buses (pci=assign-busses,
# hpbussize=0x10: Linux reserves 16 buses below each hotplug port, which
# SeaBIOS does not).  Requested: an edu three switches deep, one of two
# edu devices behind a conventional PCI bridge, one function of a
# multifunction edu device, and an edu below a second host bridge.  The set
# holds every bridge above them and neither the other device behind the
# conventional bridge nor the other function; after the kexec each kept
# bridge has the secondary and subordinate numbers it had, and each
# requested device is back at its address, incoming and restored.  A
# bridge hot-added meanwhile (removed, then found again by a rescan) still
# gets bus numbers.
info "topology: $(ls $PCI | tr '\n' ' ')"
DEEP=$(topo_bdf s3d/0) CONV=$(topo_bdf cb/1) CONV_OTHER=$(topo_bdf cb/2)
MF1=$(topo_bdf rp6/0.1) MF0=$(topo_bdf rp6/0.0)
REQUESTED="$DEEP $CONV $MF1 $EDU4"
BRIDGES=$(for b in rp4 s1u s1d s2u s2d s3u s3d rp5 pb2 cb rp6 prp1; do topo_bdf $b; done)

stage1() {
	for d in $REQUESTED $CONV_OTHER $MF0; do echo 1 >"$PCI/$d/enable"; done
	lu_prepare $REQUESTED
	expect_member $REQUESTED $BRIDGES
	expect_absent $CONV_OTHER $MF0
	ranges=
	for b in $BRIDGES; do ranges="$ranges$b=$(bus_range "$b"),"; done
	info "bus ranges: $ranges"
	kexec_stage2 pci=assign-busses,hpbussize=0x10 e2e_ranges="$ranges"
}

stage2() {
	for kv in $(cmdline_word e2e_ranges "" | tr , ' '); do
		expect "bus-range-${kv%=*}" "${kv#*=}" "$(bus_range "${kv%=*}")"
	done
	expect state-incoming incoming "$(lu_state)"
	# A bridge hot-added during the incoming session still gets numbers:
	# remove the pcie-pci-bridge below RP2 (not kept), rescan.
	pb=$(bridge_below "$RP2")
	echo 1 >"$PCI/$pb/remove"
	echo 1 >/sys/bus/pci/rescan
	pb=$(bridge_below "$RP2")
	info "hot-added $pb: buses $(bus_range "$pb")"
	case $(bus_range "$pb") in
	0-0|-) fail hot-added-bridge "$pb has no bus numbers" ;;
	*) pass hot-added-bridge "$pb $(bus_range "$pb")" ;;
	esac
	lu finish session finish
	lu_report
	for d in $REQUESTED; do expect_report "$d" restored; done
}
