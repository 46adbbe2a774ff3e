// SPDX-License-Identifier: GPL-2.0
/* [ops] must report: device_liveupdate_ops callbacks called by a bus. */
#include <linux/device.h>
#include <linux/device/liveupdate.h>

extern const struct device_liveupdate_ops my_liveupdate_ops;

static int my_prepare_all(struct device *dev, unsigned int features)
{
	const struct device_liveupdate_ops *ops = dev->bus->liveupdate;

	ops->lock();
	ops->freeze(dev, features);
	ops->unlock();
	return 0;
}

static int my_identify(struct device *dev,
		       struct device_liveupdate_identity *id)
{
	return dev->bus->liveupdate->identify(dev, id);
}

static void my_finish(struct device *dev, unsigned int features)
{
	my_liveupdate_ops.finish(dev, features);
}

static int my_deps(struct device *dev)
{
	return dev->bus->liveupdate->dependencies(dev, 0, NULL);
}

static void my_assert(const struct device_liveupdate_ops *ops)
{
	ops->lock_held();
}
