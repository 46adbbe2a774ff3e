// SPDX-License-Identifier: GPL-2.0
/* [shutdown] must report: pci_driver callbacks stop DMA without asking. */
#include <linux/device/liveupdate.h>
#include <linux/pci.h>

struct my_dev {
	struct pci_dev *pdev;
	bool running;
};

/* Asks, but only on one branch: the other one reaches the reset. */
static int my_freeze_suspend(struct pci_dev *pdev, pm_message_t state)
{
	struct my_dev *md = pci_get_drvdata(pdev);

	if (md->running) {
		if (device_liveupdate_outgoing(&pdev->dev,
					       DEVICE_LIVEUPDATE_BUS_MASTER))
			return 0;
		md->running = false;
	}
	pci_reset_function(pdev);
	pci_disable_device(pdev);
	return 0;
}

/* Legacy PM: the PCI core calls it for freeze and poweroff too. */
static int my_suspend(struct pci_dev *pdev, pm_message_t state)
{
	pci_save_state(pdev);
	pci_set_power_state(pdev, pci_choose_state(pdev, state));
	return 0;
}

static struct pci_driver my_driver = {
	.name		= "my",
	.suspend	= my_suspend,
};

static struct pci_driver my_other_driver = {
	.name		= "my-other",
	.suspend	= my_freeze_suspend,
};
