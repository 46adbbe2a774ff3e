// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: debugfs, under /sys/kernel/debug/device_liveupdate/.
 *
 * Read-only views for debugging: the ordered set, the record for the next
 * kernel, the reconciliation report entry by entry and the number of
 * states.  The views take liveupdate_mutex while they print.  Test kernels
 * (CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER) may replace the record.  The
 * control files are in sysfs (liveupdate_sysfs.c).
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/cleanup.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "base.h"
#include "liveupdate.h"

static void liveupdate_print_features(struct seq_file *s, const char *label,
				      unsigned int features)
{
	char text[LIVEUPDATE_FEATURES_TEXT_LEN];

	seq_printf(s, " %s=%s", label,
		   liveupdate_features_text(text, sizeof(text), features));
}

static void liveupdate_print_member(struct seq_file *s,
				    struct device_liveupdate *state)
{
	seq_printf(s, "%s %s", liveupdate_bus_name(state), dev_name(state->dev));
	liveupdate_print_features(s, "requested", state->requested);
	liveupdate_print_features(s, "derived", state->derived);
	if (state->flags & LIVEUPDATE_INCOMING)
		seq_puts(s, " incoming");
	else if (state->needed_by)
		seq_printf(s, " users=%u needed-by=%s:%s(%s)", state->users,
			   liveupdate_bus_name(state->needed_by->liveupdate),
			   dev_name(state->needed_by),
			   liveupdate_reason_names[state->reason]);
	if (state->requested && !(state->flags & LIVEUPDATE_INCOMING))
		seq_puts(s, " requested");
	if (state->flags & LIVEUPDATE_REMOVED)
		seq_puts(s, " removed");
	seq_putc(s, '\n');
}

/**
 * device_liveupdate_show_devices - print the set, one member per line
 * @s: where to print
 *
 * With no session, the requested devices; otherwise the ordered set.
 */
VISIBLE_IF_KUNIT void device_liveupdate_show_devices(struct seq_file *s)
{
	struct device_liveupdate *state;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state == DEVICE_LIVEUPDATE_NORMAL) {
		for (state = liveupdate_first_request(); state;
		     state = liveupdate_next_request(state))
			liveupdate_print_member(s, state);
		return;
	}
	list_for_each_entry(state, &liveupdate_set, set_entry)
		liveupdate_print_member(s, state);
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_show_devices);

static int devices_show(struct seq_file *s, void *unused)
{
	device_liveupdate_show_devices(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devices);

/**
 * device_liveupdate_handover - the record prepared for the next kernel
 * @size: where to store its length in bytes, 0 if there is none
 *
 * Context: the record stays valid until the session is cancelled.
 * Return: the record, a flattened device tree, or NULL if no session is
 * prepared.
 */
VISIBLE_IF_KUNIT const void *device_liveupdate_handover(size_t *size)
{
	*size = liveupdate_handover ? liveupdate_handover_size : 0;
	return liveupdate_handover;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_handover);

/* The record's bytes, for dtc -I dtb. */
static int handover_show(struct seq_file *s, void *unused)
{
	const void *record;
	size_t size;

	guard(mutex)(&liveupdate_mutex);

	record = device_liveupdate_handover(&size);
	if (record)
		seq_write(s, record, size);
	return 0;
}

#ifdef CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER
/* Longest record a test may write, in one write(2). */
#define LIVEUPDATE_TEST_RECORD_MAX	SZ_64K

static ssize_t handover_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	void *blob;
	int ret;

	if (*ppos || !count)
		return -EINVAL;
	if (count > LIVEUPDATE_TEST_RECORD_MAX)
		return -E2BIG;

	blob = vmemdup_user(ubuf, count);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	ret = liveupdate_replace_record(blob, count);
	kvfree(blob);
	return ret ? ret : count;
}
#else
#define handover_write NULL
#endif

static int handover_open(struct inode *inode, struct file *file)
{
	return single_open(file, handover_show, NULL);
}

static const struct file_operations handover_fops = {
	.open		= handover_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= handover_write,
};

static int states_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%u\n", device_liveupdate_states());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(states);

static int report_show(struct seq_file *s, void *unused)
{
	guard(mutex)(&liveupdate_mutex);

	liveupdate_record_show(s, liveupdate_incoming);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(report);

static int __init liveupdate_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("device_liveupdate", NULL);

	debugfs_create_file("devices", 0400, dir, NULL, &devices_fops);
	debugfs_create_file("handover",
			    IS_ENABLED(CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER) ?
			    0600 : 0400, dir, NULL, &handover_fops);
	debugfs_create_file("report", 0400, dir, NULL, &report_fops);
	debugfs_create_file("states", 0400, dir, NULL, &states_fops);
	return 0;
}
late_initcall(liveupdate_debugfs_init);
