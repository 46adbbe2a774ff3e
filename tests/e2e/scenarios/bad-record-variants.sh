# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-timeout: 360
# More bad handover records (bad-record has another format's compatible):
# truncated (the tree says it is longer than what was carried), the text
# record of the kernels before the record became a flattened device tree,
# two entries for one device, a features property of two bytes, and a
# preserved range that is not memory in the new kernel.  Kernels 2..6 each
# get one (kexec chain, e2e_generation): each kernel prepares EDU1 and
# replaces the record (test kernel debugfs) before the load; for the last,
# EDU1 (given to the stub) declares a page, and the record is the session's
# own, but the next kernel's command line (memmap=) makes that page
# reserved, not RAM.  It is rejected as a whole with exactly one line, the
# session is normal, nothing is listed and no device holds liveupdate
# state.  (A record naming memory the boot code never reserved panics the
# new kernel by design: it may have given that memory away already.)
E2E_KEXEC_AGAIN=1

variant() { # GENERATION: "WHY" of the record that kernel gets
	case $1 in
	2) echo "truncated" ;;
	3) echo "not a flattened device tree" ;;
	4) echo "two entries name one device" ;;
	5) echo "an entry has malformed features" ;;
	6) echo "preserved memory is not memory this kernel keeps" ;;
	esac
}

replace() { # GENERATION: replace the prepared record with that kernel's
	e=$(lu_entry "$EDU1")
	case $1 in
	2) lu_replace_record --totalsize 65536 "$e" ;;
	3) lu-write "$LU/handover" "1,1,00000000,$e" >/dev/null ||
		fail replace-record "text refused" ;;
	4) lu_replace_record "$e" "$e" ;;
	5) lu_replace_record --property 'features=[00 01]' "$e" ;;
	esac
}

next() { # kexec into the next generation with its bad record, if any
	g=$((E2E_GENERATION + 1))
	case $(variant $g) in
	"") return 0 ;;
	preserved*)
		stub_bind pci "$EDU1" || fail bind "$EDU1 not bound to $STUB_DRIVER"
		stub "memory-$EDU1" memory pci "$EDU1"
		lu_prepare "$EDU1"
		r=$(lu_ranges "$EDU1")
		info "record: $(lu_handover | tr '\n' ' ')"
		kexec_stage2 "memmap=$((0x${r#*-} - 0x${r%-*} + 1))\$0x${r%-*}" ;;
	*)
		lu_prepare "$EDU1"
		replace $g
		kexec_stage2 ;;
	esac
}

stage1() {
	default_setup
	next
}

stage2() {
	why=$(variant "$E2E_GENERATION")
	info "generation $E2E_GENERATION: want '$why'"
	expect "rejected-$E2E_GENERATION" 1 "$(dmesg | grep -c "device liveupdate: handover record rejected: $why; stopping bus mastering of every device\$")"
	expect "one-message-$E2E_GENERATION" 1 "$(dmesg | grep -c 'device liveupdate:.*rejected')"
	expect "state-normal-$E2E_GENERATION" normal "$(lu_state)"
	expect "no-members-$E2E_GENERATION" "" "$(cat "$LU/devices")"
	expect "states-zero-$E2E_GENERATION" 0 "$(cat "$LU/states")"
	expect "no-preserved-memory-$E2E_GENERATION" "" "$(lu_iomem)"
	next
	expect variants 5 "$((E2E_GENERATION - 1))"
}
