// SPDX-License-Identifier: GPL-2.0
/*
 * lu-write [-u UID] [-n COUNT] FILE [DATA]
 *
 * Write DATA (escapes \n \t \\ \0 and \xHH decoded; empty by default), or
 * COUNT bytes of 'x' with -n, to FILE in one write(2), after setuid(UID)
 * with -u, and print "ok N" or the errno name of the open or write that
 * failed (exit status 1).  The e2e scenarios use it to check the errors of
 * the debugfs files, including empty writes that a shell never makes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct { int err; const char *name; } names[] = {
	{ EINVAL, "EINVAL" }, { E2BIG, "E2BIG" }, { ENODEV, "ENODEV" },
	{ EBUSY, "EBUSY" }, { ENOENT, "ENOENT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENODATA, "ENODATA" }, { EACCES, "EACCES" }, { EPERM, "EPERM" },
	{ EFAULT, "EFAULT" }, { ENOMEM, "ENOMEM" }, { ELOOP, "ELOOP" },
	{ EBADMSG, "EBADMSG" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
	{ EEXIST, "EEXIST" }, { ENOSPC, "ENOSPC" }, { ESTALE, "ESTALE" },
};

static int fail(void)
{
	int e = errno;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == e) {
			puts(names[i].name);
			return 1;
		}
	printf("E%d\n", e);
	return 1;
}

static size_t decode(const char *s, char *out)
{
	size_t n = 0;
	char *end;

	while (*s) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		switch (*++s) {
		case 'n': out[n++] = '\n'; s++; break;
		case 't': out[n++] = '\t'; s++; break;
		case '0': out[n++] = '\0'; s++; break;
		case 'x':
			out[n++] = (char)strtoul(s + 1, &end, 16);
			s = end;
			break;
		default: out[n++] = *s++; break;
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	long uid = -1, count = -1;
	const char *data;
	char *buf;
	size_t len;
	ssize_t w;
	int opt, fd;

	while ((opt = getopt(argc, argv, "u:n:")) != -1) {
		if (opt == 'u')
			uid = atol(optarg);
		else if (opt == 'n')
			count = atol(optarg);
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: %s [-u UID] [-n COUNT] FILE [DATA]\n", argv[0]);
		return 2;
	}
	data = optind + 1 < argc ? argv[optind + 1] : "";
	len = count >= 0 ? (size_t)count : strlen(data);
	buf = malloc(len + 1);
	if (!buf)
		return fail();
	if (count >= 0)
		memset(buf, 'x', len);
	else
		len = decode(data, buf);
	if (uid >= 0 && (setgid(uid) || setuid(uid)))
		return fail();
	fd = open(argv[optind], O_WRONLY);
	if (fd < 0)
		return fail();
	w = write(fd, buf, len);
	if (w < 0)
		return fail();
	printf("ok %zd\n", w);
	return 0;
}
