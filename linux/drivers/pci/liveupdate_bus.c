// SPDX-License-Identifier: GPL-2.0
/*
 * PCI bus support for device liveupdate.
 *
 * What the driver core cannot know about PCI, and this file tells it:
 *
 *  - A device keeps doing DMA across the kexec only if every bridge between
 *    it and its root port keeps forwarding its transactions, so a device
 *    preserved for bus mastering depends on its upstream bridge, which in
 *    turn depends on its own.
 *  - An SR-IOV virtual function exists only while its physical function
 *    keeps VF Enable set, so a VF depends on its PF.  The VF's device-model
 *    parent is the PF's parent, not the PF: this tie is PCI's alone.
 *  - A PCI device is found again after the kexec by its domain, bus,
 *    device and function numbers, and recognised by its vendor and device
 *    IDs.
 *
 * Locking: the core collects the set with pci_lock_rescan_remove() held,
 * which keeps devices, VFs and bridges from being added or removed; under it
 * pdev->bus->self and pdev->physfn are stable.  device_del() of a PCI device
 * runs under that lock and then takes the core's lock, so the core's lock
 * nests inside it.
 *
 * Kexec: freeze disables every member's MSI and MSI-X.  The driver core
 * does not shut down a requested member, so its driver's shutdown() is not
 * called and Bus Master Enable stays set.  A member kept only for others
 * goes through pci_liveupdate_shutdown().  In
 * the new kernel, bridges above preserved devices keep their bus numbers,
 * even with pci=assign-busses, so that the devices are found where they
 * were, and a preserved PF keeps its VFs enabled (drivers/pci/iov.c).
 */

#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/lockdep.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/string_choices.h>

#include "pci.h"

static int pci_liveupdate_dependencies(struct device *dev,
				       unsigned int features,
				       struct device_liveupdate_collector *collector)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_dev *bridge;
	int ret;

	if (pdev->is_virtfn) {
		ret = device_liveupdate_depends_on(collector, &pci_physfn(pdev)->dev,
						   DEVICE_LIVEUPDATE_REASON_SRIOV_PF,
						   features);
		if (ret)
			return ret;
	}

	/* A VF's upstream bridge is its PF's: pci_upstream_bridge() knows. */
	bridge = pci_upstream_bridge(pdev);
	if (bridge && (features & DEVICE_LIVEUPDATE_BUS_MASTER))
		return device_liveupdate_depends_on(collector, &bridge->dev,
						    DEVICE_LIVEUPDATE_REASON_BUS_MASTER_PATH,
						    DEVICE_LIVEUPDATE_BUS_MASTER);
	return 0;
}

static int pci_liveupdate_identify(struct device *dev,
				   struct device_liveupdate_identity *id)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	snprintf(id->location, sizeof(id->location), "%04x:%02x:%02x.%d",
		 pci_domain_nr(pdev->bus), pdev->bus->number,
		 PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
	snprintf(id->model, sizeof(id->model), "%04x:%04x", pdev->vendor,
		 pdev->device);
	return 0;
}

/* A host bridge does not master the bus: nothing to keep for it. */
static int pci_liveupdate_validate(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	if ((features & DEVICE_LIVEUPDATE_BUS_MASTER) &&
	    (pdev->class >> 8) == PCI_CLASS_BRIDGE_HOST) {
		pci_err(pdev, "liveupdate: a host bridge cannot be kept for bus mastering\n");
		return -EINVAL;
	}
	return 0;
}

static void pci_liveupdate_lock_held(void)
{
	pci_lockdep_assert_rescan_remove_held();
}

/* Is MSI or MSI-X enabled?  Read back for the initcall_debug line. */
static bool pci_liveupdate_msi_enabled(struct pci_dev *pdev)
{
	u16 msi = 0, msix = 0;

	if (pdev->msi_cap)
		pci_read_config_word(pdev, pdev->msi_cap + PCI_MSI_FLAGS, &msi);
	if (pdev->msix_cap)
		pci_read_config_word(pdev, pdev->msix_cap + PCI_MSIX_FLAGS, &msix);
	return (msi & PCI_MSI_FLAGS_ENABLE) || (msix & PCI_MSIX_FLAGS_ENABLE);
}

static void pci_liveupdate_log(struct pci_dev *pdev, const char *what)
{
	u16 cmd;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pci_info(pdev, "liveupdate: %s, bus master %s, MSI/MSI-X %s\n", what,
		 str_on_off(cmd & PCI_COMMAND_MASTER),
		 str_on_off(pci_liveupdate_msi_enabled(pdev)));
}

/*
 * No member takes an armed MSI or MSI-X into the kexec: the new kernel
 * disables them only when it enumerates the device, and until then a
 * message would reach an interrupt controller set up for nothing.  A
 * requested member's driver sets its interrupts up again in the new
 * kernel.  Cancel gives the old kernel its vectors back.
 */
static void pci_liveupdate_freeze(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	pci_msi_init(pdev);
	pci_msix_init(pdev);
	if (initcall_debug)
		pci_liveupdate_log(pdev, "frozen");
}

static void pci_liveupdate_cancel(struct device *dev, unsigned int features)
{
	pci_restore_msi_state(to_pci_dev(dev));
}

/*
 * A member nobody requested, kept for the members that depend on it.  A
 * bridge keeps forwarding their DMA: its driver shuts its own services
 * down (pcieport frees their interrupt vectors), no MSI or MSI-X stays
 * enabled (freeze disabled them, the driver may have set them again), and
 * Bus Master Enable stays set.  A physical function kept for
 * its VFs, or a function kept for an auxiliary device, is left running:
 * its driver's shutdown() would stop what depends on it.
 */
static void pci_liveupdate_shutdown(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_driver *drv = pdev->driver;

	if (!pci_is_bridge(pdev))
		return;

	pm_runtime_resume(dev);
	if (drv && drv->shutdown)
		drv->shutdown(pdev);
	/* Clear MSI and MSI-X Enable, as enumeration does in the new kernel. */
	pci_msi_init(pdev);
	pci_msix_init(pdev);

	if (initcall_debug)
		pci_liveupdate_log(pdev, "bridge kept");
}

/*
 * The previous kernel's record was rejected: stop the device mastering, as
 * pci_device_shutdown() in a plain kexec would have.  Runs as the device is
 * added, before any driver can bind it.
 */
static void pci_liveupdate_stop(struct device *dev)
{
	pci_clear_master(to_pci_dev(dev));
}

const struct device_liveupdate_ops pci_liveupdate_ops = {
	.dependencies	= pci_liveupdate_dependencies,
	.identify	= pci_liveupdate_identify,
	.validate	= pci_liveupdate_validate,
	.lock		= pci_lock_rescan_remove,
	.unlock		= pci_unlock_rescan_remove,
	.lock_held	= pci_liveupdate_lock_held,
	.freeze		= pci_liveupdate_freeze,
	.cancel		= pci_liveupdate_cancel,
	.shutdown	= pci_liveupdate_shutdown,
	.stop		= pci_liveupdate_stop,
};

/**
 * pci_liveupdate_keep_bus_numbers - must a bridge keep its bus numbers?
 * @bridge: a bridge being scanned, before it is added
 *
 * Devices the previous kernel preserved are found again at the bus numbers
 * they had, so the bridges above them keep their secondary and subordinate
 * numbers even when all buses are being renumbered.
 *
 * Return: true if @bridge was handed over by the previous kernel.
 */
bool pci_liveupdate_keep_bus_numbers(struct pci_dev *bridge)
{
	if (!device_liveupdate_match_incoming(&bridge->dev))
		return false;
	pci_dbg(bridge, "keeping bus numbers for liveupdate\n");
	return true;
}

/**
 * pci_liveupdate_keep_vfs - must a PF keep the VFs it has enabled?
 * @pf: a PF whose VF Enable is set, being set up before it is added
 *
 * A PF the previous kernel preserved kept its VFs running: they keep VF
 * Enable and NumVFs, and are added at the routing IDs they had, without the
 * second a PF otherwise waits after clearing VF Enable.
 *
 * Return: true if @pf was handed over by the previous kernel.
 */
bool pci_liveupdate_keep_vfs(struct pci_dev *pf)
{
	return device_liveupdate_match_incoming(&pf->dev);
}

/**
 * pci_liveupdate_refuse_bridge - a bridge's bus numbers are gone or invalid
 * @bridge: a bridge being scanned, before its buses are
 *
 * If the previous kernel kept @bridge, the devices below it cannot be found
 * where they were and are renumbered like any other: the bridge is not
 * kept, and it stops forwarding their DMA, as a plain kexec would have
 * stopped it.
 */
void pci_liveupdate_refuse_bridge(struct pci_dev *bridge)
{
	if (!device_liveupdate_refuse_incoming(&bridge->dev))
		return;
	pci_clear_master(bridge);
	pci_err(bridge, "liveupdate: bus numbers lost, bridge not kept, its bus mastering stopped\n");
}
