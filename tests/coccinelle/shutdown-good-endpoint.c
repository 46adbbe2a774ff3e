// SPDX-License-Identifier: GPL-2.0
/*
 * [shutdown] must not report: the .shutdown of a driver that binds no
 * bridge.  device_shutdown() skips it for a requested member, and the PCI
 * bus's shutdown op calls it for no device but a bridge.
 */
#include <linux/pci.h>

static void ep_shutdown(struct pci_dev *pdev)
{
	pci_clear_master(pdev);
	pci_disable_device(pdev);
}

static const struct pci_device_id ep_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};

static struct pci_driver ep_driver = {
	.name		= "ep",
	.id_table	= ep_ids,
	.shutdown	= ep_shutdown,
};
