// SPDX-License-Identifier: GPL-2.0
/* [shutdown] must not report: PM callbacks that ask, or are not freeze or poweroff. */
#include <linux/device/liveupdate.h>
#include <linux/pci.h>
#include <linux/pm.h>

static int my_freeze(struct device *dev)
{
	if (device_liveupdate_outgoing(dev, DEVICE_LIVEUPDATE_BUS_MASTER))
		return 0;
	pci_clear_master(to_pci_dev(dev));
	return 0;
}

/* Only for suspend to RAM, never at a kexec or a hibernation. */
static int my_suspend(struct device *dev)
{
	pci_set_power_state(to_pci_dev(dev), PCI_D3hot);
	return 0;
}

/* Runtime PM is not covered. */
static int my_runtime_suspend(struct device *dev)
{
	pci_clear_master(to_pci_dev(dev));
	return 0;
}

static int my_resume(struct device *dev)
{
	return 0;
}

static const struct dev_pm_ops my_pm_ops = {
	.suspend		= my_suspend,
	.freeze			= my_freeze,
	.resume			= my_resume,
	.runtime_suspend	= my_runtime_suspend,
};

static struct pci_driver my_driver = {
	.name		= "my",
	.driver.pm	= &my_pm_ops,
};

/* A dev_pm_ops no pci_driver points to. */
static int lone_suspend(struct device *dev)
{
	pci_disable_device(to_pci_dev(dev));
	return 0;
}

static SIMPLE_DEV_PM_OPS(lone_pm_ops, lone_suspend, my_resume);
