# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-log-count: 1 pci 0000:05:00.0: cannot bind liveupdate-test-stub: a member of the prepared liveupdate session, cancel it first
# While a session is prepared, no driver can bind one of its members: a
# driver that did not agree to keep it could not keep it running.  EDU3 is
# requested through the stub driver, so PB1, the conventional PCI bridge
# above it, which no driver drives, is a member.  Binding the stub to PB1
# (driver_override, then bind) fails with EBUSY and one line naming the
# device and the session; PB1 stays unbound and its command register
# unchanged.  Once the session is cancelled the same bind works.  On the
# base kernel there is no session to refuse for.
STUB_DRV=/sys/bus/pci/drivers/$STUB_DRIVER

stage1() {
	default_setup
	lu request-edu3 request pci "$EDU3"
	lu prepare session prepare
	lu_devices
	expect_member "$PB1"
	before=$(cmd_of "$PB1")
	echo $STUB_DRIVER >"$PCI/$PB1/driver_override"
	expect bind-member EBUSY "$(lu-write "$STUB_DRV/bind" "$PB1")"
	expect still-unbound "" "$(driver_of pci "$PB1")"
	expect register-unchanged "$before" "$(cmd_of "$PB1")"
	expect state-prepared "prepared 0" "$(lu_state) $(lu_broken)"
	lu cancel session cancel
	expect bind-after-cancel "ok 12" "$(lu-write "$STUB_DRV/bind" "$PB1")"
	expect bound $STUB_DRIVER "$(driver_of pci "$PB1")"
}
