// SPDX-License-Identifier: GPL-2.0
/*
 * [state] [ops] must not report: the core itself, recognised by its file
 * name drivers/base/liveupdate.c.
 */
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include "../../../../../linux/drivers/base/liveupdate.h"

static int core_prepare(struct device *dev, unsigned int features)
{
	const struct device_liveupdate_ops *ops = dev->bus->liveupdate;
	struct device_liveupdate *state = dev->liveupdate;

	state->requested = features;
	ops->lock();
	ops->unlock();
	return dev->bus->liveupdate->prepare(dev, features);
}
