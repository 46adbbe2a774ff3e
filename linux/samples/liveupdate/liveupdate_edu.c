// SPDX-License-Identifier: GPL-2.0
/*
 * A device liveupdate user: QEMU's "edu" device keeps doing DMA across a
 * kexec into a new kernel.
 *
 * The driver binds only where userspace asks it to (driver_override).
 * When userspace requests the device through its liveupdate sysfs file,
 * the driver loads a pattern into the device's DMA buffer, allocates a
 * page for the device to write to, and declares that page preserved.  At
 * freeze, the last step before the kexec, it starts a transfer from the
 * device into that page: edu runs a DMA command about 100 ms after it is
 * written, so the device writes while the kexec is under way.  In the new
 * kernel, bound again, it takes the device back without resetting it,
 * takes the page back, and checks that the pattern arrived.  Its
 * "edu_transfer" sysfs file tells what it found.
 *
 * See Documentation/driver-api/liveupdate.rst.
 */

#include <linux/device/liveupdate.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sysfs.h>

#define EDU_DMA_SOURCE		0x80
#define EDU_DMA_DESTINATION	0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_COMMAND		0x98
#define  EDU_DMA_RUN		BIT(0)
#define  EDU_DMA_TO_RAM		BIT(1)
#define EDU_BUFFER		0x40000	/* the device's 4 KiB DMA buffer */
/* QEMU before 8.0 refuses a transfer that ends at the end of that buffer. */
#define EDU_TRANSFER		2048
#define EDU_DMA_BITS		28	/* edu masks DMA addresses to 28 bits */

/**
 * struct edu - one bound edu device
 * @pdev: the device
 * @registers: its MMIO registers (BAR 0)
 * @page: the page the device writes to across the kexec
 * @page_dma: its bus address
 * @incoming: the previous kernel handed the device over
 * @result: what the driver found in the new kernel, for edu_transfer
 */
struct edu {
	struct pci_dev *pdev;
	void __iomem *registers;
	void *page;
	dma_addr_t page_dma;
	bool incoming;
	const char *result;
};

/* What the device writes: the same bytes in both kernels. */
static void edu_pattern(u8 *buffer)
{
	size_t i;

	for (i = 0; i < EDU_TRANSFER; i++)
		buffer[i] = "edu wrote this across the kexec\n"[i % 32];
}

/* Start one DMA command; edu runs it about 100 ms later. */
static void edu_dma_start(struct edu *edu, u64 source, u64 destination, u64 command)
{
	writeq(source, edu->registers + EDU_DMA_SOURCE);
	writeq(destination, edu->registers + EDU_DMA_DESTINATION);
	writeq(EDU_TRANSFER, edu->registers + EDU_DMA_COUNT);
	writeq(command | EDU_DMA_RUN, edu->registers + EDU_DMA_COMMAND);
}

/* Wait for the device to run its DMA command, 100 ms after it was written. */
static int edu_dma_wait(struct edu *edu)
{
	u64 command;

	return readq_poll_timeout(edu->registers + EDU_DMA_COMMAND, command,
				  !(command & EDU_DMA_RUN), 10 * USEC_PER_MSEC,
				  2 * USEC_PER_SEC);
}

static void edu_free_page(struct edu *edu)
{
	if (edu->page && !edu->incoming)
		dma_free_coherent(&edu->pdev->dev, PAGE_SIZE, edu->page, edu->page_dma);
	edu->page = NULL;
}

/*
 * Userspace asked to preserve the device: put the pattern into the
 * device's buffer, and give it a zeroed page to write it to later.
 */
static int edu_liveupdate_request(struct device *dev)
{
	struct edu *edu = dev_get_drvdata(dev);
	int ret;

	edu->page = dma_alloc_coherent(dev, PAGE_SIZE, &edu->page_dma, GFP_KERNEL);
	if (!edu->page)
		return -ENOMEM;

	edu_pattern(edu->page);
	edu_dma_start(edu, edu->page_dma, EDU_BUFFER, 0);
	ret = edu_dma_wait(edu);
	if (ret)
		goto free;
	memset(edu->page, 0, PAGE_SIZE);

	ret = device_liveupdate_preserve_memory(dev, virt_to_phys(edu->page),
						PAGE_SIZE);
	if (ret)
		goto free;
	return 0;
free:
	edu_free_page(edu);
	return ret;
}

/* The request was withdrawn; the core no longer preserves the page. */
static void edu_liveupdate_withdraw(struct device *dev)
{
	edu_free_page(dev_get_drvdata(dev));
}

/* Last step before the kexec: the transfer lands while it runs. */
static void edu_liveupdate_freeze(struct device *dev)
{
	struct edu *edu = dev_get_drvdata(dev);

	edu_dma_start(edu, EDU_BUFFER, edu->page_dma, EDU_DMA_TO_RAM);
	dev_info(dev, "liveupdate edu: DMA into the preserved page started\n");
}

/* No kexec after all: let the transfer finish; the page stays preserved. */
static void edu_liveupdate_cancel(struct device *dev)
{
	edu_dma_wait(dev_get_drvdata(dev));
}

static void edu_liveupdate_finish(struct device *dev)
{
	dev_dbg(dev, "liveupdate edu: session finished, the page stays ours\n");
}

static const struct device_liveupdate_driver_ops edu_liveupdate_ops = {
	.request	= edu_liveupdate_request,
	.withdraw	= edu_liveupdate_withdraw,
	.freeze		= edu_liveupdate_freeze,
	.cancel		= edu_liveupdate_cancel,
	.finish		= edu_liveupdate_finish,
};

/* New kernel: find the page the device kept writing to and check it. */
static void edu_take_back(struct edu *edu)
{
	struct device *dev = &edu->pdev->dev;
	u8 *expected;
	phys_addr_t start;
	u64 size;

	edu->result = "no preserved page";
	if (device_liveupdate_incoming_memory(dev, 0, &start, &size) ||
	    size != PAGE_SIZE)
		return;
	edu->page = phys_to_virt(start);
	edu->result = "still running";
	if (edu_dma_wait(edu))
		return;

	expected = kmalloc(EDU_TRANSFER, GFP_KERNEL);
	if (!expected) {
		edu->result = "cannot check";
		return;
	}
	edu_pattern(expected);
	edu->result = memcmp(edu->page, expected, EDU_TRANSFER) ?
		      "missing" : "landed";
	kfree(expected);
	dev_info(dev, "liveupdate edu: the DMA during the kexec %s\n",
		 edu->result);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	edu->result = "none";
	pci_set_drvdata(pdev, edu);

	/* Neither enabling nor mapping resets the device. */
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	edu->registers = pcim_iomap(pdev, 0, 0);
	if (!edu->registers)
		return -ENOMEM;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		return ret;
	pci_set_master(pdev);

	edu->incoming = device_liveupdate_incoming(&pdev->dev,
						   DEVICE_LIVEUPDATE_BUS_MASTER);
	if (edu->incoming)
		edu_take_back(edu);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	/* A request does not outlive the binding; during a session it must. */
	if (device_liveupdate_withdraw(&pdev->dev) != -EBUSY)
		edu_free_page(pci_get_drvdata(pdev));
}

static ssize_t edu_transfer_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct edu *edu = dev_get_drvdata(dev);

	if (!edu->page || !edu->incoming)
		return sysfs_emit(buf, "%s\n", edu->result);
	return sysfs_emit(buf, "%s: %.31s\n", edu->result, (char *)edu->page);
}
static DEVICE_ATTR_ADMIN_RO(edu_transfer);

static struct attribute *edu_attrs[] = {
	&dev_attr_edu_transfer.attr,
	NULL
};
ATTRIBUTE_GROUPS(edu);

/* No ID table: the driver binds only where driver_override names it. */
static struct pci_driver edu_driver = {
	.name		= "liveupdate-edu",
	.probe		= edu_probe,
	.remove		= edu_remove,
	.dev_groups	= edu_groups,
	.driver		= {
		.liveupdate	= &edu_liveupdate_ops,
	},
};
module_pci_driver(edu_driver);

MODULE_DESCRIPTION("Device liveupdate sample: QEMU edu DMA across a kexec");
MODULE_LICENSE("GPL");
