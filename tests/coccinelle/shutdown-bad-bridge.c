// SPDX-License-Identifier: GPL-2.0
/*
 * [shutdown] must report: the .shutdown of a driver that binds bridges
 * clears bus mastering, through a helper of the same file, without
 * asking; the PCI bus's shutdown op calls it for a bridge kept for the
 * devices below it.
 */
#include <linux/pci.h>

static void br_quiesce(struct pci_dev *pdev)
{
	pci_clear_master(pdev);
}

static void br_shutdown(struct pci_dev *pdev)
{
	br_quiesce(pdev);
}

static const struct pci_device_id br_ids[] = {
	{ PCI_DEVICE_CLASS(PCI_CLASS_BRIDGE_PCI_NORMAL, ~0) },
	{ }
};

static struct pci_driver br_driver = {
	.name		= "br",
	.id_table	= br_ids,
	.shutdown	= br_shutdown,
};
