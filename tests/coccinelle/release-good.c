// SPDX-License-Identifier: GPL-2.0
/* [release] must not report: every error after the call releases the range. */
#include <linux/device/liveupdate.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>

struct my_dev {
	struct device *dev;
	void *page;
	phys_addr_t phys;
	phys_addr_t ranges[4];
	unsigned int nr_ranges;
};

int my_start(struct my_dev *md);

/* The sample driver's shape: the call is the last thing that can fail. */
static int my_request_last(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	int ret;

	md->page = (void *)__get_free_page(GFP_KERNEL);
	if (!md->page)
		return -ENOMEM;
	ret = my_start(md);
	if (ret)
		goto free;
	ret = device_liveupdate_preserve_memory(dev, virt_to_phys(md->page),
						PAGE_SIZE);
	if (ret)
		goto free;
	return 0;
free:
	free_page((unsigned long)md->page);
	return ret;
}

/* Later errors go through a label that releases the range first. */
static int my_request_unwind(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	int ret;

	ret = device_liveupdate_preserve_memory(dev, md->phys, PAGE_SIZE);
	if (ret)
		return ret;
	ret = my_start(md);
	if (ret)
		goto release;
	if (!md->page) {
		ret = -ENODEV;
		goto release;
	}
	return 0;
release:
	device_liveupdate_release_memory(dev, md->phys, PAGE_SIZE);
	return ret;
}

/* Release in the branch itself; the request is withdrawn in another. */
static int my_request_inline(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	int err = device_liveupdate_preserve_memory(dev, md->phys, PAGE_SIZE);

	if (err)
		return err;
	err = my_start(md);
	if (err) {
		device_liveupdate_release_memory(dev, md->phys, PAGE_SIZE);
		return err;
	}
	if (!md->page) {
		device_liveupdate_withdraw(dev);
		return -ENODEV;
	}
	return 0;
}

/* Range after range: a failure releases the ones declared before it. */
static int my_request_loop(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	unsigned int i;
	int ret;

	for (i = 0; i < md->nr_ranges; i++) {
		ret = device_liveupdate_preserve_memory(dev, md->ranges[i],
							PAGE_SIZE);
		if (ret)
			goto unwind;
	}
	return 0;
unwind:
	while (i--)
		device_liveupdate_release_memory(dev, md->ranges[i], PAGE_SIZE);
	return ret;
}

/* A failed call is not a leak; nor is a range kept on success. */
static int my_request_fail(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	int ret;

	ret = device_liveupdate_preserve_memory(dev, md->phys, PAGE_SIZE);
	if (ret < 0) {
		dev_err(dev, "cannot preserve: %d\n", ret);
		return ret;
	}
	dev_dbg(dev, "preserved\n");
	return 0;
}
