// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: debugfs, under /sys/kernel/debug/device_liveupdate/.
 *
 * Control files (request, withdraw, session) that run the same calls a
 * driver or the session makes, and read-only views of the set, the record
 * for the next kernel, the reconciliation report and the number of states.
 * The views take liveupdate_mutex while they print.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/cleanup.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "base.h"
#include "liveupdate.h"

static const char * const liveupdate_state_names[] = {
	[DEVICE_LIVEUPDATE_NORMAL]	= "normal",
	[DEVICE_LIVEUPDATE_PREPARED]	= "prepared",
	[DEVICE_LIVEUPDATE_FROZEN]	= "frozen",
	[DEVICE_LIVEUPDATE_INCOMING]	= "incoming",
};

static const char * const liveupdate_feature_names[] = {
	"bus-master",
};

static void liveupdate_print_features(struct seq_file *s, const char *label,
				      unsigned int features)
{
	const char *sep = "";
	int i;

	seq_printf(s, " %s=", label);
	if (!features)
		seq_putc(s, '-');
	for (i = 0; i < ARRAY_SIZE(liveupdate_feature_names); i++) {
		if (features & BIT(i)) {
			seq_printf(s, "%s%s", sep, liveupdate_feature_names[i]);
			sep = ",";
		}
	}
}

/*
 * A member removed during the session may outlive its bus (a module's bus
 * unregistered after its last device): the bus of a removed member is not
 * read, and "-" stands for its name.
 */
static const char *liveupdate_bus_name(struct device_liveupdate *state)
{
	return state->flags & LIVEUPDATE_REMOVED ? "-" : state->dev->bus->name;
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

/**
 * device_liveupdate_parse_features - parse feature names
 * @words: space-separated feature names, or an empty string
 *
 * Return: the features (DEVICE_LIVEUPDATE_BUS_MASTER when @words is empty),
 * or 0 if a name is unknown.
 */
static unsigned int device_liveupdate_parse_features(char *words)
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
	return features ? features : DEVICE_LIVEUPDATE_BUS_MASTER;
}

/**
 * device_liveupdate_command - run a "<bus> <device> [features]" command
 * @line: the command, as written to debugfs, trailing newline allowed
 * @withdraw: withdraw instead of request
 *
 * Return: 0, -EINVAL for malformed input, -ENODEV for an unknown bus or
 * device, or what device_liveupdate_request() or _withdraw() returned.
 */
VISIBLE_IF_KUNIT int device_liveupdate_command(char *line, bool withdraw)
{
	char *bus_name, *dev_name;
	unsigned int features;
	struct device *dev;
	int ret;

	line = strim(line);
	bus_name = strsep(&line, " ");
	dev_name = strsep(&line, " ");
	if (!bus_name || !*bus_name || !dev_name || !*dev_name)
		return -EINVAL;
	features = device_liveupdate_parse_features(line ? line : "");
	if (!features || (withdraw && line && *line))
		return -EINVAL;

	ret = device_liveupdate_find_device(bus_name, dev_name, &dev);
	if (ret)
		return ret;
	ret = withdraw ? device_liveupdate_withdraw(dev) :
			 device_liveupdate_request(dev, features);
	put_device(dev);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_command);

/**
 * device_liveupdate_session_command - run "prepare", "cancel" or "finish"
 * @line: the command, trailing newline allowed
 *
 * Return: what the step returned, or -EINVAL for an unknown command.
 */
VISIBLE_IF_KUNIT int device_liveupdate_session_command(char *line)
{
	line = strim(line);
	if (!strcmp(line, "prepare"))
		return device_liveupdate_prepare();
	if (!strcmp(line, "cancel"))
		return device_liveupdate_cancel();
	if (!strcmp(line, "finish"))
		return device_liveupdate_finish();
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_session_command);

/* Longest command accepted through debugfs, newline included. */
#define LIVEUPDATE_COMMAND_MAX	128

static ssize_t liveupdate_write(const char __user *ubuf, size_t count,
				loff_t *ppos, int (*run)(char *line, void *arg),
				void *arg)
{
	char buf[LIVEUPDATE_COMMAND_MAX + 1];
	size_t i;
	int ret;

	if (*ppos)
		return -EINVAL;
	if (!count)
		return -EINVAL;
	if (count > LIVEUPDATE_COMMAND_MAX)
		return -E2BIG;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	for (i = 0; i < count; i++)
		if (!isprint(buf[i]) && buf[i] != '\n')
			return -EINVAL;

	ret = run(buf, arg);
	return ret ? ret : count;
}

static int liveupdate_run_device_command(char *line, void *withdraw)
{
	return device_liveupdate_command(line, withdraw);
}

static int liveupdate_run_session_command(char *line, void *unused)
{
	return device_liveupdate_session_command(line);
}

static ssize_t request_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return liveupdate_write(ubuf, count, ppos,
				liveupdate_run_device_command, NULL);
}

static ssize_t withdraw_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	return liveupdate_write(ubuf, count, ppos,
				liveupdate_run_device_command, (void *)1);
}

static ssize_t session_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return liveupdate_write(ubuf, count, ppos,
				liveupdate_run_session_command, NULL);
}

static int session_show(struct seq_file *s, void *unused)
{
	enum device_liveupdate_session_state state = device_liveupdate_state();

	seq_printf(s, "%s%s\n", liveupdate_state_names[state],
		   READ_ONCE(liveupdate_broken) ? " broken" : "");
	return 0;
}

static int session_open(struct inode *inode, struct file *file)
{
	return single_open(file, session_show, NULL);
}

static int devices_show(struct seq_file *s, void *unused)
{
	device_liveupdate_show_devices(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devices);

/**
 * device_liveupdate_handover - the record prepared for the next kernel
 *
 * Context: the record stays valid until the session is cancelled.
 * Return: the record, or an empty string if no session is prepared.
 */
VISIBLE_IF_KUNIT const char *device_liveupdate_handover(void)
{
	return liveupdate_handover ?: "";
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_handover);

static int handover_show(struct seq_file *s, void *unused)
{
	const char *record;

	guard(mutex)(&liveupdate_mutex);

	record = device_liveupdate_handover();
	if (record[0])
		seq_printf(s, "%s\n", record);
	return 0;
}

#ifdef CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER
/* Longest record a test may write, newline included. */
#define LIVEUPDATE_TEST_RECORD_MAX	SZ_64K

static ssize_t handover_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	int ret;

	if (*ppos || !count)
		return -EINVAL;
	if (count > LIVEUPDATE_TEST_RECORD_MAX)
		return -E2BIG;

	char *text __free(kvfree) = kvmalloc(count + 1, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	if (copy_from_user(text, ubuf, count))
		return -EFAULT;
	text[count] = '\0';
	ret = liveupdate_replace_record(strim(text));
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

static const struct file_operations request_fops = {
	.owner = THIS_MODULE,
	.write = request_write,
};

static const struct file_operations withdraw_fops = {
	.owner = THIS_MODULE,
	.write = withdraw_write,
};

static const struct file_operations session_fops = {
	.owner = THIS_MODULE,
	.open = session_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = session_write,
};

static int __init liveupdate_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("device_liveupdate", NULL);

	debugfs_create_file("request", 0200, dir, NULL, &request_fops);
	debugfs_create_file("withdraw", 0200, dir, NULL, &withdraw_fops);
	debugfs_create_file("session", 0600, dir, NULL, &session_fops);
	debugfs_create_file("devices", 0400, dir, NULL, &devices_fops);
	debugfs_create_file("handover",
			    IS_ENABLED(CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER) ?
			    0600 : 0400, dir, NULL, &handover_fops);
	debugfs_create_file("report", 0400, dir, NULL, &report_fops);
	debugfs_create_file("states", 0400, dir, NULL, &states_fops);
	return 0;
}
late_initcall(liveupdate_debugfs_init);
