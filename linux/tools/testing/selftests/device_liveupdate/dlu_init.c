// SPDX-License-Identifier: GPL-2.0
/*
 * The /init of the guest that vmtest.sh boots: one device liveupdate of
 * QEMU's edu device, in two stages, one per kernel.  The stage is the
 * dlu_stage= word of the kernel command line (1 if there is none).
 *
 * Stage 1, the first kernel: bind the liveupdate edu sample
 * (samples/liveupdate/) to the edu device, ask it to keep the device (its
 * edu_keep file), prepare the session, load this same kernel with
 * kexec_file_load(2), with the stage 2 initramfs and this command line
 * with dlu_stage=2, and kexec into it.  The sample has the device write a
 * pattern into a preserved page at freeze, while the kexec runs.
 *
 * Stage 2, the kernel the kexec started: the session and the device are
 * incoming, the sample bound again takes the device back and finds the
 * pattern in the page, finish returns the session to normal and the report
 * counts the device restored.
 *
 * Every check that does not hold ends the test: it prints one line,
 * "TEST PASSED" or "TEST FAILED: <reason>", and powers the guest off.
 * Outside a guest (not PID 1) it does nothing and exits with KSFT_SKIP.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/reboot.h>

#include "../kselftest.h"

#define LU_SESSION	"/sys/kernel/device_liveupdate/session"
#define LU_REPORT	"/sys/kernel/device_liveupdate/report"
#define LU_DEBUGFS	"/sys/kernel/debug/device_liveupdate"
#define PCI_DEVICES	"/sys/bus/pci/devices"
#define EDU_NAME	"liveupdate-edu"
#define EDU_DRIVER	"/sys/bus/pci/drivers/" EDU_NAME
#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

/* Where vmtest.sh puts them in the stage 1 initramfs. */
#define NEXT_KERNEL	"/dlu/bzImage"
#define NEXT_INITRD	"/dlu/stage2.cpio"
#define STAGE_WORD	"dlu_stage="

static char reason[512];

/* Record why the test failed; returns -1 for the caller to return. */
static __printf(1, 2) int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return -1;
}

/* The first line of PATH, without its newline, in BUF. */
static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Write S to PATH in one write(2), as sysfs wants it. */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = strlen(s);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, len) != len)
		ret = -errno;
	close(fd);
	return ret;
}

static int write_file(const char *path, const char *s)
{
	int ret = write_str(path, s);

	if (ret)
		return fail("writing '%s' to %s: %s", s, path, strerror(-ret));
	ksft_print_msg("'%s' > %s\n", s, path);
	return 0;
}

/* PATH reads WANT. */
static int expect_file(const char *path, const char *want)
{
	char got[128];
	int ret = read_line(path, got, sizeof(got));

	if (ret)
		return fail("%s: %s", path, strerror(-ret));
	if (strcmp(got, want))
		return fail("%s reads '%s', want '%s'", path, got, want);
	ksft_print_msg("%s: %s\n", path, got);
	return 0;
}

static int expect_device_file(const char *bdf, const char *file,
			      const char *want)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/%s", bdf, file);
	return expect_file(path, want);
}

/* Copy a debugfs view to the console, for whoever reads the log. */
static void show_debugfs(const char *name)
{
	char path[PATH_MAX], line[256];
	FILE *f;

	snprintf(path, sizeof(path), LU_DEBUGFS "/%s", name);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		ksft_print_msg("%s: %s", name, line);
	fclose(f);
}

/* The record is a flattened device tree: its size, not its bytes. */
static void show_handover(void)
{
	size_t n, total = 0;
	char buf[4096];
	FILE *f;

	f = fopen(LU_DEBUGFS "/handover", "r");
	if (!f)
		return;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		total += n;
	fclose(f);
	ksft_print_msg("handover: a record of %zu bytes\n", total);
}

static unsigned long read_hex(const char *path)
{
	char buf[32];

	if (read_line(path, buf, sizeof(buf)))
		return ULONG_MAX;
	return strtoul(buf, NULL, 16);
}

/* The first edu device, by vendor and device ID, in BDF. */
static int find_edu(char *bdf, size_t size)
{
	char path[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	dir = opendir(PCI_DEVICES);
	if (!dir)
		return fail("%s: %s", PCI_DEVICES, strerror(errno));
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", d->d_name);
		if (read_hex(path) != EDU_VENDOR)
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/device", d->d_name);
		if (read_hex(path) != EDU_DEVICE)
			continue;
		snprintf(bdf, size, "%s", d->d_name);
		closedir(dir);
		ksft_print_msg("edu device: %s\n", bdf);
		return 0;
	}
	closedir(dir);
	return fail("no edu device (%04x:%04x) in %s", EDU_VENDOR, EDU_DEVICE,
		    PCI_DEVICES);
}

/* Bind the sample to the device: it has no ID table, only driver_override. */
static int bind_edu(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t len;

	if (access(EDU_DRIVER, F_OK))
		return fail("no %s driver: a kernel without CONFIG_SAMPLE_LIVEUPDATE_EDU",
			    EDU_NAME);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver_override", bdf);
	if (write_file(path, EDU_NAME))
		return -1;
	if (write_file(EDU_DRIVER "/bind", bdf))
		return -1;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", bdf);
	len = readlink(path, link, sizeof(link) - 1);
	if (len < 0)
		return fail("%s is bound to no driver", bdf);
	link[len] = '\0';
	if (strcmp(strrchr(link, '/') + 1, EDU_NAME))
		return fail("%s is bound to %s, not %s", bdf, link, EDU_NAME);
	return 0;
}

/* The kernel command line, dlu_stage= words dropped, in BUF. */
static int cmdline_without_stage(char *buf, size_t size)
{
	char line[2048], *word, *save;
	size_t used = 0;
	int ret;

	ret = read_line("/proc/cmdline", line, sizeof(line));
	if (ret)
		return fail("/proc/cmdline: %s", strerror(-ret));
	buf[0] = '\0';
	for (word = strtok_r(line, " ", &save); word;
	     word = strtok_r(NULL, " ", &save)) {
		if (!strncmp(word, STAGE_WORD, strlen(STAGE_WORD)))
			continue;
		used += snprintf(buf + used, size - used, "%s ", word);
		if (used >= size)
			return fail("the kernel command line is too long");
	}
	return 0;
}

static int stage(void)
{
	char line[2048], *word, *save;

	if (read_line("/proc/cmdline", line, sizeof(line)))
		return 1;
	for (word = strtok_r(line, " ", &save); word;
	     word = strtok_r(NULL, " ", &save))
		if (!strncmp(word, STAGE_WORD, strlen(STAGE_WORD)))
			return atoi(word + strlen(STAGE_WORD));
	return 1;
}

/* kexec_file_load(2) this kernel again, with the stage 2 initramfs. */
static int load_stage2(void)
{
	char cmdline[2048];
	int kernel, initrd;
	long ret;

	if (cmdline_without_stage(cmdline, sizeof(cmdline) - 16))
		return -1;
	strcat(cmdline, STAGE_WORD "2");
	kernel = open(NEXT_KERNEL, O_RDONLY | O_CLOEXEC);
	if (kernel < 0)
		return fail("%s: %s", NEXT_KERNEL, strerror(errno));
	initrd = open(NEXT_INITRD, O_RDONLY | O_CLOEXEC);
	if (initrd < 0)
		return fail("%s: %s", NEXT_INITRD, strerror(errno));
	ksft_print_msg("kexec_file_load: %s %s \"%s\"\n", NEXT_KERNEL,
		       NEXT_INITRD, cmdline);
	ret = syscall(SYS_kexec_file_load, kernel, initrd,
		      strlen(cmdline) + 1, cmdline, 0UL);
	close(kernel);
	close(initrd);
	if (ret)
		return fail("kexec_file_load: %s", strerror(errno));
	return 0;
}

static int stage1(void)
{
	char bdf[NAME_MAX + 1], path[PATH_MAX];

	if (access(LU_SESSION, F_OK))
		return fail("%s: %s: a kernel without device liveupdate",
			    LU_SESSION, strerror(errno));
	if (expect_file(LU_SESSION, "normal") ||
	    find_edu(bdf, sizeof(bdf)) ||
	    expect_device_file(bdf, "liveupdate/state", "none") ||
	    bind_edu(bdf))
		return -1;

	/* The driver declares its page and requests the device. */
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/edu_keep", bdf);
	if (write_file(path, "1") ||
	    expect_device_file(bdf, "liveupdate/state", "requested") ||
	    write_file(LU_SESSION, "prepare") ||
	    expect_file(LU_SESSION, "prepared") ||
	    expect_device_file(bdf, "liveupdate/state", "member"))
		return -1;
	show_debugfs("devices");
	show_handover();

	if (load_stage2())
		return -1;
	ksft_print_msg("reboot(LINUX_REBOOT_CMD_KEXEC)\n");
	sync();
	syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_KEXEC, NULL);
	return fail("reboot(LINUX_REBOOT_CMD_KEXEC): %s", strerror(errno));
}

/* Every report file reads 0, but restored, which counts at least one. */
static int check_report(void)
{
	static const char * const others[] = {
		"pending", "missing", "mismatch", "removed", "refused",
	};
	char path[PATH_MAX], got[32];
	unsigned int i;
	int ret;

	ret = read_line(LU_REPORT "/restored", got, sizeof(got));
	if (ret)
		return fail("%s/restored: %s", LU_REPORT, strerror(-ret));
	if (atoi(got) < 1)
		return fail("%s/restored reads '%s', want 1 or more", LU_REPORT, got);
	ksft_print_msg("%s/restored: %s\n", LU_REPORT, got);
	for (i = 0; i < ARRAY_SIZE(others); i++) {
		snprintf(path, sizeof(path), LU_REPORT "/%s", others[i]);
		if (expect_file(path, "0"))
			return -1;
	}
	return 0;
}

/*
 * How the record names a PCI device: its path from the host bridge,
 * DDDD:BB-DD.F-DD.F..., from the device's directory under /sys/devices.
 */
static int pci_location(const char *bdf, char *buf, size_t size)
{
	char link[PATH_MAX], path[PATH_MAX], *comp, *save;
	size_t used = 0;

	snprintf(link, sizeof(link), PCI_DEVICES "/%s", bdf);
	if (!realpath(link, path))
		return fail("%s: %s", link, strerror(errno));
	buf[0] = '\0';
	for (comp = strtok_r(path, "/", &save); comp;
	     comp = strtok_r(NULL, "/", &save)) {
		if (!used && !strncmp(comp, "pci", 3))
			used = snprintf(buf, size, "%s", comp + 3);
		else if (used && strlen(comp) > 8)
			used += snprintf(buf + used, size - used, "-%s", comp + 8);
		if (used >= size)
			return fail("%s: path too long", link);
	}
	if (!used)
		return fail("%s: no host bridge in %s", link, path);
	return 0;
}

/* The debugfs report has a line "pci LOCATION MODEL restored" for BDF. */
static int expect_restored(const char *bdf)
{
	char location[256], line[512], bus[16], loc[256], model[64], status[32];
	int found = 0;
	FILE *f;

	if (pci_location(bdf, location, sizeof(location)))
		return -1;
	f = fopen(LU_DEBUGFS "/report", "r");
	if (!f) {
		ksft_print_msg("%s/report: %s: only the counts are checked\n",
			       LU_DEBUGFS, strerror(errno));
		return 0;
	}
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%15s %255s %63s %31s", bus, loc, model,
			       status) == 4 &&
			!strcmp(bus, "pci") && !strcmp(loc, location);
	fclose(f);
	if (!found)
		return fail("%s/report has no line for %s (pci %s)", LU_DEBUGFS,
			    bdf, location);
	if (strcmp(status, "restored"))
		return fail("%s/report: %s is %s, not restored", LU_DEBUGFS,
			    bdf, status);
	ksft_print_msg("%s (pci %s) restored\n", bdf, location);
	return 0;
}

static int stage2(void)
{
	char bdf[NAME_MAX + 1];

	if (access(LU_SESSION, F_OK))
		return fail("%s: %s", LU_SESSION, strerror(errno));
	if (expect_file(LU_SESSION, "incoming") ||
	    find_edu(bdf, sizeof(bdf)) ||
	    expect_device_file(bdf, "liveupdate/state", "incoming") ||
	    bind_edu(bdf) ||
	    expect_device_file(bdf, "edu_transfer", "landed"))
		return -1;
	if (write_file(LU_SESSION, "finish") ||
	    expect_file(LU_SESSION, "normal") ||
	    expect_device_file(bdf, "liveupdate/state", "none"))
		return -1;
	show_debugfs("report");
	return check_report() || expect_restored(bdf);
}

/* PID 1 has no console of its own until devtmpfs is mounted. */
static void setup(void)
{
	int fd;

	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IONBF, 0);
}

int main(int argc, char **argv)
{
	int n, ret;

	if (getpid() != 1) {
		printf("%s is the /init of the guest vmtest.sh boots: run vmtest.sh\n",
		       argc > 0 ? argv[0] : "dlu_init");
		return KSFT_SKIP;
	}
	setup();
	n = stage();
	ksft_print_msg("device_liveupdate: stage %d\n", n);
	if (n == 1)
		ret = stage1();
	else if (n == 2)
		ret = stage2();
	else
		ret = fail("unknown stage %d", n);
	if (ret)
		printf("TEST FAILED: stage %d: %s\n", n, reason);
	else
		printf("TEST PASSED\n");

	sync();
	reboot(RB_POWER_OFF);
	/* No ACPI to power off with: QEMU's -no-reboot ends on a reboot. */
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}
