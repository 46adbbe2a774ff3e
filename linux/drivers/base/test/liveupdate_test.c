// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for device liveupdate (drivers/base/liveupdate.c and
 * drivers/base/liveupdate_handover.c).
 *
 * The tests build small device trees on a test bus, "lutest", whose
 * liveupdate ops report each device's parent (when it is on one of the test
 * buses) plus extra edges from a per-test table, and log every prepare,
 * freeze, unfreeze, cancel and finish call, so that a test can check which
 * devices a session collected and in what order.  A second opted-in bus,
 * "lutest2", has only the required ops; "lutest-plain" has none.
 *
 * Only the driver bound to a device can request it, so each opted-in test
 * bus has a consenting driver, LUTEST_DRIVER, that binds every device of
 * the bus and logs its own callbacks ("dprepare:a", "dfreeze:a", ...) in
 * the same log.  A test can have a device bind another driver instead:
 * LUTEST_PLAIN_DRIVER, which has no liveupdate ops, or LUTEST_NO_DRIVER,
 * which does not exist and leaves the device unbound.
 *
 * The tests need the core to themselves: they are skipped in a kernel that
 * a live update booted, or while any device holds liveupdate state.  After
 * every test the core must be back to normal with no device holding
 * liveupdate state.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/device/liveupdate.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/libfdt.h>
#include <linux/liveupdate_channel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "../base.h"
#include "../liveupdate.h"

#define LUTEST_BM		DEVICE_LIVEUPDATE_BUS_MASTER
#define LUTEST_MAX_DEVS		80
#define LUTEST_LOG_LEN		2048

/* The drivers a test device can bind (lutest_dev.driver). */
#define LUTEST_DRIVER		"lutest-driver"		/* consents */
#define LUTEST_PLAIN_DRIVER	"lutest-plain-driver"	/* no liveupdate ops */
#define LUTEST_NO_DRIVER	"lutest-no-driver"	/* none: left unbound */

/* Identities of 64 characters, one too many, and of 63. */
#define LUTEST_ID_64	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:."
#define LUTEST_ID_63	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:"
static_assert(sizeof(LUTEST_ID_64) == DEVICE_LIVEUPDATE_ID_LEN + 1);

struct lutest_node {
	const char *name;
	const char *parent;	/* NULL: the test's root device */
	const char *driver;	/* NULL: LUTEST_DRIVER */
};

struct lutest_edge {
	const char *from;
	const char *to;
};

struct lutest_dev {
	struct device dev;
	char model[DEVICE_LIVEUPDATE_ID_LEN];
	const char *driver;	/* the driver it binds, NULL for LUTEST_DRIVER */
	/* what the last call of its driver's liveupdate ops was given */
	unsigned int drv_requested;
	unsigned int drv_derived;
};

struct lutest_ctx {
	struct kunit *test;
	struct device *root;
	struct device *devs[LUTEST_MAX_DEVS];
	char log[LUTEST_LOG_LEN];
	const struct lutest_edge *edges;
	unsigned int nr_edges;
	bool follow_foreign;		/* report parents on other buses too */
	bool follow_links;		/* report device-link suppliers too */
	const char *fail_prepare;	/* prepare of this device fails -EIO */
	const char *fail_validate;	/* the bus cannot keep this device */
	const char *fail_dprepare;	/* its driver's prepare fails -EIO */
	const char *fail_dfreeze;	/* its driver's freeze fails -EIO */
	/* its driver's probe() requests it (probe_ret[0]), then fails -ENXIO */
	const char *fail_probe;
	const char *fail_identify;	/* identify of this device fails -EIO */
	const char *fail_dependencies;	/* dependencies of this device fail */
	/* extra work in dependencies() */
	void (*probe)(struct lutest_ctx *ctx, struct device *dev,
		      struct device_liveupdate_collector *collector);
	struct device *unadded;		/* initialised, never added */
	unsigned int expanded;		/* dependencies() calls */
	unsigned int locks;		/* lock() calls */
	unsigned int held_checks;	/* lock_held() calls with the lock held */
	unsigned int bad_calls;		/* hooks called with wrong arguments */
	unsigned int finished;		/* ops->finished() calls */
	size_t finished_at;		/* length of log then */
	int probe_ret[8];
	/* lutest_ops_device_lock(): the step whose op takes "p"'s lock */
	const char *lock_step;
	char lock_child[16];		/* removed under "p"'s lock meanwhile */
	struct completion step_started, remover_locked, remover_done;
	unsigned int lock_taken;
	/* lutest_handover_marked_early(): incoming seen, 1 yes, -1 no */
	int marked_at_add, marked_at_probe;
};

static DEFINE_MUTEX(lutest_mutex);
static struct lutest_ctx *lutest_ctx;
static atomic_t lutest_released = ATOMIC_INIT(0);

static struct lutest_dev *to_lutest_dev(struct device *dev)
{
	return container_of(dev, struct lutest_dev, dev);
}

/* Test bus ops */

static struct device *lutest_find(struct lutest_ctx *ctx, const char *name)
{
	unsigned int i;

	for (i = 0; i < LUTEST_MAX_DEVS; i++)
		if (ctx->devs[i] && !strcmp(dev_name(ctx->devs[i]), name))
			return ctx->devs[i];
	return NULL;
}

/* Is @dev the device a knob such as lutest_ctx.fail_prepare names? */
static bool lutest_named(const char *name, struct device *dev)
{
	return name && !strcmp(name, dev_name(dev));
}

static void lutest_take_device_lock(struct lutest_ctx *ctx, struct device *dev);

static void lutest_log(const char *step, struct device *dev,
		       unsigned int features)
{
	struct lutest_ctx *ctx = lutest_ctx;
	size_t len;

	if (!ctx)
		return;
	if (ctx->lock_step && !strcmp(ctx->lock_step, step) &&
	    !strcmp(dev_name(dev), "p"))
		lutest_take_device_lock(ctx, dev);
	if (features != LUTEST_BM)
		ctx->bad_calls++;
	len = strlen(ctx->log);
	scnprintf(ctx->log + len, sizeof(ctx->log) - len, "%s%s:%s",
		  len ? " " : "", step, dev_name(dev));
}

static int lutest_dependencies(struct device *dev, unsigned int features,
			       struct device_liveupdate_collector *collector)
{
	struct lutest_ctx *ctx = lutest_ctx;
	struct device *parent = dev->parent;
	unsigned int i;
	int ret;

	if (!ctx)
		return -ENODEV;
	ctx->expanded++;
	if (features != LUTEST_BM)
		ctx->bad_calls++;
	if (ctx->probe)
		ctx->probe(ctx, dev, collector);
	if (lutest_named(ctx->fail_dependencies, dev))
		return -EIO;

	/* Parents on the test buses, or on any bus if follow_foreign. */
	if (parent && ((parent->bus && parent->bus->liveupdate &&
			parent->bus->liveupdate->dependencies == lutest_dependencies) ||
		       ctx->follow_foreign)) {
		ret = device_liveupdate_depends_on(collector, parent,
						   DEVICE_LIVEUPDATE_REASON_PARENT,
						   features);
		if (ret)
			return ret;
	}
	for (i = 0; i < ctx->nr_edges; i++) {
		if (strcmp(ctx->edges[i].from, dev_name(dev)))
			continue;
		ret = device_liveupdate_depends_on(collector,
						   lutest_find(ctx, ctx->edges[i].to),
						   DEVICE_LIVEUPDATE_REASON_SUPPLIER,
						   features);
		if (ret)
			return ret;
	}
	if (ctx->follow_links)
		return device_liveupdate_depends_on_suppliers(collector, dev, features);
	return 0;
}

static int lutest_identify(struct device *dev,
			   struct device_liveupdate_identity *id)
{
	struct lutest_ctx *ctx = lutest_ctx;

	if (ctx && lutest_named(ctx->fail_identify, dev))
		return -EIO;
	strscpy(id->location, dev_name(dev));
	strscpy(id->model, to_lutest_dev(dev)->model);
	return 0;
}

static void lutest_lock(void)
{
	mutex_lock(&lutest_mutex);
	if (lutest_ctx)
		lutest_ctx->locks++;
}

static void lutest_unlock(void)
{
	mutex_unlock(&lutest_mutex);
}

static void lutest_lock_held(void)
{
	lockdep_assert_held(&lutest_mutex);
	if (lutest_ctx && mutex_is_locked(&lutest_mutex))
		lutest_ctx->held_checks++;
}

static int lutest_prepare(struct device *dev, unsigned int features)
{
	struct lutest_ctx *ctx = lutest_ctx;

	lutest_log("prepare", dev, features);
	if (ctx && lutest_named(ctx->fail_prepare, dev))
		return -EIO;
	return 0;
}

static void lutest_freeze(struct device *dev, unsigned int features)
{
	lutest_log("freeze", dev, features);
}

static void lutest_unfreeze(struct device *dev, unsigned int features)
{
	lutest_log("unfreeze", dev, features);
}

static void lutest_cancel(struct device *dev, unsigned int features)
{
	lutest_log("cancel", dev, features);
}

static void lutest_finish(struct device *dev, unsigned int features)
{
	lutest_log("finish", dev, features);
}

/* Once per finished session, after every member's finish. */
static void lutest_finished(void)
{
	struct lutest_ctx *ctx = lutest_ctx;

	if (!ctx)
		return;
	ctx->finished++;
	ctx->finished_at = strlen(ctx->log);
}

static void lutest_shutdown(struct device *dev, unsigned int features)
{
	lutest_log("shutdown", dev, features);
}

static int lutest_stop(struct device *dev)
{
	lutest_log("stop", dev, LUTEST_BM);
	return 0;
}

/* A device named "nomaster" cannot be kept for bus mastering. */
static int lutest_validate(struct device *dev, unsigned int features)
{
	struct lutest_ctx *ctx = lutest_ctx;

	if (!strcmp(dev_name(dev), "nomaster") ||
	    (ctx && lutest_named(ctx->fail_validate, dev)))
		return -EINVAL;
	return 0;
}

static const struct device_liveupdate_ops lutest_ops = {
	.dependencies	= lutest_dependencies,
	.identify	= lutest_identify,
	.validate	= lutest_validate,
	.lock		= lutest_lock,
	.unlock		= lutest_unlock,
	.lock_held	= lutest_lock_held,
	.prepare	= lutest_prepare,
	.freeze		= lutest_freeze,
	.unfreeze	= lutest_unfreeze,
	.cancel		= lutest_cancel,
	.finish		= lutest_finish,
	.finished	= lutest_finished,
	.shutdown	= lutest_shutdown,
	.stop		= lutest_stop,
};

/* A device binds the driver lutest_dev.driver names. */
static int lutest_match(struct device *dev, const struct device_driver *drv)
{
	return !strcmp(drv->name, to_lutest_dev(dev)->driver ?: LUTEST_DRIVER);
}

static const struct bus_type lutest_bus = {
	.name		= "lutest",
	.match		= lutest_match,
	.liveupdate	= &lutest_ops,
};

/* A second opted-in bus, with only the required ops. */
static const struct device_liveupdate_ops lutest2_ops = {
	.dependencies	= lutest_dependencies,
	.identify	= lutest_identify,
};

static const struct bus_type lutest2_bus = {
	.name		= "lutest2",
	.match		= lutest_match,
	.liveupdate	= &lutest2_ops,
};

/* A bus that does not support liveupdate. */
static const struct bus_type lutest_plain_bus = {
	.name		= "lutest-plain",
};

/* Drivers */

static void lutest_driver_log(const char *step, struct device *dev,
			      unsigned int requested, unsigned int derived)
{
	struct lutest_dev *ldev = to_lutest_dev(dev);

	ldev->drv_requested = requested;
	ldev->drv_derived = derived;
	lutest_log(step, dev, requested | derived);
}

static int lutest_driver_prepare(struct device *dev, unsigned int requested,
				 unsigned int derived)
{
	struct lutest_ctx *ctx = lutest_ctx;

	lutest_driver_log("dprepare", dev, requested, derived);
	return ctx && lutest_named(ctx->fail_dprepare, dev) ? -EIO : 0;
}

static int lutest_driver_freeze(struct device *dev, unsigned int requested,
				unsigned int derived)
{
	struct lutest_ctx *ctx = lutest_ctx;

	lutest_driver_log("dfreeze", dev, requested, derived);
	return ctx && lutest_named(ctx->fail_dfreeze, dev) ? -EIO : 0;
}

static void lutest_driver_unfreeze(struct device *dev, unsigned int requested,
				   unsigned int derived)
{
	lutest_driver_log("dunfreeze", dev, requested, derived);
}

static void lutest_driver_cancel(struct device *dev, unsigned int requested,
				 unsigned int derived)
{
	lutest_driver_log("dcancel", dev, requested, derived);
}

static void lutest_driver_finish(struct device *dev, unsigned int features)
{
	lutest_driver_log("dfinish", dev, 0, features);
}

static const struct device_liveupdate_driver_ops lutest_driver_ops = {
	.prepare	= lutest_driver_prepare,
	.freeze		= lutest_driver_freeze,
	.unfreeze	= lutest_driver_unfreeze,
	.cancel		= lutest_driver_cancel,
	.finish		= lutest_driver_finish,
};

/*
 * Notes whether the device is incoming when it is bound; for
 * lutest_ctx.fail_probe, requests the device, then fails.
 */
static int lutest_driver_probe(struct device *dev)
{
	struct lutest_ctx *ctx = lutest_ctx;

	if (!ctx)
		return 0;
	ctx->marked_at_probe = device_liveupdate_incoming(dev, LUTEST_BM) ? 1 : -1;
	if (lutest_named(ctx->fail_probe, dev)) {
		ctx->probe_ret[0] = device_liveupdate_request(dev, LUTEST_BM);
		return -ENXIO;
	}
	return 0;
}

/* The consenting drivers of the opted-in test buses. */
static struct device_driver lutest_driver = {
	.name		= LUTEST_DRIVER,
	.bus		= &lutest_bus,
	.probe		= lutest_driver_probe,
	.liveupdate	= &lutest_driver_ops,
};

static struct device_driver lutest2_driver = {
	.name		= LUTEST_DRIVER,
	.bus		= &lutest2_bus,
	.probe		= lutest_driver_probe,
	.liveupdate	= &lutest_driver_ops,
};

/* A driver that cannot keep its devices across a kexec. */
static struct device_driver lutest_plain_driver = {
	.name		= LUTEST_PLAIN_DRIVER,
	.bus		= &lutest_bus,
	.probe		= lutest_driver_probe,
};

/* Devices */

static void lutest_release(struct device *dev)
{
	atomic_inc(&lutest_released);
	kfree(to_lutest_dev(dev));
}

static void lutest_unregister(void *data)
{
	struct device *dev = data;
	struct lutest_ctx *ctx = lutest_ctx;
	unsigned int i;

	for (i = 0; ctx && i < LUTEST_MAX_DEVS; i++)
		if (ctx->devs[i] == dev)
			ctx->devs[i] = NULL;
	device_unregister(dev);
}

KUNIT_DEFINE_ACTION_WRAPPER(lutest_put_device, put_device, struct device *);
KUNIT_DEFINE_ACTION_WRAPPER(lutest_root_unregister, root_device_unregister,
			    struct device *);

/* Allocate and initialise a device without adding it. */
static struct device *lutest_alloc(struct kunit *test, const struct bus_type *bus,
				   const char *name, struct device *parent)
{
	struct lutest_dev *ldev;

	ldev = kzalloc(sizeof(*ldev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ldev);
	device_initialize(&ldev->dev);
	ldev->dev.bus = bus;
	ldev->dev.parent = parent;
	ldev->dev.release = lutest_release;
	snprintf(ldev->model, sizeof(ldev->model), "m-%s", name);
	KUNIT_ASSERT_EQ(test, dev_set_name(&ldev->dev, "%s", name), 0);
	return &ldev->dev;
}

static void lutest_track(struct kunit *test, struct device *dev)
{
	struct lutest_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < LUTEST_MAX_DEVS; i++) {
		if (!ctx->devs[i]) {
			ctx->devs[i] = dev;
			break;
		}
	}
	KUNIT_ASSERT_LT(test, i, LUTEST_MAX_DEVS);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_unregister, dev), 0);
}

/* Add an allocated device and have it unregistered at the end of the test. */
static void lutest_register(struct kunit *test, struct device *dev)
{
	int ret = device_add(dev);

	if (ret)
		put_device(dev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	lutest_track(test, dev);
}

/*
 * Add a device that binds the driver named @driver when it is added,
 * LUTEST_NO_DRIVER for none; NULL for its bus's LUTEST_DRIVER.
 */
static struct device *lutest_add_for(struct kunit *test, const struct bus_type *bus,
				     const char *name, struct device *parent,
				     const char *driver)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *dev;

	dev = lutest_alloc(test, bus, name, parent ? parent : ctx->root);
	to_lutest_dev(dev)->driver = driver;
	lutest_register(test, dev);
	return dev;
}

static struct device *lutest_add(struct kunit *test, const struct bus_type *bus,
				 const char *name, struct device *parent)
{
	return lutest_add_for(test, bus, name, parent, NULL);
}

static void lutest_build(struct kunit *test, const struct lutest_node *nodes,
			 size_t count)
{
	struct lutest_ctx *ctx = test->priv;
	size_t i;

	for (i = 0; i < count; i++) {
		struct device *parent = NULL;

		if (nodes[i].parent) {
			parent = lutest_find(ctx, nodes[i].parent);
			KUNIT_ASSERT_NOT_NULL(test, parent);
		}
		lutest_add_for(test, &lutest_bus, nodes[i].name, parent,
			       nodes[i].driver);
	}
}

static struct device *lutest_get(struct kunit *test, const char *name)
{
	struct device *dev = lutest_find(test->priv, name);

	KUNIT_ASSERT_NOT_NULL_MSG(test, dev, "no test device %s", name);
	return dev;
}

/* Unregister a test device now rather than at the end of the test. */
static void lutest_remove(struct kunit *test, const char *name)
{
	kunit_release_action(test, lutest_unregister, lutest_get(test, name));
}

static void lutest_set_edges(struct kunit *test, const struct lutest_edge *edges,
			     size_t count)
{
	struct lutest_ctx *ctx = test->priv;

	ctx->edges = edges;
	ctx->nr_edges = count;
}

static void lutest_clear_log(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	ctx->log[0] = '\0';
}

/*
 * Request @dev as its driver does, from a callback of its own, the binding
 * held stable by the device lock.
 */
static int lutest_request_dev(struct device *dev, unsigned int features)
{
	guard(device)(dev);
	return device_liveupdate_request(dev, features);
}

static int lutest_withdraw_dev(struct device *dev)
{
	guard(device)(dev);
	return device_liveupdate_withdraw(dev);
}

static void lutest_request(struct kunit *test, const char *name)
{
	KUNIT_ASSERT_EQ_MSG(test, lutest_request_dev(lutest_get(test, name), LUTEST_BM),
			    0, "request %s", name);
}

static void lutest_withdraw(struct kunit *test, const char *name)
{
	KUNIT_EXPECT_EQ_MSG(test, lutest_withdraw_dev(lutest_get(test, name)), 0,
			    "withdraw %s", name);
}

/* Unbind @dev's driver, as the kernel does when the driver goes away. */
static void lutest_unbind(struct kunit *test, const char *name)
{
	struct device *dev = lutest_get(test, name);

	device_release_driver(dev);
	KUNIT_EXPECT_NULL_MSG(test, dev->driver, "%s still bound", name);
}

/* What device_liveupdate_show_devices() prints, NUL-terminated. */
static char *lutest_show(struct kunit *test)
{
	struct seq_file s = { .size = PAGE_SIZE };

	s.buf = kunit_kzalloc(test, s.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.buf);
	device_liveupdate_show_devices(&s);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&s));
	s.buf[s.count] = '\0';
	return s.buf;
}

static unsigned int lutest_kref(struct kunit *test, const char *name)
{
	return kref_read(&lutest_get(test, name)->kobj.kref);
}

/* The kexec hook, with the image carrying the prepared session's record. */
static int lutest_kexec(void)
{
	return liveupdate_kexec_check(READ_ONCE(liveupdate_generation), true, false);
}

static void lutest_free_pages(void *page)
{
	__free_pages(page, 4);
}

static void lutest_remove_resource(void *res)
{
	remove_resource(res);
}

/*
 * Sixteen pages of RAM for the memory tests, shown in iomem as @flags (UML
 * does not show all the memory its page allocator hands out as System
 * RAM, as other architectures do); returns the first's address.
 */
static phys_addr_t lutest_ram_as(struct kunit *test, unsigned long flags)
{
	struct page *page = alloc_pages(GFP_KERNEL, 4);
	struct resource *res;

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_free_pages, page), 0);
	/* Freed by KUnit after the action, registered later, removed it. */
	res = kunit_kzalloc(test, sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	res->name = "lutest RAM";
	res->start = page_to_phys(page);
	res->end = res->start + 16 * PAGE_SIZE - 1;
	res->flags = flags | IORESOURCE_BUSY;
	KUNIT_ASSERT_EQ(test, insert_resource(&iomem_resource, res), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_remove_resource, res), 0);
	return page_to_phys(page);
}

static phys_addr_t lutest_ram(struct kunit *test)
{
	return lutest_ram_as(test, IORESOURCE_SYSTEM_RAM);
}

static void lutest_kvfree(void *ptr)
{
	kvfree(ptr);
}

/*
 * A record for a test, built here with libfdt as the kernel builds it, from
 * entries written as "BUS/LOCATION/MODEL/FEATURES[/START+SIZE...]" (hex
 * numbers) separated by commas; and ways to make it wrong.
 */
struct lutest_spec {
	const char *body;
	const char *format;	/* compatible; NULL: the one known, "": none */
	const char *node;	/* name of the first device's node, or NULL */
	const char *omit;	/* a property the first device lacks */
	const char *prop;	/* a property of the first device, given ... */
	const void *value;	/* ... as these bytes instead */
	int len;
	bool extras;		/* unknown properties and root subnodes */
};

#define LUTEST_COMPATIBLE_NONE	"linux,device-liveupdate"
#define LUTEST_COMPATIBLE	LUTEST_COMPATIBLE_NONE "-v1"
#define LUTEST_COMPATIBLE_V2	LUTEST_COMPATIBLE_NONE "-v2"
#define LUTEST_ENTRY_RANGES	16

/* A property of a device node, as @spec has it for the first device. */
static int lutest_prop(void *fdt, const struct lutest_spec *spec, bool first,
		       const char *name, const void *value, int len)
{
	if (first && spec->omit && !strcmp(name, spec->omit))
		return 0;
	if (first && spec->prop && !strcmp(name, spec->prop))
		return fdt_property(fdt, name, spec->value, spec->len);
	if (!value)
		return 0;
	return fdt_property(fdt, name, value, len);
}

/* One device node from one entry of the text syntax. */
static int lutest_entry(struct kunit *test, void *fdt,
			const struct lutest_spec *spec, unsigned int index,
			char *entry)
{
	char *bus = strsep(&entry, "/");
	char *location = strsep(&entry, "/");
	char *model = strsep(&entry, "/");
	char *features = strsep(&entry, "/");
	__be64 cells[2 * LUTEST_ENTRY_RANGES];
	unsigned int nr = 0, value;
	char name[24];
	__be32 be;
	int ret;

	KUNIT_ASSERT_NOT_NULL_MSG(test, features, "entry %u", index);
	KUNIT_ASSERT_EQ(test, kstrtouint(features, 16, &value), 0);
	be = cpu_to_be32(value);
	while (entry) {
		char *size = strsep(&entry, "/");
		char *start = strsep(&size, "+");
		u64 a, b;

		KUNIT_ASSERT_NOT_NULL(test, size);
		KUNIT_ASSERT_LT(test, nr, LUTEST_ENTRY_RANGES);
		KUNIT_ASSERT_EQ(test, kstrtou64(start, 16, &a), 0);
		KUNIT_ASSERT_EQ(test, kstrtou64(size, 16, &b), 0);
		cells[2 * nr] = cpu_to_be64(a);
		cells[2 * nr++ + 1] = cpu_to_be64(b);
	}
	if (!index && spec->node)
		strscpy(name, spec->node);
	else
		snprintf(name, sizeof(name), "device@%x", index);
	ret = fdt_begin_node(fdt, name);
	ret = ret ?: lutest_prop(fdt, spec, !index, "bus", bus, strlen(bus) + 1);
	ret = ret ?: lutest_prop(fdt, spec, !index, "location", location,
				 strlen(location) + 1);
	ret = ret ?: lutest_prop(fdt, spec, !index, "model", model, strlen(model) + 1);
	ret = ret ?: lutest_prop(fdt, spec, !index, "features", &be, sizeof(be));
	ret = ret ?: lutest_prop(fdt, spec, !index, "memory", nr ? cells : NULL,
				 nr * 2 * sizeof(*cells));
	if (spec->extras)
		ret = ret ?: fdt_property_string(fdt, "linux,future", "ignored");
	return ret ?: fdt_end_node(fdt);
}

/* The record @spec describes; its number of entries in @count. */
static void *lutest_blob(struct kunit *test, const struct lutest_spec *spec,
			 unsigned int *count)
{
	size_t len = strlen(spec->body), size;
	unsigned int n = 0;
	char *body, *cursor;
	void *fdt;
	int ret;

	/* Strings and ranges take at most 4 times their text, 160 a node more. */
	size = 1024 + 4 * len + 160;
	for (cursor = strchr(spec->body, ','); cursor; cursor = strchr(cursor + 1, ','))
		size += 160;
	fdt = kvzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_kvfree, fdt), 0);
	body = kvmemdup(spec->body, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, body);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_kvfree, body), 0);

	ret = fdt_create(fdt, size);
	ret = ret ?: fdt_finish_reservemap(fdt);
	ret = ret ?: fdt_begin_node(fdt, "");
	if (!spec->format || spec->format[0])
		ret = ret ?: fdt_property_string(fdt, "compatible",
						 spec->format ?: LUTEST_COMPATIBLE);
	if (spec->extras) {
		ret = ret ?: fdt_property_u32(fdt, "linux,future-count", 7);
		ret = ret ?: fdt_begin_node(fdt, "future@0");
		ret = ret ?: fdt_property_string(fdt, "bus", "");
		ret = ret ?: fdt_end_node(fdt);
		ret = ret ?: fdt_begin_node(fdt, "device");
		ret = ret ?: fdt_end_node(fdt);
	}
	cursor = len ? body : NULL;
	while (!ret && cursor)
		ret = lutest_entry(test, fdt, spec, n++, strsep(&cursor, ","));
	ret = ret ?: fdt_end_node(fdt);
	ret = ret ?: fdt_finish(fdt);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "%s", fdt_strerror(ret));
	*count = n;
	return fdt;
}

/* The record naming the @count entries of @body, in the text syntax. */
static void *lutest_record(struct kunit *test, unsigned int count, const char *body)
{
	struct lutest_spec spec = { .body = body };
	unsigned int n;
	void *fdt = lutest_blob(test, &spec, &n);

	KUNIT_ASSERT_EQ(test, n, count);
	return fdt;
}

static size_t lutest_size(const void *record)
{
	return fdt_totalsize(record);
}

static int lutest_parse(const void *record, struct liveupdate_record **out,
			const char **why)
{
	return liveupdate_record_parse(record, lutest_size(record), out, why);
}

static int lutest_set_incoming(const void *record)
{
	return device_liveupdate_set_incoming(record, lutest_size(record));
}

static bool lutest_has_record(void)
{
	size_t size;

	return device_liveupdate_handover(&size);
}

/* A copy of the prepared session's record. */
static void *lutest_handover_copy(struct kunit *test)
{
	const void *record;
	size_t size;
	void *copy;

	record = device_liveupdate_handover(&size);
	KUNIT_ASSERT_NOT_NULL(test, record);
	KUNIT_ASSERT_EQ(test, size, lutest_size(record));
	copy = kvmemdup(record, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_kvfree, copy), 0);
	return copy;
}

/* The prepared session's record is the one naming the entries of @body. */
static void lutest_expect_record(struct kunit *test, unsigned int count,
				 const char *body)
{
	const void *want = lutest_record(test, count, body);
	const void *record;
	size_t size;

	record = device_liveupdate_handover(&size);
	KUNIT_ASSERT_NOT_NULL(test, record);
	KUNIT_ASSERT_EQ(test, size, lutest_size(want));
	KUNIT_EXPECT_MEMEQ(test, record, want, size);
}

/* Suite and test setup */

static int lutest_suite_init(struct kunit_suite *suite)
{
	int ret;

	ret = bus_register(&lutest_bus);
	if (ret)
		return ret;
	ret = bus_register(&lutest2_bus);
	if (ret)
		goto lutest2;
	ret = bus_register(&lutest_plain_bus);
	if (ret)
		goto plain;
	ret = driver_register(&lutest_driver);
	if (ret)
		goto driver;
	ret = driver_register(&lutest2_driver);
	if (ret)
		goto driver2;
	ret = driver_register(&lutest_plain_driver);
	if (ret)
		goto plain_driver;
	return 0;

plain_driver:
	driver_unregister(&lutest2_driver);
driver2:
	driver_unregister(&lutest_driver);
driver:
	bus_unregister(&lutest_plain_bus);
plain:
	bus_unregister(&lutest2_bus);
lutest2:
	bus_unregister(&lutest_bus);
	return ret;
}

static void lutest_suite_exit(struct kunit_suite *suite)
{
	driver_unregister(&lutest_plain_driver);
	driver_unregister(&lutest2_driver);
	driver_unregister(&lutest_driver);
	bus_unregister(&lutest_plain_bus);
	bus_unregister(&lutest2_bus);
	bus_unregister(&lutest_bus);
}

static int lutest_init(struct kunit *test)
{
	struct lutest_ctx *ctx;

	/*
	 * The tests drive the core's one session: not in a kernel that a live
	 * update booted, whose incoming session is the system's, nor while any
	 * device takes part in one.  (A test that left something behind has
	 * failed in lutest_exit().)  Without a context, lutest_exit() leaves
	 * everything alone.
	 */
	if (device_liveupdate_state() != DEVICE_LIVEUPDATE_NORMAL ||
	    device_liveupdate_states())
		kunit_skip(test, "device liveupdate in use: session %s, %u devices with state",
			   liveupdate_state_names[device_liveupdate_state()],
			   device_liveupdate_states());

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	test->priv = ctx;

	ctx->root = root_device_register("lutest-root");
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx->root));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_root_unregister,
							ctx->root), 0);
	atomic_set(&lutest_released, 0);
	lutest_ctx = ctx;
	return 0;
}

/*
 * Runs before the test's devices are unregistered, and also when
 * lutest_init() skipped the test, without a context then.  Ends a session
 * the test left (a test must end its sessions itself): lutest_init() found
 * the core idle, so any session is the test's.  Then withdraws every
 * request and checks that nothing else holds state.
 */
static void lutest_exit(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	enum device_liveupdate_session_state state;
	unsigned int i;

	if (!ctx)
		return;

	state = device_liveupdate_state();
	KUNIT_EXPECT_EQ_MSG(test, state, DEVICE_LIVEUPDATE_NORMAL, "session left behind");
	switch (state) {
	case DEVICE_LIVEUPDATE_PREPARED:
		device_liveupdate_cancel();
		break;
	case DEVICE_LIVEUPDATE_FROZEN:
		device_liveupdate_end_frozen();
		break;
	case DEVICE_LIVEUPDATE_INCOMING:
		device_liveupdate_finish();
		break;
	default:
		break;
	}
	for (i = 0; i < LUTEST_MAX_DEVS; i++)
		if (ctx->devs[i])
			lutest_withdraw_dev(ctx->devs[i]);

	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_FALSE(test, lutest_has_record());
	KUNIT_EXPECT_FALSE(test, liveupdate_broken);
	KUNIT_EXPECT_EQ(test, ctx->bad_calls, 0);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&lutest_mutex));
	lutest_ctx = NULL;
}

/* Trees used by several tests */

/* root -> a -> b -> c */
static const struct lutest_node lutest_chain[] = {
	{ "a", NULL }, { "b", "a" }, { "c", "b" },
};

/* root -> br -> { x, y }, root -> z */
static const struct lutest_node lutest_bridge[] = {
	{ "br", NULL }, { "x", "br" }, { "y", "br" }, { "z", NULL },
};

/* Requests */

static void lutest_request_bad_features(struct kunit *test)
{
	static const unsigned int features[] = {
		0, BIT(1), BIT(31), ~0u, LUTEST_BM | BIT(2),
	};
	struct device *a;
	unsigned int i;

	lutest_build(test, lutest_chain, 1);
	a = lutest_get(test, "a");
	for (i = 0; i < ARRAY_SIZE(features); i++)
		KUNIT_EXPECT_EQ_MSG(test, lutest_request_dev(a, features[i]),
				    -EINVAL, "features %#x", features[i]);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(a), -ENOENT);
}

static void lutest_request_no_ops(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *p = lutest_add(test, &lutest_plain_bus, "p", NULL);

	KUNIT_EXPECT_EQ(test, lutest_request_dev(p, LUTEST_BM), -EOPNOTSUPP);
	/* The root device has no bus at all. */
	KUNIT_EXPECT_EQ(test, lutest_request_dev(ctx->root, LUTEST_BM),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(p), -ENOENT);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* The bus refuses a request that makes no sense: nothing is kept. */
static void lutest_request_invalid_for_bus(struct kunit *test)
{
	struct device *dev = lutest_add(test, &lutest_bus, "nomaster", NULL);

	KUNIT_EXPECT_EQ(test, lutest_request_dev(dev, LUTEST_BM), -EINVAL);
	KUNIT_EXPECT_NULL(test, dev->liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODATA);
}

static void lutest_request_unregistered(struct kunit *test)
{
	struct device *dev = lutest_alloc(test, &lutest_bus, "u", NULL);

	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_put_device, dev), 0);
	KUNIT_EXPECT_EQ(test, lutest_request_dev(dev, LUTEST_BM), -ENODEV);
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(dev), -ENOENT);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_NULL(test, dev->liveupdate);
}

static void lutest_request_twice(struct kunit *test)
{
	struct device *a;
	unsigned int refs;

	lutest_build(test, lutest_chain, 1);
	a = lutest_get(test, "a");
	refs = kref_read(&a->kobj.kref);
	KUNIT_EXPECT_EQ(test, lutest_request_dev(a, LUTEST_BM), 0);
	KUNIT_EXPECT_EQ(test, lutest_request_dev(a, LUTEST_BM), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&a->kobj.kref), refs + 1);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest a requested=bus-master derived=- requested\n");
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(a), 0);
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(a), -ENOENT);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&a->kobj.kref), refs);
	KUNIT_EXPECT_STREQ(test, lutest_show(test), "");
}

static void lutest_prepare_nothing(struct kunit *test)
{
	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODATA);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	lutest_request(test, "c");
	lutest_withdraw(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODATA);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* Collection and order */

static void lutest_order_chain(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	/* Each member's driver agrees before its bus prepares it. */
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:a prepare:a dprepare:b prepare:b dprepare:c prepare:c");
	KUNIT_EXPECT_EQ(test, ctx->expanded, 3);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest a requested=- derived=bus-master users=1 needed-by=lutest:b(parent)\n"
			   "lutest b requested=- derived=bus-master users=1 needed-by=lutest:c(parent)\n"
			   "lutest c requested=bus-master derived=- requested\n");

	/* Dependents first, the bus before the driver. */
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "cancel:c dcancel:c cancel:b dcancel:b cancel:a dcancel:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest c requested=bus-master derived=- requested\n");

	/* Dependents first, the driver before the bus. */
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_FROZEN);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dfreeze:c freeze:c dfreeze:b freeze:b dfreeze:a freeze:a");

	/* What the kexec does to the session: no further call. */
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

static void lutest_order_deterministic(struct kunit *test)
{
	static const char * const orders[][3] = {
		{ "x", "y", "z" }, { "z", "y", "x" }, { "y", "z", "x" },
		{ "z", "x", "y" },
	};
	struct lutest_ctx *ctx = test->priv;
	unsigned int i, j;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	for (i = 0; i < ARRAY_SIZE(orders); i++) {
		for (j = 0; j < ARRAY_SIZE(orders[i]); j++)
			lutest_request(test, orders[i][j]);
		lutest_clear_log(test);
		KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
		KUNIT_EXPECT_STREQ_MSG(test, ctx->log,
				       "dprepare:br prepare:br dprepare:x prepare:x dprepare:y prepare:y dprepare:z prepare:z",
				       "request order %u", i);
		KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
		for (j = 0; j < ARRAY_SIZE(orders[i]); j++)
			lutest_withdraw(test, orders[i][j]);
		KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	}
}

#define LUTEST_REQUESTED(name) \
	"lutest " name " requested=bus-master derived=- requested\n"

/* Requests are listed by name whatever their order, also after a withdraw. */
static void lutest_order_requests_sorted(struct kunit *test)
{
	static const char all[] = LUTEST_REQUESTED("br") LUTEST_REQUESTED("x")
				  LUTEST_REQUESTED("y") LUTEST_REQUESTED("z");

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	lutest_request(test, "z");
	lutest_request(test, "x");
	lutest_request(test, "br");
	lutest_request(test, "y");
	KUNIT_EXPECT_STREQ(test, lutest_show(test), all);
	lutest_withdraw(test, "x");
	lutest_withdraw(test, "z");
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   LUTEST_REQUESTED("br") LUTEST_REQUESTED("y"));
	lutest_request(test, "z");
	lutest_request(test, "x");
	KUNIT_EXPECT_STREQ(test, lutest_show(test), all);
	lutest_withdraw(test, "br");
	lutest_withdraw(test, "x");
	lutest_withdraw(test, "y");
	lutest_withdraw(test, "z");
	KUNIT_EXPECT_STREQ(test, lutest_show(test), "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

static void lutest_order_closure(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	lutest_request(test, "x");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "dprepare:br prepare:br dprepare:x prepare:x");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 2);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "y")->liveupdate);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "z")->liveupdate);
	KUNIT_EXPECT_NULL(test, ctx->root->liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "x");
}

static void lutest_order_shared(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	lutest_request(test, "y");
	lutest_request(test, "x");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:br prepare:br dprepare:x prepare:x dprepare:y prepare:y");
	KUNIT_EXPECT_EQ(test, ctx->expanded, 3);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest br requested=- derived=bus-master users=2 needed-by=lutest:x(parent)\n"
			   "lutest x requested=bus-master derived=- requested\n"
			   "lutest y requested=bus-master derived=- requested\n");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "x");
	lutest_withdraw(test, "y");
}

static void lutest_order_shared_withdraw(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	lutest_request(test, "x");
	lutest_request(test, "y");
	lutest_withdraw(test, "x");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "dprepare:br prepare:br dprepare:y prepare:y");
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest br requested=- derived=bus-master users=1 needed-by=lutest:y(parent)\n"
			   "lutest y requested=bus-master derived=- requested\n");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "y");
}

/* A device both requested and needed by another member is placed once. */
static void lutest_order_requested_dependency(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	lutest_request(test, "x");
	lutest_request(test, "br");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "dprepare:br prepare:br dprepare:x prepare:x");
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest br requested=bus-master derived=bus-master users=1 needed-by=lutest:x(parent) requested\n"
			   "lutest x requested=bus-master derived=- requested\n");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 2);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest br requested=bus-master derived=- requested\n"
			   "lutest x requested=bus-master derived=- requested\n");
	lutest_withdraw(test, "br");
	lutest_withdraw(test, "x");
}

/* c needs d through an extra edge, d sits on another branch. */
static void lutest_order_cross_edge(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "a", NULL }, { "c", "a" }, { "d", NULL },
	};
	static const struct lutest_edge edges[] = { { "c", "d" } };
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	lutest_set_edges(test, edges, ARRAY_SIZE(edges));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	/* The last dependency reported is placed first. */
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:d prepare:d dprepare:a prepare:a dprepare:c prepare:c");
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest d requested=- derived=bus-master users=1 needed-by=lutest:c(supplier)\n"
			   "lutest a requested=- derived=bus-master users=1 needed-by=lutest:c(parent)\n"
			   "lutest c requested=bus-master derived=- requested\n");
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dfreeze:c freeze:c dfreeze:a freeze:a dfreeze:d freeze:d");
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_withdraw(test, "c");
}

/* c needs a and b, d needs b and a: both placed once, before c and d. */
static void lutest_order_diamond(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "a", NULL }, { "b", NULL }, { "c", "a" }, { "d", "b" },
	};
	static const struct lutest_edge edges[] = { { "c", "b" }, { "d", "a" } };
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	lutest_set_edges(test, edges, ARRAY_SIZE(edges));
	lutest_request(test, "d");
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:b prepare:b dprepare:a prepare:a dprepare:c prepare:c dprepare:d prepare:d");
	KUNIT_EXPECT_EQ(test, ctx->expanded, 4);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest b requested=- derived=bus-master users=2 needed-by=lutest:c(supplier)\n"
			   "lutest a requested=- derived=bus-master users=2 needed-by=lutest:c(parent)\n"
			   "lutest c requested=bus-master derived=- requested\n"
			   "lutest d requested=bus-master derived=- requested\n");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
	lutest_withdraw(test, "d");
}

/* A deep chain: the collection must not recurse. */
static void lutest_order_deep(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *parent = NULL;
	char name[8], *expect;
	unsigned int i;
	size_t len = 0;

	expect = kunit_kzalloc(test, LUTEST_LOG_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, expect);
	for (i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "n%02u", i);
		parent = lutest_add(test, &lutest_bus, name, parent);
		to_lutest_dev(parent)->model[0] = '\0';
		len += scnprintf(expect + len, LUTEST_LOG_LEN - len,
				 "%sdprepare:%s prepare:%s", i ? " " : "", name, name);
	}
	KUNIT_ASSERT_EQ(test, lutest_request_dev(parent, LUTEST_BM), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, expect);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 60);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(parent), 0);
}

/*
 * Two opted-in buses: requests are ordered by bus name, then device name;
 * dependencies cross buses; a bus without the optional ops takes part.
 */
static void lutest_order_two_buses(struct kunit *test)
{
	static const char body[] =
		"lutest/z/m-z/1,lutest2/a/m-a/1,lutest/p/m-p/1,lutest2/q/m-q/1";
	struct lutest_ctx *ctx = test->priv;
	struct device *p;

	lutest_add(test, &lutest2_bus, "a", NULL);
	lutest_add(test, &lutest_bus, "z", NULL);
	p = lutest_add(test, &lutest_bus, "p", NULL);
	lutest_add(test, &lutest2_bus, "q", p);
	lutest_request(test, "q");
	lutest_request(test, "a");
	lutest_request(test, "z");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, ctx->locks, 1);
	/* lutest2 has no bus prepare, freeze or cancel: only its driver logs. */
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:z prepare:z dprepare:a dprepare:p prepare:p dprepare:q");
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest z requested=bus-master derived=- requested\n"
			   "lutest2 a requested=bus-master derived=- requested\n"
			   "lutest p requested=- derived=bus-master users=1 needed-by=lutest2:q(parent)\n"
			   "lutest2 q requested=bus-master derived=- requested\n");
	lutest_expect_record(test, 4, body);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dcancel:q cancel:p dcancel:p dcancel:a cancel:z dcancel:z");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);

	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dfreeze:q dfreeze:p freeze:p dfreeze:a dfreeze:z freeze:z");
	KUNIT_EXPECT_TRUE(test, device_liveupdate_outgoing(lutest_get(test, "q"), LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	lutest_withdraw(test, "a");
	lutest_withdraw(test, "q");
	lutest_withdraw(test, "z");
}

/* Many sessions in a row leave nothing behind. */
static void lutest_repeated_sessions(struct kunit *test)
{
	unsigned int refs[ARRAY_SIZE(lutest_chain)];
	unsigned int i;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	for (i = 0; i < ARRAY_SIZE(lutest_chain); i++)
		refs[i] = lutest_kref(test, lutest_chain[i].name);
	lutest_request(test, "c");
	for (i = 0; i < 25; i++) {
		lutest_clear_log(test);
		KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
		KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
		if (i & 1) {
			KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
			KUNIT_ASSERT_EQ(test, device_liveupdate_end_frozen(), 0);
		} else {
			KUNIT_ASSERT_EQ(test, device_liveupdate_cancel(), 0);
		}
		KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	}
	lutest_withdraw(test, "c");
	for (i = 0; i < ARRAY_SIZE(lutest_chain); i++)
		KUNIT_EXPECT_EQ(test, lutest_kref(test, lutest_chain[i].name), refs[i]);
}

struct lutest_stress {
	struct device *dev;
	unsigned int bad;
	unsigned int requested;
	struct completion done;
};

static int lutest_stress_thread(void *data)
{
	struct lutest_stress *stress = data;
	unsigned int i;
	int ret;

	for (i = 0; i < 200; i++) {
		ret = lutest_request_dev(stress->dev, LUTEST_BM);
		if (!ret)
			WRITE_ONCE(stress->requested, stress->requested + 1);
		else if (ret != -EBUSY)
			stress->bad++;
		usleep_range(20, 60);
		ret = lutest_withdraw_dev(stress->dev);
		if (ret && ret != -EBUSY && ret != -ENOENT)
			stress->bad++;
		usleep_range(20, 60);
	}
	complete(&stress->done);
	return 0;
}

/*
 * Between two sessions, wait (up to about 100-200 ms) for the thread to get one
 * more request through, so that requests do not depend on how the sleeps of
 * the two loops happen to interleave.
 */
static void lutest_stress_window(struct lutest_stress *stress)
{
	unsigned int seen = READ_ONCE(stress->requested);
	unsigned int tries;

	for (tries = 0; tries < 100; tries++) {
		if (READ_ONCE(stress->requested) != seen ||
		    completion_done(&stress->done))
			return;
		usleep_range(1000, 2000);
	}
}

/* Requests and withdrawals racing with sessions. */
static void lutest_concurrent(struct kunit *test)
{
	struct lutest_stress *stress;
	struct task_struct *task;
	unsigned int i, sessions = 0;
	int ret;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	stress = kunit_kzalloc(test, sizeof(*stress), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stress);
	stress->dev = lutest_get(test, "x");
	init_completion(&stress->done);
	lutest_request(test, "y");

	task = kthread_run(lutest_stress_thread, stress, "lutest-stress");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	for (i = 0; i < 200; i++) {
		lutest_clear_log(test);
		ret = device_liveupdate_prepare();
		KUNIT_EXPECT_EQ(test, ret, 0);
		if (ret)
			continue;
		sessions++;
		/* 2 or 3 members: br, y and maybe x. */
		ret = device_liveupdate_states();
		KUNIT_EXPECT_TRUE_MSG(test, ret == 2 || ret == 3, "states %d", ret);
		usleep_range(20, 60);
		if (i & 1) {
			KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
			KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
		} else {
			KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
		}
		usleep_range(20, 60);
		if (i % 20 == 0)
			lutest_stress_window(stress);
	}
	wait_for_completion(&stress->done);
	kunit_info(test, "%u sessions, %u requests went through\n", sessions,
		   stress->requested);
	KUNIT_EXPECT_EQ(test, stress->bad, 0);
	KUNIT_EXPECT_GT(test, stress->requested, 0);
	lutest_withdraw_dev(stress->dev);
	lutest_withdraw(test, "y");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* Dependency errors */

/* The bus's dependencies() fails: prepare fails with its error. */
static void lutest_depends_fails(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	unsigned int refs;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	refs = lutest_kref(test, "b");
	lutest_request(test, "c");
	ctx->fail_dependencies = "a";
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EIO);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "b"), refs);
	ctx->fail_dependencies = NULL;
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:a prepare:a dprepare:b prepare:b dprepare:c prepare:c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

/*
 * A bus may report one supplier twice, e.g. a parent that is also a
 * device-link supplier: it is still collected and expanded once, and
 * counted once in the supplier's users.
 */
static void lutest_depends_twice(struct kunit *test)
{
	static const struct lutest_edge edges[] = { { "c", "b" } };
	struct lutest_ctx *ctx = test->priv;
	char *show;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_set_edges(test, edges, ARRAY_SIZE(edges));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:a prepare:a dprepare:b prepare:b dprepare:c prepare:c");
	KUNIT_EXPECT_EQ(test, ctx->expanded, 3);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	show = lutest_show(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");

	KUNIT_EXPECT_STREQ(test, show,
			   "lutest a requested=- derived=bus-master users=1 needed-by=lutest:b(parent)\n"
			   "lutest b requested=- derived=bus-master users=1 needed-by=lutest:c(parent)\n"
			   "lutest c requested=bus-master derived=- requested\n");
}

/* An edge to a device that is not there: the bus reports NULL. */
static void lutest_depends_missing(struct kunit *test)
{
	static const struct lutest_edge edges[] = { { "b", "gone" } };
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_set_edges(test, edges, ARRAY_SIZE(edges));
	lutest_request(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "b")->liveupdate);
	lutest_withdraw(test, "c");
}

/* Begin @name's device_del(), as far as kill_device(); its hook has not run. */
static struct device *lutest_kill(struct kunit *test, const char *name)
{
	struct device *dev = lutest_get(test, name);

	device_lock(dev);
	KUNIT_EXPECT_TRUE(test, kill_device(dev));
	device_unlock(dev);
	return dev;
}

/*
 * A dependency whose device_del() has begun (kill_device()) but whose
 * liveupdate hook has not run yet: prepare must refuse it and leave only
 * the request behind.
 */
static void lutest_depends_dying(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *b;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	b = lutest_kill(test, "b");

	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODEV);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_NULL(test, b->liveupdate);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "a")->liveupdate);
	lutest_withdraw(test, "c");
}

/* The same for a requested device whose device_del() has begun. */
static void lutest_request_dying(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "b");
	lutest_request(test, "c");
	lutest_kill(test, "c");

	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODEV);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 2);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "a")->liveupdate);
	lutest_withdraw(test, "b");
	lutest_withdraw(test, "c");
}

struct lutest_cycle_case {
	const char *name;
	const struct lutest_node *nodes;
	size_t nr_nodes;
	const struct lutest_edge *edges;
	size_t nr_edges;
	const char *request;
};

static const struct lutest_node lutest_cycle_nodes[] = {
	{ "a", NULL }, { "b", "a" }, { "c", "b" }, { "x", NULL }, { "y", NULL },
};

static const struct lutest_edge lutest_edges_pair[] = { { "x", "y" }, { "y", "x" } };
static const struct lutest_edge lutest_edges_self[] = { { "x", "x" } };
static const struct lutest_edge lutest_edges_parent[] = { { "a", "c" } };
static const struct lutest_edge lutest_edges_behind[] = {
	{ "c", "x" }, { "x", "y" }, { "y", "x" },
};

static const struct lutest_cycle_case lutest_cycle_cases[] = {
	{ "pair", lutest_cycle_nodes, ARRAY_SIZE(lutest_cycle_nodes),
	  lutest_edges_pair, ARRAY_SIZE(lutest_edges_pair), "x" },
	{ "self", lutest_cycle_nodes, ARRAY_SIZE(lutest_cycle_nodes),
	  lutest_edges_self, ARRAY_SIZE(lutest_edges_self), "x" },
	{ "through-parents", lutest_cycle_nodes, ARRAY_SIZE(lutest_cycle_nodes),
	  lutest_edges_parent, ARRAY_SIZE(lutest_edges_parent), "c" },
	{ "behind-request", lutest_cycle_nodes, ARRAY_SIZE(lutest_cycle_nodes),
	  lutest_edges_behind, ARRAY_SIZE(lutest_edges_behind), "c" },
};

static void lutest_cycle_desc(const struct lutest_cycle_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lutest_cycle, lutest_cycle_cases, lutest_cycle_desc);

static void lutest_cycle(struct kunit *test)
{
	const struct lutest_cycle_case *c = test->param_value;
	struct lutest_ctx *ctx = test->priv;
	unsigned int refs[ARRAY_SIZE(lutest_cycle_nodes)];
	unsigned int i;

	lutest_build(test, c->nodes, c->nr_nodes);
	lutest_set_edges(test, c->edges, c->nr_edges);
	for (i = 0; i < c->nr_nodes; i++)
		refs[i] = lutest_kref(test, c->nodes[i].name);
	lutest_request(test, c->request);

	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ELOOP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_FALSE(test, lutest_has_record());
	for (i = 0; i < c->nr_nodes; i++) {
		struct device *dev = lutest_get(test, c->nodes[i].name);
		bool requested = !strcmp(c->nodes[i].name, c->request);

		KUNIT_EXPECT_EQ_MSG(test, kref_read(&dev->kobj.kref), refs[i] + requested,
				    "%s", c->nodes[i].name);
		KUNIT_EXPECT_EQ_MSG(test, !!dev->liveupdate, requested, "%s",
				    c->nodes[i].name);
	}
	/* Unmarked: the same request fails the same way again. */
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ELOOP);
	lutest_withdraw(test, c->request);
	for (i = 0; i < c->nr_nodes; i++)
		KUNIT_EXPECT_EQ(test, lutest_kref(test, c->nodes[i].name), refs[i]);
}

/* A dependency on a device whose bus has no liveupdate ops. */
static void lutest_depends_no_ops(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *p;

	ctx->follow_foreign = true;
	lutest_build(test, lutest_chain, 1);
	p = lutest_add(test, &lutest_plain_bus, "p", NULL);
	lutest_add(test, &lutest_bus, "q", p);

	/* a's parent is the root device, which has no bus at all. */
	lutest_request(test, "a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "a");

	lutest_request(test, "q");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_NULL(test, p->liveupdate);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	lutest_withdraw(test, "q");
}

static void lutest_probe_invalid(struct lutest_ctx *ctx, struct device *dev,
				 struct device_liveupdate_collector *collector)
{
	struct device *b = lutest_find(ctx, "b");

	if (strcmp(dev_name(dev), "c"))
		return;
	ctx->probe_ret[0] = device_liveupdate_depends_on(collector, b,
							 DEVICE_LIVEUPDATE_REASON_PARENT, 0);
	ctx->probe_ret[1] = device_liveupdate_depends_on(collector, b,
							 DEVICE_LIVEUPDATE_REASON_PARENT,
							 BIT(1));
	ctx->probe_ret[2] = device_liveupdate_depends_on(collector, NULL,
							 DEVICE_LIVEUPDATE_REASON_PARENT,
							 LUTEST_BM);
	ctx->probe_ret[3] = device_liveupdate_depends_on(collector, b,
							 DEVICE_LIVEUPDATE_REASON_SUPPLIER + 1,
							 LUTEST_BM);
	ctx->probe_ret[4] = device_liveupdate_depends_on(collector, dev,
							 DEVICE_LIVEUPDATE_REASON_SUPPLIER,
							 LUTEST_BM);
}

/* Bad arguments to device_liveupdate_depends_on() change nothing. */
static void lutest_depends_invalid(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	ctx->probe = lutest_probe_invalid;
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[0], -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[1], -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[2], -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[3], -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[4], -ELOOP);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:a prepare:a dprepare:b prepare:b dprepare:c prepare:c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

static void lutest_probe_unadded(struct lutest_ctx *ctx, struct device *dev,
				 struct device_liveupdate_collector *collector)
{
	if (!strcmp(dev_name(dev), "c"))
		ctx->probe_ret[0] = device_liveupdate_depends_on(collector, ctx->unadded,
								 DEVICE_LIVEUPDATE_REASON_SUPPLIER,
								 LUTEST_BM);
}

/*
 * A supplier that was never added is accepted when reported, since the
 * core reads the suppliers only once the op returned, and fails the
 * prepare then, leaving nothing behind.
 */
static void lutest_depends_unadded(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *u;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	/* An initialised, never added device of the test bus. */
	u = lutest_alloc(test, &lutest_bus, "u", NULL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_put_device, u), 0);
	ctx->unadded = u;

	ctx->probe = lutest_probe_unadded;
	lutest_request(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[0], 0);
	KUNIT_EXPECT_NULL(test, u->liveupdate);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "b")->liveupdate);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
}

/* Session steps */

static void lutest_lock_taken(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, ctx->locks, 1);
	KUNIT_EXPECT_EQ(test, ctx->held_checks, 3);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&lutest_mutex));
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, ctx->locks, 1);
	/* prepare refused early still takes and releases the locks */
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EBUSY);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&lutest_mutex));
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

static void lutest_cancel_refs(struct kunit *test)
{
	unsigned int refs[ARRAY_SIZE(lutest_chain)];
	unsigned int i;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	for (i = 0; i < ARRAY_SIZE(lutest_chain); i++)
		refs[i] = lutest_kref(test, lutest_chain[i].name);
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	for (i = 0; i < ARRAY_SIZE(lutest_chain); i++)
		KUNIT_EXPECT_EQ(test, lutest_kref(test, lutest_chain[i].name), refs[i] + 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	for (i = 0; i < ARRAY_SIZE(lutest_chain) - 1; i++)
		KUNIT_EXPECT_EQ(test, lutest_kref(test, lutest_chain[i].name), refs[i]);

	/* A frozen session ended by the kexec drops them as well. */
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "a")->liveupdate);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "b")->liveupdate);
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "a"), refs[0]);
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "b"), refs[1]);
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "c"), refs[2] + 1);
	lutest_withdraw(test, "c");
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "c"), refs[2]);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

enum lutest_op {
	LUTEST_REQUEST,
	LUTEST_WITHDRAW,
	LUTEST_PREPARE,
	LUTEST_FREEZE,
	LUTEST_CANCEL,
	LUTEST_END_FROZEN,
	LUTEST_FINISH,
	LUTEST_INCOMING,
};

struct lutest_step {
	enum lutest_op op;
	int ret;
	enum device_liveupdate_session_state after;
};

#define LU_N	DEVICE_LIVEUPDATE_NORMAL
#define LU_P	DEVICE_LIVEUPDATE_PREPARED
#define LU_F	DEVICE_LIVEUPDATE_FROZEN
#define LU_I	DEVICE_LIVEUPDATE_INCOMING

static const struct lutest_step lutest_steps[] = {
	/* normal */
	{ LUTEST_FREEZE, -EINVAL, LU_N },
	{ LUTEST_CANCEL, -EINVAL, LU_N },
	{ LUTEST_END_FROZEN, -EINVAL, LU_N },
	{ LUTEST_FINISH, -EINVAL, LU_N },
	{ LUTEST_PREPARE, -ENODATA, LU_N },
	{ LUTEST_WITHDRAW, -ENOENT, LU_N },
	{ LUTEST_REQUEST, 0, LU_N },
	{ LUTEST_INCOMING, -EBUSY, LU_N },		/* requests pending */
	{ LUTEST_PREPARE, 0, LU_P },
	/* prepared */
	{ LUTEST_PREPARE, -EBUSY, LU_P },
	{ LUTEST_REQUEST, -EBUSY, LU_P },
	{ LUTEST_WITHDRAW, -EBUSY, LU_P },
	{ LUTEST_FINISH, -EINVAL, LU_P },
	{ LUTEST_INCOMING, -EBUSY, LU_P },
	{ LUTEST_END_FROZEN, -EINVAL, LU_P },
	{ LUTEST_CANCEL, 0, LU_N },
	{ LUTEST_PREPARE, 0, LU_P },
	{ LUTEST_FREEZE, 0, LU_F },
	/* frozen */
	{ LUTEST_FREEZE, -EINVAL, LU_F },
	{ LUTEST_PREPARE, -EBUSY, LU_F },
	{ LUTEST_REQUEST, -EBUSY, LU_F },
	{ LUTEST_WITHDRAW, -EBUSY, LU_F },
	{ LUTEST_FINISH, -EINVAL, LU_F },
	{ LUTEST_INCOMING, -EBUSY, LU_F },
	{ LUTEST_CANCEL, -EBUSY, LU_F },		/* the kexec is under way */
	{ LUTEST_END_FROZEN, 0, LU_N },			/* what the kexec does */
	{ LUTEST_END_FROZEN, -EINVAL, LU_N },
	{ LUTEST_CANCEL, -EINVAL, LU_N },
	{ LUTEST_WITHDRAW, 0, LU_N },
	{ LUTEST_INCOMING, 0, LU_I },
	/* incoming */
	{ LUTEST_PREPARE, -EBUSY, LU_I },
	{ LUTEST_CANCEL, -EINVAL, LU_I },
	{ LUTEST_END_FROZEN, -EINVAL, LU_I },
	{ LUTEST_FREEZE, -EINVAL, LU_I },
	{ LUTEST_REQUEST, -EBUSY, LU_I },
	{ LUTEST_WITHDRAW, -EBUSY, LU_I },
	{ LUTEST_INCOMING, -EBUSY, LU_I },
	{ LUTEST_FINISH, 0, LU_N },
	{ LUTEST_FINISH, -EINVAL, LU_N },
	{ LUTEST_INCOMING, 0, LU_I },
	{ LUTEST_FINISH, 0, LU_N },
};

#undef LU_N
#undef LU_P
#undef LU_F
#undef LU_I

static void lutest_transitions(struct kunit *test)
{
	const void *record = lutest_record(test, 1, "lutest/absent/m-absent/1");
	struct device *a;
	unsigned int i;
	int ret = 0;

	lutest_build(test, lutest_chain, 1);
	a = lutest_get(test, "a");
	for (i = 0; i < ARRAY_SIZE(lutest_steps); i++) {
		const struct lutest_step *step = &lutest_steps[i];

		switch (step->op) {
		case LUTEST_REQUEST:
			ret = lutest_request_dev(a, LUTEST_BM);
			break;
		case LUTEST_WITHDRAW:
			ret = lutest_withdraw_dev(a);
			break;
		case LUTEST_PREPARE:
			ret = device_liveupdate_prepare();
			break;
		case LUTEST_FREEZE:
			ret = device_liveupdate_freeze();
			break;
		case LUTEST_CANCEL:
			ret = device_liveupdate_cancel();
			break;
		case LUTEST_END_FROZEN:
			ret = device_liveupdate_end_frozen();
			break;
		case LUTEST_FINISH:
			ret = device_liveupdate_finish();
			break;
		case LUTEST_INCOMING:
			ret = lutest_set_incoming(record);
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, ret, step->ret, "step %u", i);
		KUNIT_EXPECT_EQ_MSG(test, device_liveupdate_state(), step->after,
				    "step %u", i);
	}
}

static void lutest_prepare_fails(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	unsigned int refs[ARRAY_SIZE(lutest_chain)];
	unsigned int i;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	for (i = 0; i < ARRAY_SIZE(lutest_chain); i++)
		refs[i] = lutest_kref(test, lutest_chain[i].name);
	lutest_request(test, "c");
	ctx->fail_prepare = "b";
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EIO);
	/* b's driver agreed: it is told, its bus is not. */
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:a prepare:a dprepare:b prepare:b dcancel:b cancel:a dcancel:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_FALSE(test, lutest_has_record());
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest c requested=bus-master derived=- requested\n");
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "a"), refs[0]);
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "b"), refs[1]);
	KUNIT_EXPECT_EQ(test, lutest_kref(test, "c"), refs[2] + 1);

	/* The failure poisoned nothing: the next prepare works. */
	ctx->fail_prepare = NULL;
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:a prepare:a dprepare:b prepare:b dprepare:c prepare:c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

/* The first member failing leaves only its driver's agreement to cancel. */
static void lutest_prepare_fails_first(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	ctx->fail_prepare = "a";
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EIO);
	KUNIT_EXPECT_STREQ(test, ctx->log, "dprepare:a prepare:a dcancel:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
}

static void lutest_identify_fails(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	ctx->fail_identify = "b";
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EIO);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_FALSE(test, lutest_has_record());
	ctx->fail_identify = NULL;

	/* An identity the record cannot carry. */
	strscpy(to_lutest_dev(lutest_get(test, "b"))->model, "bad model");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EINVAL);
	strscpy(to_lutest_dev(lutest_get(test, "b"))->model, "bad/model");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EINVAL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
}

static void lutest_unregister_all(void *devices)
{
	struct device **dev;

	for (dev = devices; *dev; dev++)
		device_unregister(*dev);
	kvfree(devices);
}

/*
 * A set of 1, 64, 4,096 or the most members round-trips through the record:
 * the next kernel, given it, finds every device incoming and restores it.
 * The largest set's members have the longest location and model.
 */
static const unsigned int lutest_record_sizes[] = {
	1, 64, 4096, DEVICE_LIVEUPDATE_HANDOVER_ENTRIES
};

static bool lutest_record_longest(unsigned int n)
{
	return n == DEVICE_LIVEUPDATE_HANDOVER_ENTRIES;
}

static void lutest_record_size_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u members%s", *n,
		 lutest_record_longest(*n) ? ", longest names" : "");
}

KUNIT_ARRAY_PARAM(lutest_record_size, lutest_record_sizes, lutest_record_size_desc);

static void lutest_record_members(struct kunit *test)
{
	unsigned int n = *(const unsigned int *)test->param_value, i;
	struct lutest_ctx *ctx = test->priv;
	struct liveupdate_record *record;
	struct device **devs;
	const char *why;
	size_t size;
	void *blob;

	devs = kvcalloc(n + 1, sizeof(*devs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, devs);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_unregister_all, devs), 0);
	for (i = 0; i < n; i++) {
		char name[DEVICE_LIVEUPDATE_ID_LEN];
		struct device *dev;

		/* 63 characters, and the model "m-" and the first 61 of them. */
		if (lutest_record_longest(n))
			snprintf(name, sizeof(name), "%.58s%05u", LUTEST_ID_63, i);
		else
			snprintf(name, sizeof(name), "r%04u", i);
		dev = lutest_alloc(test, &lutest_bus, name, ctx->root);
		KUNIT_ASSERT_EQ(test, device_add(dev), 0);
		devs[i] = dev;
		KUNIT_ASSERT_EQ(test, lutest_request_dev(dev, LUTEST_BM), 0);
	}
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	blob = lutest_handover_copy(test);
	size = lutest_size(blob);
	kunit_info(test, "record of %u members: %zu bytes\n", n, size);
	KUNIT_ASSERT_EQ(test, liveupdate_record_parse(blob, size, &record, &why), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_count(record), n);
	for (i = 0; i < liveupdate_record_count(record); i++) {
		KUNIT_EXPECT_STREQ(test, liveupdate_record_bus(record, i), "lutest");
		KUNIT_EXPECT_EQ(test, liveupdate_record_features(record, i), LUTEST_BM);
	}
	liveupdate_record_free(record);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, lutest_withdraw_dev(devs[i]), 0);

	/* The "next kernel": the same devices, the record handed over. */
	KUNIT_ASSERT_EQ(test, device_liveupdate_set_incoming(blob, size), 0);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE(test, device_liveupdate_match_incoming(devs[i]));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), n);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* The record names at most DEVICE_LIVEUPDATE_HANDOVER_ENTRIES devices. */
static void lutest_record_too_many(struct kunit *test)
{
	struct liveupdate_record *record;
	LIST_HEAD(empty);
	void *out = NULL;
	const char *why;
	size_t size = 0;

	KUNIT_EXPECT_EQ(test,
			liveupdate_record_encode(&empty, DEVICE_LIVEUPDATE_HANDOVER_ENTRIES + 1,
						 &out, &size),
			-E2BIG);
	KUNIT_EXPECT_NULL(test, out);
	/* An empty set gives a record no kernel accepts. */
	KUNIT_ASSERT_EQ(test, liveupdate_record_encode(&empty, 0, &out, &size), 0);
	KUNIT_EXPECT_EQ(test, size, lutest_size(out));
	KUNIT_EXPECT_EQ(test, liveupdate_record_parse(out, size, &record, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "names no device");
	kvfree(out);
}

static void lutest_outgoing(struct kunit *test)
{
	struct device *br, *x, *y;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	br = lutest_get(test, "br");
	x = lutest_get(test, "x");
	y = lutest_get(test, "y");
	lutest_request(test, "x");
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(x, LUTEST_BM));
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(x, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(br, LUTEST_BM));
	KUNIT_ASSERT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_outgoing(x, LUTEST_BM));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_outgoing(br, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(x, 0));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(x, BIT(1)));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(y, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(x, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(x, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(br, LUTEST_BM));
	lutest_withdraw(test, "x");
}

/* Device removal */

static void lutest_remove_requested(struct kunit *test)
{
	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	lutest_request(test, "b");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 2);
	lutest_remove(test, "c");
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest b requested=bus-master derived=- requested\n");
	lutest_withdraw(test, "b");
}

static void lutest_remove_prepared(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *c;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	c = lutest_get(test, "c");
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	lutest_remove(test, "c");
	/* The session keeps its reference: c is not released yet. */
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	/* Its driver was unbound on the way: its request went with it. */
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest a requested=- derived=bus-master users=1 needed-by=lutest:b(parent)\n"
			   "lutest b requested=- derived=bus-master users=1 needed-by=-:c(parent)\n"
			   "- c requested=- derived=- removed\n");

	/* Every member left is frozen, then unfrozen: the session is broken. */
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), -ENODEV);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dfreeze:b freeze:b dfreeze:a freeze:a unfreeze:a dunfreeze:a unfreeze:b dunfreeze:b");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(c, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(lutest_get(test, "b"), LUTEST_BM));

	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "cancel:b dcancel:b cancel:a dcancel:a");
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_STREQ(test, lutest_show(test), "");

	/* A new session is not broken. */
	lutest_request(test, "b");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_withdraw(test, "b");
}

/*
 * A dependency (not requested) removed, under the bus's hot-plug lock as a
 * bus removing a device would; cancel without freeze.
 */
static void lutest_remove_dependency(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "a", NULL }, { "c", "a" }, { "d", NULL },
	};
	static const struct lutest_edge edges[] = { { "c", "d" } };
	struct lutest_ctx *ctx = test->priv;
	struct device *d;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	lutest_set_edges(test, edges, ARRAY_SIZE(edges));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	d = lutest_get(test, "d");
	mutex_lock(&lutest_mutex);
	kunit_release_action(test, lutest_unregister, d);
	mutex_unlock(&lutest_mutex);
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 0);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "cancel:c dcancel:c cancel:a dcancel:a");
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
}

static void lutest_remove_frozen(struct kunit *test)
{
	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_freeze(), 0);
	lutest_remove(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_FROZEN);
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), -EBUSY);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * A device outside the set, here one whose driver declared memory but did
 * not request it (yet), may go away during a session without breaking it.
 */
static void lutest_remove_outside_set(struct kunit *test)
{
	phys_addr_t ram = lutest_ram(test);

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	KUNIT_ASSERT_EQ(test, device_liveupdate_preserve_memory(lutest_get(test, "z"),
								ram, PAGE_SIZE), 0);
	lutest_request(test, "x");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	lutest_remove(test, "z");
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 2);
	KUNIT_EXPECT_FALSE(test, liveupdate_broken);
	KUNIT_EXPECT_EQ(test, lutest_kexec(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_withdraw(test, "x");
	scoped_guard(mutex, &liveupdate_mutex)
		KUNIT_EXPECT_EQ(test, liveupdate_memory_count(), 0);
}

/*
 * A device-link supplier on a bus without liveupdate ops, whose last
 * reference goes while the collection still holds the report: its link
 * is removed and the device unregistered from inside the op, after the
 * report, as another thread could.  The core must hold its own reference
 * from the report on, or reading the supplier afterwards is a
 * use-after-free (KASAN fails the test).
 */
static void lutest_probe_release_supplier(struct lutest_ctx *ctx, struct device *dev,
					  struct device_liveupdate_collector *collector)
{
	struct device *s = lutest_find(ctx, "s");
	int i;

	if (strcmp(dev_name(dev), "c") || !s)
		return;
	ctx->probe_ret[0] = device_liveupdate_depends_on_suppliers(collector, dev,
								   LUTEST_BM);
	device_link_remove(dev, s);
	kunit_release_action(ctx->test, lutest_unregister, s);
	/* The link drops its reference after an SRCU grace period. */
	for (i = 0; i < 50 && !atomic_read(&lutest_released); i++)
		msleep(20);
	ctx->probe_ret[1] = atomic_read(&lutest_released);
}

static void lutest_depends_supplier_released(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *s;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	s = lutest_add(test, &lutest_plain_bus, "s", NULL);
	KUNIT_ASSERT_NOT_NULL(test, device_link_add(lutest_get(test, "c"), s,
						    DL_FLAG_STATELESS));
	ctx->probe = lutest_probe_release_supplier;
	lutest_request(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[0], 0);
	/* Not released while the core held the report ... */
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[1], 0);
	/* ... and released once the collection dropped it. */
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
}

/*
 * A member removed during the session whose bus then goes away (a module
 * unregistering its bus after its last device): cancel and the debugfs
 * view must not read the freed bus_type (KASAN fails the test).
 */
static const struct bus_type lutest_gone_bus = {
	.name		= "lutest-gone",
	.match		= lutest_match,
	/* Ops without a hot-plug lock: lutest_ops takes lutest_bus's. */
	.liveupdate	= &lutest2_ops,
};

/* Its consenting driver, on the copy of lutest_gone_bus a test registers. */
static struct device_driver lutest_gone_driver = {
	.name		= LUTEST_DRIVER,
	.probe		= lutest_driver_probe,
	.liveupdate	= &lutest_driver_ops,
};

static void lutest_remove_bus_gone(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	const struct bus_type *bus;

	bus = kmemdup(&lutest_gone_bus, sizeof(lutest_gone_bus), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bus);
	if (bus_register(bus)) {
		kfree(bus);
		KUNIT_FAIL(test, "bus_register() failed");
		return;
	}
	lutest_gone_driver.bus = bus;
	if (driver_register(&lutest_gone_driver)) {
		bus_unregister(bus);
		kfree(bus);
		KUNIT_FAIL(test, "driver_register() failed");
		return;
	}
	lutest_add(test, bus, "g", NULL);
	lutest_request(test, "g");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	lutest_remove(test, "g");
	driver_unregister(&lutest_gone_driver);
	bus_unregister(bus);
	kfree(bus);

	KUNIT_EXPECT_STREQ(test, lutest_show(test), "- g requested=- derived=- removed\n");
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), -ENODEV);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * A bus op taking the device lock of a member while another thread holds
 * that lock and removes a child of the member, as a driver's remove() may:
 * device_del() of the child takes the core's lock.  The op must get the
 * lock, so the core must not hold its own lock around the op.  Device
 * locks are not checked by lockdep, hence the bounded wait.
 */
static void lutest_take_device_lock(struct lutest_ctx *ctx, struct device *dev)
{
	int i;

	complete(&ctx->step_started);
	wait_for_completion(&ctx->remover_locked);
	for (i = 0; i < 100; i++) {
		if (device_trylock(dev)) {
			device_unlock(dev);
			ctx->lock_taken++;
			return;
		}
		msleep(20);
	}
	KUNIT_FAIL(ctx->test,
		   "%s op: device lock still held after 2 s, its holder waits for the core",
		   ctx->lock_step);
}

static int lutest_remover(void *data)
{
	struct lutest_ctx *ctx = data;
	struct device *p = lutest_find(ctx, "p");
	struct device *child = lutest_find(ctx, ctx->lock_child);

	wait_for_completion(&ctx->step_started);
	device_lock(p);
	complete(&ctx->remover_locked);
	kunit_release_action(ctx->test, lutest_unregister, child);
	device_unlock(p);
	complete(&ctx->remover_done);
	return 0;
}

/* Run @step with its op on "p" taking p's lock against a remover. */
static int lutest_step_against_remover(struct kunit *test, const char *step,
				       int (*run)(void))
{
	struct lutest_ctx *ctx = test->priv;
	struct task_struct *task;
	int ret;

	init_completion(&ctx->step_started);
	init_completion(&ctx->remover_locked);
	init_completion(&ctx->remover_done);
	snprintf(ctx->lock_child, sizeof(ctx->lock_child), "k-%s", step);
	ctx->lock_step = step;
	task = kthread_run(lutest_remover, ctx, "lutest-remover");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	ret = run();
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&ctx->remover_done, 10 * HZ), 0);
	ctx->lock_step = NULL;
	return ret;
}

static void lutest_ops_device_lock(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "p", NULL }, { "k-prepare", "p" }, { "k-freeze", "p" },
		{ "k-cancel", "p" },
	};
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	lutest_request(test, "p");
	KUNIT_EXPECT_EQ(test, lutest_step_against_remover(test, "prepare",
							  device_liveupdate_prepare), 0);
	KUNIT_EXPECT_EQ(test, lutest_step_against_remover(test, "cancel",
							  device_liveupdate_cancel), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, lutest_step_against_remover(test, "freeze",
							  device_liveupdate_freeze), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_EQ(test, ctx->lock_taken, 3);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dprepare:p prepare:p cancel:p dcancel:p dprepare:p prepare:p dfreeze:p freeze:p");
	KUNIT_EXPECT_NULL(test, lutest_find(ctx, "k-freeze"));
	lutest_withdraw(test, "p");
}

/*
 * At the kexec's device_shutdown(): a requested member is not shut down
 * and its bus is not asked; a member kept for others goes to the bus's
 * shutdown op; any other device, or any device before freeze, is shut
 * down as usual.
 */
static void lutest_shutdown_members(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *a, *c, *z;

	lutest_build(test, lutest_bridge, ARRAY_SIZE(lutest_bridge));
	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	a = lutest_get(test, "a");
	c = lutest_get(test, "c");
	z = lutest_get(test, "z");
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_FALSE(test, liveupdate_shutdown_member(c, true));
	KUNIT_ASSERT_EQ(test, device_liveupdate_freeze(), 0);
	lutest_clear_log(test);
	KUNIT_EXPECT_TRUE(test, liveupdate_shutdown_member(c, true));
	KUNIT_EXPECT_TRUE(test, liveupdate_shutdown_member(a, true));
	KUNIT_EXPECT_FALSE(test, liveupdate_shutdown_member(z, true));
	KUNIT_EXPECT_FALSE(test, liveupdate_shutdown_member(ctx->root, true));
	KUNIT_EXPECT_STREQ(test, ctx->log, "shutdown:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_FALSE(test, liveupdate_shutdown_member(a, true));
	lutest_withdraw(test, "c");
}

/*
 * kernel_kexec()'s hook: nothing to do without a prepared session; a
 * broken one refuses the kexec with nothing frozen; a sound one is frozen.
 */
static void lutest_kexec_veto(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	/* No session and no record: a plain kexec. */
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(0, true, false), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(0, false, false), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(0, true, true), 0);
	lutest_request(test, "c");
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(0, true, false), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);

	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	lutest_remove(test, "c");
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, lutest_kexec(), -ENODEV);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);

	lutest_request(test, "b");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, lutest_kexec(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_FROZEN);
	KUNIT_EXPECT_STREQ(test, ctx->log, "dfreeze:b freeze:b dfreeze:a freeze:a");
	/* Frozen: that kexec is under way, no other one starts. */
	KUNIT_EXPECT_EQ(test, lutest_kexec(), -EBUSY);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_withdraw(test, "b");
}

/* The image must carry the prepared session's record, and only then one. */
static void lutest_kexec_stale_image(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	u64 first;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "b");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	first = READ_ONCE(liveupdate_generation);
	lutest_clear_log(test);
	/* Loaded before prepare, or with kexec_load(2): no record. */
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(0, true, false), -ESTALE);
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(first, false, false), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);

	/* Cancelled since the load: refused even with no session left. */
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(first, true, false), -ESTALE);
	/* Another session prepared since the load. */
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_NE(test, READ_ONCE(liveupdate_generation), first);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(first, true, false), -ESTALE);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	/* Nothing was frozen by the refusals. */
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, lutest_kexec(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_FROZEN);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_withdraw(test, "b");
}

/* Preserved memory */

static void lutest_memory_bad_input(struct kunit *test)
{
	phys_addr_t ram = lutest_ram(test), managed;
	struct device *a, *b, *c, *u, *n;
	unsigned int i;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	a = lutest_get(test, "a");
	b = lutest_get(test, "b");
	c = lutest_get(test, "c");
	u = lutest_add_for(test, &lutest_bus, "u", NULL, LUTEST_NO_DRIVER);
	n = lutest_add_for(test, &lutest_bus, "n", NULL, LUTEST_PLAIN_DRIVER);
	/* Only a bound driver that can keep its device declares memory. */
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(u, ram, PAGE_SIZE), -ENODEV);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(n, ram, PAGE_SIZE),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	/* Before the request, as drivers should. */
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(c, ram + 9 * PAGE_SIZE,
								PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_request(test, "c");
	lutest_request(test, "b");
	lutest_request(test, "a");
	/* Empty, unaligned, wrapping, not RAM. */
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, ram, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, ram + 1, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, ram, PAGE_SIZE + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, -PAGE_SIZE, 2 * PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, BIT_ULL(50), PAGE_SIZE),
			-EINVAL);
	/* Memory a driver manages, the first MiB. */
	managed = lutest_ram_as(test, IORESOURCE_SYSTEM_RAM | IORESOURCE_SYSRAM_DRIVER_MANAGED);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, managed, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, 0, PAGE_SIZE), -EINVAL);

	/* Eight ranges a device, no overlap between devices. */
	for (i = 0; i < DEVICE_LIVEUPDATE_MEMORY_RANGES; i++)
		KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, ram + i * PAGE_SIZE,
									PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, ram + 8 * PAGE_SIZE,
								PAGE_SIZE), -ENOSPC);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(a, ram + 7 * PAGE_SIZE,
								2 * PAGE_SIZE), -EEXIST);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(a, ram, PAGE_SIZE), -EEXIST);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(a, ram + 8 * PAGE_SIZE,
								PAGE_SIZE), 0);

	/* Release: only what was declared, then the room is free again. */
	KUNIT_EXPECT_EQ(test, device_liveupdate_release_memory(a, ram, PAGE_SIZE), -ENOENT);
	KUNIT_EXPECT_EQ(test, device_liveupdate_release_memory(b, ram, 2 * PAGE_SIZE), -ENOENT);
	KUNIT_EXPECT_EQ(test, device_liveupdate_release_memory(b, ram, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_release_memory(b, ram, PAGE_SIZE), -ENOENT);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(a, ram, PAGE_SIZE), 0);

	/* Fixed while a session exists. */
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(b, ram + 10 * PAGE_SIZE,
								PAGE_SIZE), -EBUSY);
	KUNIT_EXPECT_EQ(test, device_liveupdate_release_memory(a, ram, PAGE_SIZE), -EBUSY);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);

	/* A withdrawn request takes its ranges along. */
	lutest_withdraw(test, "a");
	lutest_request(test, "a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(a, ram, PAGE_SIZE), 0);
	lutest_withdraw(test, "a");
	lutest_withdraw(test, "b");
	lutest_withdraw(test, "c");
	scoped_guard(mutex, &liveupdate_mutex)
		KUNIT_EXPECT_EQ(test, liveupdate_memory_count(), 0);
}

/*
 * The record names each member's ranges; a kernel given ranges its boot
 * code did not keep reserved rejects the record.
 */
static void lutest_memory_record(struct kunit *test)
{
	phys_addr_t ram = lutest_ram(test);
	struct liveupdate_memory *memory;
	struct liveupdate_record *record;
	char expected[160];
	const char *why;
	void *text;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_preserve_memory(lutest_get(test, "c"),
								ram, 2 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_preserve_memory(lutest_get(test, "c"),
								ram + 4 * PAGE_SIZE,
								PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	snprintf(expected, sizeof(expected),
		 "lutest/a/m-a/1,lutest/b/m-b/1,lutest/c/m-c/1/%llx+%lx/%llx+%lx",
		 (u64)ram, 2 * PAGE_SIZE, (u64)ram + 4 * PAGE_SIZE, PAGE_SIZE);
	lutest_expect_record(test, 3, expected);

	text = lutest_handover_copy(test);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_ASSERT_EQ(test, lutest_parse(text, &record, &why), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_memory(record, -1, &memory), 2);
	KUNIT_EXPECT_EQ(test, liveupdate_record_memory(record, 0, &memory), 0);
	KUNIT_ASSERT_EQ(test, liveupdate_record_memory(record, 2, &memory), 2);
	KUNIT_EXPECT_EQ(test, memory[0].range.start, ram);
	KUNIT_EXPECT_EQ(test, range_len(&memory[0].range), 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memory[1].range.start, ram + 4 * PAGE_SIZE);
	liveupdate_record_free(record);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

/*
 * What the new kernel makes of a record's range, given what its boot code
 * found in the table and could reserve: kept, the record rejected (not
 * memory this kernel has, or past what it tracks), or a panic (never
 * reserved: the memory may already be given away).
 */
static void lutest_memory_verdict(struct kunit *test)
{
	static struct liveupdate_channel_range found[DEVICE_LIVEUPDATE_MEMORY_MAX];
	const struct range r = { .start = SZ_16M, .end = SZ_16M + PAGE_SIZE - 1 };
	const struct range bigger = { .start = SZ_16M, .end = SZ_16M + 2 * PAGE_SIZE - 1 };
	unsigned int i;

	/* The table at its maximum: the last range is found. */
	for (i = 0; i < ARRAY_SIZE(found); i++)
		found[i] = (struct liveupdate_channel_range) {
			.range = { .start = SZ_32M + 2 * i * PAGE_SIZE,
				   .end = SZ_32M + (2 * i + 1) * PAGE_SIZE - 1 },
			.reserved = true,
		};
	found[ARRAY_SIZE(found) - 1].range = r;
	KUNIT_EXPECT_EQ(test, liveupdate_memory_check(&r, found, ARRAY_SIZE(found), false),
			LIVEUPDATE_MEMORY_KEPT);
	/* Not this kernel's memory: found, not reserved. */
	found[ARRAY_SIZE(found) - 1].reserved = false;
	KUNIT_EXPECT_EQ(test, liveupdate_memory_check(&r, found, ARRAY_SIZE(found), false),
			LIVEUPDATE_MEMORY_REJECT);
	/* Only an exact match counts. */
	KUNIT_EXPECT_EQ(test, liveupdate_memory_check(&bigger, found, ARRAY_SIZE(found), false),
			LIVEUPDATE_MEMORY_FATAL);
	/* More in the table than tracked: reserved by the boot code, rejected. */
	KUNIT_EXPECT_EQ(test, liveupdate_memory_check(&bigger, found, ARRAY_SIZE(found), true),
			LIVEUPDATE_MEMORY_REJECT);
	KUNIT_EXPECT_EQ(test, liveupdate_memory_check(&r, found, 0, false),
			LIVEUPDATE_MEMORY_FATAL);
}

/* sysfs files */

static int lutest_session_command(const char *text)
{
	return device_liveupdate_session_command(text, strlen(text));
}

static void lutest_free_page(void *page)
{
	free_page((unsigned long)page);
}

/* The sysfs node of @path below @kobj's directory; the caller puts it. */
static struct kernfs_node *lutest_sysfs_node(struct kobject *kobj, const char *path)
{
	char name[32], *rest = name, *part;
	struct kernfs_node *kn = kobj->sd, *next;

	if (strscpy(name, path) < 0)
		return NULL;
	kernfs_get(kn);
	while (kn && (part = strsep(&rest, "/"))) {
		next = kernfs_find_and_get(kn, part);
		kernfs_put(kn);
		kn = next;
	}
	return kn;
}

/*
 * Read the sysfs file @path below @kobj's directory as sysfs reads it:
 * through @kobj's sysfs_ops, whose show() calls the attribute's, into a
 * page.  Fails the test if the file does not exist, or if it is writable
 * and @read_only.
 */
static const char *lutest_sysfs_read(struct kunit *test, struct kobject *kobj,
				     const char *path, bool read_only)
{
	struct kernfs_node *kn;
	char *buf;
	ssize_t len;

	buf = (char *)get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_free_page, buf), 0);

	kn = lutest_sysfs_node(kobj, path);
	KUNIT_ASSERT_NOT_NULL_MSG(test, kn, "no sysfs file %s", path);
	if (read_only)
		KUNIT_EXPECT_EQ_MSG(test, kn->mode & 0222, 0, "%s is writable", path);
	len = kobj->ktype->sysfs_ops->show(kobj, kn->priv, buf);
	kernfs_put(kn);
	KUNIT_ASSERT_GE_MSG(test, len, 0, "reading %s", path);
	return buf;
}

/* A file of @dev's liveupdate directory. */
static const char *lutest_device_file(struct kunit *test, struct device *dev,
				      const char *name)
{
	char path[32];

	snprintf(path, sizeof(path), "liveupdate/%s", name);
	return lutest_sysfs_read(test, &dev->kobj, path, true);
}

/* A file of /sys/kernel/device_liveupdate, @path below it. */
static const char *lutest_session_file(struct kunit *test, const char *path)
{
	struct kernfs_node *kn = kernfs_find_and_get(kernel_kobj->sd, "device_liveupdate");
	struct kobject *kobj;

	KUNIT_ASSERT_NOT_NULL(test, kn);
	/* A kobject's directory points at the kobject. */
	kobj = kn->priv;
	kernfs_put(kn);
	return lutest_sysfs_read(test, kobj, path, strcmp(path, "session"));
}

/* The file reads @text; a failure names the device and the file. */
static void lutest_expect_file(struct kunit *test, struct device *dev,
			       const char *name, const char *text)
{
	KUNIT_EXPECT_STREQ_MSG(test, lutest_device_file(test, dev, name), text,
			       "%s/liveupdate/%s", dev_name(dev), name);
}

/*
 * The read-only liveupdate directory every device of an opted-in bus has,
 * and the session's files, through a session and a handover.
 */
static void lutest_sysfs_device(struct kunit *test)
{
	struct device *a, *c, *p;
	struct kernfs_node *kn;
	void *record;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	a = lutest_get(test, "a");
	c = lutest_get(test, "c");
	p = lutest_add(test, &lutest_plain_bus, "p", NULL);
	kn = lutest_sysfs_node(&p->kobj, "liveupdate");
	KUNIT_EXPECT_NULL(test, kn);
	kernfs_put(kn);

	lutest_expect_file(test, c, "state", "none\n");
	lutest_expect_file(test, c, "requested", "\n");
	lutest_expect_file(test, c, "features", "\n");
	lutest_expect_file(test, c, "needed_by", "\n");
	lutest_expect_file(test, c, "reason", "\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "session"), "normal\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "broken"), "0\n");

	lutest_request(test, "c");
	lutest_expect_file(test, c, "state", "requested\n");
	lutest_expect_file(test, c, "requested", "bus-master\n");
	lutest_expect_file(test, c, "features", "bus-master\n");
	lutest_expect_file(test, a, "state", "none\n");

	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "session"), "prepared\n");
	lutest_expect_file(test, c, "state", "member\n");
	lutest_expect_file(test, c, "requested", "bus-master\n");
	lutest_expect_file(test, c, "needed_by", "\n");
	lutest_expect_file(test, a, "state", "member\n");
	lutest_expect_file(test, a, "requested", "\n");
	lutest_expect_file(test, a, "features", "bus-master\n");
	lutest_expect_file(test, a, "needed_by", "lutest:b\n");
	lutest_expect_file(test, a, "reason", "parent\n");
	record = lutest_handover_copy(test);
	KUNIT_ASSERT_NOT_NULL(test, record);
	KUNIT_ASSERT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "session"), "frozen\n");
	KUNIT_ASSERT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_expect_file(test, a, "state", "none\n");
	lutest_expect_file(test, a, "needed_by", "\n");
	lutest_expect_file(test, c, "state", "requested\n");
	lutest_withdraw(test, "c");
	lutest_expect_file(test, c, "state", "none\n");

	/* The "next kernel": c comes back, a and b do not. */
	lutest_remove(test, "c");
	lutest_remove(test, "b");
	lutest_remove(test, "a");
	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "session"), "incoming\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/pending"), "3\n");
	c = lutest_add(test, &lutest_bus, "c", NULL);
	lutest_expect_file(test, c, "state", "incoming\n");
	lutest_expect_file(test, c, "requested", "\n");
	lutest_expect_file(test, c, "features", "bus-master\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/pending"), "2\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/restored"), "1\n");
	KUNIT_ASSERT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/missing"), "2\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/restored"), "1\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/mismatch"), "0\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/removed"), "0\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/refused"), "0\n");
	lutest_expect_file(test, c, "state", "none\n");
}

static void lutest_sysfs_session(struct kunit *test)
{
	static const char * const bad[] = {
		"", " ", "\n", "bogus", "freeze", "prepare now", "PREPARE", "prepared",
		"prepare\x01", "prepare\n\n",
	};
	char line[65];
	unsigned int i;

	lutest_build(test, lutest_chain, 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, lutest_session_command(bad[i]), -EINVAL,
				    "\"%s\"", bad[i]);
	/* A NUL is written like any other byte, and refused. */
	KUNIT_EXPECT_EQ(test, device_liveupdate_session_command("prepare\0", 8), -EINVAL);
	/* 64 characters: one too many. */
	memset(line, 'p', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	KUNIT_EXPECT_EQ(test, lutest_session_command(line), -E2BIG);
	KUNIT_EXPECT_EQ(test, lutest_session_command("prepare\n"), -ENODATA);
	KUNIT_EXPECT_EQ(test, lutest_session_command("cancel"), -EINVAL);
	KUNIT_EXPECT_EQ(test, lutest_session_command("finish"), -EINVAL);

	lutest_request(test, "a");
	KUNIT_EXPECT_EQ(test, lutest_session_command("prepare"), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_EQ(test, lutest_session_command("cancel\n"), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	lutest_withdraw(test, "a");
}

/* A bus that cannot keep a handed-over device refuses it: not matched again. */
static void lutest_refuse_incoming(struct kunit *test)
{
	void *record = lutest_record(test, 2, "lutest/a/m-a/1,lutest/b/m-b/1");
	struct liveupdate_memory *memory;
	struct device *a, *b;

	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	a = lutest_add(test, &lutest_bus, "a", NULL);
	b = lutest_add(test, &lutest_bus, "b", a);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_refuse_incoming(a));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_refuse_incoming(a));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(a, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_match_incoming(a));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(b, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_EQ(test, liveupdate_record_memory(liveupdate_incoming, 0, &memory), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);

	struct seq_file report = { .size = PAGE_SIZE };

	report.buf = kunit_kzalloc(test, report.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, report.buf);
	scoped_guard(mutex, &liveupdate_mutex)
		liveupdate_record_show(&report, liveupdate_incoming);
	KUNIT_EXPECT_STREQ(test, report.buf, "lutest a m-a refused\nlutest b m-b restored\n");
}

/*
 * New kernel: until finish, a kept device is bound only by a driver that can
 * take it over; another's probe is deferred (device_driver_attach() says
 * -EAGAIN), and goes ahead once the session is finished.  A device that was
 * not kept binds as usual.
 */
static void lutest_incoming_bind_deferred(struct kunit *test)
{
	void *record = lutest_record(test, 1, "lutest/a/m-a/1");
	struct device *a, *z;

	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	a = lutest_add_for(test, &lutest_bus, "a", NULL, LUTEST_NO_DRIVER);
	z = lutest_add_for(test, &lutest_bus, "z", NULL, LUTEST_NO_DRIVER);
	KUNIT_ASSERT_TRUE(test, device_liveupdate_incoming(a, LUTEST_BM));

	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_plain_driver, a), -EAGAIN);
	KUNIT_EXPECT_NULL(test, a->driver);
	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_plain_driver, z), 0);
	KUNIT_EXPECT_PTR_EQ(test, z->driver, &lutest_plain_driver);
	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_driver, a), 0);
	KUNIT_EXPECT_PTR_EQ(test, a->driver, &lutest_driver);
	device_release_driver(a);

	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_plain_driver, a), 0);
	KUNIT_EXPECT_PTR_EQ(test, a->driver, &lutest_plain_driver);
}

/* Drivers: requests, consent and callbacks */

/* An unbound device has no driver to ask for it: nothing is kept. */
static void lutest_request_unbound(struct kunit *test)
{
	phys_addr_t ram = lutest_ram(test);
	struct device *u;

	u = lutest_add_for(test, &lutest_bus, "u", NULL, LUTEST_NO_DRIVER);
	KUNIT_ASSERT_NULL(test, u->driver);
	KUNIT_EXPECT_EQ(test, lutest_request_dev(u, LUTEST_BM), -ENODEV);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(u, ram, PAGE_SIZE), -ENODEV);
	KUNIT_EXPECT_NULL(test, u->liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODATA);
}

/* A driver without liveupdate ops cannot keep its device: it cannot ask. */
static void lutest_request_driver_without_ops(struct kunit *test)
{
	phys_addr_t ram = lutest_ram(test);
	struct device *n;

	n = lutest_add_for(test, &lutest_bus, "n", NULL, LUTEST_PLAIN_DRIVER);
	KUNIT_ASSERT_PTR_EQ(test, n->driver, &lutest_plain_driver);
	KUNIT_EXPECT_EQ(test, lutest_request_dev(n, LUTEST_BM), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_preserve_memory(n, ram, PAGE_SIZE),
			-EOPNOTSUPP);
	KUNIT_EXPECT_NULL(test, n->liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * The request belongs to the binding: with no session, unbinding the driver
 * withdraws it and drops the memory declared for the device, before the
 * driver's remove() could free that memory; so does a failed probe() that
 * requested the device.  Bound again, the device starts afresh.
 */
static void lutest_unbind_withdraws(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	phys_addr_t ram = lutest_ram(test);
	struct device *a;

	lutest_build(test, lutest_chain, 1);
	a = lutest_get(test, "a");
	KUNIT_ASSERT_EQ(test, device_liveupdate_preserve_memory(a, ram, PAGE_SIZE), 0);
	lutest_request(test, "a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_unbind(test, "a");
	KUNIT_EXPECT_NULL(test, a->liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	scoped_guard(mutex, &liveupdate_mutex)
		KUNIT_EXPECT_EQ(test, liveupdate_memory_count(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -ENODATA);

	/* Memory alone goes too. */
	KUNIT_ASSERT_EQ(test, device_driver_attach(&lutest_driver, a), 0);
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(a), -ENOENT);
	KUNIT_ASSERT_EQ(test, device_liveupdate_preserve_memory(a, ram, PAGE_SIZE), 0);
	lutest_unbind(test, "a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	ctx->fail_probe = "a";
	ctx->probe_ret[0] = 1;
	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_driver, a), -ENXIO);
	KUNIT_EXPECT_EQ(test, ctx->probe_ret[0], 0);
	KUNIT_EXPECT_NULL(test, a->driver);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	scoped_guard(mutex, &liveupdate_mutex)
		KUNIT_EXPECT_EQ(test, liveupdate_memory_count(), 0);
}

/*
 * The kernel unbinds a member's driver (userspace is refused): the session
 * is broken and the kexec refused, with nothing frozen, but it can still
 * be cancelled.
 */
static void lutest_unbind_breaks_session(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *c;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	c = lutest_get(test, "c");
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_unbind_allowed(c), -EBUSY);
	KUNIT_EXPECT_EQ(test, device_liveupdate_unbind_allowed(lutest_get(test, "a")), -EBUSY);
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "broken"), "0\n");

	lutest_unbind(test, "c");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "broken"), "1\n");
	/* The request went with the binding; the member stays, for cancel. */
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest a requested=- derived=bus-master users=1 needed-by=lutest:b(parent)\n"
			   "lutest b requested=- derived=bus-master users=1 needed-by=lutest:c(parent)\n"
			   "lutest c requested=- derived=-\n");
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, lutest_kexec(), -ENODEV);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");

	/*
	 * c's driver is gone: only its bus undoes its prepare, told what c is
	 * kept for now, nothing, which is not counted as a bad call.
	 */
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "cancel:c cancel:b dcancel:b cancel:a dcancel:a");
	ctx->bad_calls = 0;
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "broken"), "0\n");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_unbind_allowed(c), 0);
}

/*
 * The binding of a member is fixed while the session is prepared: no
 * driver can bind an unbound one, which stays unbound; other devices bind
 * as usual.
 */
static void lutest_bind_refused(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "p", NULL, LUTEST_NO_DRIVER }, { "c", "p" },
		{ "z", NULL, LUTEST_NO_DRIVER },
	};
	struct lutest_ctx *ctx = test->priv;
	struct device *p, *z;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	p = lutest_get(test, "p");
	z = lutest_get(test, "z");
	KUNIT_ASSERT_NULL(test, p->driver);
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	/* An unbound member has no driver to agree. */
	KUNIT_EXPECT_STREQ(test, ctx->log, "prepare:p dprepare:c prepare:c");

	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_driver, p), -EBUSY);
	KUNIT_EXPECT_NULL(test, p->driver);
	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_plain_driver, p), -EBUSY);
	KUNIT_EXPECT_NULL(test, p->driver);
	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_driver, z), 0);
	KUNIT_EXPECT_PTR_EQ(test, z->driver, &lutest_driver);
	KUNIT_EXPECT_FALSE(test, liveupdate_broken);

	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, device_driver_attach(&lutest_driver, p), 0);
	KUNIT_EXPECT_PTR_EQ(test, p->driver, &lutest_driver);
	lutest_withdraw(test, "c");
}

/*
 * A member kept only for others whose driver cannot keep it fails the
 * prepare, which leaves only the request behind; unbound, it can be kept.
 */
static void lutest_depends_driver_without_ops(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "p", NULL, LUTEST_PLAIN_DRIVER }, { "c", "p" },
	};
	struct lutest_ctx *ctx = test->priv;
	struct device *p;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	p = lutest_get(test, "p");
	KUNIT_ASSERT_PTR_EQ(test, p->driver, &lutest_plain_driver);
	lutest_request(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EBUSY);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_NULL(test, p->liveupdate);
	KUNIT_EXPECT_FALSE(test, lutest_has_record());
	KUNIT_EXPECT_STREQ(test, lutest_show(test), LUTEST_REQUESTED("c"));

	lutest_unbind(test, "p");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "prepare:p dprepare:c prepare:c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

/*
 * The driver of a member kept only for others agrees too, told what the
 * session keeps the device for: nothing requested, bus mastering derived;
 * at prepare and at freeze.  The core records the agreement, which holds
 * a reference on the driver's module until the session ends.  That
 * reference cannot be seen here: the suite is built in, so its drivers'
 * owner is NULL (THIS_MODULE), and try_module_get(NULL) takes nothing.
 * The flag that says it was taken is checked instead.
 */
static void lutest_driver_derived(struct kunit *test)
{
	struct lutest_dev *b, *c;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	b = to_lutest_dev(lutest_get(test, "b"));
	c = to_lutest_dev(lutest_get(test, "c"));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, b->drv_requested, 0);
	KUNIT_EXPECT_EQ(test, b->drv_derived, LUTEST_BM);
	KUNIT_EXPECT_EQ(test, c->drv_requested, LUTEST_BM);
	KUNIT_EXPECT_EQ(test, c->drv_derived, 0);
	scoped_guard(mutex, &liveupdate_mutex) {
		KUNIT_EXPECT_PTR_EQ(test, b->dev.liveupdate->driver, &lutest_driver);
		KUNIT_EXPECT_TRUE(test, b->dev.liveupdate->flags & LIVEUPDATE_AGREED);
		KUNIT_EXPECT_TRUE(test, c->dev.liveupdate->flags & LIVEUPDATE_AGREED);
	}

	b->drv_requested = ~0U;
	b->drv_derived = ~0U;
	KUNIT_ASSERT_EQ(test, lutest_kexec(), 0);
	KUNIT_EXPECT_EQ(test, b->drv_requested, 0);
	KUNIT_EXPECT_EQ(test, b->drv_derived, LUTEST_BM);
	KUNIT_EXPECT_EQ(test, c->drv_requested, LUTEST_BM);
	KUNIT_EXPECT_EQ(test, c->drv_derived, 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_NULL(test, b->dev.liveupdate);
	scoped_guard(mutex, &liveupdate_mutex)
		KUNIT_EXPECT_FALSE(test, c->dev.liveupdate->flags & LIVEUPDATE_AGREED);
	lutest_withdraw(test, "c");
}

/* A driver refusing to keep its device fails the prepare; nothing stays. */
static void lutest_driver_refuses(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	ctx->fail_dprepare = "b";
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EIO);
	KUNIT_EXPECT_STREQ(test, ctx->log, "dprepare:a prepare:a dprepare:b cancel:a dcancel:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	ctx->fail_dprepare = NULL;
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

/*
 * The bus is asked about every member with its final features, not only
 * about the requested ones: a dependency it cannot keep fails the prepare.
 */
static void lutest_validate_dependency(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "nomaster", NULL }, { "c", "nomaster" },
	};
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	lutest_request(test, "c");
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "nomaster")->liveupdate);
	lutest_withdraw(test, "c");
}

/*
 * And again at freeze: what the bus could keep at prepare it may no longer
 * (an IOMMU domain changed).  The kexec is refused and the members frozen
 * so far are unfrozen.
 */
static void lutest_validate_at_freeze(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	ctx->fail_validate = "a";
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, lutest_kexec(), -EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "dfreeze:c freeze:c dfreeze:b freeze:b unfreeze:b dunfreeze:b unfreeze:c dunfreeze:c");
	ctx->fail_validate = NULL;
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

/*
 * A driver that cannot freeze refuses the kexec: the members frozen before
 * it are unfrozen and the session is prepared again, so that any shutdown
 * after it stops them as usual; it can be cancelled.
 */
static void lutest_driver_freeze_fails(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *c;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	c = lutest_get(test, "c");
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	ctx->fail_dfreeze = "b";
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, lutest_kexec(), -EIO);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_STREQ(test, ctx->log, "dfreeze:c freeze:c dfreeze:b unfreeze:c dunfreeze:c");
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(c, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, liveupdate_shutdown_member(c, true));
	scoped_guard(mutex, &liveupdate_mutex)
		KUNIT_EXPECT_FALSE(test, c->liveupdate->flags & LIVEUPDATE_FROZEN);

	ctx->fail_dfreeze = NULL;
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "cancel:c dcancel:c cancel:b dcancel:b cancel:a dcancel:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
}

/* A frozen session belongs to the kexec under way: it cannot be cancelled. */
static void lutest_cancel_frozen(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *c;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	c = lutest_get(test, "c");
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_ASSERT_EQ(test, lutest_kexec(), 0);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), -EBUSY);
	KUNIT_EXPECT_EQ(test, lutest_session_command("cancel"), -EBUSY);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_FROZEN);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_TRUE(test, device_liveupdate_outgoing(c, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_withdraw(test, "c");
}

/*
 * Only the kexec's device_shutdown() keeps the members of a frozen session
 * running: a reboot, halt or power-off shuts them down as usual.
 */
static void lutest_shutdown_not_kexec(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	unsigned int i;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_ASSERT_EQ(test, lutest_kexec(), 0);
	lutest_clear_log(test);
	for (i = 0; i < ARRAY_SIZE(lutest_chain); i++) {
		struct device *dev = lutest_get(test, lutest_chain[i].name);

		KUNIT_EXPECT_FALSE_MSG(test, liveupdate_shutdown_member(dev, false),
				       "%s", dev_name(dev));
		/* Not a kexec in KUnit: what device_shutdown() sees. */
		KUNIT_EXPECT_FALSE_MSG(test, device_liveupdate_shutdown(dev),
				       "%s", dev_name(dev));
		KUNIT_EXPECT_TRUE_MSG(test, liveupdate_shutdown_member(dev, true),
				      "%s", dev_name(dev));
	}
	KUNIT_EXPECT_STREQ(test, ctx->log, "shutdown:a shutdown:b");
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_withdraw(test, "c");
}

/* A kexec that preserves the context comes back here: not with a session. */
static void lutest_kexec_preserve_context(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	u64 generation;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	generation = READ_ONCE(liveupdate_generation);
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, liveupdate_kexec_check(generation, true, true), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

static void lutest_link_del(void *data)
{
	struct device_link *link = data;

	link->flags &= ~(DL_FLAG_SYNC_STATE_ONLY | DL_FLAG_INFERRED);
	device_link_del(link);
}

/*
 * Device links: the supplier of a link a driver made (stateless here) is
 * needed, that of a sync-state-only link or of one fw_devlink inferred
 * from firmware is not.  device_link_add() makes a sync-state-only link
 * only for a consumer that has not probed, and inferred links are
 * fw_devlink's, so the test sets those flags itself on stateless links,
 * and clears them before the links are deleted.
 */
static void lutest_depends_links(struct kunit *test)
{
	static const struct lutest_node nodes[] = {
		{ "c", NULL }, { "s-stateless", NULL }, { "s-sync", NULL },
		{ "s-inferred", NULL },
	};
	static const u32 flags[] = { 0, DL_FLAG_SYNC_STATE_ONLY, DL_FLAG_INFERRED };
	struct lutest_ctx *ctx = test->priv;
	struct device_link *link;
	struct device *c;
	unsigned int i;

	lutest_build(test, nodes, ARRAY_SIZE(nodes));
	c = lutest_get(test, "c");
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		link = device_link_add(c, lutest_get(test, nodes[i + 1].name),
				       DL_FLAG_STATELESS);
		KUNIT_ASSERT_NOT_NULL(test, link);
		KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_link_del, link), 0);
		link->flags |= flags[i];
	}
	ctx->follow_links = true;
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest s-stateless requested=- derived=bus-master users=1 needed-by=lutest:c(supplier)\n"
			   "lutest c requested=bus-master derived=- requested\n");
	KUNIT_EXPECT_NULL(test, lutest_get(test, "s-sync")->liveupdate);
	KUNIT_EXPECT_NULL(test, lutest_get(test, "s-inferred")->liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

/* bus_register() checks the ops and leaves nothing behind when it refuses. */
static int lutest_dummy_dependencies(struct device *dev, unsigned int features,
				     struct device_liveupdate_collector *collector)
{
	return 0;
}

static int lutest_dummy_identify(struct device *dev,
				 struct device_liveupdate_identity *id)
{
	return 0;
}

static void lutest_dummy_lock(void)
{
}

static const struct device_liveupdate_ops lutest_bad_ops[] = {
	{ .identify = lutest_dummy_identify },
	{ .dependencies = lutest_dummy_dependencies },
	{ .dependencies = lutest_dummy_dependencies, .identify = lutest_dummy_identify,
	  .lock = lutest_dummy_lock },
	{ .dependencies = lutest_dummy_dependencies, .identify = lutest_dummy_identify,
	  .unlock = lutest_dummy_lock },
	{ .dependencies = lutest_dummy_dependencies, .identify = lutest_dummy_identify,
	  .lock = lutest_dummy_lock, .unlock = lutest_dummy_lock },
};

static const struct bus_type lutest_ops_buses[] = {
	{ .name = "lutest-ops", .liveupdate = &lutest_bad_ops[0] },
	{ .name = "lutest-ops", .liveupdate = &lutest_bad_ops[1] },
	{ .name = "lutest-ops", .liveupdate = &lutest_bad_ops[2] },
	{ .name = "lutest-ops", .liveupdate = &lutest_bad_ops[3] },
	{ .name = "lutest-ops", .liveupdate = &lutest_bad_ops[4] },	/* valid */
};

static void lutest_bus_register(struct kunit *test)
{
	const struct bus_type *good = &lutest_ops_buses[ARRAY_SIZE(lutest_ops_buses) - 1];
	void *record = lutest_record(test, 1, "lutest-ops/a//1");
	unsigned int i, round;

	/* Twice: a refused registration must not leave the name taken. */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < ARRAY_SIZE(lutest_ops_buses) - 1; i++)
			KUNIT_EXPECT_EQ_MSG(test, bus_register(&lutest_ops_buses[i]), -EINVAL,
					    "ops %u", i);
	}
	KUNIT_EXPECT_EQ(test, lutest_set_incoming(record), -ENODEV);
	KUNIT_ASSERT_EQ(test, bus_register(good), 0);
	bus_unregister(good);
	/* Unregistered: a record naming it is refused again. */
	KUNIT_EXPECT_EQ(test, lutest_set_incoming(record), -ENODEV);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
}

/* Handover record */

/* The record's layout, read with libfdt, not compared with lutest_record(). */
static void lutest_handover_format(struct kunit *test)
{
	phys_addr_t ram = lutest_ram(test);
	const void *fdt, *prop;
	const __be64 *memory;
	size_t size;
	int node, len;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_preserve_memory(lutest_get(test, "c"),
								ram, 2 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	fdt = device_liveupdate_handover(&size);
	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_EQ(test, fdt_check_header(fdt), 0);
	KUNIT_EXPECT_EQ(test, size, fdt_totalsize(fdt));
	KUNIT_EXPECT_EQ(test, fdt_num_mem_rsv(fdt), 0);
	prop = fdt_getprop(fdt, 0, "compatible", &len);
	KUNIT_ASSERT_NOT_NULL(test, prop);
	KUNIT_EXPECT_EQ(test, len, sizeof(LUTEST_COMPATIBLE));
	KUNIT_EXPECT_STREQ(test, prop, LUTEST_COMPATIBLE);
	KUNIT_EXPECT_LT(test, fdt_path_offset(fdt, "/device@3"), 0);

	node = fdt_path_offset(fdt, "/device@0");
	KUNIT_ASSERT_GE(test, node, 0);
	KUNIT_EXPECT_STREQ(test, fdt_getprop(fdt, node, "bus", NULL), "lutest");
	KUNIT_EXPECT_STREQ(test, fdt_getprop(fdt, node, "location", NULL), "a");
	KUNIT_EXPECT_STREQ(test, fdt_getprop(fdt, node, "model", NULL), "m-a");
	KUNIT_EXPECT_NULL(test, fdt_getprop(fdt, node, "memory", NULL));
	prop = fdt_getprop(fdt, node, "features", &len);
	KUNIT_ASSERT_NOT_NULL(test, prop);
	KUNIT_EXPECT_EQ(test, len, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(prop), LUTEST_BM);

	node = fdt_path_offset(fdt, "/device@2");
	KUNIT_ASSERT_GE(test, node, 0);
	KUNIT_EXPECT_STREQ(test, fdt_getprop(fdt, node, "location", NULL), "c");
	memory = fdt_getprop(fdt, node, "memory", &len);
	KUNIT_ASSERT_NOT_NULL(test, memory);
	KUNIT_ASSERT_EQ(test, len, 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&memory[0]), ram);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&memory[1]), 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	lutest_withdraw(test, "c");
}

static void lutest_handover_record(struct kunit *test)
{
	static const char body[] = "lutest/a/m-a/1,lutest/b/m-b/1,lutest/c/m-c/1";
	struct liveupdate_record *record;
	const char *why;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	KUNIT_EXPECT_FALSE(test, lutest_has_record());
	lutest_request(test, "c");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	lutest_expect_record(test, 3, body);

	KUNIT_ASSERT_EQ(test, lutest_parse(lutest_handover_copy(test), &record, &why), 0);
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, liveupdate_record_count(record), 3);
	KUNIT_EXPECT_STREQ(test, liveupdate_record_bus(record, 0), "lutest");
	KUNIT_EXPECT_STREQ(test, liveupdate_record_bus(record, 2), "lutest");
	KUNIT_EXPECT_EQ(test, liveupdate_record_features(record, 1), LUTEST_BM);
	liveupdate_record_free(record);

	KUNIT_EXPECT_EQ(test, device_liveupdate_freeze(), 0);
	lutest_expect_record(test, 3, body);
	KUNIT_EXPECT_EQ(test, device_liveupdate_end_frozen(), 0);
	KUNIT_EXPECT_FALSE(test, lutest_has_record());
	lutest_withdraw(test, "c");
}

static void lutest_handover_round_trip(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	struct device *a, *b, *c, *d, *e;
	struct liveupdate_record *parsed;
	const char *why;
	void *record;

	lutest_build(test, lutest_chain, ARRAY_SIZE(lutest_chain));
	lutest_add(test, &lutest_bus, "e", NULL);
	lutest_request(test, "c");
	lutest_request(test, "e");
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	record = lutest_handover_copy(test);
	KUNIT_ASSERT_NOT_NULL(test, record);
	KUNIT_ASSERT_EQ(test, lutest_parse(record, &parsed, &why), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_count(parsed), 4);
	liveupdate_record_free(parsed);
	KUNIT_ASSERT_EQ(test, device_liveupdate_freeze(), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_end_frozen(), 0);
	lutest_withdraw(test, "c");
	lutest_withdraw(test, "e");
	lutest_remove(test, "e");
	lutest_remove(test, "c");
	lutest_remove(test, "b");
	lutest_remove(test, "a");
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 4);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	/* The "next kernel": the same devices show up again. */
	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_INCOMING);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	a = lutest_add(test, &lutest_bus, "a", NULL);
	b = lutest_add(test, &lutest_bus, "b", a);
	c = lutest_add(test, &lutest_bus, "c", b);
	d = lutest_add(test, &lutest_bus, "d", b);
	/* e comes back as a different model: not kept. */
	e = lutest_alloc(test, &lutest_bus, "e", ctx->root);
	strscpy(to_lutest_dev(e)->model, "other");
	lutest_register(test, e);

	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(a, LUTEST_BM));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(b, LUTEST_BM));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(c, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(c, 0));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(d, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(e, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_match_incoming(d));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_match_incoming(c));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_outgoing(c, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 3);
	KUNIT_EXPECT_STREQ(test, lutest_show(test),
			   "lutest a requested=- derived=bus-master incoming\n"
			   "lutest b requested=- derived=bus-master incoming\n"
			   "lutest c requested=- derived=bus-master incoming\n");
	KUNIT_EXPECT_EQ(test, lutest_request_dev(d, LUTEST_BM), -EBUSY);

	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, ctx->finished, 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	/* Each device's bus, then the driver now bound; then the bus, once. */
	KUNIT_EXPECT_STREQ(test, ctx->log,
			   "finish:a dfinish:a finish:b dfinish:b finish:c dfinish:c");
	KUNIT_EXPECT_EQ(test, ctx->finished, 1);
	KUNIT_EXPECT_EQ(test, ctx->finished_at, strlen(ctx->log));
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(a, LUTEST_BM));
	KUNIT_EXPECT_NULL(test, a->liveupdate);
	/* Back to normal: requests work again. */
	KUNIT_EXPECT_EQ(test, lutest_request_dev(c, LUTEST_BM), 0);
	lutest_withdraw(test, "c");
}

/*
 * At finish, an incoming device no driver took over is stopped by its bus
 * before the memory it writes to can be freed; one a driver runs is not.
 */
static void lutest_finish_stops_unbound(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	void *record = lutest_record(test, 2, "lutest/a/m-a/1,lutest/u/m-u/1");
	struct device *u;

	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	lutest_add(test, &lutest_bus, "a", NULL);
	u = lutest_add_for(test, &lutest_bus, "u", NULL, LUTEST_NO_DRIVER);
	KUNIT_ASSERT_NULL(test, u->driver);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(u, LUTEST_BM));
	lutest_clear_log(test);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "finish:a dfinish:a finish:u stop:u");
}

/*
 * What finish does with a range no driver took: free it only when its
 * device was stopped.
 */
static void lutest_memory_fate(struct kunit *test)
{
	struct liveupdate_memory m = {};

	KUNIT_EXPECT_EQ(test, liveupdate_memory_fate(&m), LIVEUPDATE_MEMORY_KEEP);
	m.stopped = true;
	KUNIT_EXPECT_EQ(test, liveupdate_memory_fate(&m), LIVEUPDATE_MEMORY_FREE);
	m.claimed = true;
	KUNIT_EXPECT_EQ(test, liveupdate_memory_fate(&m), LIVEUPDATE_MEMORY_TAKEN);
	m.stopped = false;
	KUNIT_EXPECT_EQ(test, liveupdate_memory_fate(&m), LIVEUPDATE_MEMORY_TAKEN);
}

/* An incoming device removed before finish leaves the incoming set. */
static void lutest_handover_incoming_removed(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	void *record = lutest_record(test, 2, "lutest/a/m-a/1,lutest/b/m-b/1");
	struct device *a, *b;

	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	a = lutest_add(test, &lutest_bus, "a", NULL);
	b = lutest_add(test, &lutest_bus, "b", a);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(b, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 2);
	lutest_remove(test, "b");
	KUNIT_EXPECT_EQ(test, atomic_read(&lutest_released), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	/* Added again: its entry was used, it is not incoming any more. */
	b = lutest_add(test, &lutest_bus, "b", a);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(b, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "finish:a dfinish:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* Only devices of opted-in buses, while incoming, are matched. */
static void lutest_handover_match_scope(struct kunit *test)
{
	void *record = lutest_record(test, 2, "lutest/a/m-a/1,lutest2/a/m-a/1");
	struct lutest_ctx *ctx = test->priv;
	struct device *a, *plain, *a2;

	a = lutest_add(test, &lutest_bus, "a", NULL);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_match_incoming(a));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	/* Already added before the record: only a match attempt finds it. */
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(a, LUTEST_BM));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_match_incoming(a));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(a, LUTEST_BM));

	/* Same names under other parents, for sysfs. */
	plain = lutest_add(test, &lutest_plain_bus, "a",
			   lutest_add(test, &lutest_plain_bus, "host-p", NULL));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_match_incoming(plain));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(plain, LUTEST_BM));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_match_incoming(ctx->root));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);

	/* Same location on another opted-in bus: its own entry. */
	a2 = lutest_add(test, &lutest2_bus, "a", lutest_add(test, &lutest2_bus, "host-2", NULL));
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(lutest_get(test, "host-2"), LUTEST_BM));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(a2, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 2);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_match_incoming(a));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* Bus code may match a device before adding it. */
static void lutest_handover_match_early(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	void *record = lutest_record(test, 1, "lutest/a/m-a/1");
	struct device *a;

	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	a = lutest_alloc(test, &lutest_bus, "a", ctx->root);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_match_incoming(a));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_match_incoming(a));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	lutest_register(test, a);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(a, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "finish:a dfinish:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * A device bus code matched as handed over before adding it, whose
 * device_add() then fails (its parent was never added, so it gets no sysfs
 * directory): the core drops it, and the report says "removed".
 */
static void lutest_handover_add_fails(struct kunit *test)
{
	void *record = lutest_record(test, 1, "lutest/a/m-a/1");
	struct device *parent, *a;

	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	parent = lutest_alloc(test, &lutest_plain_bus, "never-added", NULL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_put_device, parent), 0);
	a = lutest_alloc(test, &lutest_bus, "a", parent);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_put_device, a), 0);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_match_incoming(a));
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);

	KUNIT_EXPECT_EQ(test, device_add(a), -ENOENT);
	KUNIT_EXPECT_NULL(test, a->liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/removed"), "1\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/pending"), "0\n");
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/removed"), "1\n");
	KUNIT_EXPECT_STREQ(test, lutest_session_file(test, "report/missing"), "0\n");
}

static int lutest_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct lutest_ctx *ctx = lutest_ctx;

	if (ctx && action == BUS_NOTIFY_ADD_DEVICE)
		ctx->marked_at_add = device_liveupdate_incoming(data, LUTEST_BM) ? 1 : -1;
	return NOTIFY_DONE;
}

static struct notifier_block lutest_nb = {
	.notifier_call = lutest_notify,
};

static void lutest_bus_unregister_notifier(void *unused)
{
	bus_unregister_notifier(&lutest_bus, &lutest_nb);
}

/*
 * A handed-over device is marked before its bus announces it: the bus's
 * notifiers, and its driver bound on the way (lutest_driver_probe()),
 * already see it incoming.
 */
static void lutest_handover_marked_early(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;
	void *record = lutest_record(test, 1, "lutest/a/m-a/1");

	KUNIT_ASSERT_EQ(test, bus_register_notifier(&lutest_bus, &lutest_nb), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							lutest_bus_unregister_notifier,
							NULL), 0);
	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	lutest_add(test, &lutest_bus, "a", NULL);
	KUNIT_EXPECT_EQ(test, ctx->marked_at_add, 1);
	KUNIT_EXPECT_EQ(test, ctx->marked_at_probe, 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
}

/*
 * A device found where the record names another model may be the device
 * the previous kernel kept, changed and still running: it is stopped as it
 * is added, and not kept.
 */
static void lutest_handover_mismatch_stops(struct kunit *test)
{
	void *record = lutest_record(test, 2, "lutest/a/m-x/1,lutest/b/m-b/1");
	struct lutest_ctx *ctx = test->priv;
	struct device *a, *b;

	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	a = lutest_add(test, &lutest_bus, "a", NULL);
	b = lutest_add(test, &lutest_bus, "b", NULL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "stop:a");
	KUNIT_EXPECT_FALSE(test, device_liveupdate_incoming(a, LUTEST_BM));
	KUNIT_EXPECT_TRUE(test, device_liveupdate_incoming(b, LUTEST_BM));
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
}

/*
 * Before a device is added, its bus can ask whether the record names it
 * (1), names its location with another model (-EEXIST: PCI holds such a
 * device stopped before its first config write), or not (0).
 */
static void lutest_handover_named(struct kunit *test)
{
	char *record = lutest_record(test, 2, "lutest/a/m-x/1,lutest/b/m-b/1");
	struct device *a, *b, *c;

	a = lutest_alloc(test, &lutest_bus, "a", NULL);
	b = lutest_alloc(test, &lutest_bus, "b", NULL);
	c = lutest_alloc(test, &lutest_bus, "c", NULL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_named(b), 0);
	KUNIT_ASSERT_EQ(test, lutest_set_incoming(record), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_named(a), -EEXIST);
	KUNIT_EXPECT_EQ(test, device_liveupdate_named(b), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_named(c), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_named(b), 0);
	put_device(a);
	put_device(b);
	put_device(c);
}

/*
 * After a rejected record (liveupdate_init() sets liveupdate_rejected),
 * every device of an opted-in bus is stopped as it is added, none is
 * matched, and a bus without ->stop() is left alone.
 */
static void lutest_handover_rejected_stops(struct kunit *test)
{
	struct lutest_ctx *ctx = test->priv;

	WRITE_ONCE(liveupdate_rejected, true);
	lutest_add(test, &lutest_bus, "a", NULL);
	lutest_add(test, &lutest2_bus, "b", NULL);
	lutest_add(test, &lutest_plain_bus, "p", NULL);
	WRITE_ONCE(liveupdate_rejected, false);
	lutest_add(test, &lutest_bus, "c", NULL);
	KUNIT_EXPECT_STREQ(test, ctx->log, "stop:a");
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
}

static void lutest_handover_accessors(struct kunit *test)
{
	struct device_liveupdate_identity id = { };
	struct liveupdate_record *record;
	static const char body[] = "lutest/a/m-a/1,other/a//1,lutest/0000:01:00.0/1b36:11e8/1";
	struct seq_file s = { .size = 256 };
	const char *why, *text;
	struct device *a;

	a = lutest_add(test, &lutest_bus, "a", NULL);
	text = lutest_record(test, 3, body);
	KUNIT_ASSERT_EQ(test, lutest_parse(text, &record, &why), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_count(record), 3);
	KUNIT_EXPECT_STREQ(test, liveupdate_record_bus(record, 1), "other");
	KUNIT_EXPECT_EQ(test, liveupdate_record_features(record, 2), LUTEST_BM);

	strscpy(id.location, "a");
	strscpy(id.model, "m-b");
	KUNIT_EXPECT_EQ(test, liveupdate_record_match(record, a, &id), -EEXIST);
	strscpy(id.model, "m-a");
	/* Mismatched once, the entry is not matched again. */
	KUNIT_EXPECT_EQ(test, liveupdate_record_match(record, a, &id), -ENOENT);
	liveupdate_record_set_status(record, 0, LIVEUPDATE_RECORD_PENDING);
	KUNIT_EXPECT_EQ(test, liveupdate_record_match(record, a, &id), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_match(record, a, &id), -ENOENT);
	strscpy(id.location, "0000:01:00.0");
	strscpy(id.model, "1b36:11e8");
	KUNIT_EXPECT_EQ(test, liveupdate_record_match(record, a, &id), 2);
	liveupdate_record_set_status(record, 7, LIVEUPDATE_RECORD_REMOVED);
	liveupdate_record_set_status(record, -1, LIVEUPDATE_RECORD_REMOVED);
	KUNIT_EXPECT_EQ(test, liveupdate_record_match(NULL, a, &id), -ENOENT);

	liveupdate_record_report(record);
	s.buf = kunit_kzalloc(test, s.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.buf);
	liveupdate_record_show(&s, record);
	KUNIT_EXPECT_STREQ(test, s.buf,
			   "lutest a m-a restored\n"
			   "other a - missing\n"
			   "lutest 0000:01:00.0 1b36:11e8 restored\n");
	liveupdate_record_free(record);
	liveupdate_record_free(NULL);
	KUNIT_EXPECT_EQ(test, liveupdate_record_count(NULL), 0);
}

#define LUTEST_ONE	"lutest/a/m-a/1"
#define LUTEST_EIGHT	"/0+1000/1000+1000/2000+1000/3000+1000/4000+1000" \
			"/5000+1000/6000+1000/7000+1000"
#define LUTEST_NINE	"/1000+1000/3000+1000/5000+1000/7000+1000/9000+1000" \
			"/b000+1000/d000+1000/f000+1000/11000+1000"

struct lutest_bad_record {
	const char *name;
	struct lutest_spec spec;
	int ret;
	const char *why;	/* from liveupdate_record_parse() */
};

#define LUTEST_BAD(n, r, w, ...) \
	{ .name = n, .spec = { .body = LUTEST_ONE, __VA_ARGS__ }, .ret = r, .why = w }
#define LUTEST_BAD_BODY(n, b, r, w) \
	{ .name = n, .spec = { .body = b }, .ret = r, .why = w }

static const struct lutest_bad_record lutest_bad_records[] = {
	LUTEST_BAD("compatible v2", -EPROTONOSUPPORT, "unsupported format",
		   .format = LUTEST_COMPATIBLE_V2),
	LUTEST_BAD("compatible v10", -EPROTONOSUPPORT, "unsupported format",
		   .format = LUTEST_COMPATIBLE "0"),
	LUTEST_BAD("compatible without version", -EPROTONOSUPPORT,
		   "unsupported format", .format = LUTEST_COMPATIBLE_NONE),
	LUTEST_BAD("no compatible", -EPROTONOSUPPORT, "unsupported format",
		   .format = ""),
	LUTEST_BAD_BODY("no device", "", -EINVAL, "names no device"),
	LUTEST_BAD("node out of order", -EINVAL, "a device node is out of order",
		   .node = "device@1"),
	LUTEST_BAD("node with leading zero", -EINVAL,
		   "a device node is out of order", .node = "device@00"),
	LUTEST_BAD("no bus", -EINVAL, "an entry lacks a property", .omit = "bus"),
	LUTEST_BAD("no location", -EINVAL, "an entry lacks a property",
		   .omit = "location"),
	LUTEST_BAD("no model", -EINVAL, "an entry lacks a property", .omit = "model"),
	LUTEST_BAD("no features", -EINVAL, "an entry lacks a property",
		   .omit = "features"),
	LUTEST_BAD("unterminated bus", -EINVAL, "an entry has a malformed string",
		   .prop = "bus", .value = "lutest", .len = 6),
	LUTEST_BAD("unterminated model", -EINVAL, "an entry has a malformed string",
		   .prop = "model", .value = "m-a", .len = 3),
	LUTEST_BAD("empty location property", -EINVAL,
		   "an entry has a malformed string", .prop = "location",
		   .value = "", .len = 0),
	LUTEST_BAD("two strings", -EINVAL, "an entry has a malformed string",
		   .prop = "location", .value = "a\0b", .len = 4),
	LUTEST_BAD("features 2 bytes", -EINVAL, "an entry has malformed features",
		   .prop = "features", .value = "\0\1", .len = 2),
	LUTEST_BAD("features 8 bytes", -EINVAL, "an entry has malformed features",
		   .prop = "features", .value = "\0\0\0\0\0\0\0\1", .len = 8),
	LUTEST_BAD("features empty", -EINVAL, "an entry has malformed features",
		   .prop = "features", .value = "", .len = 0),
	LUTEST_BAD("memory 8 bytes", -EINVAL, "an entry has malformed memory",
		   .prop = "memory", .value = "\0\0\0\0\0\0\x10\0", .len = 8),
	LUTEST_BAD("memory 24 bytes", -EINVAL, "an entry has malformed memory",
		   .prop = "memory",
		   .value = "\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\x10\0\0\0\0\0\0\0\x10\0",
		   .len = 24),
	LUTEST_BAD_BODY("duplicate", "lutest/a/m-a/1,lutest/a/m-b/1", -EINVAL,
			"two entries name one device"),
	LUTEST_BAD_BODY("empty bus", "/a/m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("empty location", "lutest//m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("uppercase bus", "LUTEST/a/m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("bus with dot", "lu.test/a/m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("long bus", "abcdefghijklmnopqrst/a//1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("space", "lutest/a b/m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("bang", "lutest/a!b/m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("control byte", "lutest/a\x01/m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("tab in model", "lutest/a/m\t/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("del byte", "lutest/a\x7f/m-a/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("long location", "lutest/" LUTEST_ID_64 "//1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("long model", "lutest/a/" LUTEST_ID_64 "/1", -EINVAL,
			"an entry names a bus or device badly"),
	LUTEST_BAD_BODY("features 0", "lutest/a/m-a/0", -EINVAL,
			"an entry has unknown features"),
	LUTEST_BAD_BODY("features 2", "lutest/a/m-a/2", -EINVAL,
			"an entry has unknown features"),
	LUTEST_BAD_BODY("features 3", "lutest/a/m-a/3", -EINVAL,
			"an entry has unknown features"),
	LUTEST_BAD_BODY("features top bit", "lutest/a/m-a/80000001", -EINVAL,
			"an entry has unknown features"),
	LUTEST_BAD_BODY("memory unaligned", "lutest/a/m-a/1/1800+1000", -EINVAL,
			"an entry has a bad memory range"),
	LUTEST_BAD_BODY("memory size unaligned", "lutest/a/m-a/1/1000+800", -EINVAL,
			"an entry has a bad memory range"),
	LUTEST_BAD_BODY("memory empty", "lutest/a/m-a/1/1000+0", -EINVAL,
			"an entry has a bad memory range"),
	LUTEST_BAD_BODY("memory wraps", "lutest/a/m-a/1/fffffffffffff000+2000",
			-EINVAL, "an entry has a bad memory range"),
	LUTEST_BAD_BODY("nine ranges", "lutest/a/m-a/1" LUTEST_NINE, -EINVAL,
			"an entry has too many memory ranges"),
	LUTEST_BAD_BODY("ranges overlap", "lutest/a/m-a/1/1000+2000,lutest/b/m-b/1/2000+1000",
			-EINVAL, "two memory ranges overlap"),
	LUTEST_BAD_BODY("unknown bus", "nosuchbus/a/m-a/1", -ENODEV, NULL),
	LUTEST_BAD_BODY("unknown bus second", "lutest/a/m-a/1,lutest-plain/a//1",
			-ENODEV, NULL),
};

static void lutest_bad_record_desc(const struct lutest_bad_record *r, char *desc)
{
	strscpy(desc, r->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lutest_bad_record, lutest_bad_records, lutest_bad_record_desc);

static void lutest_handover_bad_record(struct kunit *test)
{
	const struct lutest_bad_record *r = test->param_value;
	struct liveupdate_record *record = (void *)1;
	int parse_ret = r->ret == -ENODEV ? 0 : r->ret;
	const char *why = NULL;
	unsigned int count;
	void *blob;

	blob = lutest_blob(test, &r->spec, &count);
	KUNIT_EXPECT_EQ(test, lutest_parse(blob, &record, &why), parse_ret);
	if (parse_ret) {
		KUNIT_EXPECT_NULL(test, record);
		KUNIT_EXPECT_STREQ(test, why, r->why);
	} else {
		KUNIT_EXPECT_NOT_NULL(test, record);
		KUNIT_EXPECT_NULL(test, why);
		liveupdate_record_free(record);
	}
	KUNIT_EXPECT_EQ(test, lutest_set_incoming(blob), r->ret);
	if (r->ret)
		KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	else
		KUNIT_EXPECT_EQ(test, device_liveupdate_finish(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * What no entry syntax can say: a blob that is not a tree, is cut short,
 * has a broken header, is too long, or has what a later revision may add.
 */
static void lutest_handover_blob(struct kunit *test)
{
	const void *valid = lutest_record(test, 2, "lutest/a/m-a/1,lutest/b//1/1000+1000");
	struct lutest_spec extras = { .body = "lutest/a/m-a/1,lutest/b//1", .extras = true };
	size_t size = lutest_size(valid);
	struct liveupdate_record *record;
	struct liveupdate_memory *memory;
	struct fdt_header *header;
	unsigned int count, i;
	const char *why;
	void *blob;

	KUNIT_ASSERT_EQ(test, lutest_parse(valid, &record, &why), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_memory(record, 1, &memory), 1);
	liveupdate_record_free(record);

	blob = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blob);
	header = blob;

	/* Bad magic. */
	memcpy(blob, valid, size);
	header->magic = cpu_to_be32(0x7b222c22);
	KUNIT_EXPECT_EQ(test, liveupdate_record_parse(blob, size, &record, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "not a flattened device tree");
	KUNIT_EXPECT_NULL(test, record);

	/* Less than the tree's totalsize, or than a header, was retrieved. */
	for (i = 0; i < 4; i++) {
		static const size_t cut[] = { 1, 8, sizeof(struct fdt_header) };

		KUNIT_EXPECT_EQ_MSG(test,
				    liveupdate_record_parse(valid, i < 3 ? cut[i] : size - 1,
							    &record, &why),
				    -EINVAL, "size %u", i);
		KUNIT_EXPECT_STREQ(test, why, "truncated");
	}
	/* More is fine: the channel may give whole pages. */
	blob = kunit_kzalloc(test, size + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blob);
	header = blob;
	memcpy(blob, valid, size);
	KUNIT_EXPECT_EQ(test, liveupdate_record_parse(blob, size + 64, &record, &why), 0);
	liveupdate_record_free(record);

	/* A header that does not hold together. */
	memcpy(blob, valid, size);
	header->version = cpu_to_be32(1);
	header->last_comp_version = cpu_to_be32(1);
	KUNIT_EXPECT_EQ(test, liveupdate_record_parse(blob, size, &record, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "malformed header");
	memcpy(blob, valid, size);
	header->off_dt_strings = cpu_to_be32(size);
	KUNIT_EXPECT_EQ(test, liveupdate_record_parse(blob, size, &record, &why), -EINVAL);
	memcpy(blob, valid, size);
	header->size_dt_struct = cpu_to_be32(size);
	KUNIT_EXPECT_EQ(test, liveupdate_record_parse(blob, size, &record, &why), -EINVAL);

	/* A string offset out of the strings block: the property cannot be found. */
	memcpy(blob, valid, size);
	header->size_dt_strings = cpu_to_be32(4);
	KUNIT_EXPECT_EQ(test, liveupdate_record_parse(blob, size, &record, &why),
			-EPROTONOSUPPORT);

	/* Unknown properties and root subnodes are ignored. */
	blob = lutest_blob(test, &extras, &count);
	KUNIT_ASSERT_EQ(test, lutest_parse(blob, &record, &why), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_count(record), 2);
	KUNIT_EXPECT_STREQ(test, liveupdate_record_bus(record, 1), "lutest");
	KUNIT_EXPECT_EQ(test, liveupdate_record_features(record, 1), LUTEST_BM);
	liveupdate_record_free(record);

	/* The whole tree is at most 4 MiB, however little it says. */
	blob = kvzalloc(DEVICE_LIVEUPDATE_HANDOVER_MAX + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blob);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_kvfree, blob), 0);
	for (i = 0; i < 2; i++) {
		size = DEVICE_LIVEUPDATE_HANDOVER_MAX + i;
		KUNIT_ASSERT_EQ(test, fdt_open_into(valid, blob, size), 0);
		KUNIT_EXPECT_EQ(test, fdt_totalsize(blob), size);
		KUNIT_EXPECT_EQ(test, liveupdate_record_parse(blob, size, &record, &why),
				i ? -E2BIG : 0);
		KUNIT_EXPECT_STREQ(test, why ?: "", i ? "too long" : "");
		liveupdate_record_free(record);
	}
	KUNIT_EXPECT_EQ(test, device_liveupdate_set_incoming(blob, size), -E2BIG);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
}

/* Good records at the edges of what the format allows. */
static void lutest_handover_good_records(struct kunit *test)
{
	static const struct {
		unsigned int count;
		const char *body;
	} good[] = {
		{ 1, "lutest/a//1" },
		{ 1, "lutest/a/m-a/00000001" },
		{ 1, "lutest/0123456789abcdefghijklmnopqrstu/a:b.c_d-e/1" },
		/* The longest location and model, DEVICE_LIVEUPDATE_ID_LEN - 1. */
		{ 1, "lutest/" LUTEST_ID_63 "/" LUTEST_ID_63 "/1" },
		{ 1, "lutest-plain_2/A.b:C_-9/0123456789ABCDEFGHIJKLMNOPQRS/1" },
		{ 2, "lutest/a//1,other/a//1" },
		/* Eight ranges, adjoining but not overlapping. */
		{ 1, "lutest/a//1" LUTEST_EIGHT },
	};
	struct liveupdate_record *record;
	const char *why;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		const void *text = lutest_record(test, good[i].count, good[i].body);

		KUNIT_EXPECT_EQ_MSG(test, lutest_parse(text, &record, &why), 0,
				    "%s", good[i].body);
		KUNIT_EXPECT_EQ(test, liveupdate_record_count(record), good[i].count);
		liveupdate_record_free(record);
	}
}

/* A tree of @count device nodes without properties. */
static void *lutest_empty_nodes(struct kunit *test, unsigned int count)
{
	const size_t size = DEVICE_LIVEUPDATE_HANDOVER_MAX;
	void *fdt = kvzalloc(size, GFP_KERNEL);
	unsigned int i;
	char name[24];
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, lutest_kvfree, fdt), 0);
	ret = fdt_create(fdt, size);
	ret = ret ?: fdt_finish_reservemap(fdt);
	ret = ret ?: fdt_begin_node(fdt, "");
	ret = ret ?: fdt_property_string(fdt, "compatible", LUTEST_COMPATIBLE);
	for (i = 0; !ret && i < count; i++) {
		snprintf(name, sizeof(name), "device@%x", i);
		ret = fdt_begin_node(fdt, name);
		ret = ret ?: fdt_end_node(fdt);
	}
	ret = ret ?: fdt_end_node(fdt);
	ret = ret ?: fdt_finish(fdt);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return fdt;
}

/* The limits of the format, on records built programmatically. */
static void lutest_handover_limits(struct kunit *test)
{
	const size_t size = DEVICE_LIVEUPDATE_HANDOVER_MAX;
	struct liveupdate_record *record;
	unsigned int i, j;
	const char *why;
	void *blob;
	size_t len;

	char *body __free(kvfree) = kvzalloc(size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, body);

	/* 16,384 device nodes are counted, one more is too many. */
	for (i = 0; i < 2; i++) {
		blob = lutest_empty_nodes(test, DEVICE_LIVEUPDATE_HANDOVER_ENTRIES + i);
		KUNIT_EXPECT_EQ(test, lutest_parse(blob, &record, &why), i ? -E2BIG : -EINVAL);
		KUNIT_EXPECT_STREQ(test, why, i ? "too many devices" : "an entry lacks a property");
	}

	/*
	 * The most a record can say fits: 16,384 entries with the longest
	 * location and model, the first 32 with eight ranges each.
	 */
	for (j = 0, len = 0; j < DEVICE_LIVEUPDATE_HANDOVER_ENTRIES; j++) {
		len += sprintf(body + len, "%slutest/%.58s%05u/" LUTEST_ID_63 "/1",
			       j ? "," : "", LUTEST_ID_63, j);
		if (j >= DEVICE_LIVEUPDATE_MEMORY_MAX / 8)
			continue;
		for (i = 0; i < 8; i++)
			len += sprintf(body + len, "/%x+1000", (j * 8 + i) * 0x2000);
	}
	blob = lutest_record(test, DEVICE_LIVEUPDATE_HANDOVER_ENTRIES, body);
	kunit_info(test, "the largest record: %zu bytes\n", lutest_size(blob));
	KUNIT_EXPECT_EQ(test, lutest_parse(blob, &record, &why), 0);
	KUNIT_EXPECT_EQ(test, liveupdate_record_count(record),
			DEVICE_LIVEUPDATE_HANDOVER_ENTRIES);
	liveupdate_record_free(record);

	/* 256 memory ranges in all, eight an entry. */
	for (i = 0; i < 2; i++) {
		for (j = 0, len = 0; j < 32 + i; j++) {
			unsigned int k;

			len += sprintf(body + len, "%slutest/m%02u//1", j ? "," : "", j);
			for (k = 0; k < 8 && j * 8 + k < 256 + i; k++)
				len += sprintf(body + len, "/%x+1000",
					       (j * 8 + k) * 0x2000);
		}
		blob = lutest_record(test, 32 + i, body);
		KUNIT_EXPECT_EQ_MSG(test, lutest_parse(blob, &record, &why),
				    i ? -E2BIG : 0, "%u ranges", 256 + i);
		KUNIT_EXPECT_STREQ(test, why ?: "", i ? "too many memory ranges" : "");
		liveupdate_record_free(record);
	}
}

static u32 lutest_xorshift(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* Random damage to a valid record: never a crash, an accepted record is sane. */
static void lutest_handover_fuzz(struct kunit *test)
{
	static const char body[] =
		"lutest/a/m-a/1/1000+1000,lutest/b/m-b/1,lutest/0000:01:00.0/1b36:11e8/1,x/y/z/1";
	const void *valid = lutest_record(test, 4, body);
	size_t vlen = lutest_size(valid);
	unsigned int accepted = 0, rejected = 0, i, errs[4] = { };
	/* Room for a cell written at the last, unaligned, bytes. */
	u8 *blob = kunit_kzalloc(test, vlen + 4, GFP_KERNEL);
	u32 seed = 0x2545f491;

	KUNIT_ASSERT_NOT_NULL(test, blob);
	for (i = 0; i < 5000; i++) {
		struct liveupdate_record *record = (void *)1;
		u32 r = lutest_xorshift(&seed);
		size_t len = vlen, pos = (r >> 8) % vlen;
		const char *why;
		int ret;

		memcpy(blob, valid, vlen);
		switch ((r >> 1) % 4) {
		case 0:		/* flip a bit */
			blob[pos] ^= 1 << ((r >> 4) % 8);
			break;
		case 1:		/* cut short */
			len = pos;
			break;
		case 2:		/* replace a byte */
			blob[pos] = lutest_xorshift(&seed);
			break;
		case 3:		/* replace a 32-bit cell: offsets, lengths, tags */
			pos &= ~3;
			put_unaligned_be32(lutest_xorshift(&seed) % 512, blob + pos);
			break;
		}

		ret = liveupdate_record_parse(blob, len, &record, &why);
		if (ret) {
			rejected++;
			KUNIT_EXPECT_NULL(test, record);
			KUNIT_EXPECT_NOT_NULL(test, why);
			switch (ret) {
			case -EINVAL:
				errs[0]++;
				break;
			case -EPROTONOSUPPORT:
				errs[1]++;
				break;
			case -E2BIG:
				errs[2]++;
				break;
			default:
				errs[3]++;
				KUNIT_FAIL(test, "mutation %u: unexpected error %d", i, ret);
			}
			continue;
		}
		accepted++;
		KUNIT_EXPECT_GE(test, liveupdate_record_count(record), 1);
		KUNIT_EXPECT_LE(test, liveupdate_record_count(record), 4);
		KUNIT_EXPECT_EQ(test, liveupdate_record_features(record, 0), LUTEST_BM);
		liveupdate_record_free(record);
	}
	kunit_info(test, "%u mutations: %u accepted, %u rejected (%u EINVAL, %u EPROTONOSUPPORT, %u E2BIG)\n",
		   i, accepted, rejected, errs[0], errs[1], errs[2]);
	KUNIT_EXPECT_EQ(test, accepted + rejected, 5000);
	KUNIT_EXPECT_GT(test, accepted, 0);
	KUNIT_EXPECT_GT(test, errs[0], 0);
	KUNIT_EXPECT_GT(test, errs[1], 0);
	KUNIT_EXPECT_EQ(test, errs[3], 0);
}

/*
 * The header comment of liveupdate_handover.c and struct
 * device_liveupdate_identity allow only ASCII letters, digits and ":._-"
 * in a record, which travels on the kernel command line: the kernel's
 * ctype table also takes the Latin-1 upper half for letters.
 */
static void lutest_handover_non_ascii(struct kunit *test)
{
	static const char * const bodies[] = {
		"lutest/a\xe9/m-a/1",		/* location */
		"lutest/a/m\xc0/1",		/* model */
		"lut\xe9st/a/m-a/1",		/* bus */
	};
	struct liveupdate_record *record;
	unsigned int i, accepted = 0;
	struct device *a;
	const char *why;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bodies); i++) {
		ret = lutest_parse(lutest_record(test, 1, bodies[i]), &record, &why);
		liveupdate_record_free(record);
		if (!ret)
			accepted++;
		else
			KUNIT_EXPECT_EQ_MSG(test, ret, -EINVAL, "entry %u", i);
	}

	a = lutest_add(test, &lutest_bus, "a", NULL);
	strscpy(to_lutest_dev(a)->model, "m\xe9");
	KUNIT_ASSERT_EQ(test, lutest_request_dev(a, LUTEST_BM), 0);
	ret = device_liveupdate_prepare();
	if (!ret) {
		accepted++;
		KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	}
	KUNIT_EXPECT_EQ(test, lutest_withdraw_dev(a), 0);

	KUNIT_EXPECT_EQ_MSG(test, accepted, 0, "non-ASCII identities accepted");
}

static struct kunit_case lutest_cases[] = {
	KUNIT_CASE(lutest_request_bad_features),
	KUNIT_CASE(lutest_request_no_ops),
	KUNIT_CASE(lutest_request_unregistered),
	KUNIT_CASE(lutest_request_invalid_for_bus),
	KUNIT_CASE(lutest_request_twice),
	KUNIT_CASE(lutest_prepare_nothing),
	KUNIT_CASE(lutest_order_chain),
	KUNIT_CASE(lutest_order_deterministic),
	KUNIT_CASE(lutest_order_requests_sorted),
	KUNIT_CASE(lutest_order_closure),
	KUNIT_CASE(lutest_order_shared),
	KUNIT_CASE(lutest_order_shared_withdraw),
	KUNIT_CASE(lutest_order_requested_dependency),
	KUNIT_CASE(lutest_order_cross_edge),
	KUNIT_CASE(lutest_order_diamond),
	KUNIT_CASE(lutest_order_deep),
	KUNIT_CASE(lutest_order_two_buses),
	KUNIT_CASE(lutest_repeated_sessions),
	KUNIT_CASE_SLOW(lutest_concurrent),
	KUNIT_CASE(lutest_depends_fails),
	KUNIT_CASE(lutest_depends_twice),
	KUNIT_CASE(lutest_depends_missing),
	KUNIT_CASE(lutest_depends_dying),
	KUNIT_CASE(lutest_request_dying),
	KUNIT_CASE_PARAM(lutest_cycle, lutest_cycle_gen_params),
	KUNIT_CASE(lutest_depends_no_ops),
	KUNIT_CASE(lutest_depends_invalid),
	KUNIT_CASE(lutest_depends_unadded),
	KUNIT_CASE(lutest_lock_taken),
	KUNIT_CASE(lutest_cancel_refs),
	KUNIT_CASE(lutest_transitions),
	KUNIT_CASE(lutest_prepare_fails),
	KUNIT_CASE(lutest_prepare_fails_first),
	KUNIT_CASE(lutest_identify_fails),
	KUNIT_CASE(lutest_record_too_many),
	KUNIT_CASE_PARAM(lutest_record_members, lutest_record_size_gen_params),
	KUNIT_CASE(lutest_outgoing),
	KUNIT_CASE(lutest_remove_requested),
	KUNIT_CASE(lutest_remove_prepared),
	KUNIT_CASE(lutest_remove_dependency),
	KUNIT_CASE(lutest_remove_frozen),
	KUNIT_CASE(lutest_remove_outside_set),
	KUNIT_CASE(lutest_sysfs_device),
	KUNIT_CASE(lutest_sysfs_session),
	KUNIT_CASE(lutest_bus_register),
	KUNIT_CASE(lutest_request_unbound),
	KUNIT_CASE(lutest_request_driver_without_ops),
	KUNIT_CASE(lutest_unbind_withdraws),
	KUNIT_CASE(lutest_unbind_breaks_session),
	KUNIT_CASE(lutest_bind_refused),
	KUNIT_CASE(lutest_depends_driver_without_ops),
	KUNIT_CASE(lutest_driver_derived),
	KUNIT_CASE(lutest_driver_refuses),
	KUNIT_CASE(lutest_validate_dependency),
	KUNIT_CASE(lutest_validate_at_freeze),
	KUNIT_CASE(lutest_driver_freeze_fails),
	KUNIT_CASE(lutest_cancel_frozen),
	KUNIT_CASE(lutest_shutdown_not_kexec),
	KUNIT_CASE(lutest_kexec_preserve_context),
	KUNIT_CASE(lutest_depends_links),
	{}
};

static struct kunit_suite lutest_suite = {
	.name = "device_liveupdate",
	.suite_init = lutest_suite_init,
	.suite_exit = lutest_suite_exit,
	.init = lutest_init,
	.exit = lutest_exit,
	.test_cases = lutest_cases,
};

static struct kunit_case lutest_handover_cases[] = {
	KUNIT_CASE(lutest_handover_format),
	KUNIT_CASE(lutest_handover_blob),
	KUNIT_CASE(lutest_handover_record),
	KUNIT_CASE(lutest_handover_round_trip),
	KUNIT_CASE(lutest_handover_incoming_removed),
	KUNIT_CASE(lutest_handover_match_early),
	KUNIT_CASE(lutest_handover_match_scope),
	KUNIT_CASE(lutest_handover_accessors),
	KUNIT_CASE_PARAM(lutest_handover_bad_record, lutest_bad_record_gen_params),
	KUNIT_CASE(lutest_handover_good_records),
	KUNIT_CASE(lutest_handover_limits),
	KUNIT_CASE(lutest_handover_fuzz),
	KUNIT_CASE(lutest_handover_non_ascii),
	KUNIT_CASE(lutest_handover_marked_early),
	KUNIT_CASE(lutest_depends_supplier_released),
	KUNIT_CASE(lutest_remove_bus_gone),
	KUNIT_CASE_SLOW(lutest_ops_device_lock),
	KUNIT_CASE(lutest_shutdown_members),
	KUNIT_CASE(lutest_kexec_veto),
	KUNIT_CASE(lutest_kexec_stale_image),
	KUNIT_CASE(lutest_refuse_incoming),
	KUNIT_CASE(lutest_incoming_bind_deferred),
	KUNIT_CASE(lutest_handover_add_fails),
	KUNIT_CASE(lutest_memory_bad_input),
	KUNIT_CASE(lutest_memory_record),
	KUNIT_CASE(lutest_memory_verdict),
	KUNIT_CASE(lutest_memory_fate),
	KUNIT_CASE(lutest_finish_stops_unbound),
	KUNIT_CASE(lutest_handover_mismatch_stops),
	KUNIT_CASE(lutest_handover_named),
	KUNIT_CASE(lutest_handover_rejected_stops),
	{}
};

static struct kunit_suite lutest_handover_suite = {
	.name = "device_liveupdate_handover",
	.suite_init = lutest_suite_init,
	.suite_exit = lutest_suite_exit,
	.init = lutest_init,
	.exit = lutest_exit,
	.test_cases = lutest_handover_cases,
};

kunit_test_suites(&lutest_suite, &lutest_handover_suite);

MODULE_DESCRIPTION("KUnit tests for device liveupdate");
MODULE_LICENSE("GPL");
