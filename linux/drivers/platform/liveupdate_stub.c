// SPDX-License-Identifier: GPL-2.0
/*
 * Stub platform devices to exercise device liveupdate without hardware.
 *
 * /sys/kernel/debug/liveupdate_stub/create takes "NAME PARENT|- [SUPPLIER]"
 * and registers a platform device NAME bound to the "liveupdate-stub"
 * driver, below the stub device PARENT (or the platform bus root for "-"),
 * with a stateless device link to the stub device SUPPLIER if given.
 * /sys/kernel/debug/liveupdate_stub/remove takes "NAME" and unregisters a
 * stub device that is neither the parent nor the supplier of another one.
 * The devices can then be requested through the liveupdate debugfs files.
 * The driver's shutdown() logs one line per call, so that a test reading
 * the console can tell which devices the kexec shut down.
 */

#include <linux/cleanup.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/init.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define LIVEUPDATE_STUB_DRIVER	"liveupdate-stub"
#define LIVEUPDATE_STUB_LINE	128

/**
 * struct liveupdate_stub - one stub device
 * @entry: entry in liveupdate_stubs
 * @pdev: the platform device
 * @parent: the stub device it sits below, or NULL
 * @supplier: the stub device it is linked to as consumer, or NULL
 * @link: the device link to @supplier, or NULL
 */
struct liveupdate_stub {
	struct list_head entry;
	struct platform_device *pdev;
	struct liveupdate_stub *parent;
	struct liveupdate_stub *supplier;
	struct device_link *link;
};

static DEFINE_MUTEX(liveupdate_stub_mutex);
static LIST_HEAD(liveupdate_stubs);

static int liveupdate_stub_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "liveupdate stub bound\n");
	return 0;
}

static void liveupdate_stub_shutdown(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "liveupdate stub shutdown\n");
}

static struct platform_driver liveupdate_stub_driver = {
	.probe		= liveupdate_stub_probe,
	.shutdown	= liveupdate_stub_shutdown,
	.driver		= {
		.name			= LIVEUPDATE_STUB_DRIVER,
		.suppress_bind_attrs	= true,
	},
};

static struct liveupdate_stub *liveupdate_stub_find(const char *name)
{
	struct liveupdate_stub *stub;

	lockdep_assert_held(&liveupdate_stub_mutex);

	list_for_each_entry(stub, &liveupdate_stubs, entry)
		if (!strcmp(dev_name(&stub->pdev->dev), name))
			return stub;
	return NULL;
}

static int liveupdate_stub_create(const char *name, const char *parent_name,
				  const char *supplier_name)
{
	struct liveupdate_stub *parent = NULL, *supplier = NULL;
	struct platform_device *pdev;
	int ret;

	guard(mutex)(&liveupdate_stub_mutex);

	if (strcmp(parent_name, "-")) {
		parent = liveupdate_stub_find(parent_name);
		if (!parent)
			return -ENODEV;
	}
	if (supplier_name) {
		supplier = liveupdate_stub_find(supplier_name);
		if (!supplier)
			return -ENODEV;
	}

	struct liveupdate_stub *stub __free(kfree) = kzalloc(sizeof(*stub),
							     GFP_KERNEL);
	if (!stub)
		return -ENOMEM;

	pdev = platform_device_alloc(name, PLATFORM_DEVID_NONE);
	if (!pdev)
		return -ENOMEM;
	ret = device_set_driver_override(&pdev->dev, LIVEUPDATE_STUB_DRIVER);
	if (ret) {
		platform_device_put(pdev);
		return ret;
	}
	if (parent)
		pdev->dev.parent = &parent->pdev->dev;
	ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		return ret;
	}
	if (supplier) {
		stub->link = device_link_add(&pdev->dev, &supplier->pdev->dev,
					     DL_FLAG_STATELESS);
		if (!stub->link) {
			platform_device_unregister(pdev);
			return -EINVAL;
		}
	}

	stub->pdev = pdev;
	stub->parent = parent;
	stub->supplier = supplier;
	list_add_tail(&no_free_ptr(stub)->entry, &liveupdate_stubs);
	return 0;
}

static int liveupdate_stub_remove(const char *name)
{
	struct liveupdate_stub *stub, *other;

	guard(mutex)(&liveupdate_stub_mutex);

	stub = liveupdate_stub_find(name);
	if (!stub)
		return -ENODEV;
	list_for_each_entry(other, &liveupdate_stubs, entry)
		if (other->parent == stub || other->supplier == stub)
			return -EBUSY;

	list_del(&stub->entry);
	if (stub->link)
		device_link_del(stub->link);
	platform_device_unregister(stub->pdev);
	kfree(stub);
	return 0;
}

static ssize_t liveupdate_stub_write(const char __user *ubuf, size_t count,
				     bool create)
{
	char *words[4] = {};
	char *line, *cursor;
	int n = 0, ret;

	if (count >= LIVEUPDATE_STUB_LINE)
		return -E2BIG;
	char *buf __free(kfree) = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	cursor = strim(buf);
	while ((line = strsep(&cursor, " \t")) && n < ARRAY_SIZE(words)) {
		if (*line)
			words[n++] = line;
	}
	if (line)
		return -EINVAL;

	if (create)
		ret = n >= 2 && n <= 3 ?
		      liveupdate_stub_create(words[0], words[1], words[2]) :
		      -EINVAL;
	else
		ret = n == 1 ? liveupdate_stub_remove(words[0]) : -EINVAL;
	return ret ? ret : count;
}

static ssize_t create_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return liveupdate_stub_write(ubuf, count, true);
}

static ssize_t remove_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return liveupdate_stub_write(ubuf, count, false);
}

static const struct file_operations create_fops = {
	.owner	= THIS_MODULE,
	.write	= create_write,
};

static const struct file_operations remove_fops = {
	.owner	= THIS_MODULE,
	.write	= remove_write,
};

static int __init liveupdate_stub_init(void)
{
	struct dentry *dir;
	int ret;

	ret = platform_driver_register(&liveupdate_stub_driver);
	if (ret)
		return ret;

	dir = debugfs_create_dir("liveupdate_stub", NULL);
	debugfs_create_file("create", 0200, dir, NULL, &create_fops);
	debugfs_create_file("remove", 0200, dir, NULL, &remove_fops);
	return 0;
}
late_initcall(liveupdate_stub_init);
