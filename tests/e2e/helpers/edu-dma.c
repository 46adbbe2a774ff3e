// SPDX-License-Identifier: GPL-2.0
/*
 * edu-dma BDF PHYS      start, from userspace, the transfer the liveupdate
 *                       edu sample starts at freeze: load a pattern from
 *                       PHYS into the edu device's buffer, wait for it,
 *                       then have the device write it to PHYS + 4096
 *                       about 100 ms later, and return at once
 * edu-dma -c PHYS       print what is at PHYS + 4096: "landed: TEXT" if
 *                       the pattern is there, else "missing: TEXT"
 *
 * PHYS is memory kept out of the kernel (memmap=), reached through
 * /dev/mem; the device's registers through its sysfs resource0.  This is
 * how the dma-continuity scenario shows, on a kernel without device
 * liveupdate, what a plain kexec does to a transfer under way.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SIZE	2048	/* QEMU before 8.0 refuses all 4096 bytes of edu's buffer */
#define DMA_SOURCE	(0x80 / 8)
#define DMA_DESTINATION	(0x88 / 8)
#define DMA_COUNT	(0x90 / 8)
#define DMA_COMMAND	(0x98 / 8)
#define DMA_RUN		1
#define DMA_TO_RAM	2
#define EDU_BUFFER	0x40000

static void *map(const char *path, off_t offset, size_t size)
{
	int fd = open(path, O_RDWR | O_SYNC);
	void *p;

	if (fd < 0) {
		perror(path);
		exit(1);
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	if (p == MAP_FAILED) {
		perror(path);
		exit(1);
	}
	close(fd);
	return p;
}

static void pattern(char *buffer)
{
	for (int i = 0; i < SIZE; i++)
		buffer[i] = "edu wrote this across the kexec\n"[i % 32];
}

static void dma(volatile uint64_t *regs, uint64_t source, uint64_t destination,
		uint64_t command)
{
	regs[DMA_SOURCE] = source;
	regs[DMA_DESTINATION] = destination;
	regs[DMA_COUNT] = SIZE;
	regs[DMA_COMMAND] = command | DMA_RUN;
}

int main(int argc, char **argv)
{
	char resource[128], expected[SIZE];
	volatile uint64_t *regs;
	char *ram;
	off_t phys;

	if (argc != 3) {
		fprintf(stderr, "usage: edu-dma BDF PHYS | edu-dma -c PHYS\n");
		return 2;
	}
	phys = strtoull(argv[2], NULL, 0);
	ram = map("/dev/mem", phys, 2 * SIZE);
	pattern(expected);
	if (!strcmp(argv[1], "-c")) {
		int landed = !memcmp(ram + SIZE, expected, SIZE);

		printf("%s: %.31s\n", landed ? "landed" : "missing",
		       ram[SIZE] ? ram + SIZE : "(zeroes)");
		return !landed;
	}
	snprintf(resource, sizeof(resource), "/sys/bus/pci/devices/%s/resource0", argv[1]);
	regs = map(resource, 0, SIZE);
	memcpy(ram, expected, SIZE);
	memset(ram + SIZE, 0, SIZE);
	dma(regs, phys, EDU_BUFFER, 0);
	for (int waited = 0; regs[DMA_COMMAND] & DMA_RUN; waited += 10) {
		if (waited > 2000) {
			fprintf(stderr, "edu-dma: the device did not run the load\n");
			return 1;
		}
		usleep(10000);
	}
	dma(regs, EDU_BUFFER, phys + SIZE, DMA_TO_RAM);
	return 0;
}
