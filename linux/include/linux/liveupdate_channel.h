/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device liveupdate channel: what carries the handover to the next kernel.
 *
 * The driver core publishes one blob (the handover record) and the ranges
 * of memory preserved devices keep writing to; the next kernel retrieves
 * the blob and learns which ranges its boot code kept reserved.  The driver
 * core calls nothing else, and nothing else knows how the two kernels
 * meet.  One implementation today, kernel/liveupdate_channel.c with the
 * architecture's kexec_file_load(2) loader and early boot code (x86_64:
 * setup_data); Kexec HandOver replaces it, see
 * Documentation/driver-api/liveupdate.rst, "The channel".
 */
#ifndef _LINUX_LIVEUPDATE_CHANNEL_H
#define _LINUX_LIVEUPDATE_CHANNEL_H

#include <linux/range.h>
#include <linux/types.h>

struct kimage;

/**
 * struct liveupdate_channel_range - a preserved range found at boot
 * @range: the range, inclusive
 * @reserved: the boot code kept it reserved; false if it is not memory this
 *	kernel has
 */
struct liveupdate_channel_range {
	struct range range;
	bool reserved;
};

/**
 * struct liveupdate_channel_image - what a kexec image carries, while loaded
 * @record: a copy of the published blob, @size bytes; freed after the load
 * @size: its length
 * @record_addr: physical address of the kexec segment holding @record
 * @record_memsz: size of that segment, whole pages
 * @nr_ranges: number of entries in @ranges
 * @ranges: the preserved memory, inclusive ends
 *
 * The architecture's loader reads it to tell the next kernel where the
 * record is and which ranges to keep out of its allocators.
 */
struct liveupdate_channel_image {
	void *record;
	size_t size;
	phys_addr_t record_addr;
	size_t record_memsz;
	unsigned int nr_ranges;
	struct range ranges[] __counted_by(nr_ranges);
};

#ifdef CONFIG_DEVICE_LIVEUPDATE

/* The outgoing kernel: the driver core. */
int liveupdate_channel_publish(u64 tag, const void *record, size_t size,
			       const struct range *ranges,
			       unsigned int nr_ranges);
void liveupdate_channel_withdraw(void);

/* The incoming kernel: the architecture's early boot code, then the core. */
void liveupdate_channel_record_found(u64 addr, u64 size, bool memory);
void liveupdate_channel_range_found(u64 addr, u64 size, bool reserved);
void *liveupdate_channel_retrieve(size_t *size, const char **why);
const struct liveupdate_channel_range *
liveupdate_channel_ranges(unsigned int *nr_ranges, bool *overflow);

#else

static inline void liveupdate_channel_record_found(u64 addr, u64 size,
						   bool memory)
{
}

static inline void liveupdate_channel_range_found(u64 addr, u64 size,
						  bool reserved)
{
}

#endif /* CONFIG_DEVICE_LIVEUPDATE */

/* kexec: the image load and the architecture's loader. */
#if defined(CONFIG_DEVICE_LIVEUPDATE) && defined(CONFIG_KEXEC_FILE)

int liveupdate_channel_kexec_load(struct kimage *image);
void liveupdate_channel_kexec_cleanup(struct kimage *image);
bool liveupdate_channel_kexec_overlaps(const struct kimage *image,
				       unsigned long start, unsigned long end);
u64 liveupdate_channel_kexec_tag(const struct kimage *image);

#else

static inline int liveupdate_channel_kexec_load(struct kimage *image)
{
	return 0;
}

static inline void liveupdate_channel_kexec_cleanup(struct kimage *image)
{
}

static inline bool
liveupdate_channel_kexec_overlaps(const struct kimage *image,
				  unsigned long start, unsigned long end)
{
	return false;
}

static inline u64 liveupdate_channel_kexec_tag(const struct kimage *image)
{
	return 0;
}

#endif /* CONFIG_DEVICE_LIVEUPDATE && CONFIG_KEXEC_FILE */

#endif /* _LINUX_LIVEUPDATE_CHANNEL_H */
