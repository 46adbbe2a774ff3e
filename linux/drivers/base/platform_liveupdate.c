// SPDX-License-Identifier: GPL-2.0
/*
 * Platform bus support for device liveupdate.
 *
 * A platform device needs its parent, unless the parent is the bus-less
 * platform_bus root or another device without a bus, and its device-link
 * suppliers.  It is found again after the kexec by its name, which is only
 * stable for devices registered with a fixed id (PLATFORM_DEVID_NONE or a
 * number): a device with PLATFORM_DEVID_AUTO cannot be kept.  It is
 * recognised by its name without the id.
 *
 * The platform bus has no hot-plug lock: the core's reference on each device
 * it collects keeps the device and its parent alive, and device links are
 * walked under their SRCU read lock.
 */

#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include "base.h"

static int platform_liveupdate_identify(struct device *dev,
					struct device_liveupdate_identity *id)
{
	struct platform_device *pdev = to_platform_device(dev);
	ssize_t ret;

	if (!dev_name(dev) || !pdev->name)
		return -ENODEV;
	if (pdev->id_auto)
		return -EINVAL;
	ret = strscpy(id->location, dev_name(dev));
	if (ret >= 0)
		ret = strscpy(id->model, pdev->name);
	return ret < 0 ? ret : 0;
}

/* An automatic id is whatever was free at boot: another one next time. */
static int platform_liveupdate_validate(struct device *dev, unsigned int features)
{
	if (!to_platform_device(dev)->id_auto)
		return 0;
	dev_err(dev, "liveupdate: its name is not stable across a kexec (PLATFORM_DEVID_AUTO)\n");
	return -EINVAL;
}

const struct device_liveupdate_ops platform_liveupdate_ops = {
	.dependencies	= device_liveupdate_parent_and_suppliers,
	.identify	= platform_liveupdate_identify,
	.validate	= platform_liveupdate_validate,
};
