# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# The live update that tools/demo shows: EDU1 is requested, the session is
# prepared and the kernel kexecs into itself with the handover words; stage 2
# finishes the session.  Without the framework (base kernel) it is a plain
# kexec.  It reports rather than checks: tools/demo formats the info lines.
stage1() {
	info "phase before"
	default_setup
	words=
	if [ -d "$LU" ]; then
		lu_prepare "$EDU1"
		words=$(lu_handover)
		info "handover: $words"
	else
		info "no $LU: plain kexec"
	fi
	kexec_stage2 $words
}

stage2() {
	info "phase after"
	show_devices $DEFAULT_DEVICES
	[ -d "$LU" ] || return 0
	info "session: $(lu_state)"
	lu_devices
	lu finish session finish
	info "session after finish: $(lu_state)"
}
