// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-load KERNEL INITRD CMDLINE   load KERNEL and INITRD with kexec_file_load(2)
 * kexec-load -o                      load one page of zeroes with kexec_load(2)
 * kexec-load -e                      reboot into the loaded kernel
 *
 * -e first writes the time-stamp counter to the kernel log, "kexec-load:
 * reboot(KEXEC) at tsc N", which the console prints before the reboot
 * starts: where tools/measure-blackout starts the clock.
 *
 * A static stand-in for kexec-tools' `kexec -s -l` and `kexec -e`.  The -o
 * image is only good for showing that a kexec through the old syscall is
 * refused: started, it would jump into the zeroes.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

static int open_or_die(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "kexec-load: %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "-e")) {
		int kmsg = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
		char line[64];
		int len = snprintf(line, sizeof(line),
				   "kexec-load: reboot(KEXEC) at tsc %llu\n",
				   (unsigned long long)__rdtsc());

		if (kmsg < 0 || write(kmsg, line, len) != len)
			fprintf(stderr, "kexec-load: /dev/kmsg: %s\n", strerror(errno));
		reboot(LINUX_REBOOT_CMD_KEXEC);
		fprintf(stderr, "kexec-load: reboot(KEXEC): %s\n", strerror(errno));
		return 1;
	}
	if (argc == 2 && !strcmp(argv[1], "-o")) {
		static char page[4096];
		struct kexec_segment segment = {
			.buf = page, .bufsz = sizeof(page),
			.mem = (void *)0x1000000, .memsz = sizeof(page),
		};

		if (syscall(SYS_kexec_load, 0x1000000UL, 1UL, &segment,
			    (unsigned long)KEXEC_ARCH_DEFAULT)) {
			fprintf(stderr, "kexec-load: kexec_load: %s\n", strerror(errno));
			return 1;
		}
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: kexec-load KERNEL INITRD CMDLINE | kexec-load -o | kexec-load -e\n");
		return 2;
	}
	if (syscall(SYS_kexec_file_load, open_or_die(argv[1]), open_or_die(argv[2]),
		    strlen(argv[3]) + 1, argv[3], 0UL)) {
		fprintf(stderr, "kexec-load: kexec_file_load: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
