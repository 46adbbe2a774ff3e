// SPDX-License-Identifier: GPL-2.0
/*
 * Test platform devices to exercise device liveupdate without hardware
 * (CONFIG_DEVICE_LIVEUPDATE_STUB_TEST): they stand for nothing real.
 *
 * /sys/kernel/debug/liveupdate_stub/create takes "NAME PARENT|- [SUPPLIER]"
 * and registers a platform device NAME bound to the "liveupdate-test-stub"
 * driver, below the stub device PARENT (or the platform bus root for "-"),
 * with a stateless device link to the stub device SUPPLIER if given.
 * /sys/kernel/debug/liveupdate_stub/remove takes "NAME" and unregisters a
 * stub device that is neither the parent nor the supplier of another one.
 * The devices can then be requested through their liveupdate sysfs files.
 * /sys/kernel/debug/liveupdate_stub/memory takes "NAME" of a requested stub
 * device: the stub fills a page with a pattern naming the device and
 * declares it preserved.  After the kexec, the driver's probe() of the
 * device made again takes its preserved memory back and logs whether the
 * pattern is intact.  The driver's shutdown() logs one line per call, so
 * that a test reading the console can tell which devices the kexec shut
 * down.
 */

#include <linux/cleanup.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define LIVEUPDATE_STUB_DRIVER	"liveupdate-test-stub"
#define LIVEUPDATE_STUB_LINE	128

/**
 * struct liveupdate_stub - one stub device
 * @entry: entry in liveupdate_stubs
 * @pdev: the platform device
 * @parent: the stub device it sits below, or NULL
 * @supplier: the stub device it is linked to as consumer, or NULL
 * @link: the device link to @supplier, or NULL
 * @memory: the page declared preserved for the device, or NULL
 */
struct liveupdate_stub {
	struct list_head entry;
	struct platform_device *pdev;
	struct liveupdate_stub *parent;
	struct liveupdate_stub *supplier;
	struct device_link *link;
	struct page *memory;
};

static DEFINE_MUTEX(liveupdate_stub_mutex);
static LIST_HEAD(liveupdate_stubs);

/* Fill a page with a pattern naming @dev. */
static void liveupdate_stub_pattern(struct device *dev, char *page)
{
	size_t len = 0;

	while (len < PAGE_SIZE - 1)
		len += scnprintf(page + len, PAGE_SIZE - len,
				 "kept for %s across the kexec. ", dev_name(dev));
}

/* Check a range the previous kernel preserved for @dev. */
static void liveupdate_stub_check(struct device *dev, phys_addr_t start,
				  u64 size)
{
	char *expected __free(kfree) = kzalloc(PAGE_SIZE, GFP_KERNEL);
	void *kept;

	kept = memremap(start, size, MEMREMAP_WB);
	if (!expected || !kept || size != PAGE_SIZE) {
		dev_err(dev, "liveupdate stub: cannot check kept memory\n");
	} else {
		liveupdate_stub_pattern(dev, expected);
		if (memcmp(kept, expected, PAGE_SIZE))
			dev_err(dev, "liveupdate stub: kept memory changed\n");
		else
			dev_info(dev, "liveupdate stub: kept memory intact\n");
	}
	if (kept)
		memunmap(kept);
}

static int liveupdate_stub_probe(struct platform_device *pdev)
{
	phys_addr_t start;
	unsigned int i;
	u64 size;

	for (i = 0; !device_liveupdate_incoming_memory(&pdev->dev, i, &start, &size); i++)
		liveupdate_stub_check(&pdev->dev, start, size);
	dev_info(&pdev->dev, "liveupdate stub bound\n");
	return 0;
}

static void liveupdate_stub_shutdown(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "liveupdate stub shutdown\n");
}

/* The stub devices have nothing to hand over but themselves: consent only. */
static const struct device_liveupdate_driver_ops liveupdate_stub_liveupdate_ops = {};

static struct platform_driver liveupdate_stub_driver = {
	.probe		= liveupdate_stub_probe,
	.shutdown	= liveupdate_stub_shutdown,
	.driver		= {
		.name			= LIVEUPDATE_STUB_DRIVER,
		.suppress_bind_attrs	= true,
		.liveupdate		= &liveupdate_stub_liveupdate_ops,
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
	/* Still declared while a session exists: then the page stays. */
	if (stub->memory &&
	    device_liveupdate_release_memory(&stub->pdev->dev,
					     page_to_phys(stub->memory),
					     PAGE_SIZE) != -EBUSY)
		__free_page(stub->memory);
	platform_device_unregister(stub->pdev);
	kfree(stub);
	return 0;
}

static int liveupdate_stub_memory(const char *name)
{
	struct liveupdate_stub *stub;
	struct page *page;
	int ret;

	guard(mutex)(&liveupdate_stub_mutex);

	stub = liveupdate_stub_find(name);
	if (!stub)
		return -ENODEV;
	if (stub->memory)
		return -EEXIST;
	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	liveupdate_stub_pattern(&stub->pdev->dev, page_address(page));
	ret = device_liveupdate_preserve_memory(&stub->pdev->dev,
						page_to_phys(page), PAGE_SIZE);
	if (ret) {
		__free_page(page);
		return ret;
	}
	stub->memory = page;
	return 0;
}

enum liveupdate_stub_command { STUB_CREATE, STUB_REMOVE, STUB_MEMORY };

static ssize_t liveupdate_stub_write(const char __user *ubuf, size_t count,
				     enum liveupdate_stub_command command)
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

	if (command == STUB_CREATE)
		ret = n >= 2 && n <= 3 ?
		      liveupdate_stub_create(words[0], words[1], words[2]) :
		      -EINVAL;
	else if (n != 1)
		ret = -EINVAL;
	else if (command == STUB_REMOVE)
		ret = liveupdate_stub_remove(words[0]);
	else
		ret = liveupdate_stub_memory(words[0]);
	return ret ? ret : count;
}

static ssize_t create_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return liveupdate_stub_write(ubuf, count, STUB_CREATE);
}

static ssize_t remove_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return liveupdate_stub_write(ubuf, count, STUB_REMOVE);
}

static ssize_t memory_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return liveupdate_stub_write(ubuf, count, STUB_MEMORY);
}

static const struct file_operations create_fops = {
	.owner	= THIS_MODULE,
	.write	= create_write,
};

static const struct file_operations remove_fops = {
	.owner	= THIS_MODULE,
	.write	= remove_write,
};

static const struct file_operations memory_fops = {
	.owner	= THIS_MODULE,
	.write	= memory_write,
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
	debugfs_create_file("memory", 0200, dir, NULL, &memory_fops);
	return 0;
}
late_initcall(liveupdate_stub_init);
