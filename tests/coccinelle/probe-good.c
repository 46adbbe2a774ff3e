// SPDX-License-Identifier: GPL-2.0
/* [probe] must not report: a probe that asks before it resets. */
#include <linux/device/liveupdate.h>
#include <linux/pci.h>

static int my_hw_init(struct pci_dev *pdev)
{
	return pcie_flr(pdev);
}

static int my_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	if (!device_liveupdate_incoming(&pdev->dev, DEVICE_LIVEUPDATE_BUS_MASTER)) {
		ret = my_hw_init(pdev);
		if (ret)
			return ret;
		pci_reset_function(pdev);
	}
	pci_set_master(pdev);
	return 0;
}

/* Not a probe: the reset on remove is [shutdown]'s business, asked here. */
static void my_remove(struct pci_dev *pdev)
{
	if (!device_liveupdate_outgoing(&pdev->dev, DEVICE_LIVEUPDATE_BUS_MASTER))
		pci_reset_function(pdev);
}

static struct pci_driver my_driver = {
	.name	= "my",
	.probe	= my_probe,
	.remove	= my_remove,
};

/* A probe that does not reset. */
static int plain_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	pci_set_master(pdev);
	return 0;
}

static struct pci_driver plain_driver = {
	.name	= "plain",
	.probe	= plain_probe,
};
