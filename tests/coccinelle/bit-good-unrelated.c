// SPDX-License-Identifier: GPL-2.0
/* [bit] must not report: not liveupdate code, BIT() is its own business. */
#include <linux/kernel.h>

#define MY_FLAG_A	(1 << 0)
#define MY_FLAG_B	(1U << 1)
