// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate handover record: tells the next kernel which devices the
 * previous one preserved, and which memory they keep writing to, so that it
 * keeps them as they are, and reports what it found.
 *
 * The record is built at prepare and handed to the channel
 * (include/linux/liveupdate_channel.h), which carries it to the new kernel.
 * Only this file knows the format, and only the channel knows how it
 * travels.  It is a flattened device tree, in the shape of a Kexec HandOver
 * subtree, so that KHO could carry it as it is:
 *
 *   / {
 *           compatible = "linux,device-liveupdate-v1";
 *           device@0 {
 *                   bus = "pci";
 *                   location = "0000:00-02.0-00.0";
 *                   model = "1b36:11e8:1af4:1100:10";
 *                   features = <0x1>;
 *                   memory = <0x0 0x7f000000 0x0 0x100000>;
 *           };
 *           device@1 { ... };
 *   };
 *
 * One node per device, in the set's order, named device@<index in hex>.
 * bus, location and model are strings (model may be empty): bus names use
 * lowercase ASCII letters, digits, '_' and '-'; locations and models, at
 * most 63 characters, ASCII letters, digits and ":._-".  features is one
 * u32.  memory, absent when there is none, is a list of u64 start and size
 * pairs (big-endian, as every FDT cell), page-aligned ranges that do not
 * wrap, at most eight per device and 256 in all.  A record names 1 to
 * 16384 devices and is at most 4 MiB (its totalsize): room for 16384
 * devices with the longest names and 256 ranges.
 *
 * Compatibility: the root's compatible names the format and its major
 * version; a kernel accepts exactly the one it knows, and rejects anything
 * else as an unsupported format (-EPROTONOSUPPORT).  A later revision may
 * add properties, or root subnodes whose name does not start with "device@":
 * a kernel ignores the properties and such nodes it does not know, so that
 * a newer kernel's record rolls back to an older one.  Anything an older
 * kernel must understand to keep a device safely, a new feature bit
 * included, takes a new compatible: unknown feature bits still reject the
 * record.
 *
 * There is no checksum.  Purgatory's SHA-256 covers every kexec segment, the
 * record's included, from the load to the jump; fdt_check_header() and
 * length-checked property reads catch a truncated or malformed blob.  What
 * nothing covers is memory corrupted between the jump and the new kernel's
 * read, as for every other setup_data.  The record is accepted whole or not
 * at all.
 *
 * The parsed record is owned by the session (liveupdate_incoming), under
 * liveupdate_mutex.
 */
#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/device.h>
#include <linux/init.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/libfdt.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "liveupdate.h"

#include <trace/events/device_liveupdate.h>

#define LIVEUPDATE_RECORD_COMPATIBLE	"linux,device-liveupdate-v1"
#define LIVEUPDATE_RECORD_NODE		"device@"
/* Header, reserve map, root node and its compatible, strings: an upper bound. */
#define LIVEUPDATE_RECORD_HEADER_LEN	256
/* Node of a device with @ranges memory ranges: an upper bound. */
#define LIVEUPDATE_RECORD_NODE_LEN(ranges)					\
	(2 * FDT_TAGSIZE + sizeof(LIVEUPDATE_RECORD_NODE "ffffffff") +		\
	 5 * sizeof(struct fdt_property) + DEVICE_LIVEUPDATE_BUS_NAME_LEN +	\
	 2 * DEVICE_LIVEUPDATE_ID_LEN + sizeof(fdt32_t) + 4 * FDT_TAGSIZE +	\
	 (ranges) * 2 * sizeof(fdt64_t))
/* Any set the limits allow fits: a record is never too long to prepare. */
static_assert(LIVEUPDATE_RECORD_HEADER_LEN +
	      DEVICE_LIVEUPDATE_HANDOVER_ENTRIES * LIVEUPDATE_RECORD_NODE_LEN(0) +
	      DEVICE_LIVEUPDATE_MEMORY_MAX * 2 * sizeof(fdt64_t) <=
	      DEVICE_LIVEUPDATE_HANDOVER_MAX);

struct liveupdate_record_entry {
	char bus[DEVICE_LIVEUPDATE_BUS_NAME_LEN];
	struct device_liveupdate_identity id;
	unsigned int features;
	enum liveupdate_record_status status;
	unsigned int first_memory;
	unsigned int nr_memory;
};

/**
 * struct liveupdate_record - a parsed handover record
 * @nr_memory: number of entries in @memory
 * @memory: the preserved ranges of every entry, in entry order
 * @slots: hash table of the entries by bus and location, open addressing
 *	with linear probing: 1 + the index of an entry, or 0 for a free slot;
 *	so that finding a device costs the same whatever the record's size
 * @slot_mask: the table has @slot_mask + 1 slots, a power of two at least
 *	twice @count
 * @count: number of entries
 * @entries: one per preserved device, in the previous kernel's set order
 */
struct liveupdate_record {
	unsigned int nr_memory;
	struct liveupdate_memory *memory;
	unsigned int *slots;
	unsigned int slot_mask;
	unsigned int count;
	struct liveupdate_record_entry entries[] __counted_by(count);
};

static const char * const liveupdate_record_status_names[] = {
	[LIVEUPDATE_RECORD_PENDING]	= "pending",
	[LIVEUPDATE_RECORD_RESTORED]	= "restored",
	[LIVEUPDATE_RECORD_MISMATCH]	= "mismatch",
	[LIVEUPDATE_RECORD_MISSING]	= "missing",
	[LIVEUPDATE_RECORD_REMOVED]	= "removed",
	[LIVEUPDATE_RECORD_REFUSED]	= "refused",
};

/*
 * Bus names: lowercase ASCII letters, digits, '_' and '-'.  The ctype
 * helpers take Latin-1 letters for letters, hence isascii().
 */
static bool liveupdate_bus_char(char c)
{
	return isascii(c) && (islower(c) || isdigit(c) || c == '_' || c == '-');
}

/* Locations and models: ASCII letters, digits and ":._-". */
static bool liveupdate_id_char(char c)
{
	return isascii(c) &&
	       (isalnum(c) || c == ':' || c == '.' || c == '_' || c == '-');
}

static bool liveupdate_valid_word(const char *word, size_t min, size_t size,
				  bool (*valid)(char c))
{
	size_t len = strlen(word);

	if (len < min || len >= size)
		return false;
	while (*word)
		if (!valid(*word++))
			return false;
	return true;
}

/* libfdt's error, negative, as an errno: a record that does not fit is too long. */
static int liveupdate_fdt_errno(int err)
{
	if (!err)
		return 0;
	return err == -FDT_ERR_NOSPACE ? -E2BIG : -EINVAL;
}

/* Add the node of one device, the @index-th of the set, to @fdt. */
static int liveupdate_encode_entry(struct device_liveupdate *state,
				   unsigned int index, void *fdt)
{
	struct device *dev = state->dev;
	struct device_liveupdate_identity id = {};
	char name[sizeof(LIVEUPDATE_RECORD_NODE "ffffffff")];
	__be64 *memory;
	unsigned int i;
	int ret;

	ret = dev->bus->liveupdate->identify(dev, &id);
	if (ret)
		return ret;
	if (!liveupdate_valid_word(dev->bus->name, 1,
				   DEVICE_LIVEUPDATE_BUS_NAME_LEN,
				   liveupdate_bus_char) ||
	    !liveupdate_valid_word(id.location, 1, sizeof(id.location),
				   liveupdate_id_char) ||
	    !liveupdate_valid_word(id.model, 0, sizeof(id.model),
				   liveupdate_id_char)) {
		dev_err(dev, "liveupdate identity cannot be handed over\n");
		return -EINVAL;
	}
	snprintf(name, sizeof(name), LIVEUPDATE_RECORD_NODE "%x", index);
	ret = fdt_begin_node(fdt, name);
	ret = ret ?: fdt_property_string(fdt, "bus", dev->bus->name);
	ret = ret ?: fdt_property_string(fdt, "location", id.location);
	ret = ret ?: fdt_property_string(fdt, "model", id.model);
	ret = ret ?: fdt_property_u32(fdt, "features", liveupdate_features(state));
	if (!ret && state->nr_memory)
		ret = fdt_property_placeholder(fdt, "memory",
					       state->nr_memory * 2 * sizeof(*memory),
					       (void **)&memory);
	/* A property is only 4-byte aligned. */
	for (i = 0; !ret && i < state->nr_memory; i++) {
		put_unaligned_be64(state->memory[i].start, &memory[2 * i]);
		put_unaligned_be64(range_len(&state->memory[i]), &memory[2 * i + 1]);
	}
	return liveupdate_fdt_errno(ret ?: fdt_end_node(fdt));
}

/**
 * liveupdate_record_encode - write the record for an ordered set
 * @set: the set, linked through device_liveupdate.set_entry
 * @count: the number of devices in @set
 * @out: where to store the record, a flattened device tree, freed with
 *	kvfree()
 * @size: where to store its length, fdt_totalsize()
 *
 * Uses libfdt's sequential-write functions in a buffer sized for the set,
 * which is at most DEVICE_LIVEUPDATE_HANDOVER_MAX for any set of at most
 * DEVICE_LIVEUPDATE_HANDOVER_ENTRIES devices and
 * DEVICE_LIVEUPDATE_MEMORY_MAX ranges.
 *
 * Return: 0, -E2BIG if the set has too many devices, -EINVAL if a bus
 * reported an identity the record cannot carry, the bus's identify() error,
 * or -ENOMEM.
 */
int liveupdate_record_encode(struct list_head *set, unsigned int count,
			     void **out, size_t *size)
{
	struct device_liveupdate *state;
	unsigned int index = 0;
	size_t room;
	int ret;

	if (count > DEVICE_LIVEUPDATE_HANDOVER_ENTRIES)
		return -E2BIG;
	room = LIVEUPDATE_RECORD_HEADER_LEN;
	list_for_each_entry(state, set, set_entry)
		room += LIVEUPDATE_RECORD_NODE_LEN(state->nr_memory);
	void *fdt __free(kvfree) = kvmalloc(room, GFP_KERNEL);
	if (!fdt)
		return -ENOMEM;

	ret = fdt_create(fdt, room);
	ret = ret ?: fdt_finish_reservemap(fdt);
	ret = ret ?: fdt_begin_node(fdt, "");
	ret = ret ?: fdt_property_string(fdt, "compatible",
					 LIVEUPDATE_RECORD_COMPATIBLE);
	ret = liveupdate_fdt_errno(ret);
	if (ret)
		return ret;
	list_for_each_entry(state, set, set_entry) {
		ret = liveupdate_encode_entry(state, index++, fdt);
		if (ret)
			return ret;
	}
	ret = fdt_end_node(fdt);
	ret = liveupdate_fdt_errno(ret ?: fdt_finish(fdt));
	if (ret)
		return ret;
	*size = fdt_totalsize(fdt);
	*out = no_free_ptr(fdt);
	return 0;
}

/*
 * Copy the string property @name of the device node at @node into @buf:
 * the whole property is one NUL-terminated string of @min to @size - 1
 * characters that @valid accepts.
 */
static int liveupdate_parse_string(const void *fdt, int node, const char *name,
				   char *buf, size_t size, size_t min,
				   bool (*valid)(char c), const char **why)
{
	const char *value;
	int len;

	value = fdt_getprop(fdt, node, name, &len);
	if (!value) {
		*why = len == -FDT_ERR_NOTFOUND ? "an entry lacks a property" :
						  "malformed tree";
		return -EINVAL;
	}
	if (!len || strnlen(value, len) != len - 1) {
		*why = "an entry has a malformed string";
		return -EINVAL;
	}
	if (!liveupdate_valid_word(value, min, size, valid)) {
		*why = "an entry names a bus or device badly";
		return -EINVAL;
	}
	strscpy(buf, value, size);
	return 0;
}

/* The memory property: u64 start and size pairs, page-aligned, not wrapping. */
static int liveupdate_parse_memory(const void *fdt, int node,
				   struct liveupdate_record *record,
				   struct liveupdate_record_entry *entry,
				   const char **why)
{
	const __be64 *cells;
	unsigned int i;
	int len;

	entry->first_memory = record->nr_memory;
	cells = fdt_getprop(fdt, node, "memory", &len);
	if (!cells) {
		if (len == -FDT_ERR_NOTFOUND)
			return 0;
		*why = "malformed tree";
		return -EINVAL;
	}
	if (len % (2 * sizeof(*cells))) {
		*why = "an entry has malformed memory";
		return -EINVAL;
	}
	if (len / (2 * sizeof(*cells)) > DEVICE_LIVEUPDATE_MEMORY_RANGES) {
		*why = "an entry has too many memory ranges";
		return -EINVAL;
	}
	for (i = 0; i < len / sizeof(*cells); i += 2) {
		struct range range;

		/* FDT values are only 32-bit aligned. */
		if (liveupdate_memory_range(get_unaligned_be64(&cells[i]),
					    get_unaligned_be64(&cells[i + 1]),
					    &range)) {
			*why = "an entry has a bad memory range";
			return -EINVAL;
		}
		/* Within the total the first pass counted. */
		record->memory[record->nr_memory++].range = range;
		entry->nr_memory++;
	}
	return 0;
}

/* Parse the node of the @index-th device, at @node, into @entry. */
static int liveupdate_parse_entry(const void *fdt, int node, unsigned int index,
				  struct liveupdate_record *record,
				  struct liveupdate_record_entry *entry,
				  const char **why)
{
	char name[sizeof(LIVEUPDATE_RECORD_NODE "ffffffff")];
	const __be32 *features;
	int len, ret;

	snprintf(name, sizeof(name), LIVEUPDATE_RECORD_NODE "%x", index);
	if (strcmp(fdt_get_name(fdt, node, NULL), name)) {
		*why = "a device node is out of order";
		return -EINVAL;
	}
	ret = liveupdate_parse_string(fdt, node, "bus", entry->bus,
				      sizeof(entry->bus), 1,
				      liveupdate_bus_char, why);
	ret = ret ?: liveupdate_parse_string(fdt, node, "location",
					     entry->id.location,
					     sizeof(entry->id.location), 1,
					     liveupdate_id_char, why);
	ret = ret ?: liveupdate_parse_string(fdt, node, "model",
					     entry->id.model,
					     sizeof(entry->id.model), 0,
					     liveupdate_id_char, why);
	if (ret)
		return ret;
	features = fdt_getprop(fdt, node, "features", &len);
	if (!features) {
		*why = len == -FDT_ERR_NOTFOUND ? "an entry lacks a property" :
						  "malformed tree";
		return -EINVAL;
	}
	if (len != sizeof(*features)) {
		*why = "an entry has malformed features";
		return -EINVAL;
	}
	entry->features = get_unaligned_be32(features);
	if (!entry->features || (entry->features & ~DEVICE_LIVEUPDATE_FEATURES)) {
		*why = "an entry has unknown features";
		return -EINVAL;
	}
	return liveupdate_parse_memory(fdt, node, record, entry, why);
}

/*
 * The slot of the entry for @location on @bus, or the free slot where it
 * would go.
 */
static unsigned int *liveupdate_record_slot(struct liveupdate_record *record,
					    const char *bus, const char *location)
{
	unsigned int i = jhash(location, strlen(location),
			       jhash(bus, strlen(bus), 0));

	for (;; i++) {
		unsigned int *slot = &record->slots[i & record->slot_mask];
		struct liveupdate_record_entry *entry;

		if (!*slot)
			return slot;
		entry = &record->entries[*slot - 1];
		if (!strcmp(entry->id.location, location) &&
		    !strcmp(entry->bus, bus))
			return slot;
	}
}

/* A root subnode that describes a device; the format ignores the others. */
static bool liveupdate_device_node(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);

	return name && str_has_prefix(name, LIVEUPDATE_RECORD_NODE);
}

/*
 * Check the header and the compatible, and count the devices and their
 * memory ranges, to size the parsed record.
 */
static int liveupdate_parse_header(const void *fdt, size_t size,
				   unsigned int *count, unsigned int *ranges,
				   const char **why)
{
	const char *compatible;
	int node, len;

	if (size < sizeof(struct fdt_header)) {
		*why = "truncated";
		return -EINVAL;
	}
	if (fdt_magic(fdt) != FDT_MAGIC) {
		*why = "not a flattened device tree";
		return -EINVAL;
	}
	if (fdt_totalsize(fdt) > DEVICE_LIVEUPDATE_HANDOVER_MAX) {
		*why = "too long";
		return -E2BIG;
	}
	if (fdt_totalsize(fdt) > size) {
		*why = "truncated";
		return -EINVAL;
	}
	if (fdt_check_header(fdt)) {
		*why = "malformed header";
		return -EINVAL;
	}
	compatible = fdt_getprop(fdt, 0, "compatible", &len);
	if (!compatible && len != -FDT_ERR_NOTFOUND) {
		*why = "malformed tree";
		return -EINVAL;
	}
	if (!compatible || len != sizeof(LIVEUPDATE_RECORD_COMPATIBLE) ||
	    memcmp(compatible, LIVEUPDATE_RECORD_COMPATIBLE, len)) {
		*why = "unsupported format";
		return -EPROTONOSUPPORT;
	}

	*count = 0;
	*ranges = 0;
	fdt_for_each_subnode(node, fdt, 0) {
		const void *memory;

		if (!liveupdate_device_node(fdt, node))
			continue;
		if (*count == DEVICE_LIVEUPDATE_HANDOVER_ENTRIES) {
			*why = "too many devices";
			return -E2BIG;
		}
		(*count)++;
		memory = fdt_getprop(fdt, node, "memory", &len);
		if (memory)
			*ranges += len / (2 * sizeof(u64));
		if (*ranges > DEVICE_LIVEUPDATE_MEMORY_MAX) {
			*why = "too many memory ranges";
			return -E2BIG;
		}
	}
	if (node != -FDT_ERR_NOTFOUND) {
		*why = "malformed tree";
		return -EINVAL;
	}
	if (!*count) {
		*why = "names no device";
		return -EINVAL;
	}
	return 0;
}

/* Two ranges of the record overlap: a device's memory would be shared. */
static bool liveupdate_memory_overlap(struct liveupdate_record *record)
{
	unsigned int i, j;

	for (i = 0; i < record->nr_memory; i++)
		for (j = 0; j < i; j++)
			if (liveupdate_ranges_overlap(&record->memory[i].range,
						      &record->memory[j].range))
				return true;
	return false;
}

static int liveupdate_parse_entries(const void *fdt,
				    struct liveupdate_record *record,
				    const char **why)
{
	unsigned int i = 0;
	int node, ret;

	fdt_for_each_subnode(node, fdt, 0) {
		struct liveupdate_record_entry *entry = &record->entries[i];
		unsigned int *slot;

		if (!liveupdate_device_node(fdt, node))
			continue;
		ret = liveupdate_parse_entry(fdt, node, i, record, entry, why);
		if (ret)
			return ret;
		slot = liveupdate_record_slot(record, entry->bus,
					      entry->id.location);
		if (*slot) {
			*why = "two entries name one device";
			return -EINVAL;
		}
		*slot = ++i;
		/* The first pass counted them: the tree is the same. */
		if (i == record->count)
			break;
	}
	if (liveupdate_memory_overlap(record)) {
		*why = "two memory ranges overlap";
		return -EINVAL;
	}
	return 0;
}

/**
 * liveupdate_record_parse - check and parse a handover record
 * @blob: the record, a flattened device tree
 * @size: the number of bytes at @blob; the tree's totalsize must fit
 * @out: where to store the parsed record, freed with liveupdate_record_free()
 * @why: where to store a short description of what is wrong
 *
 * The record is accepted whole or not at all.  Every property is read with
 * its length checked; properties and root subnodes this kernel does not
 * know are ignored.
 *
 * Return: 0, -E2BIG if the tree is longer than DEVICE_LIVEUPDATE_HANDOVER_MAX
 * or names too many devices or memory ranges, -EPROTONOSUPPORT for another
 * format (the root's compatible), -EINVAL for anything else malformed
 * (including a truncated tree, two entries for one device and overlapping
 * ranges), -ENOMEM.
 */
int liveupdate_record_parse(const void *blob, size_t size,
			    struct liveupdate_record **out, const char **why)
{
	unsigned int count, ranges;
	int ret;

	*out = NULL;
	ret = liveupdate_parse_header(blob, size, &count, &ranges, why);
	if (ret)
		return ret;

	struct liveupdate_record *record __free(liveupdate_record) =
		kvzalloc(struct_size(record, entries, count), GFP_KERNEL);
	if (!record)
		return -ENOMEM;
	record->count = count;
	record->slot_mask = roundup_pow_of_two(2 * count) - 1;
	record->slots = kvcalloc(record->slot_mask + 1, sizeof(*record->slots),
				 GFP_KERNEL);
	if (!record->slots)
		return -ENOMEM;
	if (ranges) {
		record->memory = kcalloc(ranges, sizeof(*record->memory),
					 GFP_KERNEL);
		if (!record->memory)
			return -ENOMEM;
	}

	ret = liveupdate_parse_entries(blob, record, why);
	if (ret)
		return ret;

	*why = NULL;
	*out = no_free_ptr(record);
	return 0;
}

/**
 * liveupdate_record_free - free a parsed record
 * @record: the record, or NULL
 */
void liveupdate_record_free(struct liveupdate_record *record)
{
	if (!record)
		return;
	kfree(record->memory);
	kvfree(record->slots);
	kvfree(record);
}

/**
 * liveupdate_record_count - number of devices a record names
 * @record: the record, or NULL
 *
 * Return: the number of entries.
 */
unsigned int liveupdate_record_count(const struct liveupdate_record *record)
{
	return record ? record->count : 0;
}

/**
 * liveupdate_record_bus - bus name of one entry
 * @record: the record
 * @index: the entry, below liveupdate_record_count()
 *
 * Return: the bus name.
 */
const char *liveupdate_record_bus(const struct liveupdate_record *record,
				  unsigned int index)
{
	return record->entries[index].bus;
}

/**
 * liveupdate_record_features - features one entry was preserved with
 * @record: the record
 * @index: the entry, below liveupdate_record_count()
 *
 * Return: DEVICE_LIVEUPDATE_* features.
 */
unsigned int liveupdate_record_features(const struct liveupdate_record *record,
					unsigned int index)
{
	return record->entries[index].features;
}

/**
 * liveupdate_record_memory - the memory ranges of a record, or of one entry
 * @record: the record, or NULL
 * @index: the entry, or a negative number for every range of the record
 * @memory: where to store the first range
 *
 * Return: the number of ranges at @memory.
 */
unsigned int liveupdate_record_memory(struct liveupdate_record *record,
				      int index,
				      struct liveupdate_memory **memory)
{
	struct liveupdate_record_entry *entry;

	*memory = NULL;
	if (!record || !record->nr_memory || index >= (int)record->count)
		return 0;
	if (index < 0) {
		*memory = record->memory;
		return record->nr_memory;
	}
	entry = &record->entries[index];
	*memory = record->memory + entry->first_memory;
	return entry->nr_memory;
}

/* The entry at @location on @bus not matched yet, or NULL. */
static struct liveupdate_record_entry *
liveupdate_record_pending(struct liveupdate_record *record, const char *bus,
			  const char *location)
{
	struct liveupdate_record_entry *entry;
	unsigned int *slot;

	if (!record)
		return NULL;
	slot = liveupdate_record_slot(record, bus, location);
	if (!*slot)
		return NULL;
	entry = &record->entries[*slot - 1];
	return entry->status == LIVEUPDATE_RECORD_PENDING ? entry : NULL;
}

/**
 * liveupdate_record_match - find the entry of a device found in this kernel
 * @record: the record, or NULL
 * @dev: the device
 * @id: its identity, from its bus's identify()
 *
 * An entry at @dev's location with another model is marked mismatched and
 * the operator is told; it is not kept.
 *
 * Return: the entry's index, -EEXIST for such an entry, or -ENOENT.
 */
int liveupdate_record_match(struct liveupdate_record *record,
			    struct device *dev,
			    const struct device_liveupdate_identity *id)
{
	struct liveupdate_record_entry *entry;

	entry = liveupdate_record_pending(record, dev->bus->name, id->location);
	if (!entry)
		return -ENOENT;
	if (strcmp(entry->id.model, id->model)) {
		entry->status = LIVEUPDATE_RECORD_MISMATCH;
		dev_warn(dev, "handed over as model %s but is %s: not kept, stopped\n",
			 entry->id.model[0] ? entry->id.model : "-",
			 id->model[0] ? id->model : "-");
		return -EEXIST;
	}
	entry->status = LIVEUPDATE_RECORD_RESTORED;
	return entry - record->entries;
}

/**
 * liveupdate_record_names - does a record name a device, not matched yet?
 * @record: the record, or NULL
 * @bus: the device's bus name
 * @id: its identity, from its bus's identify()
 *
 * Unlike liveupdate_record_match(), changes nothing.
 *
 * Return: 1 if a pending entry has @id's location and model on @bus,
 * -EEXIST if a pending entry has its location and another model, 0
 * otherwise.
 */
int liveupdate_record_names(struct liveupdate_record *record, const char *bus,
			    const struct device_liveupdate_identity *id)
{
	struct liveupdate_record_entry *entry;

	entry = liveupdate_record_pending(record, bus, id->location);
	if (!entry)
		return 0;
	return strcmp(entry->id.model, id->model) ? -EEXIST : 1;
}

/**
 * liveupdate_record_set_status - record what became of an entry
 * @record: the record, or NULL
 * @index: the entry, or a negative number for none
 * @status: the new status
 */
void liveupdate_record_set_status(struct liveupdate_record *record, int index,
				  enum liveupdate_record_status status)
{
	if (record && index >= 0 && index < record->count)
		record->entries[index].status = status;
}

/**
 * liveupdate_record_totals - count the entries of each status
 * @record: the record
 * @totals: LIVEUPDATE_RECORD_STATUSES counts, indexed by status
 */
void liveupdate_record_totals(const struct liveupdate_record *record,
			      unsigned int *totals)
{
	unsigned int i;

	memset(totals, 0, LIVEUPDATE_RECORD_STATUSES * sizeof(*totals));
	for (i = 0; i < record->count; i++)
		totals[record->entries[i].status]++;
}

/**
 * liveupdate_record_report - reconcile the record when the session finishes
 * @record: the record, or NULL
 *
 * Entries whose device never showed up become missing.  Every entry that
 * was not restored is reported, then one summary line.
 */
void liveupdate_record_report(struct liveupdate_record *record)
{
	unsigned int totals[LIVEUPDATE_RECORD_STATUSES];
	unsigned int i;

	if (!record)
		return;

	for (i = 0; i < record->count; i++) {
		struct liveupdate_record_entry *entry = &record->entries[i];

		if (entry->status == LIVEUPDATE_RECORD_PENDING)
			entry->status = LIVEUPDATE_RECORD_MISSING;
		trace_device_liveupdate_reconcile(entry->bus, entry->id.location,
						  liveupdate_record_status_names[entry->status]);
		if (entry->status != LIVEUPDATE_RECORD_RESTORED)
			pr_warn("%s %s: %s\n", entry->bus, entry->id.location,
				liveupdate_record_status_names[entry->status]);
	}
	liveupdate_record_totals(record, totals);
	pr_info("handover reconciled: %u restored, %u missing, %u mismatch, %u removed, %u refused\n",
		totals[LIVEUPDATE_RECORD_RESTORED],
		totals[LIVEUPDATE_RECORD_MISSING],
		totals[LIVEUPDATE_RECORD_MISMATCH],
		totals[LIVEUPDATE_RECORD_REMOVED],
		totals[LIVEUPDATE_RECORD_REFUSED]);
}

/**
 * liveupdate_record_show - print a record, one entry per line
 * @s: where to print
 * @record: the record, or NULL
 */
void liveupdate_record_show(struct seq_file *s,
			    const struct liveupdate_record *record)
{
	unsigned int i;

	for (i = 0; record && i < record->count; i++) {
		const struct liveupdate_record_entry *entry = &record->entries[i];

		seq_printf(s, "%s %s %s %s\n", entry->bus, entry->id.location,
			   entry->id.model[0] ? entry->id.model : "-",
			   liveupdate_record_status_names[entry->status]);
	}
}
