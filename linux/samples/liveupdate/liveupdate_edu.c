// SPDX-License-Identifier: GPL-2.0
/*
 * A device liveupdate user: QEMU's "edu" device keeps doing DMA across a
 * kexec into a new kernel.
 *
 * The driver binds only where userspace asks it to (driver_override).
 * Its own file, "edu_keep", is its user interface: writing 1 asks it to
 * keep the device across the next live update.  The driver then loads a
 * pattern into the device's DMA buffer, allocates a page for the device to
 * write to, declares that page preserved and requests the device; writing
 * 0 withdraws the request and frees the page.  At freeze, the last step
 * before the kexec, it starts a transfer from the device into that page:
 * edu runs a DMA command about 100 ms after it is written, so the device
 * writes while the kexec is under way.  In the new kernel, bound again, it
 * takes the device back without resetting it, takes the page back, and
 * checks that the pattern arrived.  Its "edu_transfer" file tells what it
 * found.
 *
 * The page declared must be the memory the device writes: the driver keeps
 * the device only where the page's DMA address is its physical address
 * (see edu_map_page()).  The PCI bus refuses a device an IOMMU translates
 * for anyway.
 *
 * See Documentation/driver-api/liveupdate.rst.
 */

#include <linux/device/liveupdate.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/mutex.h>
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
 * @lock: serialises edu_keep against itself; the liveupdate callbacks,
 *	called with the device lock held, do not need it: while a session
 *	holds the device, edu_keep changes nothing
 * @page: the page the device writes to across the kexec, or NULL
 * @page_dma: its DMA address, which edu_map_page() made sure is its
 *	physical address
 * @page_taken: @page was taken back from the previous kernel, which kept it
 *	out of the page allocator: given back with
 *	device_liveupdate_free_incoming_memory(), not __free_page()
 * @requested: the device is requested, with @page declared
 * @incoming: the previous kernel handed the device over
 * @result: what the driver found in the new kernel, for edu_transfer
 */
struct edu {
	struct pci_dev *pdev;
	void __iomem *registers;
	struct mutex lock;	/* serialises edu_keep */
	struct page *page;
	dma_addr_t page_dma;
	bool page_taken;
	bool requested;
	bool incoming;
	const char *result;
};

/* What the device writes, over and over: the same bytes in both kernels. */
static const char edu_message[] = "edu wrote this across the kexec\n";

static u8 edu_pattern(size_t i)
{
	return edu_message[i % (sizeof(edu_message) - 1)];
}

/* Does the page hold what the device was told to write? */
static bool edu_pattern_found(const u8 *buffer)
{
	size_t i;

	for (i = 0; i < EDU_TRANSFER; i++)
		if (buffer[i] != edu_pattern(i))
			return false;
	return true;
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

/*
 * Map the page for the device.  The page declared preserved must be the
 * memory the device writes to, in both kernels: a DMA address other than
 * the page's physical address would be a swiotlb bounce slot (swiotlb=force,
 * a mask the page is beyond, a confidential guest), an encrypted address or
 * an IOMMU's, and the device would write there across the kexec.  Refuse
 * it.  dma_alloc_pages() would not bounce a page allocated here, but the
 * page taken back from the previous kernel needs a streaming mapping
 * anyway, so both take the same path and the same check.
 */
static int edu_map_page(struct edu *edu)
{
	struct device *dev = &edu->pdev->dev;

	edu->page_dma = dma_map_page(dev, edu->page, 0, PAGE_SIZE,
				     DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, edu->page_dma))
		return -ENOMEM;
	if (edu->page_dma != page_to_phys(edu->page)) {
		dma_unmap_page(dev, edu->page_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
		dev_err(dev, "edu: its DMA address is not the page's own (swiotlb?): not kept\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* The page goes back where it came from; it is not mapped any more. */
static void edu_put_page(struct edu *edu)
{
	struct device *dev = &edu->pdev->dev;

	if (!edu->page_taken)
		__free_page(edu->page);
	else if (device_liveupdate_free_incoming_memory(dev,
							page_to_phys(edu->page),
							PAGE_SIZE))
		dev_err(dev, "edu: the page taken from the previous kernel cannot be given back\n");
	else
		dev_info(dev, "liveupdate edu: the page taken from the previous kernel is given back\n");
	edu->page = NULL;
	edu->page_taken = false;
}

/*
 * Give the page up.  After a transfer that did not end, the device may
 * still write to it: then it is never freed, and the device unusable.
 */
static void edu_free_page(struct edu *edu)
{
	struct device *dev = &edu->pdev->dev;

	if (!edu->page)
		return;
	if (edu_dma_wait(edu)) {
		dev_err(dev, "edu: a transfer did not end, its page is never freed\n");
		edu->page = NULL;
		edu->page_taken = false;
		return;
	}
	dma_unmap_page(dev, edu->page_dma, PAGE_SIZE, DMA_BIDIRECTIONAL);
	edu_put_page(edu);
}

/* Zero the page, so that only the transfer started at freeze can fill it. */
static void edu_clear_page(struct edu *edu)
{
	struct device *dev = &edu->pdev->dev;

	dma_sync_single_for_cpu(dev, edu->page_dma, PAGE_SIZE,
				DMA_BIDIRECTIONAL);
	memset(page_address(edu->page), 0, PAGE_SIZE);
	dma_sync_single_for_device(dev, edu->page_dma, PAGE_SIZE,
				   DMA_BIDIRECTIONAL);
}

/*
 * The user asked to keep the device: put the pattern into the device's
 * buffer, give it a zeroed page to write it to later (the page taken from
 * the previous kernel, if there is one: it is declared again), declare the
 * page, then request the device, so that a session sees both or neither.
 */
static int edu_keep(struct edu *edu)
{
	struct device *dev = &edu->pdev->dev;
	phys_addr_t phys;
	u8 *buffer;
	size_t i;
	int ret;

	if (edu->requested)
		return 0;
	if (!edu->page) {
		/* edu reaches 28 bits; x86's ZONE_DMA is the first 16 MiB. */
		edu->page = alloc_page(GFP_KERNEL | GFP_DMA);
		if (!edu->page)
			return -ENOMEM;
		ret = edu_map_page(edu);
		if (ret) {
			edu_put_page(edu);
			return ret;
		}
	}
	phys = page_to_phys(edu->page);
	buffer = page_address(edu->page);

	dma_sync_single_for_cpu(dev, edu->page_dma, PAGE_SIZE,
				DMA_BIDIRECTIONAL);
	for (i = 0; i < EDU_TRANSFER; i++)
		buffer[i] = edu_pattern(i);
	dma_sync_single_for_device(dev, edu->page_dma, PAGE_SIZE,
				   DMA_BIDIRECTIONAL);
	edu_dma_start(edu, edu->page_dma, EDU_BUFFER, 0);
	ret = edu_dma_wait(edu);
	if (ret)
		goto free;
	edu_clear_page(edu);

	ret = device_liveupdate_preserve_memory(dev, phys, PAGE_SIZE);
	if (ret)
		goto free;
	/* Set first: a session may prepare the device once it is requested. */
	edu->requested = true;
	ret = device_liveupdate_request(dev, DEVICE_LIVEUPDATE_BUS_MASTER);
	if (ret) {
		edu->requested = false;
		/* A session began meanwhile: the page stays declared, and ours. */
		if (device_liveupdate_release_memory(dev, phys, PAGE_SIZE)) {
			edu->page = NULL;
			edu->page_taken = false;
			return ret;
		}
		goto free;
	}
	return 0;
free:
	edu_free_page(edu);
	return ret;
}

/*
 * The user no longer wants it kept: refused while a session holds it.  The
 * page taken from the previous kernel goes back too.
 */
static int edu_unkeep(struct edu *edu)
{
	int ret;

	if (!edu->requested) {
		if (edu->page_taken)
			edu_free_page(edu);
		return 0;
	}
	ret = device_liveupdate_withdraw(&edu->pdev->dev);
	if (ret)
		return ret;
	edu->requested = false;
	edu_free_page(edu);
	return 0;
}

/* The session is being prepared: only a device set up by edu_keep. */
static int edu_liveupdate_prepare(struct device *dev, unsigned int requested,
				  unsigned int derived)
{
	struct edu *edu = dev_get_drvdata(dev);

	return edu->requested && !derived ? 0 : -EINVAL;
}

/* Last step before the kexec: the transfer lands while it runs. */
static int edu_liveupdate_freeze(struct device *dev, unsigned int requested,
				 unsigned int derived)
{
	struct edu *edu = dev_get_drvdata(dev);

	edu_dma_start(edu, EDU_BUFFER, edu->page_dma, EDU_DMA_TO_RAM);
	dev_info(dev, "liveupdate edu: DMA into the preserved page started\n");
	return 0;
}

/*
 * No kexec after all: let the transfer finish and zero the page again, so
 * that the next kernel cannot mistake this transfer for its own.  The page
 * stays declared.
 */
static void edu_liveupdate_unfreeze(struct device *dev, unsigned int requested,
				    unsigned int derived)
{
	struct edu *edu = dev_get_drvdata(dev);

	if (edu_dma_wait(edu))
		dev_err(dev, "liveupdate edu: the transfer started at freeze did not end\n");
	else
		edu_clear_page(edu);
}

static void edu_liveupdate_finish(struct device *dev, unsigned int features)
{
	dev_dbg(dev, "liveupdate edu: session finished, the page stays ours\n");
}

static const struct device_liveupdate_driver_ops edu_liveupdate_ops = {
	.prepare	= edu_liveupdate_prepare,
	.freeze		= edu_liveupdate_freeze,
	.unfreeze	= edu_liveupdate_unfreeze,
	.finish		= edu_liveupdate_finish,
};

/*
 * New kernel: take back the page the device kept writing to and check it.
 * The page is the driver's from then on: the next update can keep it
 * again, and edu_free_page() gives it back.
 */
static void edu_take_back(struct edu *edu)
{
	struct device *dev = &edu->pdev->dev;
	phys_addr_t start;
	u64 size;

	edu->result = "no preserved page";
	if (device_liveupdate_incoming_memory(dev, 0, &start, &size) ||
	    size != PAGE_SIZE)
		return;
	/* A device that does not stop may still write: the page is never freed. */
	edu->result = "still running";
	if (edu_dma_wait(edu))
		return;

	edu->page = pfn_to_page(PHYS_PFN(start));
	edu->page_taken = true;
	edu->result = "not checked";
	if (edu_map_page(edu)) {
		edu_put_page(edu);
		return;
	}
	dma_sync_single_for_cpu(dev, edu->page_dma, PAGE_SIZE,
				DMA_BIDIRECTIONAL);
	edu->result = edu_pattern_found(page_address(edu->page)) ?
		      "landed" : "missing";
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
	mutex_init(&edu->lock);
	pci_set_drvdata(pdev, edu);

	/* Neither enabling nor mapping resets the device. */
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_region(pdev, 0, "liveupdate-edu");
	if (ret)
		goto disable;
	edu->registers = pci_iomap(pdev, 0, 0);
	if (!edu->registers) {
		ret = -ENOMEM;
		goto release;
	}
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(EDU_DMA_BITS));
	if (ret)
		goto unmap;
	pci_set_master(pdev);

	edu->incoming = device_liveupdate_incoming(&pdev->dev,
						   DEVICE_LIVEUPDATE_BUS_MASTER);
	if (edu->incoming)
		edu_take_back(edu);
	return 0;
unmap:
	pci_iounmap(pdev, edu->registers);
release:
	pci_release_region(pdev, 0);
disable:
	pci_disable_device(pdev);
	return ret;
}

/*
 * The driver core has already ended the request and dropped the page's
 * declaration: unbinding during a session breaks it, so that the kexec is
 * refused and the page is no longer the device's.
 */
static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	edu_free_page(edu);
	pci_clear_master(pdev);
	pci_iounmap(pdev, edu->registers);
	pci_release_region(pdev, 0);
	pci_disable_device(pdev);
}

static ssize_t edu_keep_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct edu *edu = dev_get_drvdata(dev);

	guard(mutex)(&edu->lock);
	return sysfs_emit(buf, "%d\n", edu->requested);
}

static ssize_t edu_keep_store(struct device *dev, struct device_attribute *attr,
			      const char *buf, size_t count)
{
	struct edu *edu = dev_get_drvdata(dev);
	bool keep;
	int ret;

	ret = kstrtobool(buf, &keep);
	if (ret)
		return ret;
	guard(mutex)(&edu->lock);
	ret = keep ? edu_keep(edu) : edu_unkeep(edu);
	return ret ? ret : count;
}
static DEVICE_ATTR_ADMIN_RW(edu_keep);

static ssize_t edu_transfer_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct edu *edu = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%s\n", edu->result);
}
static DEVICE_ATTR_ADMIN_RO(edu_transfer);

static struct attribute *edu_attrs[] = {
	&dev_attr_edu_keep.attr,
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
