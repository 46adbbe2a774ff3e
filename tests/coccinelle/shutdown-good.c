// SPDX-License-Identifier: GPL-2.0
/* [shutdown] must not report: callbacks that ask first, and what is not one. */
#include <linux/device/liveupdate.h>
#include <linux/pci.h>

struct my_dev {
	struct pci_dev *pdev;
};

static bool my_kept(struct pci_dev *pdev)
{
	return device_liveupdate_outgoing(&pdev->dev, DEVICE_LIVEUPDATE_BUS_MASTER);
}

static void my_stop_engine(struct my_dev *md)
{
	pci_clear_master(md->pdev);
}

/* Asks before anything else. */
static void my_shutdown(struct pci_dev *pdev)
{
	if (device_liveupdate_outgoing(&pdev->dev, DEVICE_LIVEUPDATE_BUS_MASTER))
		return;
	my_stop_engine(pci_get_drvdata(pdev));
	pci_clear_master(pdev);
}

/*
 * .remove stops the device without asking: a session holds the binding of
 * its members, so remove() never runs on one while it lasts.
 */
static void my_remove(struct pci_dev *pdev)
{
	pci_reset_function(pdev);
	pci_disable_device(pdev);
}

/* D0 is not a stop; pci_save_state() neither. */
static int my_suspend(struct pci_dev *pdev, pm_message_t state)
{
	pci_save_state(pdev);
	pci_set_power_state(pdev, PCI_D0);
	return 0;
}

/* Not a pci_driver callback: error handling and helpers may reset. */
static pci_ers_result_t my_slot_reset(struct pci_dev *pdev)
{
	pci_reset_function(pdev);
	return PCI_ERS_RESULT_RECOVERED;
}

static const struct pci_error_handlers my_err_handler = {
	.slot_reset	= my_slot_reset,
};

/* A probe may clear bus mastering on its error path: not [shutdown]. */
static int my_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);
	ret = pci_request_regions(pdev, "my");
	if (ret) {
		pci_clear_master(pdev);
		pci_disable_device(pdev);
	}
	return ret;
}

static struct pci_driver my_driver = {
	.name		= "my",
	.probe		= my_probe,
	.remove		= my_remove,
	.shutdown	= my_shutdown,
	.suspend	= my_suspend,
	.err_handler	= &my_err_handler,
};

/* A platform driver is not a PCI driver. */
static void plat_shutdown(struct platform_device *pdev)
{
	pci_clear_master(to_pci_dev(pdev->dev.parent));
}

static struct platform_driver plat_driver = {
	.shutdown	= plat_shutdown,
};
