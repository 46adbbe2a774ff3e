// SPDX-License-Identifier: GPL-2.0
/* [state] must report: a struct device's ->liveupdate outside the core. */
#include <linux/device.h>
#include <linux/pci.h>

struct my_dev {
	struct device dev;
	int id;
};

static bool my_preserved(struct device *dev)
{
	return dev->liveupdate != NULL;
}

static void my_forget(struct my_dev *md)
{
	md->dev.liveupdate = NULL;
}

static bool my_pci_preserved(struct pci_dev *pdev)
{
	return pdev->dev.liveupdate;
}

static void *my_peek(const struct device *dev)
{
	return dev->liveupdate;
}

static void *my_copy(struct device d)
{
	return d.liveupdate;
}
