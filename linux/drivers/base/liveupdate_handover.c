// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate handover record: tells the next kernel which devices the
 * previous one preserved, and which memory they keep writing to, so that it
 * keeps them as they are, and reports what it found.
 *
 * The record is built at prepare and handed to the channel
 * (include/linux/liveupdate_channel.h), which carries it to the new kernel.
 * Only this file knows the format, and only the channel knows how it
 * travels.  It is plain text:
 *
 *   <version>,<count>,<crc32>,<entry>[,<entry>...]
 *   <entry> = <bus>/<location>/<model>/<features>[/<start>+<size>...]
 *
 * version is 1; count is the number of entries (1 to 16384); crc32 is eight
 * lowercase hex digits of the CRC-32 of everything after the third comma;
 * features is hex; each <start>+<size> (hex, page-aligned) is a range of
 * memory the device was preserved with, at most eight per entry and 256 in
 * all.  The whole record is at most 1 MiB.
 *
 * The parsed record is owned by the session (liveupdate_incoming), under
 * liveupdate_mutex.
 */
#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/crc32.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/jhash.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "liveupdate.h"

#include <trace/events/device_liveupdate.h>

#define LIVEUPDATE_RECORD_VERSION	1
#define LIVEUPDATE_RECORD_CRC_LEN	8
/* "<version>,<count>,<crc32>," */
#define LIVEUPDATE_RECORD_HEADER_LEN	32
/* Longest entry with @ranges memory ranges: four fields and separators. */
#define LIVEUPDATE_RECORD_ENTRY_LEN(ranges)					\
	(DEVICE_LIVEUPDATE_BUS_NAME_LEN + 2 * DEVICE_LIVEUPDATE_ID_LEN + 8 + 4 +	\
	 (ranges) * (2 * 16 + 2))

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

static u32 liveupdate_record_crc(const char *text, size_t len)
{
	return crc32_le(~0, text, len) ^ ~0;
}

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

static bool liveupdate_hex_char(char c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f');
}

static bool liveupdate_decimal_char(char c)
{
	return isdigit(c);
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

/* Write one entry at @buf, which has room for LIVEUPDATE_RECORD_ENTRY_LEN(). */
static int liveupdate_encode_entry(struct device_liveupdate *state,
				   bool first, char *buf)
{
	struct device *dev = state->dev;
	struct device_liveupdate_identity id = {};
	unsigned int i;
	int len, ret;

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
	len = sprintf(buf, "%s%s/%s/%s/%x", first ? "" : ",", dev->bus->name,
		      id.location, id.model, liveupdate_features(state));
	for (i = 0; i < state->nr_memory; i++)
		len += sprintf(buf + len, "/%llx+%llx", state->memory[i].start,
			       range_len(&state->memory[i]));
	return len;
}

/**
 * liveupdate_record_encode - write the record for an ordered set
 * @set: the set, linked through device_liveupdate.set_entry
 * @count: the number of devices in @set
 * @out: where to store the record, NUL-terminated, freed with kvfree()
 * @size: where to store its length
 *
 * Writes the entries, then moves them to make room for the header, so that
 * no second buffer is needed.
 *
 * Return: 0, -E2BIG if the set has too many devices or the record is too
 * long, -EINVAL if a bus reported an identity the record cannot carry, the
 * bus's identify() error, or -ENOMEM.
 */
int liveupdate_record_encode(struct list_head *set, unsigned int count,
			     char **out, size_t *size)
{
	struct device_liveupdate *state;
	char header[LIVEUPDATE_RECORD_HEADER_LEN];
	size_t room, len = 0;
	int ret;

	if (count > DEVICE_LIVEUPDATE_HANDOVER_ENTRIES)
		return -E2BIG;
	room = LIVEUPDATE_RECORD_HEADER_LEN;
	list_for_each_entry(state, set, set_entry)
		room += LIVEUPDATE_RECORD_ENTRY_LEN(state->nr_memory);
	char *buf __free(kvfree) = kvmalloc(room, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	list_for_each_entry(state, set, set_entry) {
		ret = liveupdate_encode_entry(state, !len, buf + len);
		if (ret < 0)
			return ret;
		len += ret;
	}

	ret = scnprintf(header, sizeof(header), "%d,%u,%08x,",
			LIVEUPDATE_RECORD_VERSION, count,
			liveupdate_record_crc(buf, len));
	if (ret + len > DEVICE_LIVEUPDATE_HANDOVER_MAX)
		return -E2BIG;
	memmove(buf + ret, buf, len);
	memcpy(buf, header, ret);
	buf[ret + len] = '\0';
	*size = ret + len;
	*out = no_free_ptr(buf);
	return 0;
}

/* Parse "<start>+<size>", page-aligned and not wrapping, into @range. */
static int liveupdate_parse_memory(char *text, struct range *range)
{
	char *start = strsep(&text, "+");
	u64 first, size;

	if (!text ||
	    !liveupdate_valid_word(start, 1, 17, liveupdate_hex_char) ||
	    !liveupdate_valid_word(text, 1, 17, liveupdate_hex_char) ||
	    kstrtou64(start, 16, &first) || kstrtou64(text, 16, &size))
		return -EINVAL;
	return liveupdate_memory_range(first, size, range);
}

static int liveupdate_parse_entry(char *text, struct liveupdate_record *record,
				  struct liveupdate_record_entry *entry,
				  const char **why)
{
	char *bus = strsep(&text, "/");
	char *location = strsep(&text, "/");
	char *model = strsep(&text, "/");
	char *features = strsep(&text, "/");

	if (!features) {
		*why = "an entry has fewer than four fields";
		return -EINVAL;
	}
	if (!liveupdate_valid_word(bus, 1, sizeof(entry->bus), liveupdate_bus_char) ||
	    !liveupdate_valid_word(location, 1, sizeof(entry->id.location),
				   liveupdate_id_char) ||
	    !liveupdate_valid_word(model, 0, sizeof(entry->id.model),
				   liveupdate_id_char)) {
		*why = "an entry names a bus or device badly";
		return -EINVAL;
	}
	if (!liveupdate_valid_word(features, 1, 9, liveupdate_hex_char) ||
	    kstrtouint(features, 16, &entry->features) || !entry->features ||
	    (entry->features & ~DEVICE_LIVEUPDATE_FEATURES)) {
		*why = "an entry has unknown features";
		return -EINVAL;
	}
	entry->first_memory = record->nr_memory;
	while (text) {
		struct range range;

		if (entry->nr_memory == DEVICE_LIVEUPDATE_MEMORY_RANGES) {
			*why = "an entry has too many memory ranges";
			return -EINVAL;
		}
		/* Each range has a '+': liveupdate_record_parse() counted them. */
		if (liveupdate_parse_memory(strsep(&text, "/"), &range)) {
			*why = "an entry has a bad memory range";
			return -EINVAL;
		}
		record->memory[record->nr_memory++].range = range;
		entry->nr_memory++;
	}
	strscpy(entry->bus, bus);
	strscpy(entry->id.location, location);
	strscpy(entry->id.model, model);
	return 0;
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

static int liveupdate_parse_header(char **text, unsigned int *count,
				   const char **why)
{
	char *version = strsep(text, ",");
	char *number = strsep(text, ",");
	char *crc = strsep(text, ",");
	unsigned int value;
	u32 sum;

	if (!crc || !*text || !**text) {
		*why = "truncated";
		return -EINVAL;
	}
	if (strcmp(version, "1")) {
		*why = "unsupported version";
		return -EPROTONOSUPPORT;
	}
	if (!liveupdate_valid_word(number, 1, 6, liveupdate_decimal_char) ||
	    kstrtouint(number, 10, &value) || !value ||
	    value > DEVICE_LIVEUPDATE_HANDOVER_ENTRIES) {
		*why = "bad device count";
		return -EINVAL;
	}
	if (strlen(crc) != LIVEUPDATE_RECORD_CRC_LEN ||
	    !liveupdate_valid_word(crc, 1, LIVEUPDATE_RECORD_CRC_LEN + 1,
				   liveupdate_hex_char) ||
	    kstrtou32(crc, 16, &sum)) {
		*why = "malformed checksum";
		return -EINVAL;
	}
	if (sum != liveupdate_record_crc(*text, strlen(*text))) {
		*why = "checksum mismatch";
		return -EBADMSG;
	}
	*count = value;
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

static int liveupdate_parse_entries(char *cursor,
				    struct liveupdate_record *record,
				    const char **why)
{
	unsigned int i;
	int ret;

	for (i = 0; i < record->count && cursor; i++) {
		struct liveupdate_record_entry *entry = &record->entries[i];
		unsigned int *slot;

		ret = liveupdate_parse_entry(strsep(&cursor, ","), record,
					     entry, why);
		if (ret)
			return ret;
		slot = liveupdate_record_slot(record, entry->bus,
					      entry->id.location);
		if (*slot) {
			*why = "two entries name one device";
			return -EINVAL;
		}
		*slot = i + 1;
	}
	if (i != record->count || cursor) {
		*why = "device count does not match the entries";
		return -EINVAL;
	}
	if (liveupdate_memory_overlap(record)) {
		*why = "two memory ranges overlap";
		return -EINVAL;
	}
	return 0;
}

/**
 * liveupdate_record_parse - check and parse a handover record
 * @text: the record, NUL-terminated
 * @out: where to store the parsed record, freed with liveupdate_record_free()
 * @why: where to store a short description of what is wrong
 *
 * The record is accepted whole or not at all.
 *
 * Return: 0, -E2BIG if @text is too long or names too many memory ranges,
 * -EPROTONOSUPPORT for another version, -EBADMSG for a checksum mismatch,
 * -EINVAL for anything else malformed (including a count that does not
 * match the entries, two entries for one device and overlapping ranges),
 * -ENOMEM.
 */
int liveupdate_record_parse(const char *text, struct liveupdate_record **out,
			    const char **why)
{
	unsigned int count, ranges;
	char *cursor;
	int ret;

	*out = NULL;
	*why = "too long";
	if (strnlen(text, DEVICE_LIVEUPDATE_HANDOVER_MAX + 1) >
	    DEVICE_LIVEUPDATE_HANDOVER_MAX)
		return -E2BIG;
	/* Every range has one '+', and nothing else in a record has. */
	ranges = 0;
	for (cursor = strchr(text, '+'); cursor; cursor = strchr(cursor + 1, '+'))
		ranges++;
	if (ranges > DEVICE_LIVEUPDATE_MEMORY_MAX) {
		*why = "too many memory ranges";
		return -E2BIG;
	}

	char *copy __free(kvfree) = kvmemdup(text, strlen(text) + 1, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;

	cursor = copy;
	ret = liveupdate_parse_header(&cursor, &count, why);
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

	ret = liveupdate_parse_entries(cursor, record, why);
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
	unsigned int *slot;

	if (!record)
		return -ENOENT;
	slot = liveupdate_record_slot(record, dev->bus->name, id->location);
	if (!*slot)
		return -ENOENT;
	entry = &record->entries[*slot - 1];
	if (entry->status != LIVEUPDATE_RECORD_PENDING)
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
 * Return: true if a pending entry has @id's location and model on @bus.
 */
bool liveupdate_record_names(struct liveupdate_record *record, const char *bus,
			     const struct device_liveupdate_identity *id)
{
	struct liveupdate_record_entry *entry;
	unsigned int *slot;

	if (!record)
		return false;
	slot = liveupdate_record_slot(record, bus, id->location);
	if (!*slot)
		return false;
	entry = &record->entries[*slot - 1];
	return entry->status == LIVEUPDATE_RECORD_PENDING &&
	       !strcmp(entry->id.model, id->model);
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
