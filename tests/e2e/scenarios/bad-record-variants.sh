# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-timeout: 300
# More bad handover records (bad-record has the checksum): truncated, another
# version, two entries for one device, longer than 1024 characters.  Kernels
# 2..5 each get one (kexec chain, e2e_generation): it is rejected as a whole
# with exactly one line, the session is normal, nothing is listed and no
# device holds liveupdate state.
ENTRY=pci/$EDU1/1234:11e8/1
E2E_KEXEC_AGAIN=1

variant() { # GENERATION: "WHY RECORD" of the record that kernel gets
	case $1 in
	2) echo "truncated 1,1" ;;
	3) echo "unsupported version 2$(lu-record "$ENTRY" | cut -c2-)" ;;
	4) echo "two entries name one device $(lu-record "$ENTRY" "$ENTRY")" ;;
	5) echo "too long 1,1,00000000,$ENTRY$(printf ',x%.0s' $(seq 520))" ;;
	esac
}

next() { # kexec into the next generation with its bad record, if any
	v=$(variant $((E2E_GENERATION + 1)))
	[ -n "$v" ] || return 0
	kexec_stage2 "device_liveupdate.handover=${v##* }"
}

stage1() {
	default_setup
	next
}

stage2() {
	v=$(variant "$E2E_GENERATION") why=${v% *}
	info "generation $E2E_GENERATION: record of ${#v} characters, want '$why'"
	expect "rejected-$E2E_GENERATION" 1 "$(dmesg | grep -c "device liveupdate: handover record rejected: $why; stopping bus mastering of every device\$")"
	expect "one-message-$E2E_GENERATION" 1 "$(dmesg | grep -c 'device liveupdate:.*rejected')"
	expect "state-normal-$E2E_GENERATION" normal "$(lu_state)"
	expect "no-members-$E2E_GENERATION" "" "$(cat "$LU/devices")"
	expect "states-zero-$E2E_GENERATION" 0 "$(cat "$LU/states")"
	next
	expect variants 4 "$((E2E_GENERATION - 1))"
}
