// SPDX-License-Identifier: GPL-2.0
/* [release] must report: an error return keeps the preserved range declared. */
#include <linux/device/liveupdate.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>

struct my_dev {
	struct device *dev;
	void *page;
	phys_addr_t phys;
	phys_addr_t ring;
};

int my_start(struct my_dev *md);
struct my_ctx *my_ctx_get(struct my_dev *md);

/* The second error goes to a label that frees the page only. */
static int my_request_goto(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	int ret;

	md->page = (void *)__get_free_page(GFP_KERNEL);
	if (!md->page)
		return -ENOMEM;
	ret = device_liveupdate_preserve_memory(dev, virt_to_phys(md->page),
						PAGE_SIZE);
	if (ret)
		goto free;
	ret = my_start(md);
	if (ret)
		goto free;
	return 0;
free:
	free_page((unsigned long)md->page);
	return ret;
}

/* The result checked in the if, a constant error later. */
static int my_request_const(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);

	if (device_liveupdate_preserve_memory(dev, md->phys, PAGE_SIZE))
		return -EINVAL;
	if (!md->page)
		return -ENODEV;
	return 0;
}

/* A declaration initialised by the call, then a tested error variable. */
static int my_request_decl(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	int err = device_liveupdate_preserve_memory(dev, md->phys, PAGE_SIZE);

	if (err < 0)
		return err;
	err = my_start(md);
	if (err < 0)
		return err;
	return 0;
}

/* A second range fails: the first one stays declared. */
static int my_request_two(struct device *dev)
{
	struct my_dev *md = dev_get_drvdata(dev);
	int ret;

	ret = device_liveupdate_preserve_memory(dev, md->phys, PAGE_SIZE);
	if (ret)
		return ret;
	ret = device_liveupdate_preserve_memory(dev, md->ring, PAGE_SIZE);
	if (ret)
		return ret;
	return 0;
}

/* An ERR_PTR() return. */
static struct my_ctx *my_setup(struct my_dev *md)
{
	struct my_ctx *ctx;

	if (device_liveupdate_preserve_memory(md->dev, md->phys, PAGE_SIZE) < 0)
		return ERR_PTR(-EINVAL);
	ctx = my_ctx_get(md);
	if (IS_ERR(ctx))
		return ctx;
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	return ctx;
}
