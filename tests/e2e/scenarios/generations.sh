# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-timeout: 400
# Five live updates in a row with the same set: each kernel (e2e_generation
# 2..6) finds EDU1, DN1, UP1 and RP1 with Bus Master Enable, the set incoming
# and reported restored, finishes, requests EDU1 again and hands it on.
KEPT="$EDU1 $DN1 $UP1 $RP1"
LAST=6
E2E_KEXEC_AGAIN=1

handover() { # prepare EDU1 and kexec into the next generation
	lu_prepare "$EDU1"
	expect set-size 4 "$(wc -l </tmp/devices)"
	expect_before "$RP1" "$UP1"
	expect_before "$DN1" "$EDU1"
	kexec_stage2
}

stage1() {
	default_setup
	handover
}

stage2() {
	info "generation $E2E_GENERATION of $LAST"
	expect accepted 1 "$(dmesg | grep -c 'handover record accepted: 4 devices to restore')"
	expect_handover "$KEPT" "$DEFAULT_DEVICES"
	expect states-after-finish 4 "$(grep -c restored /tmp/report)"
	[ "$E2E_GENERATION" -lt "$LAST" ] && handover
	expect generations 5 "$((E2E_GENERATION - 1))"
}
