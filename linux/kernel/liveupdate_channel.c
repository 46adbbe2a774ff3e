// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate channel over kexec_file_load(2): the one implementation
 * of include/linux/liveupdate_channel.h.
 *
 * Outgoing, the driver core publishes its record and the preserved ranges
 * when a session is prepared, and withdraws them when it ends.  When
 * kexec_file_load(2) loads the next kernel, the image takes a copy of the
 * publication: the record goes into a kexec segment of its own, kexec
 * places no segment on a preserved range, and the architecture's loader
 * tells the next kernel where the record is and which ranges to keep out
 * of its allocators (x86: setup_data).  The image keeps the publication's
 * tag, which the driver core compares with its session's at the kexec.
 *
 * Incoming, the architecture's early boot code reports the record and the
 * ranges it reserved, before any allocation; the driver core retrieves the
 * record once, at an initcall, which gives its memory back.
 *
 * liveupdate_channel_mutex guards the publication; the image's copy is
 * made under kexec's lock.  What the boot code found is written before
 * any other CPU runs and only read afterwards.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/cleanup.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/kexec.h>
#include <linux/liveupdate_channel.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Most preserved ranges the boot code reports; more are an overflow. */
#define LIVEUPDATE_CHANNEL_RANGES	256

/**
 * struct liveupdate_channel_publication - what the next kexec carries
 * @tag: the driver core's name for it, never 0
 * @record: the record, @size bytes
 * @size: its length
 * @nr_ranges: number of entries in @ranges
 * @ranges: the preserved memory
 */
struct liveupdate_channel_publication {
	u64 tag;
	void *record;
	size_t size;
	unsigned int nr_ranges;
	struct range ranges[] __counted_by(nr_ranges);
};

static DEFINE_MUTEX(liveupdate_channel_mutex);
static struct liveupdate_channel_publication *liveupdate_channel_published;

static void
liveupdate_channel_free(struct liveupdate_channel_publication *publication)
{
	if (!publication)
		return;
	kvfree(publication->record);
	kvfree(publication);
}

/**
 * liveupdate_channel_publish - hand a record and memory to the next kernel
 * @tag: a nonzero name for this publication, kept by the images that carry it
 * @record: the record
 * @size: its length in bytes
 * @ranges: the memory preserved devices keep writing to, inclusive ends
 * @nr_ranges: their number
 *
 * Replaces what was published before.  The next kexec image loaded carries
 * a copy of @record, and no kexec segment, nor the next kernel's
 * allocators, uses the memory in @ranges.
 *
 * Return: 0, -EINVAL for a zero tag or an empty record, -E2BIG for more
 * ranges than the next kernel can be told of, -ENOMEM.
 */
int liveupdate_channel_publish(u64 tag, const void *record, size_t size,
			       const struct range *ranges,
			       unsigned int nr_ranges)
{
	struct liveupdate_channel_publication *publication;

	if (!tag || !size)
		return -EINVAL;
	if (nr_ranges > LIVEUPDATE_CHANNEL_RANGES)
		return -E2BIG;
	publication = kvzalloc(struct_size(publication, ranges, nr_ranges),
			       GFP_KERNEL);
	if (!publication)
		return -ENOMEM;
	publication->nr_ranges = nr_ranges;
	publication->record = kvmemdup(record, size, GFP_KERNEL);
	if (!publication->record) {
		liveupdate_channel_free(publication);
		return -ENOMEM;
	}
	publication->tag = tag;
	publication->size = size;
	memcpy(publication->ranges, ranges, flex_array_size(publication, ranges,
							    nr_ranges));

	guard(mutex)(&liveupdate_channel_mutex);
	swap(liveupdate_channel_published, publication);
	liveupdate_channel_free(publication);
	return 0;
}

/**
 * liveupdate_channel_withdraw - publish nothing
 *
 * An image loaded before keeps the tag of what it carries, so the driver
 * core can tell it is stale.
 */
void liveupdate_channel_withdraw(void)
{
	guard(mutex)(&liveupdate_channel_mutex);
	liveupdate_channel_free(liveupdate_channel_published);
	liveupdate_channel_published = NULL;
}

#ifdef CONFIG_KEXEC_FILE

static void liveupdate_channel_image_free(struct liveupdate_channel_image *copy)
{
	if (IS_ERR_OR_NULL(copy))
		return;
	kvfree(copy->record);
	kvfree(copy);
}

DEFINE_FREE(liveupdate_channel_image, struct liveupdate_channel_image *,
	    liveupdate_channel_image_free(_T))

/* A copy of the publication, NULL if there is none, or an ERR_PTR(). */
static struct liveupdate_channel_image *liveupdate_channel_copy(u64 *tag)
{
	struct liveupdate_channel_publication *publication;

	guard(mutex)(&liveupdate_channel_mutex);

	publication = liveupdate_channel_published;
	if (!publication)
		return NULL;

	struct liveupdate_channel_image *copy __free(liveupdate_channel_image) =
		kvzalloc(struct_size(copy, ranges, publication->nr_ranges),
			 GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	copy->nr_ranges = publication->nr_ranges;
	copy->record = kvmemdup(publication->record, publication->size,
				GFP_KERNEL);
	if (!copy->record)
		return ERR_PTR(-ENOMEM);
	copy->size = publication->size;
	memcpy(copy->ranges, publication->ranges,
	       flex_array_size(copy, ranges, copy->nr_ranges));
	*tag = publication->tag;
	return no_free_ptr(copy);
}

/**
 * liveupdate_channel_kexec_load - add the publication to a kexec image
 * @image: an image being loaded by kexec_file_load(2)
 *
 * Called before any segment is added (IMA's, the kernel's, anything the
 * architecture's loader adds), so that the preserved ranges are known to
 * every placement: kexec_locate_mem_hole() skips them and
 * sanity_check_segment_list() refuses a segment that covers one however
 * it was placed.  Adds a segment holding the record and keeps the
 * publication's tag in @image; image->liveupdate keeps the copy for the
 * architecture's loader until liveupdate_channel_kexec_cleanup().  Crash
 * kernels carry nothing.
 *
 * Context: kexec's lock held; takes liveupdate_channel_mutex.
 * Return: 0, or an error from kexec_add_buffer(), -ENOMEM.
 */
int liveupdate_channel_kexec_load(struct kimage *image)
{
	struct liveupdate_channel_image *copy;
	struct kexec_buf kbuf = {
		.image = image, .buf_max = ULONG_MAX, .top_down = true,
		.buf_align = PAGE_SIZE, .mem = KEXEC_BUF_MEM_UNKNOWN,
	};
	u64 tag = 0;
	int ret;

	image->liveupdate_tag = 0;
	if (image->type == KEXEC_TYPE_CRASH)
		return 0;
	copy = liveupdate_channel_copy(&tag);
	if (IS_ERR_OR_NULL(copy))
		return PTR_ERR_OR_ZERO(copy);

	/* Set first: the record's own segment must avoid the ranges too. */
	image->liveupdate = copy;
	kbuf.buffer = copy->record;
	kbuf.bufsz = copy->size;
	kbuf.memsz = PAGE_ALIGN(copy->size);
	ret = kexec_add_buffer(&kbuf);
	if (ret) {
		liveupdate_channel_kexec_cleanup(image);
		return ret;
	}
	copy->record_addr = kbuf.mem;
	copy->record_memsz = kbuf.memsz;
	image->liveupdate_tag = tag;
	kexec_dprintk("device liveupdate record of %zu bytes at 0x%lx, %u ranges kept\n",
		      copy->size, kbuf.mem, copy->nr_ranges);
	return 0;
}

/**
 * liveupdate_channel_kexec_tag - which publication an image carries
 * @image: a loaded image
 *
 * Return: the tag of the publication @image carries, 0 for none.
 */
u64 liveupdate_channel_kexec_tag(const struct kimage *image)
{
	return image->liveupdate_tag;
}

/**
 * liveupdate_channel_kexec_cleanup - free what the loader needed
 * @image: the image, loaded or not
 *
 * The image keeps its tag for the kexec.
 */
void liveupdate_channel_kexec_cleanup(struct kimage *image)
{
	liveupdate_channel_image_free(image->liveupdate);
	image->liveupdate = NULL;
}

/**
 * liveupdate_channel_kexec_overlaps - is a range kept for a device?
 * @image: the image being loaded
 * @start: first byte of a candidate place for a segment
 * @end: its last byte
 *
 * Return: true if a preserved device keeps writing within [@start, @end].
 */
bool liveupdate_channel_kexec_overlaps(const struct kimage *image,
				       unsigned long start, unsigned long end)
{
	const struct liveupdate_channel_image *copy = image->liveupdate;
	unsigned int i;

	for (i = 0; copy && i < copy->nr_ranges; i++)
		if (copy->ranges[i].start <= end && start <= copy->ranges[i].end)
			return true;
	return false;
}

#endif /* CONFIG_KEXEC_FILE */

/* What the boot code found; written before any allocation, read once. */
static phys_addr_t liveupdate_channel_record_addr __initdata;
static u64 liveupdate_channel_record_size __initdata;
static bool liveupdate_channel_record_memory __initdata;
static struct liveupdate_channel_range
	liveupdate_channel_found[LIVEUPDATE_CHANNEL_RANGES];
static unsigned int liveupdate_channel_nr_found;
static bool liveupdate_channel_found_overflow;

/**
 * liveupdate_channel_record_found - the boot code found a record
 * @addr: physical address of the memory holding it
 * @size: size of that memory, which the boot code reserved
 * @memory: the record lies in memory this kernel has; if not, it cannot be
 *	read
 *
 * Called by the architecture's early boot code, before any allocation, for
 * the record the previous kernel put into the kexec image.
 */
void __init liveupdate_channel_record_found(u64 addr, u64 size, bool memory)
{
	liveupdate_channel_record_addr = addr;
	liveupdate_channel_record_size = size;
	liveupdate_channel_record_memory = memory;
}

/**
 * liveupdate_channel_range_found - the boot code reserved a preserved range
 * @addr: physical address of the range
 * @size: its size
 * @reserved: the boot code reserved it; false if it is not memory this
 *	kernel has (nothing here allocates it either)
 *
 * Called by the architecture's early boot code, before any allocation, for
 * every range of preserved memory the kexec image passed, once it has kept
 * the range out of its allocators.
 */
void __init liveupdate_channel_range_found(u64 addr, u64 size, bool reserved)
{
	if (liveupdate_channel_nr_found == LIVEUPDATE_CHANNEL_RANGES || !size) {
		liveupdate_channel_found_overflow = true;
		return;
	}
	liveupdate_channel_found[liveupdate_channel_nr_found++] =
		(struct liveupdate_channel_range) {
			.range = { .start = addr, .end = addr + size - 1 },
			.reserved = reserved,
		};
}

/**
 * liveupdate_channel_retrieve - copy the record this kernel was booted with
 * @size: where to store the length of the memory it came in, which may be
 *	whole pages: the record, as published, says where it ends
 * @why: where to store why it cannot be read
 *
 * Copies the memory the record came in, opaque bytes, and gives that
 * memory back.  Only the first call finds one.
 *
 * Return: the copy, freed with kvfree(), NULL if there is none, or an
 * ERR_PTR(): -EINVAL if it is not in this kernel's memory, -ENOMEM.
 */
void * __init liveupdate_channel_retrieve(size_t *size, const char **why)
{
	phys_addr_t addr = liveupdate_channel_record_addr;
	u64 len = liveupdate_channel_record_size;
	void *copy;

	liveupdate_channel_record_size = 0;
	if (!len)
		return NULL;
	if (!liveupdate_channel_record_memory) {
		*why = "the record is not in this kernel's memory";
		return ERR_PTR(-EINVAL);
	}
	/* RAM, reserved in memblock but kept in the direct map by the boot code */
	copy = kvmalloc(len, GFP_KERNEL);
	if (copy)
		memcpy(copy, phys_to_virt(addr), len);
	memblock_free_late(addr, len);
	if (!copy) {
		*why = "out of memory";
		return ERR_PTR(-ENOMEM);
	}
	*size = len;
	return copy;
}

/**
 * liveupdate_channel_ranges - the preserved ranges the boot code found
 * @nr_ranges: where to store their number
 * @overflow: where to store whether it found more than it could report
 *
 * Return: the ranges, valid for the kernel's life.
 */
const struct liveupdate_channel_range *
liveupdate_channel_ranges(unsigned int *nr_ranges, bool *overflow)
{
	*nr_ranges = liveupdate_channel_nr_found;
	*overflow = liveupdate_channel_found_overflow;
	return liveupdate_channel_found;
}
