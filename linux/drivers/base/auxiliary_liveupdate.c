// SPDX-License-Identifier: GPL-2.0
/*
 * Auxiliary bus support for device liveupdate.
 *
 * An auxiliary device is a function of its parent, often a PCI function,
 * and keeps running only if the parent does: it depends on its parent, and
 * through the parent's bus on whatever the parent needs, without the core
 * knowing either bus.  Device-link suppliers are needed too.
 *
 * An auxiliary device is found again after the kexec by its name,
 * "modname.devname.id", and recognised by the name without the id, which is
 * what auxiliary drivers match on.
 *
 * The auxiliary bus has no hot-plug lock: the core's reference on each
 * device it collects keeps the device and its parent alive.
 */

#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/string.h>

#include "base.h"

static int auxiliary_liveupdate_identify(struct device *dev,
					 struct device_liveupdate_identity *id)
{
	const char *name = dev_name(dev);
	const char *id_part;
	size_t len;

	/* The name is set by auxiliary_device_add(), just before device_add(). */
	if (!name)
		return -ENODEV;
	id_part = strrchr(name, '.');
	if (!id_part)
		return -EINVAL;
	len = id_part - name;
	if (strscpy(id->location, name) < 0 || len >= sizeof(id->model))
		return -E2BIG;
	memcpy(id->model, name, len);
	id->model[len] = '\0';
	return 0;
}

const struct device_liveupdate_ops auxiliary_liveupdate_ops = {
	.dependencies	= device_liveupdate_parent_and_suppliers,
	.identify	= auxiliary_liveupdate_identify,
};
