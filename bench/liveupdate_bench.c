// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the device liveupdate collection.  NOT part of the series:
 * tools/bench builds it into a copy of the series tree.
 *
 * Synthetic trees of "bridges" on a fake bus, "lub", whose dependencies op
 * reports the parent, are built with N devices and a depth of D levels
 * (every root-to-leaf path has D devices).  For 1 % and 10 % of the leaves,
 * chosen pseudo-randomly but deterministically, three ways of finding the
 * requested devices plus every ancestor are timed on the same tree (and
 * for a fixed 16 leaves, "pct=0", to see what follows N and what does not):
 *
 *  a: the framework: device_liveupdate_request() of each leaf, then
 *     device_liveupdate_prepare().  "a" is the collection: from the call to
 *     the first ops->identify() of the handover record's encoding, which
 *     follows the whole collection and its check that no member is being
 *     removed; "a_prepare" the whole call, with the record's encoding
 *     (tools/bench-kunit raises the record's limits so that every set fits)
 *     and ops->prepare().
 *  b: a re-implementation of the earlier PCI-only attempt: a flags word per
 *     device and a visited bit per bus (side arrays here, not in struct
 *     device), all buses walked post-order with an explicit stack of buses,
 *     each bus's device list (linked through the devices, like a pci_dev's
 *     bus_list) in reverse, a device with flags marking its parent bridge
 *     (through struct device's parent) and being collected.
 *  b_flat: the same walk over index ranges instead of lists: a lower bound
 *     of b that touches no device.
 *  c: naive two passes: mark every ancestor of each requested device up to
 *     the root (through the parent pointers), then walk all devices (a list
 *     linked through them, like the bus's) and collect the marked ones.
 *
 * The three must collect the same devices.  Results are printed as
 * "BENCH key=value ..." lines; tools/bench-report turns them into a table.
 * Module parameters (on the kernel command line, liveupdate_bench.max_n=):
 * max_n, the largest tree, and reps, the repetitions of each measurement.
 */

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/device/liveupdate.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "../liveupdate.h"

static unsigned int max_n = 1000;
module_param(max_n, uint, 0444);
MODULE_PARM_DESC(max_n, "largest tree, in devices (1000, 10000 or 100000)");

static unsigned int reps = 3;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of each measurement");

#define LUB_BM		DEVICE_LIVEUPDATE_BUS_MASTER
#define LUB_BRIDGE	BIT(1)	/* b: needed by a device below */
#define LUB_MAX_DEPTH	16
#define LUB_MAX_REPS	31
#define LUB_FIXED_REQUESTS	16U	/* pct 0: a set whose size does not follow N */

struct lub_dev {
	struct device dev;
	unsigned int idx;
	struct list_head bus_list;	/* on lub_bus.devices */
	struct list_head all_list;	/* on lub_tree.all */
};

static struct lub_dev *to_lub_dev(struct device *dev)
{
	return container_of(dev, struct lub_dev, dev);
}

/* b's view of the tree: the secondary bus of a bridge, or the root bus. */
struct lub_bus {
	unsigned int idx;
	struct list_head devices;		/* lub_dev.bus_list */
	struct list_head children;		/* buses behind them */
	struct list_head node;			/* in the parent's children */
	unsigned int dev_first, nr_devs;	/* b_flat: the same as ranges */
	unsigned int bus_first, nr_buses;
};

struct lub_tree {
	unsigned int n, depth, nr_leaves, nr_buses;
	struct device **devs;
	unsigned int *parent;		/* UINT_MAX for the root */
	struct lub_bus *buses;		/* bus 0: root; bus d + 1: behind d */
	unsigned int *req, nr_req;	/* requested leaves */
	struct list_head all;		/* every device, for c */
	unsigned int *out;		/* collected devices (b and c) */
	struct lub_bus **stack;		/* b's stack of buses */
	u8 *a_seen, *b_flags, *b_visited, *c_mark;
	unsigned int a_expanded, a_calls;
	u64 a_collected;
};

static struct lub_tree *lub_tree;	/* the tree the bus ops see */

static int lub_dependencies(struct device *dev, unsigned int features,
			    struct device_liveupdate_collector *collector)
{
	struct lub_tree *t = lub_tree;
	int ret = 0;

	if (dev->parent)	/* not a root */
		ret = device_liveupdate_depends_on(collector, dev->parent,
						   DEVICE_LIVEUPDATE_REASON_PARENT,
						   features);
	/* Touches no device: which ones were collected is read after prepare. */
	if (t)
		t->a_expanded++;
	return ret;
}

/* The record's encoding follows the collection: its first call ends "a". */
static int lub_identify(struct device *dev, struct device_liveupdate_identity *id)
{
	if (lub_tree && !lub_tree->a_collected)
		lub_tree->a_collected = ktime_get_ns();
	strscpy(id->location, dev_name(dev));
	return 0;
}

/* prepare, freeze and cancel count their calls, so that a run can check them. */
static int lub_prepare(struct device *dev, unsigned int features)
{
	if (lub_tree)
		lub_tree->a_calls++;
	return 0;
}

static void lub_step(struct device *dev, unsigned int features)
{
	if (lub_tree)
		lub_tree->a_calls++;
}

static const struct device_liveupdate_ops lub_ops = {
	.dependencies	= lub_dependencies,
	.identify	= lub_identify,
	.prepare	= lub_prepare,
	.freeze		= lub_step,
	.cancel		= lub_step,
};

static const struct bus_type lub_bus = {
	.name		= "lub",
	.liveupdate	= &lub_ops,
};

static void lub_release(struct device *dev)
{
	kfree(to_lub_dev(dev));
}

/* Level sizes 1, f, f^2, ... rounded, for a ratio f in 16.16 fixed point. */
static u64 lub_sizes_for(u64 f, unsigned int n, unsigned int depth,
			 unsigned int *size)
{
	u64 x = 1 << 16, sum = 0;
	unsigned int l;

	for (l = 0; l < depth; l++) {
		size[l] = min_t(u64, (x + (1 << 15)) >> 16, (u64)n + 1);
		sum += size[l];
		x = min_t(u64, mul_u64_u64_shr(x, f, 16), (u64)(n + 1) << 16);
	}
	return sum;
}

/*
 * The level sizes for the largest ratio whose sum stays within n; the
 * remainder goes to the last level.  Sizes never decrease, so every device
 * above the last level has children.  False if n is too small for depth.
 */
static bool lub_levels(unsigned int n, unsigned int depth, unsigned int *size)
{
	u64 lo = 1 << 16, hi = (u64)n << 16, sum;

	if (depth < 2 || depth > LUB_MAX_DEPTH || n < depth)
		return false;
	while (lo < hi) {
		u64 f = (lo + hi + 1) / 2;

		if (lub_sizes_for(f, n, depth, size) <= n)
			lo = f;
		else
			hi = f - 1;
	}
	sum = lub_sizes_for(lo, n, depth, size);
	size[depth - 1] += n - sum;
	return true;
}

static u32 lub_random(u32 *state)	/* xorshift32 */
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void lub_free(struct lub_tree *t)
{
	kvfree(t->devs);
	kvfree(t->parent);
	kvfree(t->buses);
	kvfree(t->req);
	kvfree(t->out);
	kvfree(t->stack);
	kvfree(t->a_seen);
	kvfree(t->b_flags);
	kvfree(t->b_visited);
	kvfree(t->c_mark);
	kfree(t);
}

static void lub_destroy(struct lub_tree *t)
{
	unsigned int i;

	lub_tree = NULL;
	for (i = t->n; i-- > 0;)
		if (t->devs[i])
			device_unregister(t->devs[i]);
	lub_free(t);
}

#define LUB_ALLOC(p, count) \
	((p) = kvcalloc(count, sizeof(*(p)), GFP_KERNEL))

/* The tree's shape and the arrays; no device yet. */
static struct lub_tree *lub_shape(unsigned int n, unsigned int depth)
{
	unsigned int size[LUB_MAX_DEPTH], l, j, first = 0;
	struct lub_tree *t;

	if (!lub_levels(n, depth, size))
		return NULL;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->n = n;
	t->depth = depth;
	t->nr_leaves = size[depth - 1];
	t->nr_buses = n - t->nr_leaves + 1;
	if (!LUB_ALLOC(t->devs, n) || !LUB_ALLOC(t->parent, n) ||
	    !LUB_ALLOC(t->buses, t->nr_buses) || !LUB_ALLOC(t->req, t->nr_leaves) ||
	    !LUB_ALLOC(t->out, n) || !LUB_ALLOC(t->stack, t->nr_buses) ||
	    !LUB_ALLOC(t->a_seen, n) || !LUB_ALLOC(t->b_flags, n) ||
	    !LUB_ALLOC(t->b_visited, t->nr_buses) || !LUB_ALLOC(t->c_mark, n)) {
		lub_free(t);
		return NULL;
	}

	INIT_LIST_HEAD(&t->all);
	for (j = 0; j < t->nr_buses; j++) {
		t->buses[j].idx = j;
		INIT_LIST_HEAD(&t->buses[j].devices);
		INIT_LIST_HEAD(&t->buses[j].children);
	}
	/* Level l's node j hangs below node j * size[l-1] / size[l] above. */
	t->parent[0] = UINT_MAX;
	t->buses[0].nr_devs = 1;
	for (l = 1; l < depth; l++) {
		unsigned int above = first;

		first += size[l - 1];
		for (j = 0; j < size[l]; j++) {
			unsigned int d = first + j;
			struct lub_bus *bus;

			t->parent[d] = above + (u64)j * size[l - 1] / size[l];
			bus = &t->buses[t->parent[d] + 1];
			if (!bus->nr_devs)
				bus->dev_first = d;
			bus->nr_devs++;
		}
	}
	/* The devices on a bus are all bridges, or all leaves. */
	for (j = 0; j < t->nr_buses; j++) {
		struct lub_bus *bus = &t->buses[j];

		if (bus->dev_first + 1 < t->nr_buses) {
			bus->bus_first = bus->dev_first + 1;
			bus->nr_buses = bus->nr_devs;
			for (l = 0; l < bus->nr_devs; l++)
				list_add_tail(&t->buses[bus->bus_first + l].node,
					      &bus->children);
		}
	}
	return t;
}

static struct lub_tree *lub_build(struct kunit *test, unsigned int n,
				  unsigned int depth)
{
	struct lub_tree *t = lub_shape(n, depth);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < n; i++) {
		struct lub_dev *ldev = kzalloc(sizeof(*ldev), GFP_KERNEL);
		int ret;

		if (!ldev)
			goto fail;
		ldev->idx = i;
		device_initialize(&ldev->dev);
		ldev->dev.bus = &lub_bus;
		ldev->dev.release = lub_release;
		if (t->parent[i] != UINT_MAX)
			ldev->dev.parent = t->devs[t->parent[i]];
		ret = dev_set_name(&ldev->dev, "b%u", i);
		if (!ret)
			ret = device_add(&ldev->dev);
		if (ret) {
			put_device(&ldev->dev);
			goto fail;
		}
		t->devs[i] = &ldev->dev;
		list_add_tail(&ldev->bus_list, &t->buses[i ? t->parent[i] + 1 : 0].devices);
		list_add_tail(&ldev->all_list, &t->all);
	}
	lub_tree = t;
	return t;
fail:
	lub_destroy(t);
	KUNIT_FAIL_AND_ABORT(test, "could not add device %u of %u", i, n);
	return NULL;
}

/*
 * Request pct % of the leaves (at least one), or LUB_FIXED_REQUESTS of them
 * for pct 0, whatever N: the same ones every run.
 */
static void lub_choose(struct lub_tree *t, unsigned int pct)
{
	unsigned int first = t->n - t->nr_leaves, i;
	u32 seed = 0x9e3779b9 ^ (t->n * 31 + t->depth * 7 + pct);

	for (i = 0; i < t->nr_leaves; i++)
		t->req[i] = first + i;
	t->nr_req = pct ? max(1U, t->nr_leaves * pct / 100) :
			  min(LUB_FIXED_REQUESTS, t->nr_leaves);
	for (i = 0; i < t->nr_req; i++) {	/* partial Fisher-Yates */
		unsigned int k = i + lub_random(&seed) % (t->nr_leaves - i);

		swap(t->req[i], t->req[k]);
	}
}

/*
 * b: the earlier attempt's post-order walk of every bus.  It marked the
 * parent only for a requested device, so that only the first bridge above
 * one was kept; here any device with flags marks its parent, so that the
 * whole path is, as the attempt meant to and as the others do.
 */
static unsigned int lub_collect_b(struct lub_tree *t)
{
	unsigned int top = 0, count = 0;

	t->stack[top++] = &t->buses[0];	/* the root buses */
	while (top) {
		struct lub_bus *bus = t->stack[top - 1], *child;
		struct lub_dev *ldev;

		if (!t->b_visited[bus->idx] && !list_empty(&bus->children)) {
			list_for_each_entry(child, &bus->children, node)
				t->stack[top++] = child;
			t->b_visited[bus->idx] = 1;
			continue;
		}
		list_for_each_entry_reverse(ldev, &bus->devices, bus_list) {
			if (!t->b_flags[ldev->idx])
				continue;
			if (ldev->dev.parent)
				t->b_flags[to_lub_dev(ldev->dev.parent)->idx] |= LUB_BRIDGE;
			t->out[count++] = ldev->idx;
		}
		t->b_visited[bus->idx] = 0;
		top--;
	}
	return count;
}

/* b_flat: the same walk over index ranges, touching no device. */
static unsigned int lub_collect_b_flat(struct lub_tree *t)
{
	unsigned int top = 0, count = 0, i;

	t->stack[top++] = &t->buses[0];
	while (top) {
		const struct lub_bus *bus = t->stack[top - 1];

		if (!t->b_visited[bus->idx] && bus->nr_buses) {
			for (i = 0; i < bus->nr_buses; i++)
				t->stack[top++] = &t->buses[bus->bus_first + i];
			t->b_visited[bus->idx] = 1;
			continue;
		}
		for (i = bus->dev_first + bus->nr_devs; i-- > bus->dev_first;) {
			if (!t->b_flags[i])
				continue;
			if (t->parent[i] != UINT_MAX)
				t->b_flags[t->parent[i]] |= LUB_BRIDGE;
			t->out[count++] = i;
		}
		t->b_visited[bus->idx] = 0;
		top--;
	}
	return count;
}

/* c: mark every ancestor up to the root, then collect what is marked. */
static unsigned int lub_collect_c(struct lub_tree *t)
{
	unsigned int count = 0, i;
	struct lub_dev *ldev;
	struct device *dev;

	for (i = 0; i < t->nr_req; i++)
		for (dev = t->devs[t->req[i]]; dev; dev = dev->parent)
			t->c_mark[to_lub_dev(dev)->idx] = 1;
	list_for_each_entry(ldev, &t->all, all_list)
		if (t->c_mark[ldev->idx])
			t->out[count++] = ldev->idx;
	return count;
}

enum { LUB_REQUEST, LUB_A, LUB_A_PREPARE, LUB_B, LUB_B_FLAT, LUB_C, LUB_METHODS };

static const char * const lub_method_names[] = {
	"request", "a", "a_prepare", "b", "b_flat", "c",
};

struct lub_samples {
	u64 ns[LUB_MAX_REPS];
	unsigned int count;
};

static int lub_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 lub_since(u64 start, struct lub_samples *s)
{
	u64 ns = ktime_get_ns() - start;

	s->ns[s->count++] = ns;
	return ns;
}

static void lub_print(struct kunit *test, const char *what,
		      struct lub_samples *s)
{
	sort(s->ns, s->count, sizeof(s->ns[0]), lub_cmp_u64, NULL);
	kunit_info(test, "%s median_ns=%llu min_ns=%llu max_ns=%llu reps=%u\n",
		   what, s->ns[s->count / 2], s->ns[0], s->ns[s->count - 1],
		   s->count);
}

static unsigned int lub_reps(void)
{
	return clamp(reps, 1U, LUB_MAX_REPS);
}

/* a: one session through the framework; returns the members collected. */
static unsigned int lub_run_a(struct kunit *test, struct lub_tree *t,
			      struct lub_samples *s)
{
	unsigned int i;
	u64 start;
	int ret;

	t->a_expanded = 0;
	t->a_calls = 0;
	t->a_collected = 0;
	start = ktime_get_ns();
	for (i = 0; i < t->nr_req; i++)
		KUNIT_ASSERT_EQ(test, device_liveupdate_request(t->devs[t->req[i]],
								LUB_BM), 0);
	lub_since(start, &s[LUB_REQUEST]);

	start = ktime_get_ns();
	ret = device_liveupdate_prepare();
	lub_since(start, &s[LUB_A_PREPARE]);
	KUNIT_ASSERT_NE(test, t->a_collected, 0);
	s[LUB_A].ns[s[LUB_A].count++] = t->a_collected - start;
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, t->a_calls, t->a_expanded);
	for (i = 0; i < t->n; i++) {
		struct device_liveupdate *state = t->devs[i]->liveupdate;

		t->a_seen[i] = state && (state->flags & LIVEUPDATE_MEMBER);
	}
	KUNIT_ASSERT_EQ(test, device_liveupdate_cancel(), 0);
	for (i = 0; i < t->nr_req; i++)
		KUNIT_ASSERT_EQ(test, device_liveupdate_withdraw(t->devs[t->req[i]]), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_states(), 0);
	return t->a_expanded;
}

/* The three methods must have found the same devices. */
static void lub_check_b_c(struct kunit *test, struct lub_tree *t,
			  unsigned int members)
{
	unsigned int i, b = 0, c = 0;

	for (i = 0; i < t->n; i++) {
		KUNIT_ASSERT_EQ_MSG(test, !!t->a_seen[i], !!t->b_flags[i],
				    "a and b disagree on device %u", i);
		KUNIT_ASSERT_EQ_MSG(test, !!t->a_seen[i], !!t->c_mark[i],
				    "a and c disagree on device %u", i);
		b += !!t->b_flags[i];
		c += !!t->c_mark[i];
	}
	KUNIT_ASSERT_EQ(test, b, members);
	KUNIT_ASSERT_EQ(test, c, members);
}

static void lub_measure(struct kunit *test, struct lub_tree *t, unsigned int pct)
{
	struct lub_samples *s;
	unsigned int r, i, members = 0, b = 0, b_flat = 0, c = 0;
	char what[96];
	u64 start;

	s = kunit_kcalloc(test, LUB_METHODS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	lub_choose(t, pct);
	for (r = 0; r < lub_reps(); r++) {
		members = lub_run_a(test, t, s);

		for (i = 0; i < t->nr_req; i++)	/* the earlier "request" */
			t->b_flags[t->req[i]] = LUB_BM;
		start = ktime_get_ns();
		b = lub_collect_b(t);
		lub_since(start, &s[LUB_B]);

		start = ktime_get_ns();
		c = lub_collect_c(t);
		lub_since(start, &s[LUB_C]);

		KUNIT_ASSERT_EQ(test, b, members);
		KUNIT_ASSERT_EQ(test, c, members);
		lub_check_b_c(test, t, members);
		memset(t->b_flags, 0, t->n);

		for (i = 0; i < t->nr_req; i++)
			t->b_flags[t->req[i]] = LUB_BM;
		start = ktime_get_ns();
		b_flat = lub_collect_b_flat(t);
		lub_since(start, &s[LUB_B_FLAT]);
		KUNIT_ASSERT_EQ(test, b_flat, members);
		memset(t->b_flags, 0, t->n);
		memset(t->c_mark, 0, t->n);
	}
	for (i = 0; i < LUB_METHODS; i++) {
		snprintf(what, sizeof(what),
			 "BENCH N=%u depth=%u pct=%u requested=%u members=%u method=%s",
			 t->n, t->depth, pct, t->nr_req, members, lub_method_names[i]);
		lub_print(test, what, &s[i]);
	}
	kunit_info(test, "BENCH_MEMBERS N=%u depth=%u pct=%u a=%u b=%u b_flat=%u c=%u\n",
		   t->n, t->depth, pct, members, b, b_flat, c);
}

struct lub_param {
	unsigned int n, depth;
};

static const struct lub_param lub_params[] = {
	{ 1000, 4 }, { 1000, 8 }, { 1000, 16 },
	{ 10000, 4 }, { 10000, 8 }, { 10000, 16 },
	{ 100000, 4 }, { 100000, 8 }, { 100000, 16 },
};

static const void *lub_gen_params(const void *prev, char *desc)
{
	const struct lub_param *p = prev ? (const struct lub_param *)prev + 1 :
					   lub_params;

	for (; p < lub_params + ARRAY_SIZE(lub_params); p++) {
		if (p->n <= max_n) {
			snprintf(desc, KUNIT_PARAM_DESC_SIZE, "N=%u depth=%u",
				 p->n, p->depth);
			return p;
		}
	}
	return NULL;
}

static void lub_collection(struct kunit *test)
{
	const struct lub_param *p = test->param_value;
	unsigned int leaves, buses;
	struct lub_tree *t;
	u64 start, built;

	start = ktime_get_ns();
	t = lub_build(test, p->n, p->depth);
	built = ktime_get_ns() - start;
	leaves = t->nr_leaves;
	buses = t->nr_buses;

	lub_measure(test, t, 0);
	lub_measure(test, t, 1);
	lub_measure(test, t, 10);

	start = ktime_get_ns();
	lub_destroy(t);
	kunit_info(test, "BENCH_TREE N=%u depth=%u leaves=%u buses=%u build_ms=%llu teardown_ms=%llu\n",
		   p->n, p->depth, leaves, buses, built / NSEC_PER_MSEC,
		   (ktime_get_ns() - start) / NSEC_PER_MSEC);
}

#define LUB_SESSION_MEMBERS	1000

static const struct {
	const char *name;
	int (*step)(void);
} lub_session_steps[] = {
	{ "prepare", device_liveupdate_prepare },
	{ "freeze", device_liveupdate_freeze },
	{ "cancel", device_liveupdate_cancel },
};

/* A whole session on 1,000 members: a root and its children, all requested. */
static void lub_session(struct kunit *test)
{
	unsigned int n = LUB_SESSION_MEMBERS, r, i;
	struct lub_samples *s;
	struct lub_tree *t;
	char what[64];
	u64 start;

	s = kunit_kcalloc(test, ARRAY_SIZE(lub_session_steps), sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	t = lub_build(test, n, 2);
	for (r = 0; r < lub_reps(); r++) {
		for (i = 1; i < n; i++)
			KUNIT_ASSERT_EQ(test, device_liveupdate_request(t->devs[i], LUB_BM), 0);
		/* Each step must call every member's op once. */
		for (i = 0; i < ARRAY_SIZE(lub_session_steps); i++) {
			t->a_calls = 0;
			start = ktime_get_ns();
			KUNIT_EXPECT_EQ(test, lub_session_steps[i].step(), 0);
			lub_since(start, &s[i]);
			KUNIT_EXPECT_EQ_MSG(test, t->a_calls, n, "%s",
					    lub_session_steps[i].name);
		}
		for (i = 1; i < n; i++)
			KUNIT_EXPECT_EQ(test, device_liveupdate_withdraw(t->devs[i]), 0);
	}
	lub_destroy(t);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	for (i = 0; i < ARRAY_SIZE(lub_session_steps); i++) {
		snprintf(what, sizeof(what), "BENCH_SESSION members=%u op=%s",
			 n, lub_session_steps[i].name);
		lub_print(test, what, &s[i]);
	}
}

static void lub_sizes(struct kunit *test)
{
	kunit_info(test, "BENCH_SIZEOF struct=device_liveupdate bytes=%zu kmalloc_bytes=%zu\n",
		   sizeof(struct device_liveupdate),
		   kmalloc_size_roundup(sizeof(struct device_liveupdate)));
	kunit_info(test, "BENCH_PARAMS max_n=%u reps=%u\n", max_n, lub_reps());
}

static int lub_suite_init(struct kunit_suite *suite)
{
	return bus_register(&lub_bus);
}

static void lub_suite_exit(struct kunit_suite *suite)
{
	bus_unregister(&lub_bus);
}

static struct kunit_case lub_cases[] = {
	KUNIT_CASE(lub_sizes),
	KUNIT_CASE(lub_session),
	KUNIT_CASE_PARAM(lub_collection, lub_gen_params),
	{}
};

static struct kunit_suite lub_suite = {
	.name = "device_liveupdate_bench",
	.suite_init = lub_suite_init,
	.suite_exit = lub_suite_exit,
	.test_cases = lub_cases,
};
kunit_test_suite(lub_suite);

MODULE_DESCRIPTION("Benchmark of the device liveupdate collection");
MODULE_LICENSE("GPL");
