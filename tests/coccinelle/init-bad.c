// SPDX-License-Identifier: GPL-2.0
/* [init] must report: device_liveupdate_init() outside device_initialize(). */
#include <linux/device.h>
#include "base.h"

static void my_bus_setup(struct device *dev)
{
	device_liveupdate_init(dev);
}

int my_bus_add(struct device *dev)
{
	my_bus_setup(dev);
	return device_add(dev);
}
