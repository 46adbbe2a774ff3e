// SPDX-License-Identifier: GPL-2.0
/*
 * tsc: print the time-stamp counter.  QEMU's counter keeps running across
 * a kexec, so that the difference between a value read in one kernel and
 * one read in the next, over the TSC frequency the new kernel reports,
 * is the time in between (tools/measure-blackout).
 */
#include <stdio.h>
#include <x86intrin.h>

int main(void)
{
	printf("%llu\n", (unsigned long long)__rdtsc());
	return 0;
}
