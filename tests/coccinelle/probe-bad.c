// SPDX-License-Identifier: GPL-2.0
/* [probe] must report: a probe resets the device without asking. */
#include <linux/device/liveupdate.h>
#include <linux/pci.h>

static int my_hw_init(struct pci_dev *pdev)
{
	int ret;

	ret = pcie_flr(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	return 0;
}

static int my_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	if (pci_reset_function(pdev))
		dev_warn(&pdev->dev, "reset failed\n");
	return my_hw_init(pdev);
}

static struct pci_driver my_driver = {
	.name	= "my",
	.probe	= my_probe,
};

/* Asks after the reset: too late. */
static int late_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	bool incoming;

	__pci_reset_function_locked(pdev);
	incoming = device_liveupdate_incoming(&pdev->dev,
					      DEVICE_LIVEUPDATE_BUS_MASTER);
	return incoming ? 0 : -ENODEV;
}

static struct pci_driver late_driver = {
	.name	= "late",
	.probe	= late_probe,
};
