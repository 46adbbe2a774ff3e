// SPDX-License-Identifier: GPL-2.0
/* [shutdown] must report: dev_pm_ops freeze and poweroff stop or reset. */
#include <linux/pci.h>
#include <linux/pm.h>

static int my_freeze(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	return pcie_flr(pdev);
}

static int my_poweroff_noirq(struct device *dev)
{
	pci_set_power_state(to_pci_dev(dev), PCI_D3cold);
	return 0;
}

static int my_resume(struct device *dev)
{
	return 0;
}

static const struct dev_pm_ops my_pm_ops = {
	.freeze		= my_freeze,
	.poweroff_noirq	= my_poweroff_noirq,
	.resume		= my_resume,
};

static struct pci_driver my_driver = {
	.name		= "my",
	.driver		= {
		.pm	= pm_sleep_ptr(&my_pm_ops),
	},
};

/* The macros coccinelle cannot expand: read from the text. */
static int other_suspend(struct device *dev)
{
	pci_disable_device(to_pci_dev(dev));
	return 0;
}

static const struct dev_pm_ops other_pm_ops = {
	SET_SYSTEM_SLEEP_PM_OPS(other_suspend, my_resume)
	SET_RUNTIME_PM_OPS(NULL, NULL, NULL)
};

static struct pci_driver other_driver = {
	.name		= "other",
	.driver.pm	= &other_pm_ops,
};

static int simple_suspend(struct device *dev)
{
	pci_prepare_to_sleep(to_pci_dev(dev));
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(simple_pm_ops, simple_suspend, my_resume);

static struct pci_driver simple_driver = {
	.name		= "simple",
	.driver.pm	= pm_sleep_ptr(&simple_pm_ops),
};
