// SPDX-License-Identifier: GPL-2.0
/* [bit] must report: shift-defined flags in a file using liveupdate. */
#include <linux/device/liveupdate.h>

#define MY_LIVEUPDATE_KEEP_IRQ		(1 << 1)
#define MY_LIVEUPDATE_KEEP_MSI		(1U << 2)
#define MY_LIVEUPDATE_KEEP_BARS		1 << 3
#define MY_LIVEUPDATE_KEEP_ROM		(1UL << MY_ROM_SHIFT)

unsigned int my_features = MY_LIVEUPDATE_KEEP_IRQ | MY_LIVEUPDATE_KEEP_MSI;
