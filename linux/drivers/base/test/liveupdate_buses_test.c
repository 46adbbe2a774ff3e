// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the liveupdate ops of the platform and auxiliary buses.
 *
 * They drive the real buses through the liveupdate API and read the set
 * back with device_liveupdate_show_devices(), so the devices use names no
 * other platform or auxiliary device has.
 */

#include <kunit/test.h>
#include <linux/auxiliary_bus.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/libfdt.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../liveupdate.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define TEST_PARENT	"liveupdate-test-parent"
#define TEST_CHILD	"liveupdate-test-child"
#define TEST_SUPPLIER	"liveupdate-test-supplier"
#define TEST_AUX_MOD	"test"
#define TEST_AUX_NAME	"liveupdate"
#define TEST_AUX_MODEL	TEST_AUX_MOD "." TEST_AUX_NAME
#define TEST_AUX_DEV	TEST_AUX_MODEL ".3"
/* Where the next kernel looks for an auxiliary device below TEST_PARENT. */
#define TEST_AUX_LOCATION	"platform:" TEST_PARENT ":" TEST_AUX_MODEL
#define TEST_SHOW_SIZE	PAGE_SIZE

static struct kunit_suite liveupdate_buses_suite;

/*
 * Only the driver bound to a device can request it: the test drivers bind
 * the TEST_CHILD platform devices and the TEST_AUX_MODEL auxiliary ones,
 * and can keep them across a kexec without doing anything.
 */
static const struct device_liveupdate_driver_ops test_driver_ops = {};

static int test_platform_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver test_platform_driver = {
	.probe	= test_platform_probe,
	.driver	= {
		.name		= TEST_CHILD,
		.liveupdate	= &test_driver_ops,
	},
};

static int test_auxiliary_probe(struct auxiliary_device *auxdev,
				const struct auxiliary_device_id *id)
{
	return 0;
}

static const struct auxiliary_device_id test_auxiliary_ids[] = {
	{ .name = TEST_AUX_MODEL },
	{}
};

static struct auxiliary_driver test_auxiliary_driver = {
	.probe		= test_auxiliary_probe,
	.id_table	= test_auxiliary_ids,
	.driver		= {
		.liveupdate	= &test_driver_ops,
	},
};

/* Request @dev as its driver does, with the binding held stable. */
static int test_request(struct device *dev)
{
	guard(device)(dev);
	return device_liveupdate_request(dev, DEVICE_LIVEUPDATE_BUS_MASTER);
}

static int test_withdraw(struct device *dev)
{
	guard(device)(dev);
	return device_liveupdate_withdraw(dev);
}

/* Print the set as device_liveupdate_show_devices() does, into a string. */
static char *test_show(struct kunit *test)
{
	struct seq_file s = {};

	s.buf = kunit_kzalloc(test, TEST_SHOW_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s.buf);
	s.size = TEST_SHOW_SIZE;
	device_liveupdate_show_devices(&s);
	KUNIT_ASSERT_LT(test, s.count, s.size);
	s.buf[s.count] = '\0';
	return s.buf;
}

/* The line of @show about device @name on @bus, or NULL. */
static const char *test_line(const char *show, const char *bus,
			     const char *name)
{
	char key[64];

	snprintf(key, sizeof(key), "%s %s ", bus, name);
	while (*show) {
		if (str_has_prefix(show, key))
			return show;
		show = strchrnul(show, '\n');
		if (*show)
			show++;
	}
	return NULL;
}

static unsigned int test_count_lines(const char *show)
{
	unsigned int lines = 0;

	for (; *show; show++)
		lines += *show == '\n';
	return lines;
}

/* Does the line starting at @line contain @text? */
static bool test_line_has(const char *line, const char *text)
{
	const char *end = strchrnul(line, '\n');
	const char *found = strnstr(line, text, end - line);

	return found;
}

KUNIT_DEFINE_ACTION_WRAPPER(test_platform_unregister, platform_device_unregister,
			    struct platform_device *);
KUNIT_DEFINE_ACTION_WRAPPER(test_device_unregister, device_unregister,
			    struct device *);
KUNIT_DEFINE_ACTION_WRAPPER(test_link_del, device_link_del, struct device_link *);

/* Add a platform device, unregistered at the end of the test. */
static struct platform_device *test_platform_add(struct kunit *test,
						 const char *name, int id,
						 struct device *parent)
{
	struct platform_device *pdev;
	int ret;

	pdev = platform_device_alloc(name, id);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	pdev->dev.parent = parent;
	ret = platform_device_add(pdev);
	if (ret)
		platform_device_put(pdev);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "platform device %s", name);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_platform_unregister,
							pdev), 0);
	return pdev;
}

static void test_auxiliary_release(struct device *dev)
{
	kfree(to_auxiliary_dev(dev));
}

static void test_auxiliary_unregister(void *data)
{
	struct auxiliary_device *auxdev = data;

	auxiliary_device_delete(auxdev);
	auxiliary_device_uninit(auxdev);
}

/* Add auxiliary device TEST_AUX_MODEL.@id below @parent, removed at the end. */
static struct auxiliary_device *test_auxiliary_add(struct kunit *test,
						   struct device *parent,
						   unsigned int id)
{
	struct auxiliary_device *auxdev;
	int ret;

	auxdev = kzalloc(sizeof(*auxdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, auxdev);
	auxdev->name = TEST_AUX_NAME;
	auxdev->id = id;
	auxdev->dev.parent = parent;
	auxdev->dev.release = test_auxiliary_release;
	ret = auxiliary_device_init(auxdev);
	if (ret) {
		kfree(auxdev);
		KUNIT_FAIL_AND_ABORT(test, "auxiliary_device_init: %d", ret);
		return NULL;
	}
	ret = __auxiliary_device_add(auxdev, TEST_AUX_MOD);
	if (ret)
		auxiliary_device_uninit(auxdev);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_auxiliary_unregister,
							auxdev), 0);
	return auxdev;
}

static void test_identify(struct kunit *test, struct device *dev,
			  const char *location, const char *model)
{
	struct device_liveupdate_identity id = {};

	KUNIT_ASSERT_NOT_NULL(test, dev->bus->liveupdate);
	KUNIT_ASSERT_EQ(test, dev->bus->liveupdate->identify(dev, &id), 0);
	KUNIT_EXPECT_STREQ(test, id.location, location);
	KUNIT_EXPECT_STREQ(test, id.model, model);
}

static int test_identify_error(struct device *dev)
{
	struct device_liveupdate_identity id = {};

	return dev->bus->liveupdate->identify(dev, &id);
}

/*
 * Does the prepared record have a device node for @location on @bus, of
 * @model (any if NULL), with bus mastering?
 */
static bool test_record_has(const char *bus, const char *location,
			    const char *model)
{
	const void *fdt;
	size_t size;
	int node;

	fdt = device_liveupdate_handover(&size);
	if (!fdt || fdt_check_header(fdt) || fdt_totalsize(fdt) > size)
		return false;
	fdt_for_each_subnode(node, fdt, 0) {
		const __be32 *features = fdt_getprop(fdt, node, "features", NULL);
		const char *b = fdt_getprop(fdt, node, "bus", NULL);
		const char *l = fdt_getprop(fdt, node, "location", NULL);
		const char *m = fdt_getprop(fdt, node, "model", NULL);

		if (b && l && m && features && !strcmp(b, bus) &&
		    !strcmp(l, location) && (!model || !strcmp(m, model)) &&
		    be32_to_cpup(features) == DEVICE_LIVEUPDATE_BUS_MASTER)
			return true;
	}
	return false;
}

/*
 * A child platform device with a parent and a link supplier: requesting the
 * child pulls in both, before it, and cancel leaves only the request.
 */
static void liveupdate_platform_parent_and_supplier(struct kunit *test)
{
	struct platform_device *parent, *child, *supplier;
	const char *show, *child_line, *parent_line, *supplier_line;
	struct device_link *link;

	/* The platform bus root has no bus: it is never reported. */
	KUNIT_EXPECT_FALSE(test, device_liveupdate_capable(&platform_bus));

	parent = test_platform_add(test, TEST_PARENT, PLATFORM_DEVID_NONE, NULL);
	child = test_platform_add(test, TEST_CHILD, PLATFORM_DEVID_NONE, &parent->dev);
	supplier = test_platform_add(test, TEST_SUPPLIER, PLATFORM_DEVID_NONE, NULL);
	link = device_link_add(&child->dev, &supplier->dev, DL_FLAG_STATELESS);
	KUNIT_ASSERT_NOT_NULL(test, link);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_link_del, link), 0);
	KUNIT_ASSERT_PTR_EQ(test, child->dev.driver, &test_platform_driver.driver);

	test_identify(test, &child->dev, TEST_CHILD, TEST_CHILD);

	KUNIT_ASSERT_EQ(test, test_request(&child->dev), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_PREPARED);

	show = test_show(test);
	kunit_info(test, "set:\n%s", show);
	KUNIT_EXPECT_EQ(test, test_count_lines(show), 3);
	child_line = test_line(show, "platform", TEST_CHILD);
	parent_line = test_line(show, "platform", TEST_PARENT);
	supplier_line = test_line(show, "platform", TEST_SUPPLIER);
	KUNIT_ASSERT_NOT_NULL(test, child_line);
	KUNIT_ASSERT_NOT_NULL(test, parent_line);
	KUNIT_ASSERT_NOT_NULL(test, supplier_line);
	KUNIT_EXPECT_LT(test, parent_line - show, child_line - show);
	KUNIT_EXPECT_LT(test, supplier_line - show, child_line - show);
	KUNIT_EXPECT_TRUE(test, test_line_has(child_line, " requested"));
	KUNIT_EXPECT_TRUE(test, test_line_has(parent_line,
					      "needed-by=platform:" TEST_CHILD "(parent)"));
	KUNIT_EXPECT_TRUE(test, test_line_has(supplier_line,
					      "needed-by=platform:" TEST_CHILD "(supplier)"));
	KUNIT_EXPECT_TRUE(test, test_line_has(parent_line, "derived=bus-master"));

	/* The record names each device by its name, with its base name. */
	KUNIT_EXPECT_TRUE(test, test_record_has("platform", TEST_CHILD, TEST_CHILD));
	KUNIT_EXPECT_TRUE(test, test_record_has("platform", TEST_PARENT, NULL));

	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_EQ(test, test_withdraw(&child->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	kunit_release_action(test, test_link_del, link);
	kunit_release_action(test, test_platform_unregister, supplier);
	kunit_release_action(test, test_platform_unregister, child);
	kunit_release_action(test, test_platform_unregister, parent);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* A platform device with an id is named with it and modelled without it. */
static void liveupdate_platform_identify_id(struct kunit *test)
{
	struct platform_device *pdev;

	pdev = test_platform_add(test, TEST_PARENT, 7, NULL);
	test_identify(test, &pdev->dev, TEST_PARENT ".7", TEST_PARENT);
}

/*
 * A platform device with an automatic id is named after whatever id was
 * free at boot, another one after the kexec: it cannot be kept, neither
 * requested nor as a dependency.
 */
static void liveupdate_platform_auto_id(struct kunit *test)
{
	struct platform_device *pdev, *parent, *child;

	pdev = test_platform_add(test, TEST_CHILD, PLATFORM_DEVID_AUTO, NULL);
	KUNIT_ASSERT_TRUE(test, pdev->id_auto);
	KUNIT_ASSERT_PTR_EQ(test, pdev->dev.driver, &test_platform_driver.driver);
	KUNIT_EXPECT_EQ(test, test_identify_error(&pdev->dev), -EINVAL);
	KUNIT_EXPECT_EQ(test, test_request(&pdev->dev), -EINVAL);
	KUNIT_EXPECT_NULL(test, pdev->dev.liveupdate);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	parent = test_platform_add(test, TEST_PARENT, PLATFORM_DEVID_AUTO, NULL);
	child = test_platform_add(test, TEST_CHILD, PLATFORM_DEVID_NONE, &parent->dev);
	KUNIT_ASSERT_EQ(test, test_request(&child->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EINVAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_EQ(test, test_withdraw(&child->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * An auxiliary device below a platform device: requesting it pulls in the
 * parent across the two buses, which neither the core nor the auxiliary
 * bus knows anything about.  The next kernel finds it below that parent.
 */
static void liveupdate_auxiliary_parent(struct kunit *test)
{
	struct platform_device *parent;
	struct auxiliary_device *auxdev;
	const char *show, *aux_line, *parent_line;

	parent = test_platform_add(test, TEST_PARENT, PLATFORM_DEVID_NONE, NULL);
	auxdev = test_auxiliary_add(test, &parent->dev, 3);
	KUNIT_ASSERT_STREQ(test, dev_name(&auxdev->dev), TEST_AUX_DEV);
	KUNIT_ASSERT_PTR_EQ(test, auxdev->dev.driver, &test_auxiliary_driver.driver);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_capable(&auxdev->dev));

	test_identify(test, &auxdev->dev, TEST_AUX_LOCATION, TEST_AUX_MODEL);

	KUNIT_ASSERT_EQ(test, test_request(&auxdev->dev), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);

	show = test_show(test);
	kunit_info(test, "set:\n%s", show);
	KUNIT_EXPECT_EQ(test, test_count_lines(show), 2);
	aux_line = test_line(show, "auxiliary", TEST_AUX_DEV);
	parent_line = test_line(show, "platform", TEST_PARENT);
	KUNIT_ASSERT_NOT_NULL(test, aux_line);
	KUNIT_ASSERT_NOT_NULL(test, parent_line);
	KUNIT_EXPECT_LT(test, parent_line - show, aux_line - show);
	KUNIT_EXPECT_TRUE(test, test_line_has(parent_line,
					      "needed-by=auxiliary:" TEST_AUX_DEV "(parent)"));
	KUNIT_EXPECT_TRUE(test, test_line_has(parent_line, "derived=bus-master"));
	KUNIT_EXPECT_TRUE(test, test_record_has("auxiliary", TEST_AUX_LOCATION,
						TEST_AUX_MODEL));

	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, test_withdraw(&auxdev->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	kunit_release_action(test, test_auxiliary_unregister, auxdev);
	kunit_release_action(test, test_platform_unregister, parent);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * Two auxiliary devices of one parent with the same name but for the id,
 * which may differ after the kexec, cannot be told apart: neither can be
 * kept, until one is gone.  The same name below another parent is another
 * location.
 */
static void liveupdate_auxiliary_siblings(struct kunit *test)
{
	struct auxiliary_device *first, *second, *other;
	struct platform_device *parent, *parent2;

	parent = test_platform_add(test, TEST_PARENT, PLATFORM_DEVID_NONE, NULL);
	parent2 = test_platform_add(test, TEST_SUPPLIER, PLATFORM_DEVID_NONE, NULL);
	first = test_auxiliary_add(test, &parent->dev, 3);
	second = test_auxiliary_add(test, &parent->dev, 4);
	other = test_auxiliary_add(test, &parent2->dev, 5);
	KUNIT_ASSERT_PTR_EQ(test, first->dev.driver, &test_auxiliary_driver.driver);
	KUNIT_ASSERT_PTR_EQ(test, second->dev.driver, &test_auxiliary_driver.driver);

	KUNIT_EXPECT_EQ(test, test_identify_error(&first->dev), -EEXIST);
	KUNIT_EXPECT_EQ(test, test_identify_error(&second->dev), -EEXIST);
	KUNIT_EXPECT_EQ(test, test_request(&first->dev), -EEXIST);
	KUNIT_EXPECT_EQ(test, test_request(&second->dev), -EEXIST);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	test_identify(test, &other->dev, "platform:" TEST_SUPPLIER ":" TEST_AUX_MODEL,
		      TEST_AUX_MODEL);
	KUNIT_ASSERT_EQ(test, test_request(&other->dev), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	KUNIT_EXPECT_TRUE(test, test_record_has("auxiliary",
						"platform:" TEST_SUPPLIER ":" TEST_AUX_MODEL,
						TEST_AUX_MODEL));
	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, test_withdraw(&other->dev), 0);

	/* Alone below its parent, the first one can be kept. */
	kunit_release_action(test, test_auxiliary_unregister, second);
	test_identify(test, &first->dev, TEST_AUX_LOCATION, TEST_AUX_MODEL);
	KUNIT_ASSERT_EQ(test, test_request(&first->dev), 0);
	/* A sibling added since the request fails the prepare. */
	second = test_auxiliary_add(test, &parent->dev, 6);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EEXIST);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, test_withdraw(&first->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

KUNIT_DEFINE_ACTION_WRAPPER(test_bus_unregister, bus_unregister,
			    const struct bus_type *);

static void test_device_release(struct device *dev)
{
	kfree(dev);
}

/*
 * An auxiliary device whose parent sits on a bus without liveupdate cannot
 * be preserved: prepare fails and leaves nothing behind.
 */
static void liveupdate_auxiliary_incapable_parent(struct kunit *test)
{
	static const struct bus_type test_bus = { .name = "liveupdate-test-nolu" };
	struct auxiliary_device *auxdev;
	struct device *parent;
	int ret;

	KUNIT_ASSERT_EQ(test, bus_register(&test_bus), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_bus_unregister,
							(void *)&test_bus), 0);
	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		KUNIT_FAIL_AND_ABORT(test, "out of memory");
	device_initialize(parent);
	parent->bus = &test_bus;
	parent->release = test_device_release;
	ret = dev_set_name(parent, "nolu0");
	if (!ret)
		ret = device_add(parent);
	if (ret)
		put_device(parent);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, test_device_unregister,
							parent), 0);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_capable(parent));

	auxdev = test_auxiliary_add(test, parent, 3);
	KUNIT_ASSERT_EQ(test, test_request(&auxdev->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, test_withdraw(&auxdev->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

static int liveupdate_buses_suite_init(struct kunit_suite *suite)
{
	int ret;

	ret = platform_driver_register(&test_platform_driver);
	if (ret)
		return ret;
	ret = auxiliary_driver_register(&test_auxiliary_driver);
	if (ret)
		platform_driver_unregister(&test_platform_driver);
	return ret;
}

static void liveupdate_buses_suite_exit(struct kunit_suite *suite)
{
	auxiliary_driver_unregister(&test_auxiliary_driver);
	platform_driver_unregister(&test_platform_driver);
}

/*
 * The tests drive the core's one session: not in a kernel that a live
 * update booted, nor while any device takes part in one.  test->priv says
 * that the test found the core idle, so that the session left at its end,
 * if any, is the test's.
 */
static int liveupdate_buses_test_init(struct kunit *test)
{
	if (device_liveupdate_state() != DEVICE_LIVEUPDATE_NORMAL ||
	    device_liveupdate_states())
		kunit_skip(test, "device liveupdate in use: session %s, %u devices with state",
			   liveupdate_state_names[device_liveupdate_state()],
			   device_liveupdate_states());
	test->priv = &liveupdate_buses_suite;
	return 0;
}

/* Before the test's devices go: end a session the test left behind. */
static void liveupdate_buses_test_exit(struct kunit *test)
{
	if (!test->priv)
		return;
	switch (device_liveupdate_state()) {
	case DEVICE_LIVEUPDATE_PREPARED:
		KUNIT_FAIL(test, "session left behind");
		device_liveupdate_cancel();
		break;
	case DEVICE_LIVEUPDATE_FROZEN:
		KUNIT_FAIL(test, "session left behind");
		device_liveupdate_end_frozen();
		break;
	default:
		break;
	}
}

static struct kunit_case liveupdate_buses_cases[] = {
	KUNIT_CASE(liveupdate_platform_parent_and_supplier),
	KUNIT_CASE(liveupdate_platform_identify_id),
	KUNIT_CASE(liveupdate_platform_auto_id),
	KUNIT_CASE(liveupdate_auxiliary_parent),
	KUNIT_CASE(liveupdate_auxiliary_siblings),
	KUNIT_CASE(liveupdate_auxiliary_incapable_parent),
	{}
};

static struct kunit_suite liveupdate_buses_suite = {
	.name = "device_liveupdate_buses",
	.suite_init = liveupdate_buses_suite_init,
	.suite_exit = liveupdate_buses_suite_exit,
	.init = liveupdate_buses_test_init,
	.exit = liveupdate_buses_test_exit,
	.test_cases = liveupdate_buses_cases,
};

kunit_test_suite(liveupdate_buses_suite);

MODULE_DESCRIPTION("KUnit tests for device liveupdate on the platform and auxiliary buses");
MODULE_LICENSE("GPL");
