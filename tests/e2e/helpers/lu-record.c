// SPDX-License-Identifier: GPL-2.0
/*
 * lu-record ENTRY...
 *
 * Print a device liveupdate handover record (the value of
 * device_liveupdate.handover=) naming ENTRY... (BUS/LOCATION/MODEL/FEATURES),
 * with the right version, count and CRC-32, so that a test can hand the next
 * kernel a valid record that names devices of its choice.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t crc32(const char *p, size_t len)
{
	uint32_t crc = 0xffffffff;
	int bit;

	while (len--) {
		crc ^= (unsigned char)*p++;
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

int main(int argc, char **argv)
{
	char entries[1025] = "";
	size_t len = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s BUS/LOCATION/MODEL/FEATURES...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		int n = snprintf(entries + len, sizeof(entries) - len, "%s%s",
				 i > 1 ? "," : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(entries) - len) {
			fprintf(stderr, "%s: record too long\n", argv[0]);
			return 1;
		}
		len += n;
	}
	printf("1,%d,%08x,%s\n", argc - 1, crc32(entries, len), entries);
	return 0;
}
