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
 *  - An SR-IOV virtual function is refused: its PF's driver created it and
 *    keeps its state, and nothing yet lets that driver adopt VFs it finds
 *    enabled in the new kernel.  A kept PF's VFs are stopped at the kexec
 *    like any device not kept, and the new kernel clears VF Enable.
 *  - A PCI device is found again after the kexec by its path from its host
 *    bridge (the host bridge's domain and root bus number, then the device
 *    and function numbers of each bridge on the way down), and recognised
 *    by its vendor, device, subsystem and revision IDs and, where it has
 *    one, its Device Serial Number.
 *
 * Locking: the core collects the set with pci_lock_rescan_remove() held,
 * which keeps devices and bridges from being added or removed; under it
 * pdev->bus->self is stable.  device_del() of a PCI device
 * runs under that lock and then takes the core's lock, so the core's lock
 * nests inside it.
 *
 * A member's DMA goes through the IOMMU if one translates for it: its
 * tables are not handed over, so such a device cannot keep mastering, and
 * validate refuses it, for every member of a set, requested or not.
 *
 * Kexec: a member stays runtime-resumed for the session, and freeze
 * disables its MSI and MSI-X.  The driver core shuts down no member, so
 * no driver's shutdown() is called and Bus Master Enable stays set; a
 * member kept only for others, whose driver quiesced it at freeze, goes
 * through pci_liveupdate_shutdown().  In the new kernel, bridges above
 * preserved devices keep their bus numbers, even with pci=assign-busses, so
 * that the devices' DMA keeps the requester IDs it had.
 */

#include <linux/debugfs.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/iommu.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/string_choices.h>

#include "pci.h"

static int pci_liveupdate_dependencies(struct device *dev,
				       unsigned int features,
				       struct device_liveupdate_collector *collector)
{
	struct pci_dev *bridge = pci_upstream_bridge(to_pci_dev(dev));

	if (bridge && (features & DEVICE_LIVEUPDATE_BUS_MASTER))
		return device_liveupdate_depends_on(collector, &bridge->dev,
						    DEVICE_LIVEUPDATE_REASON_BUS_MASTER_PATH,
						    DEVICE_LIVEUPDATE_BUS_MASTER);
	return 0;
}

/* Devices on a path: "DDDD:BB" and "-DD.F" for each fit in the location. */
#define PCI_LIVEUPDATE_PATH_DEPTH	((DEVICE_LIVEUPDATE_ID_LEN - 8) / 5)

/*
 * "DDDD:BB-DD.F-DD.F": the host bridge's domain and root bus number, which
 * firmware fixes (ACPI's _SEG and _BBN), then the device and function
 * numbers of each device on the way down to @pdev.  Bus numbers below the
 * root are not part of it: a device is the same device if they change.
 */
static int pci_liveupdate_path(struct pci_dev *pdev, char *location)
{
	u8 devfn[PCI_LIVEUPDATE_PATH_DEPTH];
	struct pci_bus *root = pdev->bus;
	struct pci_dev *dev;
	int depth = 0, len;

	for (dev = pdev; dev; dev = dev->bus->self) {
		if (depth == ARRAY_SIZE(devfn))
			return -ENAMETOOLONG;
		devfn[depth++] = dev->devfn;
		root = dev->bus;
	}
	len = snprintf(location, DEVICE_LIVEUPDATE_ID_LEN, "%04x:%02x",
		       pci_domain_nr(root), root->number);
	while (depth-- && len < DEVICE_LIVEUPDATE_ID_LEN)
		len += snprintf(location + len, DEVICE_LIVEUPDATE_ID_LEN - len,
				"-%02x.%d", PCI_SLOT(devfn[depth]),
				PCI_FUNC(devfn[depth]));
	return len < DEVICE_LIVEUPDATE_ID_LEN ? 0 : -ENAMETOOLONG;
}

/* Subsystem IDs, read from the device: they need not be cached yet. */
static void pci_liveupdate_subsystem(struct pci_dev *pdev, u16 *vendor,
				     u16 *device)
{
	u8 pos;

	*vendor = 0;
	*device = 0;
	switch (pdev->hdr_type) {
	case PCI_HEADER_TYPE_NORMAL:
		pci_read_config_word(pdev, PCI_SUBSYSTEM_VENDOR_ID, vendor);
		pci_read_config_word(pdev, PCI_SUBSYSTEM_ID, device);
		break;
	case PCI_HEADER_TYPE_BRIDGE:
		pos = pci_find_capability(pdev, PCI_CAP_ID_SSVID);
		if (pos) {
			pci_read_config_word(pdev, pos + PCI_SSVID_VENDOR_ID, vendor);
			pci_read_config_word(pdev, pos + PCI_SSVID_DEVICE_ID, device);
		}
		break;
	}
}

/*
 * Called for a device being set up, before any config write, as well as
 * for one added: everything is read from config space, nothing from what
 * enumeration caches later.
 */
static int pci_liveupdate_identify(struct device *dev,
				   struct device_liveupdate_identity *id)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	u16 vendor, device, subsystem_vendor, subsystem_device;
	u8 revision;
	u64 serial;
	int len;

	if (pci_liveupdate_path(pdev, id->location))
		return -ENAMETOOLONG;
	/* Not pdev->vendor and ->device: a header fixup may change them. */
	pci_read_config_word(pdev, PCI_VENDOR_ID, &vendor);
	pci_read_config_word(pdev, PCI_DEVICE_ID, &device);
	pci_liveupdate_subsystem(pdev, &subsystem_vendor, &subsystem_device);
	pci_read_config_byte(pdev, PCI_REVISION_ID, &revision);
	len = scnprintf(id->model, sizeof(id->model), "%04x:%04x:%04x:%04x:%02x",
			vendor, device, subsystem_vendor, subsystem_device,
			revision);
	serial = pci_get_dsn(pdev);
	if (serial &&
	    snprintf(id->model + len, sizeof(id->model) - len, ":%016llx",
		     serial) >= sizeof(id->model) - len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * A VF is refused (see the top of this file).  A host bridge does not
 * master the bus: nothing to keep for it.  A device whose DMA an IOMMU
 * translates cannot keep mastering: the IOMMU's tables are not handed
 * over, and on x86 the kexec turns translation off, so its addresses would
 * land elsewhere in the next kernel.
 */
static int pci_liveupdate_validate(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct iommu_domain *domain;

	if (pdev->is_virtfn) {
		pci_err(pdev, "liveupdate: cannot keep a VF: its PF's driver could not adopt it in the next kernel\n");
		return -EOPNOTSUPP;
	}
	/*
	 * A domain number above 0xffff is handed out at boot (VMD), in probe
	 * order: the device could not be named the same way next time.
	 */
	if (pci_domain_nr(pdev->bus) > 0xffff) {
		pci_err(pdev, "liveupdate: cannot keep a device whose PCI domain is numbered at boot\n");
		return -EOPNOTSUPP;
	}
	/* The next kernel's USB handoff quirk stops the controller. */
	if ((pdev->class >> 8) == PCI_CLASS_SERIAL_USB) {
		pci_err(pdev, "liveupdate: cannot keep a USB host controller: the next kernel's handoff quirk stops it\n");
		return -EOPNOTSUPP;
	}
	if (!(features & DEVICE_LIVEUPDATE_BUS_MASTER))
		return 0;
	if ((pdev->class >> 8) == PCI_CLASS_BRIDGE_HOST) {
		pci_err(pdev, "liveupdate: a host bridge cannot be kept for bus mastering\n");
		return -EINVAL;
	}
	domain = iommu_get_domain_for_dev(dev);
	if (domain && domain->type != IOMMU_DOMAIN_IDENTITY) {
		pci_err(pdev, "liveupdate: cannot keep bus mastering across a kexec: an IOMMU translates its DMA\n");
		return -EOPNOTSUPP;
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

/* A member in D3 would neither master nor forward: keep it resumed. */
static int pci_liveupdate_prepare(struct device *dev, unsigned int features)
{
	pm_runtime_get_sync(dev);
	return 0;
}

static void pci_liveupdate_cancel(struct device *dev, unsigned int features)
{
	pm_runtime_put(dev);
}

/*
 * No member takes an armed interrupt into the kexec: the new kernel
 * disables MSI and MSI-X only when it enumerates the device, and until
 * then a message would reach an interrupt controller set up for nothing;
 * an INTx asserted before the device's driver binds would be a shared
 * line's "nobody cared".  So MSI and MSI-X are turned off and INTx Disable
 * set, which the new kernel's enumeration leaves as it is.  A requested
 * member's driver sets its interrupts up again in the new kernel.  A kexec
 * refused after freeze gives the old kernel its interrupts back.
 */
static void pci_liveupdate_freeze(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	u16 cmd;

	pci_msi_init(pdev);
	pci_msix_init(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pdev->liveupdate_intx_on = !(cmd & PCI_COMMAND_INTX_DISABLE);
	if (pdev->liveupdate_intx_on)
		pci_write_config_word(pdev, PCI_COMMAND,
				      cmd | PCI_COMMAND_INTX_DISABLE);
	if (initcall_debug)
		pci_liveupdate_log(pdev, "frozen");
}

static void pci_liveupdate_unfreeze(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	u16 cmd;

	if (pdev->liveupdate_intx_on) {
		pci_read_config_word(pdev, PCI_COMMAND, &cmd);
		pci_write_config_word(pdev, PCI_COMMAND,
				      cmd & ~PCI_COMMAND_INTX_DISABLE);
		pdev->liveupdate_intx_on = false;
	}
	pci_restore_msi_state(pdev);
}

/*
 * A member nobody requested, kept for the members that depend on it: a
 * bridge that forwards their DMA, a function kept for an auxiliary device.
 * Its driver, if any, quiesced what it owns at freeze (pcieport removed its
 * services and freed their vectors); no MSI or MSI-X stays enabled, and Bus
 * Master Enable stays set for what its dependents need.
 */
static void pci_liveupdate_shutdown(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	/* Clear MSI and MSI-X Enable, as enumeration does in the new kernel. */
	pci_msi_init(pdev);
	pci_msix_init(pdev);

	if (initcall_debug)
		pci_liveupdate_log(pdev, pci_is_bridge(pdev) ? "bridge kept" : "kept");
}

/*
 * Stop the device mastering, as pci_device_shutdown() in a plain kexec
 * would have, as it is added after a rejected record.  At finish, for an
 * incoming device no driver took over, clearing Bus Master Enable is not
 * enough: the next driver to bind sets it again, maybe before it resets
 * the device, whose DMA would resume into memory that finish freed.  So
 * the function is also reset; one that cannot be reset is not stopped
 * (-EBUSY), and its memory stays reserved.  Nor is a bridge, which
 * forwards for the devices below it, or a PF with VFs enabled, which may
 * gate their DMA.
 */
static int pci_liveupdate_stop(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_dev *bridge;
	int ret;

	if (!pci_dev_is_added(pdev)) {
		pci_clear_master(pdev);
		return 0;
	}
	device_lock_assert(dev);
	if (pdev->subordinate || pci_num_vf(pdev))
		return -EBUSY;
	pci_clear_master(pdev);
	/* As pci_reset_function(): the core holds the bridge's device lock. */
	bridge = pci_upstream_bridge(pdev);
	if (bridge)
		pci_cfg_access_lock(bridge);
	ret = pci_reset_function_locked(pdev);
	if (bridge)
		pci_cfg_access_unlock(bridge);
	return ret ? -EBUSY : 0;
}

/**
 * struct pci_liveupdate_found - a kept device's config space, as found
 * @blob: debugfs's view of @config
 * @file: pci_liveupdate/BDF in debugfs, or NULL
 * @config: the config space before this kernel wrote to it; ~0 where it
 *	could not be read and beyond the device's config space size
 *
 * So that what the previous kernel left can be told from what this
 * kernel's enumeration and drivers (pcieport, for one) set again.  Kept
 * for an incoming device until the session is finished.
 */
struct pci_liveupdate_found {
	struct debugfs_blob_wrapper blob;
	struct dentry *file;
	u32 config[PCI_CFG_SPACE_EXP_SIZE / sizeof(u32)];
};

/*
 * Guards pci_liveupdate_dir's creation and every added device's
 * liveupdate_found: the device being added (pci_liveupdate_added()) and
 * finish (the bus's finish op) may run at once.
 */
static DEFINE_MUTEX(pci_liveupdate_found_mutex);
static struct dentry *pci_liveupdate_dir;

/**
 * struct pci_liveupdate_held - a device whose bus mastering is held off
 * @entry: entry in pci_liveupdate_held_devices
 * @pdev: the device, with a reference
 */
struct pci_liveupdate_held {
	struct list_head entry;
	struct pci_dev *pdev;
};

/* Guards pci_liveupdate_held_devices. */
static DEFINE_MUTEX(pci_liveupdate_held_mutex);
static LIST_HEAD(pci_liveupdate_held_devices);

/*
 * Stop @dev mastering and keep it stopped until the session is finished,
 * whatever a driver asks meanwhile (pcieport sets Bus Master Enable on the
 * ports it drives): a bridge the previous kernel kept but this kernel
 * cannot, and every device below it, may still hold what the previous
 * kernel left running.  Only pci_liveupdate_track() of the added device
 * makes it last.
 */
static void pci_liveupdate_hold(struct pci_dev *dev)
{
	pci_clear_master(dev);
	WRITE_ONCE(dev->liveupdate_stopped, true);
}

/*
 * Keep a reference on a held device, added and initialised, for finish to
 * let it go.  Without memory for that, it stays held: finish frees the
 * memory it may have written to on the understanding that it is stopped.
 */
static void pci_liveupdate_track(struct pci_dev *dev)
{
	struct pci_liveupdate_held *held;

	held = kmalloc(sizeof(*held), GFP_KERNEL);
	if (!held)
		return;
	held->pdev = pci_dev_get(dev);
	guard(mutex)(&pci_liveupdate_held_mutex);
	list_add_tail(&held->entry, &pci_liveupdate_held_devices);
}

/**
 * pci_liveupdate_master_held - is a device's bus mastering held off?
 * @dev: a device whose bus mastering is being set or cleared
 * @enable: set (pci_set_master()) or cleared (pci_clear_master())
 *
 * Remembers the driver that last asked, so that it alone gets bus
 * mastering once the session is finished, if it is still bound and has not
 * cleared it since.
 *
 * Return: true if @dev must not master until the session is finished.
 */
bool pci_liveupdate_master_held(struct pci_dev *dev, bool enable)
{
	struct pci_driver *driver = enable ? dev->driver : NULL;

	if (!READ_ONCE(dev->liveupdate_stopped))
		return false;
	if (READ_ONCE(dev->liveupdate_master_for) != driver && driver)
		pci_info(dev, "liveupdate: bus mastering held off until the session is finished\n");
	WRITE_ONCE(dev->liveupdate_master_for, driver);
	return enable;
}

/*
 * Does @dev get bus mastering back at finish?  If the driver that asked for
 * it is still bound and the device enabled; a bridge without a driver is
 * enabled, with bus mastering, only by pci_enable_bridge() for the drivers
 * of the devices below it, so it gets it back if it is enabled.
 */
static bool pci_liveupdate_master_due(struct pci_dev *dev)
{
	if (!pci_dev_is_added(dev) || !pci_is_enabled(dev))
		return false;
	if (!dev->driver)
		return !!dev->subordinate;
	return dev->liveupdate_master_for == dev->driver;
}

/*
 * The session is finished: give held devices bus mastering if they are
 * due it.
 */
static void pci_liveupdate_finished(void)
{
	struct pci_liveupdate_held *held, *next;
	LIST_HEAD(done);

	scoped_guard(mutex, &pci_liveupdate_held_mutex)
		list_splice_init(&pci_liveupdate_held_devices, &done);

	list_for_each_entry_safe(held, next, &done, entry) {
		struct pci_dev *pdev = held->pdev;

		scoped_guard(device, &pdev->dev) {
			WRITE_ONCE(pdev->liveupdate_stopped, false);
			if (pci_liveupdate_master_due(pdev))
				pci_set_master(pdev);
			pdev->liveupdate_master_for = NULL;
		}
		pci_dev_put(pdev);
		kfree(held);
	}
}

/* Keep a copy of @dev's config space before this kernel writes to it. */
static void pci_liveupdate_keep_found(struct pci_dev *dev)
{
	struct pci_liveupdate_found *found;
	unsigned int i;

	found = kmalloc(sizeof(*found), GFP_KERNEL);
	if (!found)
		return;
	for (i = 0; i < ARRAY_SIZE(found->config); i++)
		if (i * sizeof(u32) >= dev->cfg_size ||
		    pci_read_config_dword(dev, i * sizeof(u32), &found->config[i]))
			found->config[i] = ~0;
	found->blob.data = found->config;
	found->blob.size = sizeof(found->config);
	found->file = NULL;
	dev->liveupdate_found = found;
}

/*
 * Drop @dev's copy of its config space as found, and its debugfs file.  The
 * caller holds pci_liveupdate_found_mutex, or @dev's last reference.
 */
static void pci_liveupdate_forget_found(struct pci_dev *dev)
{
	struct pci_liveupdate_found *found = dev->liveupdate_found;

	if (!found)
		return;
	debugfs_remove(found->file);
	dev->liveupdate_found = NULL;
	kfree(found);
}

static void pci_liveupdate_drop_found(struct pci_dev *dev)
{
	guard(mutex)(&pci_liveupdate_found_mutex);
	pci_liveupdate_forget_found(dev);
}

/**
 * pci_liveupdate_setup - before a device's first config write
 * @dev: a device being set up, not yet initialised
 *
 * The one place that decides whether @dev is kept: a device the record
 * names is marked incoming, and every later step of enumeration reads that
 * mark (pci_liveupdate_incoming()) instead of asking the core again.  It
 * also gets a copy of its config space as found.  Below a bridge held off,
 * the device is held off too.
 */
void pci_liveupdate_setup(struct pci_dev *dev)
{
	switch (device_liveupdate_named(&dev->dev)) {
	case 1:
		WRITE_ONCE(dev->liveupdate_incoming, true);
		pci_liveupdate_keep_found(dev);
		break;
	case -EEXIST:
		/*
		 * Another model where the previous kernel kept a device: it
		 * may be that device, changed, still mastering, and a bridge
		 * still forwarding for what it kept below.  Held off like a
		 * refused bridge, before enumeration writes to it.
		 */
		pci_liveupdate_hold(dev);
		return;
	}
	if (dev->bus->self && READ_ONCE(dev->bus->self->liveupdate_stopped))
		pci_liveupdate_hold(dev);
}

/**
 * pci_liveupdate_added - a device was added
 * @dev: a device just added, and matched as incoming or not; no driver can
 *	bind it yet
 *
 * A device held off is tracked until finish.  One the previous kernel kept
 * below a bridge this kernel refused, or found where the record names
 * another model, is refused too: its DMA cannot reach memory the way it
 * did.  So is one matched as added though it was not named when it was
 * set up (a fixup changed its identity): enumeration has written to it.
 * An incoming one's copy of its config space is shown in debugfs.
 */
void pci_liveupdate_added(struct pci_dev *dev)
{
	struct pci_liveupdate_found *found;
	const char *why = "below a bridge not kept, not kept either";

	if (!READ_ONCE(dev->liveupdate_stopped) && !pci_liveupdate_incoming(dev) &&
	    device_liveupdate_incoming(&dev->dev, DEVICE_LIVEUPDATE_FEATURES)) {
		pci_liveupdate_hold(dev);
		why = "named only once set up, not kept";
	}
	if (READ_ONCE(dev->liveupdate_stopped)) {
		pci_liveupdate_track(dev);
		if (device_liveupdate_refuse_incoming(&dev->dev))
			pci_err(dev, "liveupdate: %s, its bus mastering stopped\n", why);
	}
	if (!pci_liveupdate_incoming(dev))
		return;

	/*
	 * Not matched, or refused: the mark goes, with or without a copy.
	 * Asked before the copy's lock is taken, which nests inside nothing;
	 * a finish in between has dropped the copy.
	 */
	if (!device_liveupdate_incoming(&dev->dev, DEVICE_LIVEUPDATE_FEATURES)) {
		WRITE_ONCE(dev->liveupdate_incoming, false);
		pci_liveupdate_drop_found(dev);
		return;
	}
	guard(mutex)(&pci_liveupdate_found_mutex);
	found = dev->liveupdate_found;
	if (!found)
		return;
	if (!pci_liveupdate_dir)
		pci_liveupdate_dir = debugfs_create_dir("pci_liveupdate", NULL);
	found->file = debugfs_create_blob(pci_name(dev), 0400, pci_liveupdate_dir,
					  &found->blob);
}

/**
 * pci_liveupdate_release - free the copy of a device's config space
 * @dev: a device whose last reference is gone, or that setup failed for
 */
void pci_liveupdate_release(struct pci_dev *dev)
{
	pci_liveupdate_forget_found(dev);
}

static void pci_liveupdate_finish(struct device *dev, unsigned int features)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	WRITE_ONCE(pdev->liveupdate_incoming, false);
	pci_liveupdate_drop_found(pdev);
}

const struct device_liveupdate_ops pci_liveupdate_ops = {
	.dependencies	= pci_liveupdate_dependencies,
	.identify	= pci_liveupdate_identify,
	.validate	= pci_liveupdate_validate,
	.lock		= pci_lock_rescan_remove,
	.unlock		= pci_unlock_rescan_remove,
	.lock_held	= pci_liveupdate_lock_held,
	.prepare	= pci_liveupdate_prepare,
	.freeze		= pci_liveupdate_freeze,
	.unfreeze	= pci_liveupdate_unfreeze,
	.cancel		= pci_liveupdate_cancel,
	.finish		= pci_liveupdate_finish,
	.finished	= pci_liveupdate_finished,
	.shutdown	= pci_liveupdate_shutdown,
	.stop		= pci_liveupdate_stop,
};

/* Base class 08h, sub-class 06h: an IOMMU (AMD's, for one), no constant yet. */
#define PCI_LIVEUPDATE_CLASS_IOMMU	0x0806

/**
 * pci_liveupdate_stop_unknown - stop a device a kexec would leave mastering
 * @dev: a device being shut down by a kexec, in a power state PCI does not
 *	know
 *
 * A kexec clears Bus Master Enable only of the devices whose power state
 * PCI knows; one no driver ever enabled stays in PCI_UNKNOWN and goes on
 * mastering into memory the next kernel hands out.  A kexec that keeps the
 * members of a session stops it too, if it answers, unless it is a host
 * bridge or an IOMMU (whose table walks the kept devices' DMA may need),
 * which no driver binds.  The core has already kept the members out of
 * pci_device_shutdown().
 */
void pci_liveupdate_stop_unknown(struct pci_dev *dev)
{
	unsigned int class = dev->class >> 8;

	/* Platform functions no driver binds: a host bridge, an IOMMU. */
	if (class == PCI_CLASS_BRIDGE_HOST || class == PCI_LIVEUPDATE_CLASS_IOMMU)
		return;
	if (dev->current_state != PCI_UNKNOWN ||
	    !device_liveupdate_kexec_frozen() || !pci_device_is_present(dev))
		return;
	pci_clear_master(dev);
	pci_dbg(dev, "liveupdate: not kept, its bus mastering stopped at the kexec\n");
}

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
	if (!pci_liveupdate_incoming(bridge))
		return false;
	pci_dbg(bridge, "keeping bus numbers for liveupdate\n");
	return true;
}

/**
 * pci_liveupdate_refuse_bridge - a bridge's bus numbers are gone or invalid
 * @bridge: a bridge being scanned, before its buses are
 *
 * If the previous kernel kept @bridge, the devices below it cannot be found
 * where they were and are renumbered like any other: the bridge is not
 * kept, and it and every device below it stop mastering until the session
 * is finished, pcieport notwithstanding (pci_liveupdate_master_held()).
 */
void pci_liveupdate_refuse_bridge(struct pci_dev *bridge)
{
	if (!device_liveupdate_refuse_incoming(&bridge->dev))
		return;
	WRITE_ONCE(bridge->liveupdate_incoming, false);
	pci_liveupdate_drop_found(bridge);
	pci_liveupdate_hold(bridge);
	pci_liveupdate_track(bridge);
	pci_err(bridge, "liveupdate: bus numbers lost, bridge not kept, its bus mastering stopped\n");
}
