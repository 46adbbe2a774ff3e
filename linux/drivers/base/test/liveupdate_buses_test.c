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
#define TEST_AUX_DEV	TEST_AUX_MOD "." TEST_AUX_NAME ".3"
#define TEST_SHOW_SIZE	PAGE_SIZE

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

static struct platform_device *test_platform_add(struct kunit *test,
						 const char *name,
						 struct device *parent)
{
	struct platform_device *pdev;

	pdev = platform_device_alloc(name, PLATFORM_DEVID_NONE);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	pdev->dev.parent = parent;
	KUNIT_ASSERT_EQ_MSG(test, platform_device_add(pdev), 0,
			    "platform device %s", name);
	return pdev;
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

/*
 * A child platform device with a parent and a link supplier: requesting the
 * child pulls in both, before it, and cancel leaves only the request.
 */
static void liveupdate_platform_parent_and_supplier(struct kunit *test)
{
	struct platform_device *parent, *child, *supplier;
	const char *show, *child_line, *parent_line, *supplier_line;
	struct device_link *link;

	KUNIT_ASSERT_EQ(test, device_liveupdate_states(), 0);
	/* The platform bus root has no bus: it is never reported. */
	KUNIT_EXPECT_FALSE(test, device_liveupdate_capable(&platform_bus));

	parent = test_platform_add(test, TEST_PARENT, NULL);
	child = test_platform_add(test, TEST_CHILD, &parent->dev);
	supplier = test_platform_add(test, TEST_SUPPLIER, NULL);
	link = device_link_add(&child->dev, &supplier->dev, DL_FLAG_STATELESS);
	KUNIT_ASSERT_NOT_NULL(test, link);

	test_identify(test, &child->dev, TEST_CHILD, TEST_CHILD);

	KUNIT_ASSERT_EQ(test, device_liveupdate_request(&child->dev,
							DEVICE_LIVEUPDATE_BUS_MASTER), 0);
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
	KUNIT_EXPECT_NOT_NULL(test, strstr(device_liveupdate_handover(),
					   "platform/" TEST_CHILD "/" TEST_CHILD "/1"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(device_liveupdate_handover(),
					   "platform/" TEST_PARENT "/"));

	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 1);
	KUNIT_EXPECT_EQ(test, device_liveupdate_withdraw(&child->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	device_link_del(link);
	platform_device_unregister(child);
	platform_device_unregister(supplier);
	platform_device_unregister(parent);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* A platform device with an id is named with it and modelled without it. */
static void liveupdate_platform_identify_id(struct kunit *test)
{
	struct platform_device *pdev;

	pdev = platform_device_register_simple(TEST_PARENT, 7, NULL, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	test_identify(test, &pdev->dev, TEST_PARENT ".7", TEST_PARENT);
	platform_device_unregister(pdev);
}

static void test_auxiliary_release(struct device *dev)
{
	kfree(to_auxiliary_dev(dev));
}

static void test_device_release(struct device *dev)
{
	kfree(dev);
}

/*
 * An auxiliary device below a platform device: requesting it pulls in the
 * parent across the two buses, which neither the core nor the auxiliary
 * bus knows anything about.
 */
static void liveupdate_auxiliary_parent(struct kunit *test)
{
	struct platform_device *parent;
	struct auxiliary_device *auxdev;
	const char *show, *aux_line, *parent_line;

	KUNIT_ASSERT_EQ(test, device_liveupdate_states(), 0);

	parent = test_platform_add(test, TEST_PARENT, NULL);
	auxdev = kzalloc(sizeof(*auxdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, auxdev);
	auxdev->name = TEST_AUX_NAME;
	auxdev->id = 3;
	auxdev->dev.parent = &parent->dev;
	auxdev->dev.release = test_auxiliary_release;
	KUNIT_ASSERT_EQ(test, auxiliary_device_init(auxdev), 0);
	KUNIT_ASSERT_EQ(test, __auxiliary_device_add(auxdev, TEST_AUX_MOD), 0);
	KUNIT_ASSERT_STREQ(test, dev_name(&auxdev->dev), TEST_AUX_DEV);
	KUNIT_EXPECT_TRUE(test, device_liveupdate_capable(&auxdev->dev));

	test_identify(test, &auxdev->dev, TEST_AUX_DEV,
		      TEST_AUX_MOD "." TEST_AUX_NAME);

	KUNIT_ASSERT_EQ(test, device_liveupdate_request(&auxdev->dev,
							DEVICE_LIVEUPDATE_BUS_MASTER), 0);
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
	KUNIT_EXPECT_NOT_NULL(test, strstr(device_liveupdate_handover(),
					   "auxiliary/" TEST_AUX_DEV "/"
					   TEST_AUX_MOD "." TEST_AUX_NAME "/1"));

	KUNIT_EXPECT_EQ(test, device_liveupdate_cancel(), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_withdraw(&auxdev->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	auxiliary_device_delete(auxdev);
	auxiliary_device_uninit(auxdev);
	platform_device_unregister(parent);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
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

	KUNIT_ASSERT_EQ(test, bus_register(&test_bus), 0);
	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, parent);
	device_initialize(parent);
	parent->bus = &test_bus;
	parent->release = test_device_release;
	KUNIT_ASSERT_EQ(test, dev_set_name(parent, "nolu0"), 0);
	KUNIT_ASSERT_EQ(test, device_add(parent), 0);
	KUNIT_EXPECT_FALSE(test, device_liveupdate_capable(parent));

	auxdev = kzalloc(sizeof(*auxdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, auxdev);
	auxdev->name = TEST_AUX_NAME;
	auxdev->id = 3;
	auxdev->dev.parent = parent;
	auxdev->dev.release = test_auxiliary_release;
	KUNIT_ASSERT_EQ(test, auxiliary_device_init(auxdev), 0);
	KUNIT_ASSERT_EQ(test, __auxiliary_device_add(auxdev, TEST_AUX_MOD), 0);

	KUNIT_ASSERT_EQ(test, device_liveupdate_request(&auxdev->dev,
							DEVICE_LIVEUPDATE_BUS_MASTER), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_prepare(), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, device_liveupdate_state(), DEVICE_LIVEUPDATE_NORMAL);
	KUNIT_EXPECT_EQ(test, device_liveupdate_withdraw(&auxdev->dev), 0);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);

	auxiliary_device_delete(auxdev);
	auxiliary_device_uninit(auxdev);
	device_unregister(parent);
	bus_unregister(&test_bus);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
}

/* Requests need a normal session, not one handed over by a previous kernel. */
static int liveupdate_buses_test_init(struct kunit *test)
{
	if (device_liveupdate_state() != DEVICE_LIVEUPDATE_NORMAL)
		kunit_skip(test, "a liveupdate session is in progress");
	return 0;
}

static struct kunit_case liveupdate_buses_cases[] = {
	KUNIT_CASE(liveupdate_platform_parent_and_supplier),
	KUNIT_CASE(liveupdate_platform_identify_id),
	KUNIT_CASE(liveupdate_auxiliary_parent),
	KUNIT_CASE(liveupdate_auxiliary_incapable_parent),
	{}
};

static struct kunit_suite liveupdate_buses_suite = {
	.name = "device_liveupdate_buses",
	.init = liveupdate_buses_test_init,
	.test_cases = liveupdate_buses_cases,
};

kunit_test_suite(liveupdate_buses_suite);

MODULE_DESCRIPTION("KUnit tests for device liveupdate on the platform and auxiliary buses");
MODULE_LICENSE("GPL");
