// SPDX-License-Identifier: GPL-2.0
/*
 * pci-cmd BDF [+BITS|-BITS]...
 *
 * Read, set (+) or clear (-) bits of the PCI command register of the device
 * BDF (e.g. 0000:01:00.0) through /sys/bus/pci/devices/BDF/config, then print
 * the register as 0x%04x.  BITS is a number (0x4) or a name: io, mem, master,
 * intx-disable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCI_COMMAND 0x04

static const struct { const char *name; uint16_t bits; } names[] = {
	{ "io", 0x1 }, { "mem", 0x2 }, { "master", 0x4 }, { "intx-disable", 0x400 },
};

static uint16_t parse_bits(const char *s)
{
	char *end;
	unsigned long v;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name))
			return names[i].bits;
	v = strtoul(s, &end, 0);
	if (*s == '\0' || *end != '\0' || v > 0xffff) {
		fprintf(stderr, "pci-cmd: bad bits '%s'\n", s);
		exit(2);
	}
	return v;
}

static void io_or_die(ssize_t n, const char *what, const char *path)
{
	if (n != 2) {
		fprintf(stderr, "pci-cmd: %s %s: %s\n", what, path,
			n < 0 ? strerror(errno) : "short transfer");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char path[256];
	uint16_t cmd, want;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: pci-cmd BDF [+BITS|-BITS]...\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", argv[1]);
	fd = open(path, argc > 2 ? O_RDWR : O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "pci-cmd: %s: %s\n", path, strerror(errno));
		return 1;
	}
	io_or_die(pread(fd, &cmd, 2, PCI_COMMAND), "read", path);
	want = cmd;
	for (int i = 2; i < argc; i++) {
		if (argv[i][0] == '+')
			want |= parse_bits(argv[i] + 1);
		else if (argv[i][0] == '-')
			want &= ~parse_bits(argv[i] + 1);
		else
			return fprintf(stderr, "pci-cmd: '%s': want +BITS or -BITS\n", argv[i]), 2;
	}
	if (want != cmd) {
		io_or_die(pwrite(fd, &want, 2, PCI_COMMAND), "write", path);
		io_or_die(pread(fd, &cmd, 2, PCI_COMMAND), "read", path);
	}
	printf("0x%04x\n", cmd);
	return 0;
}
