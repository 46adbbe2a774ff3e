# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# Bad input on every control file, the sysfs ABI (lu-write, one write(2)
# each): empty, blank, oversized, binary, unknown command, wrong state,
# unprivileged (uid 65534), and writes to the read-only files: every file
# of a device's liveupdate directory refuses a write, root's too, since a
# device is requested only by its driver.  The way in is the driver's: the
# test stub driver requests EDU1, and the host bridge is refused by its
# bus (it cannot master the bus).  Each write fails with the documented
# errno, logs at most one kernel line and changes neither the session
# state, nor the devices listing, nor states.  The debugfs files are views:
# none takes a request.
TRIED=0
E1=$PCI/$EDU1/liveupdate SESSION=$LUS/session
DEVICE_FILES="state requested features needed_by reason"

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
	expect "good-${1##*/}-$(echo "$2" | tr ' ' -)" "ok $((${#2}))" "$(lu-write "$1" "$2")"
}

malformed() { # FILE: input no command accepts
	bad "ok 0" "$1"	# sysfs does not pass an empty write on
	bad EINVAL "$1" "   "
	bad EINVAL "$1" '\n'
	bad EINVAL "$1" '\t \n'
	bad E2BIG "$1" -n 64
	bad E2BIG "$1" -n 4095
	bad EINVAL "$1" -n 63
	bad EINVAL "$1" 'prepare \x01\x02\x7f'
	bad EINVAL "$1" 'prepare\\0'
	bad EINVAL "$1" '\xff\xfe\x80'
	bad EACCES "$1" -u 65534 "prepare"
}

readonly_files() { # sysfs refuses root a write to a read-only file, debugfs has no write op
	for r in $DEVICE_FILES; do
		bad EACCES "$E1/$r" "bus-master"
		bad EACCES "$E1/$r" -u 65534 "bus-master"
	done
	for r in "$LUS/broken" "$LUS/report/restored" "$LUS/report/pending"; do
		bad EACCES "$r" "prepare"
		bad EACCES "$r" -u 65534 "prepare"
	done
	for r in "$LU/devices" "$LU/report" "$LU/states"; do
		bad EINVAL "$r" "prepare"
		bad EACCES "$r" -u 65534 "prepare"
	done
	for f in request withdraw session; do
		expect "no-debugfs-$f" absent "$([ -e "$LU/$f" ] && echo present || echo absent)"
	done
}

stage1() {
	default_setup
	for d in $EDU1 $EDU3 $HOSTBRIDGE; do stub_bind pci "$d" || fail "bind-$d" "stub refused"; done
	# Idle: nothing requested, session normal.
	malformed "$SESSION"
	bad EINVAL "$STUB/request" "pci $HOSTBRIDGE bus-master"	# cannot master the bus
	bad EINVAL "$SESSION" bogus
	bad EINVAL "$SESSION" "prepare now"
	bad EINVAL "$SESSION" finish
	bad EINVAL "$SESSION" cancel
	bad ENODATA "$SESSION" prepare
	readonly_files
	# Prepared: the set is fixed.
	ok "$STUB/request" "pci $EDU1 bus-master"
	expect requested "requested bus-master" "$(lu_part pci "$EDU1")"
	ok "$SESSION" prepare
	bad EBUSY "$STUB/request" "pci $EDU3 bus-master"
	bad EBUSY "$STUB/request" "pci $EDU1 bus-master"
	bad EBUSY "$STUB/request" "pci $EDU1 none"
	bad EBUSY "$SESSION" prepare
	bad EINVAL "$SESSION" finish
	bad E2BIG "$SESSION" -n 4095
	bad EINVAL "$SESSION" '\0'
	bad EACCES "$SESSION" -u 65534 cancel
	readonly_files
	ok "$SESSION" cancel
	ok "$STUB/request" "pci $EDU1 none"
	expect state-normal normal "$(lu_state)"
	expect states-zero 0 "$(cat "$LU/states")"
	info "$TRIED bad writes"
}
