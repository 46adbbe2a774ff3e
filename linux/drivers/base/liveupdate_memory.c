// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: memory a preserved device keeps writing to.
 *
 * A device kept mastering across the kexec goes on writing to the memory
 * its driver gave it.  In the outgoing kernel the driver declares that
 * memory (device_liveupdate_preserve_memory()); the record names it next
 * to the device, and the channel (include/linux/liveupdate_channel.h)
 * keeps it out of every allocator of the next kernel from its first
 * instruction.  In the new kernel the channel tells which ranges it kept
 * reserved (liveupdate_channel_ranges()), /proc/iomem shows them, the device's
 * driver takes its ranges back (device_liveupdate_incoming_memory()), and
 * finish gives the page allocator the ranges no driver took.
 *
 * A range a driver took stays reserved, the driver's, until it gives it
 * back to the page allocator (device_liveupdate_free_incoming_memory()), or
 * declares it again for the next update.
 *
 * liveupdate_mutex guards every device's ranges, the incoming ones and the
 * ranges drivers took.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/liveupdate_channel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "liveupdate.h"

/* Ranges declared in this kernel, all devices together, and who holds them. */
static unsigned int liveupdate_memory_ranges;
static LIST_HEAD(liveupdate_memory_holders);

/**
 * struct liveupdate_memory_taken - a range a driver took from the previous kernel
 * @entry: entry in liveupdate_memory_taken
 * @dev: the device whose driver took it, only compared
 * @range: the range, reserved since boot
 * @resource: its entry in /proc/iomem, or NULL
 */
struct liveupdate_memory_taken {
	struct list_head entry;
	const struct device *dev;
	struct range range;
	struct resource *resource;
};

static LIST_HEAD(liveupdate_memory_taken);

/* The entry for @range taken for @dev, or NULL. */
static struct liveupdate_memory_taken *
liveupdate_memory_find_taken(const struct device *dev, const struct range *range)
{
	struct liveupdate_memory_taken *taken;

	lockdep_assert_held(&liveupdate_mutex);

	list_for_each_entry(taken, &liveupdate_memory_taken, entry)
		if (taken->dev == dev && taken->range.start == range->start &&
		    taken->range.end == range->end)
			return taken;
	return NULL;
}

/**
 * liveupdate_memory_overlaps - does a range overlap a declared one?
 * @range: the range
 *
 * Context: liveupdate_mutex held.
 * Return: true if any device has memory declared within @range.
 */
bool liveupdate_memory_overlaps(const struct range *range)
{
	struct device_liveupdate *state;
	unsigned int i;

	lockdep_assert_held(&liveupdate_mutex);

	list_for_each_entry(state, &liveupdate_memory_holders, memory_entry)
		for (i = 0; i < state->nr_memory; i++)
			if (liveupdate_ranges_overlap(&state->memory[i], range))
				return true;
	return false;
}

/**
 * liveupdate_memory_count - number of ranges declared in this kernel
 *
 * Context: liveupdate_mutex held.
 * Return: the number of ranges.
 */
unsigned int liveupdate_memory_count(void)
{
	lockdep_assert_held(&liveupdate_mutex);
	return liveupdate_memory_ranges;
}

/**
 * liveupdate_memory_range - check a range of preserved memory
 * @start: its first byte's physical address
 * @size: its size
 * @range: where to store it
 *
 * Return: 0, or -EINVAL if it is empty, not page-aligned or wraps.
 */
int liveupdate_memory_range(u64 start, u64 size, struct range *range)
{
	if (!size || !PAGE_ALIGNED(start) || !PAGE_ALIGNED(size) ||
	    start + size - 1 < start)
		return -EINVAL;
	range->start = start;
	range->end = start + size - 1;
	return 0;
}

static int liveupdate_memory_count_ram(unsigned long start_pfn,
				       unsigned long nr_pages, void *count)
{
	*(unsigned long *)count += nr_pages;
	return 0;
}

/*
 * Memory the page allocator of this kernel manages: System RAM page by page
 * (region_intersects() lets holes through), not memory a driver manages
 * (hotplugged through dax/kmem), and above the first MiB, which belongs to
 * firmware and the boot code (the next kernel's early boot grows its
 * memblock tables there).
 */
static bool liveupdate_memory_is_ram(const struct range *range)
{
	unsigned long pages = PHYS_PFN(range_len(range)), ram = 0;

	if (range->start < SZ_1M)
		return false;
	walk_system_ram_range(PHYS_PFN(range->start), pages, &ram,
			      liveupdate_memory_count_ram);
	return ram == pages &&
	       region_intersects(range->start, range_len(range),
				 IORESOURCE_SYSRAM_DRIVER_MANAGED,
				 IORES_DESC_NONE) == REGION_DISJOINT;
}

/**
 * device_liveupdate_preserve_memory - keep memory a device writes to
 * @dev: a device bound to the caller
 * @start: physical address of the memory, page-aligned
 * @size: its size, whole pages
 *
 * Declares that @dev keeps writing to [@start, @start + @size) across the
 * kexec if it is kept: the next kernel allocates nothing there and hands
 * the range to @dev's driver (device_liveupdate_incoming_memory()).  A
 * driver declares the memory before it requests the device, or, for a
 * device kept for others, before the session is prepared.  The range stays
 * declared until it is released, the request is withdrawn, the driver is
 * unbound or the device is removed; a cancelled session keeps it, like the
 * request.  The memory must be RAM this kernel manages, which the caller
 * allocated and keeps allocated for as long as it is declared.
 *
 * Context: process context, while no session exists, from the bound
 * driver as for device_liveupdate_request(); takes liveupdate_mutex.
 * Return: 0, -EINVAL for a range that is empty, not page-aligned, wraps,
 * is not wholly System RAM this kernel manages or lies in the first MiB,
 * -ENODEV if @dev is not bound, -EOPNOTSUPP if its driver has
 * no liveupdate ops, -EBUSY while a session exists, -EEXIST if it
 * overlaps a range already declared, -ENOSPC if @dev has
 * DEVICE_LIVEUPDATE_MEMORY_RANGES ranges or all devices together
 * DEVICE_LIVEUPDATE_MEMORY_MAX, -ENOMEM.
 */
int device_liveupdate_preserve_memory(struct device *dev, phys_addr_t start,
				      u64 size)
{
	struct device_liveupdate *state;
	struct range range;

	if (liveupdate_memory_range(start, size, &range) ||
	    !liveupdate_memory_is_ram(&range))
		return -EINVAL;

	if (!liveupdate_ops(dev))
		return -EOPNOTSUPP;
	/* Allocated first, so that no state is made that could not hold it. */
	struct range *array __free(kfree) =
		kcalloc(DEVICE_LIVEUPDATE_MEMORY_RANGES, sizeof(*array), GFP_KERNEL);
	if (!array)
		return -ENOMEM;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_memory_overlaps(&range))
		return -EEXIST;
	if (liveupdate_memory_ranges == DEVICE_LIVEUPDATE_MEMORY_MAX)
		return -ENOSPC;
	state = liveupdate_driver_state(dev);
	if (IS_ERR(state))
		return PTR_ERR(state);
	if (state->nr_memory == DEVICE_LIVEUPDATE_MEMORY_RANGES)
		return -ENOSPC;
	if (!state->memory)
		state->memory = no_free_ptr(array);
	if (!state->nr_memory)
		list_add_tail(&state->memory_entry, &liveupdate_memory_holders);
	state->memory[state->nr_memory++] = range;
	liveupdate_memory_ranges++;
	dev_dbg(dev, "liveupdate keeps %llu bytes of memory\n", size);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_preserve_memory);

/**
 * device_liveupdate_release_memory - stop keeping memory for a device
 * @dev: the device
 * @start: @start of a range declared with device_liveupdate_preserve_memory()
 * @size: its @size
 *
 * For a driver's error path, or before it frees the memory.
 *
 * Context: process context, while no session exists; takes liveupdate_mutex.
 * Return: 0, -ENOENT if no such range is declared for @dev, -EBUSY while a
 * session exists.
 */
int device_liveupdate_release_memory(struct device *dev, phys_addr_t start,
				     u64 size)
{
	struct device_liveupdate *state;
	struct range range;
	LIST_HEAD(release);
	unsigned int i;

	if (liveupdate_memory_range(start, size, &range))
		return -ENOENT;

	scoped_guard(mutex, &liveupdate_mutex) {
		state = dev->liveupdate;
		if (liveupdate_state != DEVICE_LIVEUPDATE_NORMAL || liveupdate_busy)
			return -EBUSY;
		for (i = 0; state && i < state->nr_memory; i++)
			if (state->memory[i].start == range.start &&
			    state->memory[i].end == range.end)
				break;
		if (!state || i == state->nr_memory)
			return -ENOENT;
		state->memory[i] = state->memory[--state->nr_memory];
		liveupdate_memory_ranges--;
		if (!state->nr_memory)
			list_del_init(&state->memory_entry);
		liveupdate_state_put_unused(state, &release);
	}
	liveupdate_release(&release);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_release_memory);

/**
 * liveupdate_memory_forget - drop a device's ranges with its request
 * @state: the state being freed or losing its request
 *
 * Context: liveupdate_mutex held.
 */
void liveupdate_memory_forget(struct device_liveupdate *state)
{
	lockdep_assert_held(&liveupdate_mutex);

	liveupdate_memory_ranges -= state->nr_memory;
	if (state->nr_memory)
		list_del_init(&state->memory_entry);
	state->nr_memory = 0;
	kfree(state->memory);
	state->memory = NULL;
}

/**
 * liveupdate_memory_check - can a record's range be handed to a driver?
 * @range: a range the record names
 * @found: the ranges the channel found reserved at boot
 * @nr_found: their number
 * @overflow: the channel found more than @found holds
 *
 * Return: LIVEUPDATE_MEMORY_KEPT if the boot code reserved @range,
 * LIVEUPDATE_MEMORY_REJECT if the record must be rejected (the range is
 * not memory this kernel has, or was among those past the end of @found,
 * which the boot code reserved but this kernel does not track), or
 * LIVEUPDATE_MEMORY_FATAL if the boot code never reserved it: this kernel
 * may already have given that memory away, and stopping the device now
 * comes too late.
 */
enum liveupdate_memory_verdict
liveupdate_memory_check(const struct range *range,
			const struct liveupdate_channel_range *found,
			unsigned int nr_found, bool overflow)
{
	unsigned int i;

	for (i = 0; i < nr_found; i++)
		if (found[i].range.start == range->start &&
		    found[i].range.end == range->end)
			return found[i].reserved ? LIVEUPDATE_MEMORY_KEPT :
						   LIVEUPDATE_MEMORY_REJECT;
	return overflow ? LIVEUPDATE_MEMORY_REJECT : LIVEUPDATE_MEMORY_FATAL;
}

/**
 * liveupdate_memory_accept - check and show the ranges of a new record
 * @record: the record being accepted
 * @why: where to store why it cannot be
 *
 * Every range the record names must be one the boot code kept reserved.
 * A range it never reserved panics (see liveupdate_memory_check()).  Each
 * is then shown in /proc/iomem.
 *
 * Return: 0, or -EINVAL if the record must be rejected.
 */
int liveupdate_memory_accept(struct liveupdate_record *record, const char **why)
{
	const struct liveupdate_channel_range *found;
	struct liveupdate_memory *memory;
	unsigned int i, count, nr_found;
	bool overflow;
	int ret = 0;

	found = liveupdate_channel_ranges(&nr_found, &overflow);
	count = liveupdate_record_memory(record, -1, &memory);
	for (i = 0; i < count; i++) {
		switch (liveupdate_memory_check(&memory[i].range, found,
						nr_found, overflow)) {
		case LIVEUPDATE_MEMORY_KEPT:
			break;
		case LIVEUPDATE_MEMORY_REJECT:
			*why = "preserved memory is not memory this kernel keeps";
			ret = -EINVAL;
			break;
		case LIVEUPDATE_MEMORY_FATAL:
			panic("device liveupdate: the record names memory a device writes to that was not kept reserved at boot\n");
		}
	}
	if (ret)
		return ret;
	for (i = 0; i < count; i++) {
		struct resource *res = kzalloc(sizeof(*res), GFP_KERNEL);

		if (!res)
			continue;	/* only the view is lost */
		res->name = "device liveupdate";
		res->start = memory[i].range.start;
		res->end = memory[i].range.end;
		res->flags = IORESOURCE_MEM | IORESOURCE_BUSY;
		if (insert_resource(&iomem_resource, res))
			kfree(res);
		else
			memory[i].resource = res;
	}
	return 0;
}

/**
 * device_liveupdate_incoming_memory - take back memory a device kept
 * @dev: a device handed over by the previous kernel
 * @index: which of its ranges, from 0, in the order they were declared
 * @start: where to store the range's physical address
 * @size: where to store its size
 *
 * For the driver of an incoming device, typically in probe(): the memory
 * the device kept writing to across the kexec, which this kernel kept out
 * of its allocators.  The driver owns each range it takes from then on;
 * the session's finish gives the page allocator the ranges no driver took.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 0, -ENOENT if @dev is not incoming or has no range @index.
 */
int device_liveupdate_incoming_memory(struct device *dev, unsigned int index,
				      phys_addr_t *start, u64 *size)
{
	struct device_liveupdate *state;
	struct liveupdate_memory *memory;

	struct liveupdate_memory_taken *taken __free(kfree) =
		kzalloc(sizeof(*taken), GFP_KERNEL);

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (liveupdate_state != DEVICE_LIVEUPDATE_INCOMING || liveupdate_busy ||
	    !state || !(state->flags & LIVEUPDATE_INCOMING) ||
	    (state->flags & LIVEUPDATE_REMOVED) ||
	    index >= liveupdate_record_memory(liveupdate_incoming, state->record,
					      &memory))
		return -ENOENT;
	if (memory[index].claimed) {
		/* Once given back, it is not the device's any more. */
		if (!liveupdate_memory_find_taken(dev, &memory[index].range))
			return -ENOENT;
	} else {
		if (!taken)
			return -ENOMEM;
		taken->dev = dev;
		taken->range = memory[index].range;
		taken->resource = memory[index].resource;
		memory[index].resource = NULL;
		list_add_tail(&no_free_ptr(taken)->entry, &liveupdate_memory_taken);
	}
	memory[index].claimed = true;
	*start = memory[index].range.start;
	*size = range_len(&memory[index].range);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_incoming_memory);

/**
 * device_liveupdate_free_incoming_memory - give a range taken back to the kernel
 * @dev: the device it was taken for
 * @start: @start of a range device_liveupdate_incoming_memory() gave for @dev
 * @size: its @size
 *
 * For the driver of a device that no longer writes to a range it took from
 * the previous kernel: the pages go to the page allocator.  They were never
 * allocated from it, so free_page() cannot free them.  A range declared
 * again for the next update (device_liveupdate_preserve_memory()) must be
 * released first.  Once given back, the range is not handed out again.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 0, -ENOENT if no range was taken so for @dev, -EBUSY if it is
 * declared for the next update.
 */
int device_liveupdate_free_incoming_memory(struct device *dev,
					   phys_addr_t start, u64 size)
{
	struct liveupdate_memory_taken *taken;
	struct range range;

	if (liveupdate_memory_range(start, size, &range))
		return -ENOENT;

	guard(mutex)(&liveupdate_mutex);

	taken = liveupdate_memory_find_taken(dev, &range);
	if (!taken)
		return -ENOENT;
	if (liveupdate_memory_overlaps(&range))
		return -EBUSY;
	list_del(&taken->entry);
	if (taken->resource) {
		remove_resource(taken->resource);
		kfree(taken->resource);
	}
	kfree(taken);
	free_reserved_area(phys_to_virt(range.start),
			   phys_to_virt(range.end + 1), -1, NULL);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_free_incoming_memory);

/**
 * liveupdate_memory_stopped - nothing writes to an entry's ranges any more
 * @record: the incoming record
 * @index: the entry whose device its bus stopped at finish
 *
 * Context: liveupdate_mutex held.
 */
void liveupdate_memory_stopped(struct liveupdate_record *record, int index)
{
	struct liveupdate_memory *memory;
	unsigned int i, count;

	lockdep_assert_held(&liveupdate_mutex);

	count = liveupdate_record_memory(record, index, &memory);
	for (i = 0; i < count; i++)
		memory[i].stopped = true;
}

/**
 * liveupdate_memory_fate - what finish does with a range of the record
 * @memory: the range
 *
 * Return: LIVEUPDATE_MEMORY_TAKEN if a driver took it, LIVEUPDATE_MEMORY_FREE
 * if its device was stopped, else LIVEUPDATE_MEMORY_KEEP.
 */
enum liveupdate_memory_fate
liveupdate_memory_fate(const struct liveupdate_memory *memory)
{
	if (memory->claimed)
		return LIVEUPDATE_MEMORY_TAKEN;
	return memory->stopped ? LIVEUPDATE_MEMORY_FREE : LIVEUPDATE_MEMORY_KEEP;
}

/**
 * liveupdate_memory_finish - free the preserved memory nothing writes to
 * @record: the incoming record
 *
 * A range no driver took is given to the page allocator only if its device
 * was stopped at finish because no driver took it over.  Any other range
 * stays reserved and shown in /proc/iomem: its device may still write to
 * it (still bound to a driver that did not take the range, missing, not
 * matched, refused by its bus, removed, or on a bus that cannot stop it).
 *
 * Context: liveupdate_mutex held, at finish, after the members' finish.
 */
void liveupdate_memory_finish(struct liveupdate_record *record)
{
	struct liveupdate_memory *memory;
	unsigned int i, count, taken = 0, freed = 0;

	lockdep_assert_held(&liveupdate_mutex);

	count = liveupdate_record_memory(record, -1, &memory);
	for (i = 0; i < count; i++) {
		switch (liveupdate_memory_fate(&memory[i])) {
		case LIVEUPDATE_MEMORY_TAKEN:
			taken++;
			continue;
		case LIVEUPDATE_MEMORY_KEEP:
			continue;
		case LIVEUPDATE_MEMORY_FREE:
			break;
		}
		if (memory[i].resource) {
			remove_resource(memory[i].resource);
			kfree(memory[i].resource);
			memory[i].resource = NULL;
		}
		free_reserved_area(phys_to_virt(memory[i].range.start),
				   phys_to_virt(memory[i].range.end + 1), -1, NULL);
		freed++;
	}
	if (count)
		pr_info("preserved memory: %u ranges taken by drivers, %u freed, %u kept reserved as their devices may still write to them\n",
			taken, freed, count - taken - freed);
}
