// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: the sysfs files (Documentation/ABI/testing/
 * sysfs-devices-liveupdate and sysfs-kernel-device_liveupdate).
 *
 *   /sys/devices/.../liveupdate/       every device of an opted-in bus, a
 *                                      group made with the device: its
 *                                      part in the live update, one value
 *                                      per read-only file
 *   /sys/kernel/device_liveupdate/session   the session's state; root
 *                                      writes prepare, cancel or finish
 *   /sys/kernel/device_liveupdate/broken    1 if a member was removed or
 *                                      unbound during the session
 *   /sys/kernel/device_liveupdate/report/   per status, how many devices
 *                                      the previous kernel handed over
 *
 * Devices are requested by their drivers, through interfaces of their own.
 * Everything here reads the core's state under liveupdate_mutex
 * (liveupdate.h) or calls the session's steps.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <kunit/visibility.h>

#include "base.h"
#include "liveupdate.h"

const char * const liveupdate_feature_names[LIVEUPDATE_NR_FEATURES] = {
	"bus-master",
};

const char * const liveupdate_state_names[DEVICE_LIVEUPDATE_INCOMING + 1] = {
	[DEVICE_LIVEUPDATE_NORMAL]	= "normal",
	[DEVICE_LIVEUPDATE_PREPARED]	= "prepared",
	[DEVICE_LIVEUPDATE_FROZEN]	= "frozen",
	[DEVICE_LIVEUPDATE_INCOMING]	= "incoming",
};

/* Longest line a control file takes, newline included. */
#define LIVEUPDATE_LINE_MAX	64

/* Copy a written line without its newline; refuse what is not one. */
static int liveupdate_line(const char *text, size_t len, char *line)
{
	size_t i;

	if (len && text[len - 1] == '\n')
		len--;
	if (!len)
		return -EINVAL;
	if (len >= LIVEUPDATE_LINE_MAX)
		return -E2BIG;
	for (i = 0; i < len; i++)
		if (!isascii(text[i]) || !isprint(text[i]))
			return -EINVAL;
	memcpy(line, text, len);
	line[len] = '\0';
	return 0;
}

/**
 * liveupdate_features_text - name features, separated by commas
 * @buf: where to write them, NUL-terminated
 * @size: the size of @buf, LIVEUPDATE_FEATURES_TEXT_LEN
 * @features: DEVICE_LIVEUPDATE_* features
 *
 * Return: @buf, or "-" for no feature.
 */
const char *liveupdate_features_text(char *buf, size_t size,
				     unsigned int features)
{
	size_t len = 0;
	int i;

	for (i = 0; i < LIVEUPDATE_NR_FEATURES; i++)
		if (features & BIT(i))
			len += scnprintf(buf + len, size - len, "%s%s",
					 len ? "," : "",
					 liveupdate_feature_names[i]);
	return len ? buf : "-";
}

/*
 * The device's part, one value per file, read-only: drivers request their
 * devices through interfaces of their own.
 */
static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct device_liveupdate *state;
	const char *part = "none";

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (!state)
		part = "none";
	else if (state->flags & LIVEUPDATE_INCOMING)
		part = "incoming";
	else if (state->flags & LIVEUPDATE_MEMBER)
		part = "member";
	else if (state->requested)
		part = "requested";
	return sysfs_emit(buf, "%s\n", part);
}
static DEVICE_ATTR_RO(state);

static ssize_t liveupdate_features_show(struct device *dev, char *buf,
					bool requested)
{
	char text[LIVEUPDATE_FEATURES_TEXT_LEN];
	struct device_liveupdate *state;
	unsigned int features = 0;

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (state)
		features = requested ? state->requested : liveupdate_features(state);
	if (!features)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s\n",
			  liveupdate_features_text(text, sizeof(text), features));
}

static ssize_t requested_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return liveupdate_features_show(dev, buf, true);
}
static DEVICE_ATTR_RO(requested);

static ssize_t features_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return liveupdate_features_show(dev, buf, false);
}
static DEVICE_ATTR_RO(features);

static ssize_t needed_by_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct device_liveupdate *state;

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (!state || !state->needed_by)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s:%s\n",
			  liveupdate_bus_name(state->needed_by->liveupdate),
			  dev_name(state->needed_by));
}
static DEVICE_ATTR_RO(needed_by);

static ssize_t reason_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct device_liveupdate *state;

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (!state || !state->needed_by)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s\n", liveupdate_reason_names[state->reason]);
}
static DEVICE_ATTR_RO(reason);

static struct attribute *liveupdate_device_attrs[] = {
	&dev_attr_state.attr,
	&dev_attr_requested.attr,
	&dev_attr_features.attr,
	&dev_attr_needed_by.attr,
	&dev_attr_reason.attr,
	NULL
};

static const struct attribute_group liveupdate_device_group = {
	.name	= "liveupdate",
	.attrs	= liveupdate_device_attrs,
};

static const struct attribute_group *liveupdate_device_groups[] = {
	&liveupdate_device_group,
	NULL
};

/**
 * device_liveupdate_add_groups - add a device's liveupdate directory
 * @dev: a device being added to its bus
 *
 * Called by bus_add_device() with the bus's own groups, before the device
 * is announced, for every device of a bus that supports liveupdate.
 *
 * Return: 0 or the error of device_add_groups().
 */
int device_liveupdate_add_groups(struct device *dev)
{
	if (!liveupdate_ops(dev))
		return 0;
	return device_add_groups(dev, liveupdate_device_groups);
}

/**
 * device_liveupdate_remove_groups - remove what device_liveupdate_add_groups() added
 * @dev: a device being removed from its bus
 */
void device_liveupdate_remove_groups(struct device *dev)
{
	if (liveupdate_ops(dev))
		device_remove_groups(dev, liveupdate_device_groups);
}

/**
 * device_liveupdate_session_command - run a write to the session file
 * @text: "prepare", "cancel" or "finish", a newline allowed
 * @count: its length
 *
 * Return: what the step returned, -EINVAL for an unknown command, -E2BIG
 * for a line of LIVEUPDATE_LINE_MAX characters or more.
 */
VISIBLE_IF_KUNIT int device_liveupdate_session_command(const char *text,
						       size_t count)
{
	char line[LIVEUPDATE_LINE_MAX];
	int ret;

	ret = liveupdate_line(text, count, line);
	if (ret)
		return ret;
	if (!strcmp(line, "prepare"))
		return device_liveupdate_prepare();
	if (!strcmp(line, "cancel"))
		return device_liveupdate_cancel();
	if (!strcmp(line, "finish"))
		return device_liveupdate_finish();
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_session_command);

static ssize_t session_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  liveupdate_state_names[device_liveupdate_state()]);
}

static ssize_t session_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	int ret = device_liveupdate_session_command(buf, count);

	return ret ? ret : count;
}

static ssize_t broken_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(liveupdate_broken));
}

static struct kobj_attribute session_attribute = __ATTR_RW_MODE(session, 0644);
static struct kobj_attribute broken_attribute = __ATTR_RO(broken);

static struct attribute *liveupdate_attrs[] = {
	&session_attribute.attr,
	&broken_attribute.attr,
	NULL
};

static const struct attribute_group liveupdate_group = {
	.attrs	= liveupdate_attrs,
};

/* report/STATUS: how many entries of the incoming record have STATUS. */
static ssize_t liveupdate_report_show(char *buf, enum liveupdate_record_status status)
{
	unsigned int totals[LIVEUPDATE_RECORD_STATUSES];

	guard(mutex)(&liveupdate_mutex);

	if (!liveupdate_incoming)
		return sysfs_emit(buf, "0\n");
	liveupdate_record_totals(liveupdate_incoming, totals);
	return sysfs_emit(buf, "%u\n", totals[status]);
}

#define LIVEUPDATE_REPORT_ATTR(name, status)					\
static ssize_t name##_show(struct kobject *kobj,				\
			   struct kobj_attribute *attr, char *buf)		\
{										\
	return liveupdate_report_show(buf, status);				\
}										\
static struct kobj_attribute name##_attribute = __ATTR_RO(name)

LIVEUPDATE_REPORT_ATTR(pending, LIVEUPDATE_RECORD_PENDING);
LIVEUPDATE_REPORT_ATTR(restored, LIVEUPDATE_RECORD_RESTORED);
LIVEUPDATE_REPORT_ATTR(missing, LIVEUPDATE_RECORD_MISSING);
LIVEUPDATE_REPORT_ATTR(mismatch, LIVEUPDATE_RECORD_MISMATCH);
LIVEUPDATE_REPORT_ATTR(removed, LIVEUPDATE_RECORD_REMOVED);
LIVEUPDATE_REPORT_ATTR(refused, LIVEUPDATE_RECORD_REFUSED);

static struct attribute *liveupdate_report_attrs[] = {
	&pending_attribute.attr,
	&restored_attribute.attr,
	&missing_attribute.attr,
	&mismatch_attribute.attr,
	&removed_attribute.attr,
	&refused_attribute.attr,
	NULL
};

static const struct attribute_group liveupdate_report_group = {
	.name	= "report",
	.attrs	= liveupdate_report_attrs,
};

static const struct attribute_group *liveupdate_groups[] = {
	&liveupdate_group,
	&liveupdate_report_group,
	NULL
};

static int __init liveupdate_sysfs_init(void)
{
	struct kobject *kobj;
	int ret;

	kobj = kobject_create_and_add("device_liveupdate", kernel_kobj);
	if (!kobj)
		return -ENOMEM;
	ret = sysfs_create_groups(kobj, liveupdate_groups);
	if (ret)
		kobject_put(kobj);
	return ret;
}
postcore_initcall(liveupdate_sysfs_init);
