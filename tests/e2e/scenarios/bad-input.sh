# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# Bad input on every control file, the sysfs ABI (lu-write, one write(2)
# each): empty, blank, oversized, binary, unknown feature or command, a
# device that cannot be kept for bus mastering (the host bridge), a device
# whose driver does not consent (NVME, bound to nvme), wrong state,
# unprivileged (uid 65534), and writes to the read-only files.  Each write
# fails with the documented errno, logs at most one kernel line and changes
# neither the session state, nor the devices listing, nor states.  The
# debugfs files are views: none takes a request.
TRIED=0
E1=$PCI/$EDU1/liveupdate E3=$PCI/$EDU3/liveupdate SESSION=$LUS/session

# Kernel lines the framework may have written: its own, and the PCI core's
# and debugfs's (not the clocksource and other boot lines that can arrive
# at any moment).
klines() { dmesg | grep -c -e liveupdate -e debugfs -e '^\[[ .0-9]*\] pci '; }
snapshot() { echo "$(lu_state)|$(tr '\n' ';' <"$LU/devices")|$(cat "$LU/states")"; }
bad() { # WANT FILE [DATA | -n COUNT | -u UID DATA]: one bad write
	want=$1 f=$2; shift 2
	TRIED=$((TRIED + 1))
	before=$(snapshot) lines=$(klines)
	case $1 in -*) got=$(lu-write "$1" "$2" "$f" "$3") ;; *) got=$(lu-write "$f" "$@") ;; esac
	logged=$(($(klines) - lines))
	[ "$logged" -le 1 ] || got="$got logged-$logged-lines"
	[ "$before" = "$(snapshot)" ] || got="$got changed-state"
	expect "input-$TRIED-${f##*/}" "$want" "$got"
}
ok() { # FILE DATA: a good write
	expect "good-${1##*/}-$2" "ok $((${#2}))" "$(lu-write "$1" "$2")"
}

malformed() { # FILE: input no command accepts
	bad "ok 0" "$1"	# sysfs does not pass an empty write on
	bad EINVAL "$1" "   "
	bad EINVAL "$1" '\n'
	bad EINVAL "$1" '\t \n'
	bad E2BIG "$1" -n 64
	bad E2BIG "$1" -n 4095
	bad EINVAL "$1" -n 63
	bad EINVAL "$1" 'bus-master \x01\x02\x7f'
	bad EINVAL "$1" 'bus-master\\0'
	bad EINVAL "$1" '\xff\xfe\x80'
	bad EACCES "$1" -u 65534 "bus-master"
}

readonly_files() { # sysfs refuses root a write to a read-only file, debugfs has no write op
	bad EACCES "$LUS/report" "bus-master"
	for f in "$LU/devices" "$LU/report" "$LU/states"; do bad EINVAL "$f" "bus-master"; done
	for f in "$LUS/report" "$LU/devices" "$LU/report" "$LU/states"; do
		bad EACCES "$f" -u 65534 "bus-master"
	done
	for f in request withdraw session; do
		expect "no-debugfs-$f" absent "$([ -e "$LU/$f" ] && echo present || echo absent)"
	done
}

stage1() {
	default_setup
	# Idle: nothing requested, session normal.
	for f in "$E1" "$SESSION"; do malformed "$f"; done
	bad EINVAL "$E1" bogus
	bad EINVAL "$E1" "bus-master bogus"
	bad EINVAL "$E1" BUS-MASTER
	bad EINVAL "$E1" "none bus-master"
	bad EINVAL "$PCI/$HOSTBRIDGE/liveupdate" bus-master	# cannot master the bus
	bad EBUSY "$PCI/$NVME/liveupdate" bus-master		# nvme does not consent
	bad ENOENT "$E1" none
	bad EINVAL "$SESSION" bogus
	bad EINVAL "$SESSION" "prepare now"
	bad EINVAL "$SESSION" finish
	bad EINVAL "$SESSION" cancel
	bad ENODATA "$SESSION" prepare
	readonly_files
	# Prepared: the set is fixed.
	ok "$E1" bus-master
	ok "$SESSION" prepare
	bad EBUSY "$E3" bus-master
	bad EBUSY "$E1" bus-master
	bad EBUSY "$E1" none
	bad EBUSY "$SESSION" prepare
	bad EINVAL "$SESSION" finish
	bad E2BIG "$E1" -n 4095
	bad EINVAL "$SESSION" '\0'
	bad EACCES "$SESSION" -u 65534 cancel
	readonly_files
	ok "$SESSION" cancel
	ok "$E1" none
	expect state-normal normal "$(lu_state)"
	expect states-zero 0 "$(cat "$LU/states")"
	info "$TRIED bad writes"
}
