# SPDX-License-Identifier: GPL-2.0
# e2e-topology: default
# e2e-timeout: 200
# e2e-log-count: 1 ^\[ *[0-9.]+\] device liveupdate: 256 preserved ranges reserved, 256 of them memory here, [0-9]+ memblock reservations in all$
# e2e-log-count: 256 lu-ranges-[0-9]{3}: liveupdate stub: kept memory intact$
# e2e-log-count: 0 liveupdate stub: kept memory changed
# e2e-log-count: 1 device liveupdate: preserved memory: 256 ranges taken by drivers, 0 freed, 0 kept reserved
# The most preserved memory a session carries: 256 ranges
# (DEVICE_LIVEUPDATE_MEMORY_MAX), 32 stub devices with 8 pages each
# (DEVICE_LIVEUPDATE_MEMORY_RANGES), every page a range of its own filled
# with a pattern naming its device.  A 257th range is refused (ENOSPC).
# A file page written between two declarations keeps most ranges apart,
# so that the new kernel's memblock cannot merge them: reserving them all
# before its first allocation grows memblock.reserved past its 128 static
# regions (the boot line says how many reservations that makes).  The new
# kernel shows the 256 ranges in /proc/iomem, and the stub devices, made
# again, find all 256 patterns intact.
N=32 PAGES=8 RANGES=256
P=lu-ranges-

adjoining() { # how many ranges of the record start right after another
	for d in $(numbered $P $N); do lu_ranges "$d"; done |
		while IFS=- read -r a e; do echo $((0x$a)) $((0x$e)); done |
		sort -n | awk 'NR > 1 && $1 == e + 1 { n++ } { e = $2 } END { print n + 0 }'
}

stage1() {
	stub_many $P $N
	for d in $(numbered $P $N); do
		for i in $(numbered "" $PAGES); do
			echo "platform $d" >"$STUB/memory" || fail "memory-$d-$i" refused
			printf '%4096s' '' >"/tmp/gap-$d-$i"
		done
		echo "platform $d bus-master" >"$STUB/request" || fail "request-$d" refused
	done
	stub create-${P}extra create "${P}extra -"
	expect range-257 ENOSPC "$(lu-write "$STUB/memory" "platform ${P}extra")"
	lu prepare session prepare
	expect ranges $RANGES "$(lu_handover | tr -cd + | wc -c)"
	info "record of $(lu_handover_size) bytes; $(adjoining) of the ranges start where another ends"
	kexec_stage2
}

stage2() {
	expect state-incoming incoming "$(lu_state)"
	info "$(dmesg | grep -o 'device liveupdate: .* memblock reservations in all')"
	expect iomem $RANGES "$(lu_iomem | wc -l)"
	stub_many $P $N
	lu finish session finish
	expect iomem-after $RANGES "$(lu_iomem | wc -l)"
	lu_report
	expect restored $N "$(grep -c ' restored$' /tmp/report)"
}
