# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# Bad input on every debugfs entry point (lu-write, one write(2) each):
# empty, blank, oversized, binary, unknown device or bus, a device that
# cannot be kept for bus mastering (the host bridge), wrong state,
# unprivileged (uid 65534), and writes to the read-only files.  Each write
# fails with the documented errno, logs at most one kernel line and changes
# neither the session state, nor the devices listing, nor states.
TRIED=0

# Kernel lines the framework may have written: its own, and the PCI core's
# and debugfs's (not the clocksource and other boot lines that can arrive
# at any moment).
klines() { dmesg | grep -c -e liveupdate -e debugfs -e '^\[[ .0-9]*\] pci '; }
snapshot() { echo "$(lu_state)|$(tr '\n' ';' <"$LU/devices")|$(cat "$LU/states")"; }
bad() { # WANT FILE [DATA | -n COUNT | -u UID DATA]: one bad write
	want=$1 f=$2; shift 2
	TRIED=$((TRIED + 1))
	before=$(snapshot) lines=$(klines)
	case $1 in -*) got=$(lu-write "$1" "$2" "$LU/$f" "$3") ;; *) got=$(lu-write "$LU/$f" "$@") ;; esac
	logged=$(($(klines) - lines))
	[ "$logged" -le 1 ] || got="$got logged-$logged-lines"
	[ "$before" = "$(snapshot)" ] || got="$got changed-state"
	expect "input-$TRIED-$f" "$want" "$got"
}
ok() { # FILE DATA: a good write
	expect "good-$1-$2" "ok $((${#2}))" "$(lu-write "$LU/$1" "$2")"
}

malformed() { # FILE: input no command accepts
	bad EINVAL "$1"
	bad EINVAL "$1" "   "
	bad EINVAL "$1" '\n'
	bad EINVAL "$1" '\t \n'
	bad E2BIG "$1" -n 129
	bad E2BIG "$1" -n 4096
	bad EINVAL "$1" -n 128
	bad EINVAL "$1" 'pci \x01\x02\x7f'
	bad EINVAL "$1" "pci $EDU1\\0"
	bad EINVAL "$1" '\xff\xfe\x80'
	bad EACCES "$1" -u 65534 "pci $EDU1"
}

unknown() { # FILE: devices and buses that cannot be found
	bad EINVAL "$1" pci
	bad ENODEV "$1" "pci 0000:99:00.0"
	bad ENODEV "$1" "pci nonsense"
	bad ENODEV "$1" "platform $EDU1"
	bad ENODEV "$1" "usb x"
	bad ENODEV "$1" "nosuchbus x"
	bad EINVAL "$1" "pci $EDU1 nosuchfeature"
}

readonly_files() {
	for f in devices handover report states; do
		bad EINVAL $f "pci $EDU1"
		bad EACCES $f -u 65534 "pci $EDU1"
	done
}

stage1() {
	default_setup
	# Idle: nothing requested, session normal.
	for f in request withdraw session; do malformed $f; done
	unknown request
	unknown withdraw
	bad EINVAL request "pci $HOSTBRIDGE"	# cannot master the bus
	bad ENOENT withdraw "pci $EDU1"
	bad EINVAL withdraw "pci $EDU1 bus-master"
	bad EINVAL session bogus
	bad EINVAL session "prepare now"
	bad EINVAL session finish
	bad EINVAL session cancel
	bad ENODATA session prepare
	readonly_files
	# Prepared: the set is frozen.
	ok request "pci $EDU1"
	ok session prepare
	bad EBUSY request "pci $EDU3"
	bad EBUSY request "pci $EDU1"
	bad EBUSY withdraw "pci $EDU1"
	bad EBUSY session prepare
	bad EINVAL session finish
	bad E2BIG request -n 4096
	bad EINVAL session '\0'
	bad EACCES session -u 65534 cancel
	readonly_files
	ok session cancel
	ok withdraw "pci $EDU1"
	expect state-normal normal "$(lu_state)"
	expect no-devices "" "$(cat "$LU/devices")"
	expect states-zero 0 "$(cat "$LU/states")"
	info "inputs tried $TRIED"
}
