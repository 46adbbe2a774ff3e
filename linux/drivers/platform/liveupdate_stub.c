// SPDX-License-Identifier: GPL-2.0
/*
 * Test drivers to exercise device liveupdate without real hardware
 * (CONFIG_DEVICE_LIVEUPDATE_STUB_TEST): they drive nothing real.
 *
 * "liveupdate-test-stub" is a platform driver for stub devices and, with
 * PCI, a PCI driver that binds only where driver_override names it.  Both
 * agree to keep their devices (struct device_liveupdate_driver_ops), log
 * each callback with the features it is given, and request their devices
 * when a test asks, which is what a real driver does from an interface of
 * its own.  Through /sys/kernel/debug/liveupdate_stub/:
 *
 *   create   "NAME PARENT|- [SUPPLIER]": register a platform device NAME
 *            bound to the stub, below the stub device PARENT (or the
 *            platform bus root for "-"), with a stateless device link to
 *            the stub device SUPPLIER if given
 *   remove   "NAME": unregister a stub device that is neither the parent
 *            nor the supplier of another one
 *   memory   "BUS DEVICE [COUNT|top]": fill COUNT pages (one if not
 *            given), each a range of its own, with a pattern naming the
 *            device, bound to the stub, and declare them preserved; "top"
 *            takes the last page of System RAM, where kexec places its
 *            first segment top-down (CONFIG_CONTIG_ALLOC); after the
 *            kexec, the stub's probe() of the device takes them back and
 *            logs whether each pattern is intact
 *   request  "BUS DEVICE bus-master|none": request, or withdraw, a device
 *            of BUS (platform or pci) bound to the stub
 *   refuse   "BUS DEVICE prepare|freeze|none": the stub's prepare or
 *            freeze callback for that device fails, or no longer does
 *
 * The driver's shutdown() logs one line per call, so that a test reading
 * the console can tell which devices the kexec or a reboot shut down.
 */

#include <linux/cleanup.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define LIVEUPDATE_STUB_DRIVER	"liveupdate-test-stub"
#define LIVEUPDATE_STUB_LINE	128

/* What a test makes the stub refuse for one bound device. */
#define LIVEUPDATE_STUB_REFUSE_PREPARE	BIT(0)
#define LIVEUPDATE_STUB_REFUSE_FREEZE	BIT(1)

/**
 * struct liveupdate_stub_binding - the stub bound to one device (drvdata)
 * @refuse: LIVEUPDATE_STUB_REFUSE_* callbacks that fail
 * @nr_pages: number of entries in @pages
 * @pages: the pages declared preserved for the device
 */
struct liveupdate_stub_binding {
	unsigned int refuse;
	unsigned int nr_pages;
	struct page *pages[DEVICE_LIVEUPDATE_MEMORY_RANGES];
};

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

static const char *liveupdate_stub_features(unsigned int features)
{
	return features & DEVICE_LIVEUPDATE_BUS_MASTER ? "bus-master" : "-";
}

static void liveupdate_stub_log(struct device *dev, const char *step,
				unsigned int requested, unsigned int derived)
{
	dev_info(dev, "liveupdate stub: %s requested=%s derived=%s\n", step,
		 liveupdate_stub_features(requested),
		 liveupdate_stub_features(derived));
}

static int liveupdate_stub_refused(struct device *dev, unsigned int callback)
{
	struct liveupdate_stub_binding *binding = dev_get_drvdata(dev);

	return binding->refuse & callback ? -EPERM : 0;
}

static int liveupdate_stub_prepare(struct device *dev, unsigned int requested,
				   unsigned int derived)
{
	liveupdate_stub_log(dev, "prepare", requested, derived);
	return liveupdate_stub_refused(dev, LIVEUPDATE_STUB_REFUSE_PREPARE);
}

/* A device kept only for others would quiesce what it owns here. */
static int liveupdate_stub_freeze(struct device *dev, unsigned int requested,
				  unsigned int derived)
{
	liveupdate_stub_log(dev, "freeze", requested, derived);
	return liveupdate_stub_refused(dev, LIVEUPDATE_STUB_REFUSE_FREEZE);
}

static void liveupdate_stub_unfreeze(struct device *dev, unsigned int requested,
				     unsigned int derived)
{
	liveupdate_stub_log(dev, "unfreeze", requested, derived);
}

static void liveupdate_stub_cancel(struct device *dev, unsigned int requested,
				   unsigned int derived)
{
	liveupdate_stub_log(dev, "cancel", requested, derived);
}

static void liveupdate_stub_finish(struct device *dev, unsigned int features)
{
	liveupdate_stub_log(dev, "finish", 0, features);
}

static const struct device_liveupdate_driver_ops liveupdate_stub_liveupdate_ops = {
	.prepare	= liveupdate_stub_prepare,
	.freeze		= liveupdate_stub_freeze,
	.unfreeze	= liveupdate_stub_unfreeze,
	.cancel		= liveupdate_stub_cancel,
	.finish		= liveupdate_stub_finish,
};

/*
 * Unbound: free the pages no longer declared.  A page still declared
 * belongs to a session that holds the device (an unbinding it could not
 * refuse): it stays allocated.
 */
static void liveupdate_stub_unbind(void *data)
{
	struct device *dev = data;
	struct liveupdate_stub_binding *binding = dev_get_drvdata(dev);
	unsigned int i;

	for (i = 0; i < binding->nr_pages; i++) {
		phys_addr_t start = page_to_phys(binding->pages[i]);

		if (device_liveupdate_release_memory(dev, start, PAGE_SIZE) != -EBUSY)
			__free_page(binding->pages[i]);
	}
}

static int liveupdate_stub_bind(struct device *dev)
{
	struct liveupdate_stub_binding *binding;
	phys_addr_t start;
	unsigned int i;
	u64 size;
	int ret;

	for (i = 0; !device_liveupdate_incoming_memory(dev, i, &start, &size); i++)
		liveupdate_stub_check(dev, start, size);

	binding = devm_kzalloc(dev, sizeof(*binding), GFP_KERNEL);
	if (!binding)
		return -ENOMEM;
	dev_set_drvdata(dev, binding);
	ret = devm_add_action_or_reset(dev, liveupdate_stub_unbind, dev);
	if (ret)
		return ret;
	dev_info(dev, "liveupdate stub bound\n");
	return 0;
}

static int liveupdate_stub_probe(struct platform_device *pdev)
{
	return liveupdate_stub_bind(&pdev->dev);
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
		.liveupdate		= &liveupdate_stub_liveupdate_ops,
	},
};

#ifdef CONFIG_PCI
/* No ID table: binds where driver_override names it, leaves the device as it is. */
static int liveupdate_stub_pci_probe(struct pci_dev *pdev,
				     const struct pci_device_id *id)
{
	return liveupdate_stub_bind(&pdev->dev);
}

static void liveupdate_stub_pci_shutdown(struct pci_dev *pdev)
{
	dev_info(&pdev->dev, "liveupdate stub shutdown\n");
}

static struct pci_driver liveupdate_stub_pci_driver = {
	.name		= LIVEUPDATE_STUB_DRIVER,
	.probe		= liveupdate_stub_pci_probe,
	.shutdown	= liveupdate_stub_pci_shutdown,
	.sriov_configure = pci_sriov_configure_simple,
	.driver		= {
		.liveupdate	= &liveupdate_stub_liveupdate_ops,
	},
};
#endif

/* The device named @name on bus @bus_name, with a reference, or NULL. */
static struct device *liveupdate_stub_device(const char *bus_name,
					     const char *name)
{
	if (!strcmp(bus_name, "platform"))
		return bus_find_device_by_name(&platform_bus_type, NULL, name);
#ifdef CONFIG_PCI
	if (!strcmp(bus_name, "pci"))
		return bus_find_device_by_name(&pci_bus_type, NULL, name);
#endif
	return NULL;
}

static bool liveupdate_stub_bound(struct device *dev)
{
	device_lock_assert(dev);
#ifdef CONFIG_PCI
	if (dev->driver == &liveupdate_stub_pci_driver.driver)
		return true;
#endif
	return dev->driver == &liveupdate_stub_driver.driver;
}

/*
 * What a driver does when its user asks: request or withdraw its device,
 * or refuse a callback, under the device lock so that it stays bound.
 */
static int liveupdate_stub_command(const char *bus_name, const char *name,
				   const char *word, bool refuse)
{
	struct device *dev __free(put_device) = liveupdate_stub_device(bus_name, name);
	struct liveupdate_stub_binding *binding;

	if (!dev)
		return -ENODEV;
	guard(device)(dev);
	if (!liveupdate_stub_bound(dev))
		return -ENXIO;
	binding = dev_get_drvdata(dev);
	if (!refuse) {
		if (!strcmp(word, "none"))
			return device_liveupdate_withdraw(dev);
		if (strcmp(word, "bus-master"))
			return -EINVAL;
		return device_liveupdate_request(dev, DEVICE_LIVEUPDATE_BUS_MASTER);
	}
	if (!strcmp(word, "prepare"))
		binding->refuse = LIVEUPDATE_STUB_REFUSE_PREPARE;
	else if (!strcmp(word, "freeze"))
		binding->refuse = LIVEUPDATE_STUB_REFUSE_FREEZE;
	else if (!strcmp(word, "none"))
		binding->refuse = 0;
	else
		return -EINVAL;
	return 0;
}

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

/* The last page of the highest System RAM, where kexec looks first top-down. */
static int liveupdate_stub_top_found(struct resource *res, void *top)
{
	*(unsigned long *)top = PHYS_PFN(res->end);
	return 1;
}

static struct page *liveupdate_stub_top_page(void)
{
#ifdef CONFIG_CONTIG_ALLOC
	unsigned long pfn = 0;

	walk_system_ram_res_rev(0, ULONG_MAX, &pfn, liveupdate_stub_top_found);
	if (!pfn || alloc_contig_range(pfn, pfn + 1, MIGRATE_MOVABLE, GFP_KERNEL))
		return NULL;
	return pfn_to_page(pfn);
#else
	return NULL;
#endif
}

/* Declare @count pages, or the top page, preserved for a bound device. */
static int liveupdate_stub_memory(const char *bus_name, const char *name,
				  const char *how)
{
	struct device *dev __free(put_device) = liveupdate_stub_device(bus_name, name);
	struct liveupdate_stub_binding *binding;
	bool top = how && !strcmp(how, "top");
	unsigned int count = 1, i;
	struct page *page;
	int ret;

	if (!dev)
		return -ENODEV;
	if (how && !top && (kstrtouint(how, 0, &count) || !count))
		return -EINVAL;
	guard(device)(dev);
	if (!liveupdate_stub_bound(dev))
		return -ENXIO;
	binding = dev_get_drvdata(dev);
	if (count > ARRAY_SIZE(binding->pages) - binding->nr_pages)
		return -ENOSPC;
	for (i = 0; i < count; i++) {
		page = top ? liveupdate_stub_top_page() : alloc_page(GFP_KERNEL);
		if (!page)
			return top ? -EBUSY : -ENOMEM;
		liveupdate_stub_pattern(dev, page_address(page));
		ret = device_liveupdate_preserve_memory(dev, page_to_phys(page),
							PAGE_SIZE);
		if (ret) {
			__free_page(page);
			return ret;
		}
		binding->pages[binding->nr_pages++] = page;
	}
	return 0;
}

enum liveupdate_stub_command {
	STUB_CREATE, STUB_REMOVE, STUB_MEMORY, STUB_REQUEST, STUB_REFUSE
};

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
	else if (command == STUB_REQUEST || command == STUB_REFUSE)
		ret = n == 3 ?
		      liveupdate_stub_command(words[0], words[1], words[2],
					      command == STUB_REFUSE) :
		      -EINVAL;
	else if (command == STUB_MEMORY)
		ret = n >= 2 && n <= 3 ?
		      liveupdate_stub_memory(words[0], words[1], words[2]) :
		      -EINVAL;
	else if (n != 1)
		ret = -EINVAL;
	else
		ret = liveupdate_stub_remove(words[0]);
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

static ssize_t request_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return liveupdate_stub_write(ubuf, count, STUB_REQUEST);
}

static ssize_t refuse_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	return liveupdate_stub_write(ubuf, count, STUB_REFUSE);
}

static const struct file_operations request_fops = {
	.owner	= THIS_MODULE,
	.write	= request_write,
};

static const struct file_operations refuse_fops = {
	.owner	= THIS_MODULE,
	.write	= refuse_write,
};

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
#ifdef CONFIG_PCI
	ret = pci_register_driver(&liveupdate_stub_pci_driver);
	if (ret) {
		platform_driver_unregister(&liveupdate_stub_driver);
		return ret;
	}
#endif

	dir = debugfs_create_dir("liveupdate_stub", NULL);
	debugfs_create_file("create", 0200, dir, NULL, &create_fops);
	debugfs_create_file("remove", 0200, dir, NULL, &remove_fops);
	debugfs_create_file("memory", 0200, dir, NULL, &memory_fops);
	debugfs_create_file("request", 0200, dir, NULL, &request_fops);
	debugfs_create_file("refuse", 0200, dir, NULL, &refuse_fops);
	return 0;
}
late_initcall(liveupdate_stub_init);
