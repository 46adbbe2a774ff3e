// SPDX-License-Identifier: GPL-2.0
/* [init] must not report: the one call is in device_initialize(). */
#include <linux/device.h>
#include "base.h"

void device_liveupdate_init(struct device *dev)
{
	dev->p = NULL;
}

void device_initialize(struct device *dev)
{
	dev->kobj.kset = devices_kset;
	kobject_init(&dev->kobj, &device_ktype);
	device_liveupdate_init(dev);
	INIT_LIST_HEAD(&dev->dma_pools);
}

static void (*init_hook)(struct device *dev) = device_initialize;
