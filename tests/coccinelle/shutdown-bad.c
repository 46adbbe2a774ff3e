// SPDX-License-Identifier: GPL-2.0
/* [shutdown] must report: pci_driver callbacks stop DMA without asking. */
#include <linux/device/liveupdate.h>
#include <linux/pci.h>

struct my_dev {
	struct pci_dev *pdev;
	bool running;
};

static void my_stop_engine(struct my_dev *md)
{
	md->running = false;
	pci_clear_master(md->pdev);
}

/* Through a helper of the same file. */
static void my_shutdown(struct pci_dev *pdev)
{
	my_stop_engine(pci_get_drvdata(pdev));
}

/* Asks, but only on one branch: the other one reaches the reset. */
static void my_remove(struct pci_dev *pdev)
{
	struct my_dev *md = pci_get_drvdata(pdev);

	if (md->running) {
		if (device_liveupdate_outgoing(&pdev->dev,
					       DEVICE_LIVEUPDATE_BUS_MASTER))
			return;
		md->running = false;
	}
	pci_reset_function(pdev);
	pci_disable_device(pdev);
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
	.remove		= my_remove,
	.shutdown	= my_shutdown,
	.suspend	= my_suspend,
};
