// SPDX-License-Identifier: GPL-2.0
/*
 * Auxiliary bus support for device liveupdate.
 *
 * An auxiliary device is a function of its parent, often a PCI function,
 * and keeps running only if the parent does: it depends on its parent, and
 * through the parent's bus on whatever the parent needs, without the core
 * knowing either bus.  Device-link suppliers are needed too.
 *
 * An auxiliary device's id is its parent driver's choice, often from an
 * IDA shared by every parent, so it may differ after the kexec.  The device
 * is found again by what does not change: its parent, named by its bus and
 * name, and its name without the id, "modname.devname", which must be
 * unique among the parent's auxiliary devices; it is recognised by that
 * name, which is what auxiliary drivers match on.
 *
 * The auxiliary bus has no hot-plug lock: the core's reference on each
 * device it collects keeps the device and its parent alive.
 */

#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/string.h>

#include "base.h"

struct auxiliary_liveupdate_sibling {
	struct device *dev;
	const char *model;
	size_t len;
};

/* Another auxiliary device of the same parent with the same name but id? */
static int auxiliary_liveupdate_same(struct device *other, void *data)
{
	struct auxiliary_liveupdate_sibling *me = data;
	const char *name = dev_name(other);

	return other != me->dev && other->bus == me->dev->bus && name &&
	       !strncmp(name, me->model, me->len) && name[me->len] == '.' &&
	       !strchr(name + me->len + 1, '.');
}

static int auxiliary_liveupdate_identify(struct device *dev,
					 struct device_liveupdate_identity *id)
{
	struct auxiliary_liveupdate_sibling me = { .dev = dev };
	const char *name = dev_name(dev);
	const char *id_part;

	/* The name is set by auxiliary_device_add(), just before device_add(). */
	if (!name || !dev->parent || !dev->parent->bus)
		return -ENODEV;
	id_part = strrchr(name, '.');
	if (!id_part)
		return -EINVAL;
	me.len = id_part - name;
	if (me.len >= sizeof(id->model))
		return -E2BIG;
	memcpy(id->model, name, me.len);
	id->model[me.len] = '\0';
	me.model = id->model;
	if (device_for_each_child(dev->parent, &me, auxiliary_liveupdate_same))
		return -EEXIST;
	if (snprintf(id->location, sizeof(id->location), "%s:%s:%s",
		     dev->parent->bus->name, dev_name(dev->parent),
		     id->model) >= sizeof(id->location))
		return -E2BIG;
	return 0;
}

/* A device the next kernel could not tell from its siblings is not kept. */
static int auxiliary_liveupdate_validate(struct device *dev,
					 unsigned int features)
{
	struct device_liveupdate_identity id = {};
	int ret = auxiliary_liveupdate_identify(dev, &id);

	if (ret)
		dev_err(dev, "liveupdate: cannot be told from its siblings after a kexec: %d\n",
			ret);
	return ret;
}

const struct device_liveupdate_ops auxiliary_liveupdate_ops = {
	.dependencies	= device_liveupdate_parent_and_suppliers,
	.identify	= auxiliary_liveupdate_identify,
	.validate	= auxiliary_liveupdate_validate,
};
