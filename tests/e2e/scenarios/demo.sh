# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# The live update that tools/demo shows: EDU1 is requested, the session is
# prepared and the kernel kexecs into itself, the record in its image; stage 2
# finishes the session.  Without the framework (base kernel) it is a plain
# kexec.  It reports rather than checks: tools/demo formats the info lines.
stage1() {
	info "phase before"
	default_setup
	if [ -d "$LU" ]; then
		lu_prepare "$EDU1"
		info "handover: $(lu_handover | tr '\n' ' ')"
		# the blob itself, for dtc -I dtb -O dts on the host
		info "record dtb base64: $(base64 <"$LU/handover" | tr -d '\n')"
	else
		info "no $LU: plain kexec"
	fi
	kexec_stage2
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
