// SPDX-License-Identifier: GPL-2.0
/* [state] must not report: bus_type .liveupdate and the public API. */
#include <linux/device.h>
#include <linux/device/liveupdate.h>

static const struct device_liveupdate_ops my_liveupdate_ops;

static const struct bus_type my_bus_type = {
	.name		= "my",
	.liveupdate	= &my_liveupdate_ops,
};

struct my_state {
	void *liveupdate;
};

static bool my_bus_supported(const struct bus_type *bus)
{
	return bus->liveupdate != NULL;
}

static bool my_preserved(struct device *dev)
{
	return device_liveupdate_outgoing(dev, DEVICE_LIVEUPDATE_BUS_MASTER);
}

static void *my_state_peek(struct my_state *s)
{
	return s->liveupdate;
}

static bool my_dev_bus_supported(struct device *dev)
{
	return dev->bus && dev->bus->liveupdate;
}
