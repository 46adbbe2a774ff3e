// SPDX-License-Identifier: GPL-2.0
/*
 * [state] [ops] must not report: the core's KUnit tests, recognised by
 * their file name drivers/base/test/liveupdate*.c, check bus ops directly.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>

static void test_identify(struct kunit *test, struct device *dev)
{
	struct device_liveupdate_identity id = {};

	KUNIT_ASSERT_EQ(test, dev->bus->liveupdate->identify(dev, &id), 0);
	KUNIT_EXPECT_NULL(test, dev->liveupdate);
}
