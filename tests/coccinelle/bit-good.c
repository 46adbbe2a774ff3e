// SPDX-License-Identifier: GPL-2.0
/* [bit] must not report: BIT() flags, shifts that are not flags. */
#include <linux/bits.h>
#include <linux/device/liveupdate.h>

#define MY_LIVEUPDATE_KEEP_IRQ		BIT(1)
#define MY_LIVEUPDATE_KEEP_MSI		BIT(2)
#define MY_LIVEUPDATE_ALIGN		(4 << 10)
#define MY_LIVEUPDATE_SHIFTED(x)	((x) << 3)

static unsigned int my_mask(unsigned int n)
{
	return (1U << n) - 1;
}
