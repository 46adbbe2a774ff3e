// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: the kexec image carries the session.
 *
 * When kexec_file_load(2) loads the next kernel, the image takes a copy of
 * the prepared session: its record, the memory its members keep writing to
 * and its generation.  The record goes into a kexec segment of its own; the
 * architecture's loader tells the next kernel where it is and which ranges
 * to keep out of its allocators (x86: SETUP_INDIRECT setup_data entries),
 * and kexec places no segment on those ranges.  kernel_kexec() asks
 * device_liveupdate_kexec() before anything is shut down, which refuses an
 * image that does not carry the prepared session.  kexec_load(2) images
 * carry nothing.
 *
 * Everything here runs under kexec's lock; the copy is taken under
 * liveupdate_mutex.  This file and the architecture's loader are the
 * channel: Kexec HandOver would replace them, not the session.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/cleanup.h>
#include <linux/device/liveupdate.h>
#include <linux/kexec.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "liveupdate.h"

/**
 * device_liveupdate_kexec - kernel_kexec() hook: freeze the session, or veto
 * @image: the image about to be started
 *
 * See liveupdate_kexec_check().
 *
 * Context: process context, no device lock held; kexec's lock held.
 * Return: 0 to go on with the kexec, or the error reboot(2) returns.
 */
int device_liveupdate_kexec(const struct kimage *image)
{
	bool preserve_context = false;

#ifdef CONFIG_KEXEC_JUMP
	preserve_context = image->preserve_context;
#endif
	return liveupdate_kexec_check(image->liveupdate_generation,
				      image->file_mode, preserve_context);
}

#ifdef CONFIG_KEXEC_FILE

static void liveupdate_image_free(struct device_liveupdate_image *copy)
{
	if (IS_ERR_OR_NULL(copy))
		return;
	kvfree(copy->record);
	kvfree(copy);
}

DEFINE_FREE(liveupdate_image, struct device_liveupdate_image *,
	    liveupdate_image_free(_T))

/* A copy of the prepared session, NULL if there is none, or an ERR_PTR(). */
static struct device_liveupdate_image *liveupdate_image_copy(void)
{
	struct device_liveupdate *state;
	unsigned int i, n = 0;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED || !liveupdate_handover)
		return NULL;

	struct device_liveupdate_image *copy __free(liveupdate_image) =
		kvzalloc(struct_size(copy, ranges, liveupdate_memory_count()),
			 GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	copy->record = kvmemdup(liveupdate_handover,
				liveupdate_handover_size + 1, GFP_KERNEL);
	if (!copy->record)
		return ERR_PTR(-ENOMEM);
	copy->size = liveupdate_handover_size;
	copy->generation = liveupdate_generation;
	copy->nr_ranges = liveupdate_memory_count();

	list_for_each_entry(state, &liveupdate_set, set_entry)
		for (i = 0; i < state->nr_memory; i++)
			copy->ranges[n++] = state->memory[i];
	copy->nr_ranges = n;
	return no_free_ptr(copy);
}

/**
 * device_liveupdate_kexec_load - add the prepared session to a kexec image
 * @image: an image being loaded by kexec_file_load(2)
 *
 * Called before any segment is added (IMA's, the kernel's, anything the
 * architecture's loader adds), so that the preserved ranges are known to
 * every placement: kexec_locate_mem_hole() skips them and
 * sanity_check_segment_list() refuses a segment that covers one however
 * it was placed.  Adds a segment holding the record and keeps the
 * session's generation in @image; image->liveupdate keeps the copy for the
 * loader until device_liveupdate_kexec_cleanup().  Crash kernels carry
 * nothing.
 *
 * Context: kexec's lock held; takes liveupdate_mutex.
 * Return: 0, or an error from kexec_add_buffer(), -ENOMEM.
 */
int device_liveupdate_kexec_load(struct kimage *image)
{
	struct device_liveupdate_image *copy;
	struct kexec_buf kbuf = {
		.image = image, .buf_max = ULONG_MAX, .top_down = true,
		.buf_align = PAGE_SIZE, .mem = KEXEC_BUF_MEM_UNKNOWN,
	};
	int ret;

	image->liveupdate_generation = 0;
	if (image->type == KEXEC_TYPE_CRASH)
		return 0;
	copy = liveupdate_image_copy();
	if (IS_ERR_OR_NULL(copy))
		return PTR_ERR_OR_ZERO(copy);

	/* Set first: the record's own segment must avoid the ranges too. */
	image->liveupdate = copy;
	kbuf.buffer = copy->record;
	kbuf.bufsz = copy->size + 1;
	kbuf.memsz = PAGE_ALIGN(copy->size + 1);
	ret = kexec_add_buffer(&kbuf);
	if (ret) {
		device_liveupdate_kexec_cleanup(image);
		return ret;
	}
	copy->record_addr = kbuf.mem;
	copy->record_memsz = kbuf.memsz;
	image->liveupdate_generation = copy->generation;
	kexec_dprintk("device liveupdate record of %zu bytes at 0x%lx, %u ranges kept\n",
		      copy->size, kbuf.mem, copy->nr_ranges);
	return 0;
}

/**
 * device_liveupdate_kexec_cleanup - free what the loader needed
 * @image: the image, loaded or not
 *
 * The image keeps its generation for device_liveupdate_kexec().
 */
void device_liveupdate_kexec_cleanup(struct kimage *image)
{
	liveupdate_image_free(image->liveupdate);
	image->liveupdate = NULL;
}

/**
 * device_liveupdate_kexec_overlaps - is a range kept for a device?
 * @image: the image being loaded
 * @start: first byte of a candidate place for a segment
 * @end: its last byte
 *
 * Return: true if a preserved device keeps writing within [@start, @end].
 */
bool device_liveupdate_kexec_overlaps(const struct kimage *image,
				      unsigned long start, unsigned long end)
{
	const struct device_liveupdate_image *copy = image->liveupdate;
	const struct range candidate = { .start = start, .end = end };
	unsigned int i;

	for (i = 0; copy && i < copy->nr_ranges; i++)
		if (liveupdate_ranges_overlap(&copy->ranges[i], &candidate))
			return true;
	return false;
}

#endif /* CONFIG_KEXEC_FILE */
