// SPDX-License-Identifier: GPL-2.0
/*
 * lu-record encode [OPTION...] [ENTRY...]
 * lu-record decode
 *
 * The device liveupdate handover record is a flattened device tree
 * (drivers/base/liveupdate_handover.c):
 *
 *   / { compatible = "linux,device-liveupdate-v1";
 *       device@0 { bus = "pci"; location = "..."; model = "...";
 *                  features = <0x1>; memory = <start size ...>; }; ... };
 *
 * encode writes to stdout, in one write(2) (the debugfs file takes a record
 * in one), the record naming ENTRY..., each BUS/LOCATION/MODEL/FEATURES
 * [/START+SIZE...] (hex numbers), so that a test can hand the next kernel a
 * record of its choice.  Options make it wrong, or newer:
 *   --compatible STR       the root's compatible ("" for none)
 *   --property NAME=VALUE  device@0 gets property NAME (replaced if it has
 *                          it) with VALUE: "<1 2>" u32 cells, "[00 01]"
 *                          bytes, anything else a string
 *   --root-property NAME=VALUE  the same on the root node
 *   --omit NAME            device@0 lacks property NAME
 *   --node NAME            an empty root subnode NAME, after the devices
 *   --totalsize N          the header says N bytes (more than is carried)
 *   --truncate N           write only the first N bytes
 *
 * decode reads a record on stdin and prints its entries, one a line, in the
 * syntax above; it exits 1 with a message on stderr if the record is not
 * one (it checks less than the kernel: the shape, not the character rules).
 *
 * Built against the kernel's scripts/dtc/libfdt (tools/build-initramfs).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#define COMPATIBLE	"linux,device-liveupdate-v1"
#define MAX_RECORD	(4 << 20)	/* DEVICE_LIVEUPDATE_HANDOVER_MAX */
#define MAX_OPTIONS	16

struct prop {
	const char *name;
	char value[4096];
	int len;
};

static const char *prog = "lu-record";

static void die(const char *what, int err)
{
	fprintf(stderr, "%s: %s%s%s\n", prog, what, err ? ": " : "",
		err ? fdt_strerror(err) : "");
	exit(1);
}

/* NAME=VALUE into @p: "<cells>", "[bytes]" or a string. */
static void parse_prop(const char *arg, struct prop *p)
{
	const char *eq = strchr(arg, '='), *v;
	char *end;

	if (!eq)
		die("--property wants NAME=VALUE", 0);
	p->name = strndup(arg, eq - arg);
	v = eq + 1;
	p->len = 0;
	if (*v == '<' || *v == '[') {
		int cells = *v == '<';

		for (v++; *v && *v != (cells ? '>' : ']');) {
			unsigned long n = strtoul(v, &end, cells ? 0 : 16);

			if (end == v) {
				if (*v == ' ') {
					v++;
					continue;
				}
				die("bad property value", 0);
			}
			if (p->len + 4 > (int)sizeof(p->value))
				die("property too long", 0);
			if (cells) {
				fdt32_t be = cpu_to_fdt32(n);

				memcpy(p->value + p->len, &be, 4);
				p->len += 4;
			} else {
				p->value[p->len++] = n;
			}
			v = end;
		}
		return;
	}
	if (strlen(v) + 1 > sizeof(p->value))
		die("property too long", 0);
	strcpy(p->value, v);
	p->len = strlen(v) + 1;
}

static const struct prop *find(const struct prop *props, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(props[i].name, name))
			return &props[i];
	return NULL;
}

/* One property of device@0: replaced or omitted as the options say. */
static int device_prop(void *fdt, int first, const struct prop *props, int nprops,
		       const char *omit, const char *name, const void *value, int len)
{
	const struct prop *p = first ? find(props, nprops, name) : NULL;

	if (first && omit && !strcmp(omit, name))
		return 0;
	if (p)
		return fdt_property(fdt, name, p->value, p->len);
	if (!value)
		return 0;
	return fdt_property(fdt, name, value, len);
}

static int encode(int argc, char **argv)
{
	static struct prop props[MAX_OPTIONS], root[MAX_OPTIONS];
	const char *compatible = COMPATIBLE, *omit = NULL, *nodes[MAX_OPTIONS];
	int nprops = 0, nroot = 0, nnodes = 0, i, j, ret;
	long totalsize = 0, truncate = -1;
	size_t size = 4096;
	char *buf;

	for (i = 0; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *opt = argv[i];

		if (i + 1 >= argc)
			die("option without a value", 0);
		if (nprops == MAX_OPTIONS || nroot == MAX_OPTIONS || nnodes == MAX_OPTIONS)
			die("too many options", 0);
		if (!strcmp(opt, "--compatible"))
			compatible = argv[++i];
		else if (!strcmp(opt, "--property"))
			parse_prop(argv[++i], &props[nprops++]);
		else if (!strcmp(opt, "--root-property"))
			parse_prop(argv[++i], &root[nroot++]);
		else if (!strcmp(opt, "--omit"))
			omit = argv[++i];
		else if (!strcmp(opt, "--node"))
			nodes[nnodes++] = argv[++i];
		else if (!strcmp(opt, "--totalsize"))
			totalsize = strtol(argv[++i], NULL, 0);
		else if (!strcmp(opt, "--truncate"))
			truncate = strtol(argv[++i], NULL, 0);
		else
			die("unknown option", 0);
	}
	for (j = i; j < argc; j++)
		size += 1024 + strlen(argv[j]) * 4;
	buf = calloc(1, size);
	if (!buf)
		die("out of memory", 0);

	ret = fdt_create(buf, size);
	ret = ret ?: fdt_finish_reservemap(buf);
	ret = ret ?: fdt_begin_node(buf, "");
	if (*compatible)
		ret = ret ?: fdt_property_string(buf, "compatible", compatible);
	for (j = 0; j < nroot; j++)
		ret = ret ?: fdt_property(buf, root[j].name, root[j].value, root[j].len);
	for (j = 0; i < argc && !ret; i++, j++) {
		char *entry = strdup(argv[i]), name[32];
		char *bus = strsep(&entry, "/");
		char *location = strsep(&entry, "/");
		char *model = strsep(&entry, "/");
		char *features = strsep(&entry, "/");
		fdt64_t cells[2 * 64];
		int nr = 0, k;
		fdt32_t be;

		if (!features)
			die("an entry is BUS/LOCATION/MODEL/FEATURES[/START+SIZE...]", 0);
		be = cpu_to_fdt32(strtoul(features, NULL, 16));
		while (entry) {
			char *range = strsep(&entry, "/"), *plus = strchr(range, '+');

			if (!plus || nr == 64)
				die("a range is START+SIZE, at most 64", 0);
			cells[2 * nr] = cpu_to_fdt64(strtoull(range, NULL, 16));
			cells[2 * nr++ + 1] = cpu_to_fdt64(strtoull(plus + 1, NULL, 16));
		}
		snprintf(name, sizeof(name), "device@%x", j);
		ret = fdt_begin_node(buf, name);
		ret = ret ?: device_prop(buf, !j, props, nprops, omit, "bus", bus,
					 strlen(bus) + 1);
		ret = ret ?: device_prop(buf, !j, props, nprops, omit, "location",
					 location, strlen(location) + 1);
		ret = ret ?: device_prop(buf, !j, props, nprops, omit, "model", model,
					 strlen(model) + 1);
		ret = ret ?: device_prop(buf, !j, props, nprops, omit, "features", &be,
					 sizeof(be));
		ret = ret ?: device_prop(buf, !j, props, nprops, omit, "memory",
					 nr ? cells : NULL, nr * 2 * sizeof(*cells));
		/* Properties device@0 has no place for above. */
		for (k = 0; !j && k < nprops; k++) {
			const char *n = props[k].name;

			if (strcmp(n, "bus") && strcmp(n, "location") && strcmp(n, "model") &&
			    strcmp(n, "features") && strcmp(n, "memory"))
				ret = ret ?: fdt_property(buf, n, props[k].value, props[k].len);
		}
		ret = ret ?: fdt_end_node(buf);
	}
	for (j = 0; j < nnodes; j++) {
		ret = ret ?: fdt_begin_node(buf, nodes[j]);
		ret = ret ?: fdt_end_node(buf);
	}
	ret = ret ?: fdt_end_node(buf);
	ret = ret ?: fdt_finish(buf);
	if (ret)
		die("cannot build the record", ret);
	size = fdt_totalsize(buf);
	if (totalsize)
		fdt_set_totalsize(buf, totalsize);
	if (truncate >= 0 && (size_t)truncate < size)
		size = truncate;
	if (write(1, buf, size) != (ssize_t)size) {
		fprintf(stderr, "%s: write: %s\n", prog, strerror(errno));
		return 1;
	}
	return 0;
}

/* The string property @name of @node, NUL-terminated within it. */
static const char *string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	if (!s)
		die(name, len);
	if (!len || strnlen(s, len) != (size_t)len - 1)
		die("a string property is not one string", 0);
	return s;
}

static int decode(void)
{
	static char buf[MAX_RECORD + 1];
	size_t size = fread(buf, 1, sizeof(buf), stdin);
	const char *compatible;
	int node, len, n = 0;

	if (size > MAX_RECORD)
		die("longer than 4 MiB", 0);
	if (size < sizeof(struct fdt_header) || fdt_totalsize(buf) > size)
		die("truncated", 0);
	len = fdt_check_header(buf);
	if (len)
		die("not a record", len);
	compatible = fdt_getprop(buf, 0, "compatible", &len);
	if (!compatible || len != sizeof(COMPATIBLE) || memcmp(compatible, COMPATIBLE, len))
		die("unsupported format (compatible)", 0);
	fdt_for_each_subnode(node, buf, 0) {
		const char *name = fdt_get_name(buf, node, NULL);
		const fdt32_t *features;
		const fdt64_t *memory;
		int i;

		if (!name || strncmp(name, "device@", 7))
			continue;
		features = fdt_getprop(buf, node, "features", &len);
		if (!features || len != 4)
			die("bad features", len < 0 ? len : 0);
		printf("%s/%s/%s/%" PRIx32, string(buf, node, "bus"),
		       string(buf, node, "location"), string(buf, node, "model"),
		       fdt32_ld(features));
		memory = fdt_getprop(buf, node, "memory", &len);
		if (!memory && len != -FDT_ERR_NOTFOUND)
			die("memory", len);
		if (memory && len % 16)
			die("memory is not start and size pairs", 0);
		for (i = 0; memory && i < len / 8; i += 2)
			printf("/%" PRIx64 "+%" PRIx64, fdt64_ld(&memory[i]),
			       fdt64_ld(&memory[i + 1]));
		printf("\n");
		n++;
	}
	if (node != -FDT_ERR_NOTFOUND)
		die("malformed tree", node);
	if (!n)
		die("names no device", 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "encode"))
		return encode(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "decode"))
		return decode();
	fprintf(stderr, "usage: %s encode [OPTION...] [BUS/LOCATION/MODEL/FEATURES[/START+SIZE...]...]\n"
		"       %s decode <RECORD\n", prog, prog);
	return 2;
}
