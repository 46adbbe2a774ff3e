// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate handover record: tells the next kernel which devices the
 * previous one preserved, so that it keeps them as they are, and reports what
 * it found.
 *
 * Linux has no Kexec HandOver on this base, so the record travels as one
 * kernel command-line word, which userspace appends to the command line it
 * gives kexec_file_load(2).  The record is plain text:
 *
 *   <version>,<count>,<crc32>,<entry>[,<entry>...]
 *   <entry> = <bus>/<location>/<model>/<features>
 *
 * version is 1; count is the number of entries (1 to 64); crc32 is eight
 * lowercase hex digits of the CRC-32 of everything after the third comma;
 * features is hex.  The whole record is at most 1024 characters.  Only this
 * file knows the format: a Kexec HandOver channel would replace it without
 * touching the rest.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/crc32.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "liveupdate.h"

#define LIVEUPDATE_RECORD_VERSION	1
#define LIVEUPDATE_RECORD_CRC_LEN	8

struct liveupdate_record_entry {
	char bus[DEVICE_LIVEUPDATE_BUS_NAME_LEN];
	struct device_liveupdate_identity id;
	unsigned int features;
	enum liveupdate_record_status status;
};

/**
 * struct liveupdate_record - a parsed handover record
 * @count: number of entries
 * @entries: one per preserved device, in the previous kernel's set order
 */
struct liveupdate_record {
	unsigned int count;
	struct liveupdate_record_entry entries[] __counted_by(count);
};

static const char * const liveupdate_record_status_names[] = {
	[LIVEUPDATE_RECORD_PENDING]	= "pending",
	[LIVEUPDATE_RECORD_RESTORED]	= "restored",
	[LIVEUPDATE_RECORD_MISMATCH]	= "mismatch",
	[LIVEUPDATE_RECORD_MISSING]	= "missing",
	[LIVEUPDATE_RECORD_REMOVED]	= "removed",
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

/**
 * liveupdate_record_encode - write the record for an ordered set
 * @set: the set, linked through device_liveupdate.set_entry
 * @buf: where to write the record, NUL-terminated
 * @size: size of @buf
 *
 * Writes the entries into @buf, then moves them to make room for the header,
 * so that no scratch buffer is needed.  On error @buf holds no valid record.
 *
 * Return: 0, -E2BIG if the set has too many devices or the record does not
 * fit, -EINVAL if a bus reported an identity the record cannot carry, or
 * the bus's identify() error.
 */
int liveupdate_record_encode(struct list_head *set, char *buf, size_t size)
{
	size_t room = min_t(size_t, size, DEVICE_LIVEUPDATE_HANDOVER_MAX + 1);
	struct device_liveupdate_identity id;
	struct device_liveupdate *state;
	unsigned int count = 0;
	char header[32];
	size_t len = 0;
	int ret;

	/* The entries first, at the start of @buf; the header goes before them. */
	buf[0] = '\0';
	list_for_each_entry(state, set, set_entry) {
		struct device *dev = state->dev;

		memset(&id, 0, sizeof(id));
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
		if (++count > DEVICE_LIVEUPDATE_HANDOVER_ENTRIES)
			return -E2BIG;
		len += scnprintf(buf + len, room - len, "%s%s/%s/%s/%x",
				 count > 1 ? "," : "", dev->bus->name,
				 id.location, id.model,
				 liveupdate_features(state));
		if (len + 1 >= room)
			return -E2BIG;
	}

	ret = scnprintf(header, sizeof(header), "%d,%u,%08x,",
			LIVEUPDATE_RECORD_VERSION, count,
			liveupdate_record_crc(buf, len));
	if (ret + len >= room)
		return -E2BIG;
	memmove(buf + ret, buf, len + 1);
	memcpy(buf, header, ret);
	return 0;
}

static int liveupdate_parse_entry(char *text, struct liveupdate_record_entry *entry,
				  const char **why)
{
	char *bus = strsep(&text, "/");
	char *location = strsep(&text, "/");
	char *model = strsep(&text, "/");
	char *features = strsep(&text, "/");

	if (!features || text) {
		*why = "an entry does not have four fields";
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
	strscpy(entry->bus, bus);
	strscpy(entry->id.location, location);
	strscpy(entry->id.model, model);
	return 0;
}

static struct liveupdate_record_entry *
liveupdate_record_find(struct liveupdate_record *record, unsigned int count,
		       const char *bus, const char *location)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (!strcmp(record->entries[i].bus, bus) &&
		    !strcmp(record->entries[i].id.location, location))
			return &record->entries[i];
	return NULL;
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
	if (!liveupdate_valid_word(number, 1, 3, liveupdate_decimal_char) ||
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

static int liveupdate_parse_entries(char *cursor,
				    struct liveupdate_record *record,
				    const char **why)
{
	unsigned int i;
	int ret;

	for (i = 0; i < record->count && cursor; i++) {
		struct liveupdate_record_entry *entry = &record->entries[i];

		ret = liveupdate_parse_entry(strsep(&cursor, ","), entry, why);
		if (ret)
			return ret;
		if (liveupdate_record_find(record, i, entry->bus,
					   entry->id.location)) {
			*why = "two entries name one device";
			return -EINVAL;
		}
	}
	if (i != record->count || cursor) {
		*why = "device count does not match the entries";
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
 * Return: 0, -E2BIG if @text is too long, -EPROTONOSUPPORT for another
 * version, -EBADMSG for a checksum mismatch, -EINVAL for anything else
 * malformed (including a count that does not match the entries and two
 * entries for one device), -ENOMEM.
 */
int liveupdate_record_parse(const char *text, struct liveupdate_record **out,
			    const char **why)
{
	unsigned int count;
	char *cursor;
	int ret;

	*out = NULL;
	*why = "too long";
	if (strnlen(text, DEVICE_LIVEUPDATE_HANDOVER_MAX + 1) >
	    DEVICE_LIVEUPDATE_HANDOVER_MAX)
		return -E2BIG;

	char *copy __free(kfree) = kstrdup(text, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;

	cursor = copy;
	ret = liveupdate_parse_header(&cursor, &count, why);
	if (ret)
		return ret;

	struct liveupdate_record *record __free(kfree) =
		kzalloc(struct_size(record, entries, count), GFP_KERNEL);
	if (!record)
		return -ENOMEM;
	record->count = count;

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
	kfree(record);
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
 * liveupdate_record_match - find the entry of a device found in this kernel
 * @record: the record, or NULL
 * @dev: the device
 * @id: its identity, from its bus's identify()
 *
 * An entry at @dev's location with another model is marked mismatched and
 * the operator is told; it is not kept.
 *
 * Return: the entry's index, or -ENOENT.
 */
int liveupdate_record_match(struct liveupdate_record *record,
			    struct device *dev,
			    const struct device_liveupdate_identity *id)
{
	struct liveupdate_record_entry *entry;

	if (!record)
		return -ENOENT;
	entry = liveupdate_record_find(record, record->count, dev->bus->name,
				       id->location);
	if (!entry || entry->status != LIVEUPDATE_RECORD_PENDING)
		return -ENOENT;

	if (strcmp(entry->id.model, id->model)) {
		entry->status = LIVEUPDATE_RECORD_MISMATCH;
		dev_warn(dev, "handed over as model %s but is %s: not kept\n",
			 entry->id.model[0] ? entry->id.model : "-",
			 id->model[0] ? id->model : "-");
		return -ENOENT;
	}
	entry->status = LIVEUPDATE_RECORD_RESTORED;
	return entry - record->entries;
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
 * liveupdate_record_report - reconcile the record when the session finishes
 * @record: the record, or NULL
 *
 * Entries whose device never showed up become missing.  Every entry that
 * was not restored is reported, then one summary line.
 */
void liveupdate_record_report(struct liveupdate_record *record)
{
	unsigned int totals[ARRAY_SIZE(liveupdate_record_status_names)] = {};
	unsigned int i;

	if (!record)
		return;

	for (i = 0; i < record->count; i++) {
		struct liveupdate_record_entry *entry = &record->entries[i];

		if (entry->status == LIVEUPDATE_RECORD_PENDING)
			entry->status = LIVEUPDATE_RECORD_MISSING;
		if (entry->status != LIVEUPDATE_RECORD_RESTORED)
			pr_warn("%s %s: %s\n", entry->bus, entry->id.location,
				liveupdate_record_status_names[entry->status]);
		totals[entry->status]++;
	}
	pr_info("handover reconciled: %u restored, %u missing, %u mismatch, %u removed\n",
		totals[LIVEUPDATE_RECORD_RESTORED],
		totals[LIVEUPDATE_RECORD_MISSING],
		totals[LIVEUPDATE_RECORD_MISMATCH],
		totals[LIVEUPDATE_RECORD_REMOVED]);
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

/* One more than the limit, to tell an oversized record from a full one. */
static char liveupdate_cmdline_record[DEVICE_LIVEUPDATE_HANDOVER_MAX + 2] __initdata;

static int __init liveupdate_handover_setup(char *text)
{
	strscpy(liveupdate_cmdline_record, text);
	return 1;
}
__setup(DEVICE_LIVEUPDATE_HANDOVER_PARAM, liveupdate_handover_setup);

/**
 * liveupdate_record_from_cmdline - the record this kernel was booted with
 *
 * Return: the record's text, valid until the end of boot, or NULL.
 */
const char * __init liveupdate_record_from_cmdline(void)
{
	return liveupdate_cmdline_record[0] ? liveupdate_cmdline_record : NULL;
}
