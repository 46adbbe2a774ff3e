// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: the sysfs control files, the ABI userspace drives a
 * live update with (Documentation/ABI/testing/sysfs-devices-liveupdate and
 * sysfs-kernel-device_liveupdate).
 *
 *   /sys/devices/.../liveupdate    every device of an opted-in bus: its
 *                                  part in the live update; write a
 *                                  feature to request it, "none" to
 *                                  withdraw it
 *   /sys/kernel/device_liveupdate/session   the session's state; write
 *                                  prepare, cancel or finish
 *   /sys/kernel/device_liveupdate/report    what became of the devices
 *                                  the previous kernel handed over
 *
 * A write to a device's file holds the device lock, so that the driver
 * bound to it stays bound while it is asked for consent and called back.
 * Everything else is the core's API, under its locks (liveupdate.h).
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

/**
 * liveupdate_parse_features - parse feature names
 * @words: feature names separated by spaces
 *
 * Return: the features, or 0 if there are none or a name is unknown.
 */
unsigned int liveupdate_parse_features(char *words)
{
	unsigned int features = 0;
	char *word;
	int i;

	while ((word = strsep(&words, " ")) != NULL) {
		if (!*word)
			continue;
		i = match_string(liveupdate_feature_names,
				 ARRAY_SIZE(liveupdate_feature_names), word);
		if (i < 0)
			return 0;
		features |= BIT(i);
	}
	return features;
}

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

/* Request @dev, then let its driver set up what it needs. */
static int liveupdate_user_request(struct device *dev, unsigned int features)
{
	const struct device_liveupdate_driver_ops *ops;
	int ret;

	device_lock_assert(dev);

	ret = device_liveupdate_request(dev, features);
	ops = liveupdate_driver_ops(dev);
	if (ret || !ops || !ops->request)
		return ret;
	ret = ops->request(dev);
	if (ret) {
		dev_err(dev, "driver %s refused the liveupdate request: %d\n",
			dev->driver->name, ret);
		device_liveupdate_withdraw(dev);
	}
	return ret;
}

static int liveupdate_user_withdraw(struct device *dev)
{
	const struct device_liveupdate_driver_ops *ops;
	int ret;

	device_lock_assert(dev);

	ret = device_liveupdate_withdraw(dev);
	ops = liveupdate_driver_ops(dev);
	if (!ret && ops && ops->withdraw)
		ops->withdraw(dev);
	return ret;
}

/**
 * device_liveupdate_device_command - run a write to a device's file
 * @dev: the device
 * @text: what was written: feature names, or "none"
 * @count: its length
 *
 * Context: process context; takes the device lock.
 * Return: 0, -EINVAL for malformed input or an unknown feature, -E2BIG
 * for a line of LIVEUPDATE_LINE_MAX characters or more, or the error of
 * the request, the withdrawal or the driver's callback.
 */
VISIBLE_IF_KUNIT int device_liveupdate_device_command(struct device *dev,
						      const char *text, size_t count)
{
	char line[LIVEUPDATE_LINE_MAX];
	unsigned int features;
	int ret;

	ret = liveupdate_line(text, count, line);
	if (ret)
		return ret;

	guard(device)(dev);

	if (!strcmp(line, "none"))
		return liveupdate_user_withdraw(dev);
	features = liveupdate_parse_features(line);
	if (!features)
		return -EINVAL;
	return liveupdate_user_request(dev, features);
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_device_command);

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
 * One line: "none", "requested FEATURES", "member FEATURES requested" or
 * "member FEATURES needed-by BUS:DEVICE REASON", or "incoming FEATURES".
 */
static ssize_t liveupdate_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	char features[LIVEUPDATE_FEATURES_TEXT_LEN];
	struct device_liveupdate *state;
	int len;

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (!state)
		return sysfs_emit(buf, "none\n");
	if (state->flags & LIVEUPDATE_INCOMING) {
		len = sysfs_emit(buf, "incoming");
	} else if (state->flags & LIVEUPDATE_MEMBER) {
		len = sysfs_emit(buf, "member");
	} else {
		return sysfs_emit(buf, "requested %s\n",
				  liveupdate_features_text(features, sizeof(features),
							   state->requested));
	}
	len += sysfs_emit_at(buf, len, " %s",
			     liveupdate_features_text(features, sizeof(features),
						      liveupdate_features(state)));
	if (state->requested && !(state->flags & LIVEUPDATE_INCOMING))
		len += sysfs_emit_at(buf, len, " requested");
	else if (state->needed_by)
		len += sysfs_emit_at(buf, len, " needed-by %s:%s %s",
				     liveupdate_bus_name(state->needed_by->liveupdate),
				     dev_name(state->needed_by),
				     liveupdate_reason_names[state->reason]);
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t liveupdate_store(struct device *dev, struct device_attribute *attr,
				const char *buf, size_t count)
{
	int ret = device_liveupdate_device_command(dev, buf, count);

	return ret ? ret : count;
}

static DEVICE_ATTR_RW(liveupdate);

/**
 * liveupdate_sysfs_add - add a device's liveupdate file
 * @dev: a device of an opted-in bus, being added
 */
void liveupdate_sysfs_add(struct device *dev)
{
	if (device_create_file(dev, &dev_attr_liveupdate))
		dev_warn(dev, "no liveupdate sysfs file\n");
}

/**
 * liveupdate_sysfs_del - remove a device's liveupdate file
 * @dev: a device of an opted-in bus, being removed
 */
void liveupdate_sysfs_del(struct device *dev)
{
	device_remove_file(dev, &dev_attr_liveupdate);
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
	return sysfs_emit(buf, "%s%s\n",
			  liveupdate_state_names[device_liveupdate_state()],
			  READ_ONCE(liveupdate_broken) ? " broken" : "");
}

static ssize_t session_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	int ret = device_liveupdate_session_command(buf, count);

	return ret ? ret : count;
}

static ssize_t report_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	unsigned int totals[LIVEUPDATE_RECORD_STATUSES];

	guard(mutex)(&liveupdate_mutex);

	if (!liveupdate_incoming)
		return sysfs_emit(buf, "none\n");
	liveupdate_record_totals(liveupdate_incoming, totals);
	return sysfs_emit(buf,
			  "pending %u restored %u missing %u mismatch %u removed %u refused %u\n",
			  totals[LIVEUPDATE_RECORD_PENDING],
			  totals[LIVEUPDATE_RECORD_RESTORED],
			  totals[LIVEUPDATE_RECORD_MISSING],
			  totals[LIVEUPDATE_RECORD_MISMATCH],
			  totals[LIVEUPDATE_RECORD_REMOVED],
			  totals[LIVEUPDATE_RECORD_REFUSED]);
}

static struct kobj_attribute session_attribute = __ATTR_RW_MODE(session, 0644);
static struct kobj_attribute report_attribute = __ATTR_RO(report);

static struct attribute *liveupdate_attrs[] = {
	&session_attribute.attr,
	&report_attribute.attr,
	NULL
};
ATTRIBUTE_GROUPS(liveupdate);

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
