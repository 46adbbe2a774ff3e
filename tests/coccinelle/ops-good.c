// SPDX-License-Identifier: GPL-2.0
/* [ops] must not report: a bus sets its ops and calls the public API. */
#include <linux/device.h>
#include <linux/device/liveupdate.h>

static int my_prepare(struct device *dev, unsigned int features)
{
	return 0;
}

static void my_lock(void)
{
}

static void my_unlock(void)
{
}

static const struct device_liveupdate_ops my_liveupdate_ops = {
	.prepare	= my_prepare,
	.lock		= my_lock,
	.unlock		= my_unlock,
};

struct my_other_ops {
	int (*prepare)(struct device *dev);
	void (*lock)(void);
};

static int my_other(struct my_other_ops *o, struct device *dev)
{
	o->lock();
	return o->prepare(dev);
}

static int my_request(struct device *dev)
{
	return device_liveupdate_request(dev, DEVICE_LIVEUPDATE_BUS_MASTER);
}
