// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the device liveupdate framework.  NOT part of the series:
 * tools/bench-kunit builds it into a copy of the series tree.
 *
 * Synthetic PCI-like trees on a fake bus, "lub": N devices on D levels
 * (every root-to-leaf path has D devices); the devices above the last level
 * are bridges, and on each bus of leaves the first leaf is a physical
 * function (PF) and the others its virtual functions (VFs).  The bus's
 * dependencies op reports, like PCI's, the parent bridge of every device
 * and the PF of a VF.  For 1 % and 10 % of the leaves, chosen
 * pseudo-randomly but deterministically, three ways of finding the
 * requested devices and everything they depend on are timed on the same
 * tree, each from its requests to its ordered set:
 *
 *  a: the framework: device_liveupdate_request() of each leaf, then
 *     device_liveupdate_prepare().  Also timed inside it: "request", the
 *     requests alone; "a_collect", from prepare's call to the first
 *     ops->identify() of the handover record's encoding, which follows
 *     the collection and its checks; "a_prepare", the whole prepare call
 *     (record encoding and ops->prepare() included).  After it, outside
 *     a, "request_warm" times the same requests again, the caches warm.
 *  b: a re-implementation of the earlier PCI-only attempt: a flags word per
 *     device and a visited bit per bus (side arrays here, not in struct
 *     device), all buses walked post-order with an explicit stack of buses,
 *     each bus's device list (linked through the devices, like a pci_dev's
 *     bus_list) in reverse, a device with flags marking its parent bridge
 *     and its PF and being collected.  Its requests set a flag.
 *  c: two passes in their best form: each requested device marks itself,
 *     its PF and its ancestors, stopping at the first one already marked,
 *     and appends what it marked to a worklist, suppliers first; the
 *     worklist is the set.  It touches the set, never all N devices.
 *
 * Before each timed method the last-level cache is emptied by reading a
 * buffer larger than it (flush_mb), and the methods run in an order that
 * rotates with the repetition; the first repetition is not counted.  The
 * three must collect the same devices.
 *
 * "boot path" times what the next kernel pays per device added while a
 * handover record is pending (device_liveupdate_match_incoming(): the
 * bus's identify() and the record's lookup), for records of 64 to 4,096
 * entries, separately for devices the record names and for the others.
 *
 * Results are "BENCH... key=value" lines; tools/bench-report turns the
 * lines of several boots into a table.  Module parameters (on the kernel
 * command line, liveupdate_bench.max_n=): max_n, reps, flush_mb.
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
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "../liveupdate.h"

static unsigned int max_n = 1000;
module_param(max_n, uint, 0444);
MODULE_PARM_DESC(max_n, "largest tree, in devices (100 to 100000)");

static unsigned int reps = 3;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "repetitions of each measurement, the first not counted");

static unsigned int flush_mb;
module_param(flush_mb, uint, 0444);
MODULE_PARM_DESC(flush_mb, "MiB read before each timed method to empty the caches");

#define LUB_BM		DEVICE_LIVEUPDATE_BUS_MASTER
#define LUB_BRIDGE	BIT(1)	/* b: needed by a device below */
#define LUB_MAX_DEPTH	16
#define LUB_MAX_REPS	31
#define LUB_NONE	UINT_MAX

struct lub_dev {
	struct device dev;
	unsigned int idx;
	struct list_head bus_list;	/* on lub_bus.devices */
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
	unsigned int dev_first, nr_devs;
};

struct lub_tree {
	unsigned int n, depth, nr_leaves, nr_buses;
	struct device **devs;
	unsigned int *parent;		/* LUB_NONE for the root */
	unsigned int *pf;		/* a VF's PF, LUB_NONE for others */
	struct lub_bus *buses;		/* bus 0: root; bus d + 1: behind d */
	unsigned int *req, nr_req;	/* requested leaves */
	unsigned int *out;		/* collected devices (b and c) */
	unsigned int *chain;		/* c: devices marked, not yet placed */
	struct lub_bus **stack;		/* b's stack of buses */
	u8 *a_seen, *b_flags, *b_visited, *c_mark;
	unsigned int a_expanded, a_calls;
	u64 a_collected;
};

static struct lub_tree *lub_tree;	/* the tree the bus ops see */

static struct device *lub_pf(struct device *dev)
{
	struct lub_tree *t = lub_tree;
	unsigned int pf = t ? t->pf[to_lub_dev(dev)->idx] : LUB_NONE;

	return pf == LUB_NONE ? NULL : t->devs[pf];
}

/*
 * Like PCI's: the parent bridge; and, for a "VF", its "PF" as a second
 * supplier (PCI refuses VFs now: the cost measured is the core's of a
 * dependency that is not the parent).
 */
static int lub_dependencies(struct device *dev, unsigned int features,
			    struct device_liveupdate_collector *collector)
{
	struct device *pf = lub_pf(dev);
	int ret = 0;

	if (dev->parent)	/* not a root */
		ret = device_liveupdate_depends_on(collector, dev->parent,
						   DEVICE_LIVEUPDATE_REASON_PARENT,
						   features);
	if (!ret && pf)
		ret = device_liveupdate_depends_on(collector, pf,
						   DEVICE_LIVEUPDATE_REASON_SUPPLIER,
						   features);
	if (lub_tree)
		lub_tree->a_expanded++;
	return ret;
}

/* The record's encoding follows the collection: its first call ends it. */
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

/* Every device binds the one driver, which agrees to keep it. */
static int lub_match(struct device *dev, const struct device_driver *drv)
{
	return 1;
}

static const struct bus_type lub_bus = {
	.name		= "lub",
	.match		= lub_match,
	.liveupdate	= &lub_ops,
};

/* Requests belong to a bound driver with liveupdate ops. */
static const struct device_liveupdate_driver_ops lub_driver_ops = {};

static struct device_driver lub_driver = {
	.name		= "lub",
	.bus		= &lub_bus,
	.liveupdate	= &lub_driver_ops,
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
	kvfree(t->pf);
	kvfree(t->buses);
	kvfree(t->req);
	kvfree(t->out);
	kvfree(t->chain);
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
	    !LUB_ALLOC(t->pf, n) || !LUB_ALLOC(t->buses, t->nr_buses) ||
	    !LUB_ALLOC(t->req, t->nr_leaves) || !LUB_ALLOC(t->out, n) ||
	    !LUB_ALLOC(t->chain, depth + 1) || !LUB_ALLOC(t->stack, t->nr_buses) ||
	    !LUB_ALLOC(t->a_seen, n) || !LUB_ALLOC(t->b_flags, n) ||
	    !LUB_ALLOC(t->b_visited, t->nr_buses) || !LUB_ALLOC(t->c_mark, n)) {
		lub_free(t);
		return NULL;
	}

	for (j = 0; j < t->nr_buses; j++) {
		t->buses[j].idx = j;
		INIT_LIST_HEAD(&t->buses[j].devices);
		INIT_LIST_HEAD(&t->buses[j].children);
	}
	/* Level l's node j hangs below node j * size[l-1] / size[l] above. */
	t->parent[0] = LUB_NONE;
	t->pf[0] = LUB_NONE;
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
			/* On a bus of leaves the first is the PF of the others. */
			t->pf[d] = l == depth - 1 && bus->dev_first != d ?
				   bus->dev_first : LUB_NONE;
		}
	}
	/* The devices on a bus are all bridges, or all leaves. */
	for (j = 0; j < t->nr_buses; j++) {
		struct lub_bus *bus = &t->buses[j];

		if (bus->dev_first + 1 < t->nr_buses)
			for (l = 0; l < bus->nr_devs; l++)
				list_add_tail(&t->buses[bus->dev_first + 1 + l].node,
					      &bus->children);
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
		if (t->parent[i] != LUB_NONE)
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
	}
	lub_tree = t;
	return t;
fail:
	lub_destroy(t);
	KUNIT_FAIL_AND_ABORT(test, "could not add device %u of %u", i, n);
	return NULL;
}

/* Request pct % of the leaves, at least one: the same ones every run. */
static void lub_choose(struct lub_tree *t, unsigned int pct)
{
	unsigned int first = t->n - t->nr_leaves, i;
	u32 seed = 0x9e3779b9 ^ (t->n * 31 + t->depth * 7 + pct);

	for (i = 0; i < t->nr_leaves; i++)
		t->req[i] = first + i;
	t->nr_req = max(1U, t->nr_leaves * pct / 100);
	for (i = 0; i < t->nr_req; i++) {	/* partial Fisher-Yates */
		unsigned int k = i + lub_random(&seed) % (t->nr_leaves - i);

		swap(t->req[i], t->req[k]);
	}
}

/*
 * b: the earlier attempt's post-order walk of every bus.  It marked the
 * parent only for a requested device, so that only the first bridge above
 * one was kept; here any device with flags marks its parent, so that the
 * whole path is, as the attempt meant to and as the others do.  A VF comes
 * after its PF on their bus, so the reverse walk marks the PF in time.
 */
static unsigned int lub_collect_b(struct lub_tree *t)
{
	unsigned int top = 0, count = 0, i;

	for (i = 0; i < t->nr_req; i++)	/* the earlier "request" */
		t->b_flags[t->req[i]] = LUB_BM;
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
			struct device *pf;

			if (!t->b_flags[ldev->idx])
				continue;
			if (ldev->dev.parent)
				t->b_flags[to_lub_dev(ldev->dev.parent)->idx] |= LUB_BRIDGE;
			pf = lub_pf(&ldev->dev);
			if (pf)
				t->b_flags[to_lub_dev(pf)->idx] |= LUB_BRIDGE;
			t->out[count++] = ldev->idx;
		}
		t->b_visited[bus->idx] = 0;
		top--;
	}
	return count;
}

/*
 * c: mark a device and its ancestors up to the first one already marked,
 * then append them to the set, the highest first.  A VF's PF, which hangs
 * below the same bridge, goes first.
 */
static unsigned int lub_mark_c(struct lub_tree *t, struct device *dev,
			       unsigned int count)
{
	unsigned int nr = 0;

	for (; dev && !t->c_mark[to_lub_dev(dev)->idx]; dev = dev->parent) {
		t->c_mark[to_lub_dev(dev)->idx] = 1;
		t->chain[nr++] = to_lub_dev(dev)->idx;
	}
	while (nr)
		t->out[count++] = t->chain[--nr];
	return count;
}

static unsigned int lub_collect_c(struct lub_tree *t)
{
	unsigned int count = 0, i;

	for (i = 0; i < t->nr_req; i++) {
		struct device *dev = t->devs[t->req[i]], *pf = lub_pf(dev);

		if (pf)
			count = lub_mark_c(t, pf, count);
		count = lub_mark_c(t, dev, count);
	}
	return count;
}

enum {
	LUB_A, LUB_REQUEST, LUB_A_COLLECT, LUB_A_PREPARE, LUB_B, LUB_C,
	LUB_REQUEST_WARM, LUB_METHODS
};

static const char * const lub_method_names[] = {
	"a", "request", "a_collect", "a_prepare", "b", "c", "request_warm",
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

static void lub_add(struct lub_samples *s, u64 ns)
{
	s->ns[s->count++] = ns;
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
	return clamp(reps, 2U, LUB_MAX_REPS);
}

/* Read a buffer larger than the last-level cache, so that it holds no device. */
static u8 *lub_flush_buf;

static void lub_flush(void)
{
	size_t size = (size_t)flush_mb << 20, i;
	unsigned long sum = 0;

	for (i = 0; i < size; i += L1_CACHE_BYTES)
		sum += READ_ONCE(lub_flush_buf[i]);
	OPTIMIZER_HIDE_VAR(sum);
}

static void lub_request_all(struct kunit *test, struct lub_tree *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_req; i++)
		KUNIT_ASSERT_EQ(test, device_liveupdate_request(t->devs[t->req[i]],
								LUB_BM), 0);
}

static void lub_withdraw_all(struct kunit *test, struct lub_tree *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_req; i++)
		KUNIT_ASSERT_EQ(test, device_liveupdate_withdraw(t->devs[t->req[i]]), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_states(), 0);
}

/*
 * a: one session through the framework, then the same requests again
 * ("request_warm", not part of a); returns the members collected.
 */
static unsigned int lub_run_a(struct kunit *test, struct lub_tree *t,
			      struct lub_samples *s, bool count)
{
	u64 start, requested, end;
	unsigned int i;
	int ret;

	t->a_expanded = 0;
	t->a_calls = 0;
	t->a_collected = 0;
	start = ktime_get_ns();
	lub_request_all(test, t);
	requested = ktime_get_ns();
	ret = device_liveupdate_prepare();
	end = ktime_get_ns();
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_NE(test, t->a_collected, 0);
	if (count) {
		lub_add(&s[LUB_A], end - start);
		lub_add(&s[LUB_REQUEST], requested - start);
		lub_add(&s[LUB_A_COLLECT], t->a_collected - requested);
		lub_add(&s[LUB_A_PREPARE], end - requested);
	}
	KUNIT_ASSERT_EQ(test, t->a_calls, t->a_expanded);
	for (i = 0; i < t->n; i++) {
		struct device_liveupdate *state = t->devs[i]->liveupdate;

		t->a_seen[i] = state && (state->flags & LIVEUPDATE_MEMBER);
	}
	KUNIT_ASSERT_EQ(test, device_liveupdate_cancel(), 0);
	lub_withdraw_all(test, t);

	/* The same requests again, with the devices and the slab in cache. */
	start = ktime_get_ns();
	lub_request_all(test, t);
	if (count)
		lub_add(&s[LUB_REQUEST_WARM], ktime_get_ns() - start);
	lub_withdraw_all(test, t);
	return t->a_expanded;
}

/* b or c: one walk, timed into @s if @count. */
static void lub_run_walk(struct kunit *test, struct lub_tree *t,
			 unsigned int (*collect)(struct lub_tree *t),
			 struct lub_samples *s, bool count)
{
	u64 start = ktime_get_ns();
	unsigned int members = collect(t);

	if (count)
		lub_add(s, ktime_get_ns() - start);
	KUNIT_ASSERT_GT(test, members, 0);
}

/* The three methods must have found the same devices. */
static unsigned int lub_check(struct kunit *test, struct lub_tree *t)
{
	unsigned int i, members = 0;

	for (i = 0; i < t->n; i++) {
		KUNIT_ASSERT_EQ_MSG(test, !!t->a_seen[i], !!t->b_flags[i],
				    "a and b disagree on device %u", i);
		KUNIT_ASSERT_EQ_MSG(test, !!t->a_seen[i], !!t->c_mark[i],
				    "a and c disagree on device %u", i);
		members += !!t->a_seen[i];
	}
	memset(t->b_flags, 0, t->n);
	memset(t->c_mark, 0, t->n);
	return members;
}

static void lub_measure(struct kunit *test, struct lub_tree *t, unsigned int pct)
{
	unsigned int r, i, members = 0, expanded = 0;
	struct lub_samples *s;
	char what[96];

	s = kunit_kcalloc(test, LUB_METHODS, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	lub_choose(t, pct);
	for (r = 0; r < lub_reps(); r++) {
		/* a, b, c; b, c, a; c, a, b; ... */
		for (i = 0; i < 3; i++) {
			unsigned int m = (r + i) % 3;

			lub_flush();
			if (m == 0)
				expanded = lub_run_a(test, t, s, r > 0);
			else if (m == 1)
				lub_run_walk(test, t, lub_collect_b, &s[LUB_B], r > 0);
			else
				lub_run_walk(test, t, lub_collect_c, &s[LUB_C], r > 0);
		}
		members = lub_check(test, t);
		KUNIT_ASSERT_EQ(test, members, expanded);
	}
	for (i = 0; i < LUB_METHODS; i++) {
		snprintf(what, sizeof(what),
			 "BENCH N=%u depth=%u pct=%u requested=%u members=%u method=%s",
			 t->n, t->depth, pct, t->nr_req, members, lub_method_names[i]);
		lub_print(test, what, &s[i]);
	}
}

struct lub_param {
	unsigned int n, depth;
};

static const struct lub_param lub_params[] = {
	{ 100, 4 }, { 100, 16 }, { 1000, 4 }, { 1000, 16 },
	{ 10000, 4 }, { 10000, 16 }, { 100000, 4 }, { 100000, 16 },
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

	lub_measure(test, t, 1);
	lub_measure(test, t, 10);

	start = ktime_get_ns();
	lub_destroy(t);
	kunit_info(test, "BENCH_TREE N=%u depth=%u leaves=%u buses=%u build_ms=%llu teardown_ms=%llu\n",
		   p->n, p->depth, leaves, buses, built / NSEC_PER_MSEC,
		   (ktime_get_ns() - start) / NSEC_PER_MSEC);
}

#define LUB_BOOT_DEVICES	8192

static const unsigned int lub_boot_entries[] = { 64, 256, 1024, 4096 };

/*
 * The next kernel's cost per device added while a record of @entries
 * devices is pending, for the devices it names (hits, each then holding
 * incoming state) and for the others (misses).  The record comes from a
 * real prepare: a root and @entries - 1 of its children requested.
 */
static void lub_boot_record(struct kunit *test, struct lub_tree *t,
			    unsigned int entries)
{
	struct lub_samples hit = {}, miss = {};
	unsigned int r, i;
	const void *record;
	size_t size;
	void *blob;
	u64 start;

	for (i = 1; i < entries; i++)
		KUNIT_ASSERT_EQ(test, device_liveupdate_request(t->devs[i], LUB_BM), 0);
	KUNIT_ASSERT_EQ(test, device_liveupdate_prepare(), 0);
	record = device_liveupdate_handover(&size);
	KUNIT_ASSERT_NOT_NULL(test, record);
	blob = kvmemdup(record, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, blob);
	KUNIT_ASSERT_EQ(test, device_liveupdate_cancel(), 0);
	for (i = 1; i < entries; i++)
		KUNIT_ASSERT_EQ(test, device_liveupdate_withdraw(t->devs[i]), 0);

	for (r = 0; r < lub_reps(); r++) {
		KUNIT_ASSERT_EQ(test, device_liveupdate_set_incoming(blob, size), 0);
		start = ktime_get_ns();
		for (i = entries; i < t->n; i++)
			KUNIT_ASSERT_FALSE(test, device_liveupdate_match_incoming(t->devs[i]));
		if (r)
			lub_add(&miss, div_u64(ktime_get_ns() - start, t->n - entries));
		start = ktime_get_ns();
		for (i = 0; i < entries; i++)
			KUNIT_ASSERT_TRUE(test, device_liveupdate_match_incoming(t->devs[i]));
		if (r)
			lub_add(&hit, div_u64(ktime_get_ns() - start, entries));
		KUNIT_ASSERT_EQ(test, device_liveupdate_states(), entries);
		KUNIT_ASSERT_EQ(test, device_liveupdate_finish(), 0);
		KUNIT_ASSERT_EQ(test, device_liveupdate_states(), 0);
	}
	kvfree(blob);
	sort(hit.ns, hit.count, sizeof(hit.ns[0]), lub_cmp_u64, NULL);
	sort(miss.ns, miss.count, sizeof(miss.ns[0]), lub_cmp_u64, NULL);
	kunit_info(test, "BENCH_BOOT entries=%u devices=%u hit_ns=%llu miss_ns=%llu reps=%u\n",
		   entries, t->n, hit.ns[hit.count / 2], miss.ns[miss.count / 2],
		   hit.count);
}

static void lub_boot_path(struct kunit *test)
{
	struct lub_tree *t = lub_build(test, LUB_BOOT_DEVICES, 2);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lub_boot_entries); i++)
		lub_boot_record(test, t, lub_boot_entries[i]);
	lub_destroy(t);
}

#define LUB_SESSION_MEMBERS	1000

/*
 * Frozen is one way (the kexec goes on), so cancel is timed on a prepared
 * session and freeze on a second one, which the test ends as a kexec
 * would; only the steps with a name are timed.
 */
static const struct {
	const char *name;
	int (*step)(void);
	bool calls;	/* calls every member's bus op */
} lub_session_steps[] = {
	{ "prepare", device_liveupdate_prepare, true },
	{ "cancel", device_liveupdate_cancel, true },
	{ NULL, device_liveupdate_prepare, true },
	{ "freeze", device_liveupdate_freeze, true },
	{ NULL, device_liveupdate_end_frozen, false },
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
			if (r)
				lub_add(&s[i], ktime_get_ns() - start);
			KUNIT_EXPECT_EQ_MSG(test, t->a_calls,
					    lub_session_steps[i].calls ? n : 0, "step %u", i);
		}
		for (i = 1; i < n; i++)
			KUNIT_EXPECT_EQ(test, device_liveupdate_withdraw(t->devs[i]), 0);
	}
	lub_destroy(t);
	KUNIT_EXPECT_EQ(test, device_liveupdate_states(), 0);
	for (i = 0; i < ARRAY_SIZE(lub_session_steps); i++) {
		if (!lub_session_steps[i].name)
			continue;
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
	kunit_info(test, "BENCH_PARAMS max_n=%u reps=%u counted=%u flush_mb=%u\n",
		   max_n, lub_reps(), lub_reps() - 1, flush_mb);
}

static int lub_suite_init(struct kunit_suite *suite)
{
	int ret;

	if (flush_mb) {
		lub_flush_buf = vmalloc((size_t)flush_mb << 20);
		if (!lub_flush_buf)
			return -ENOMEM;
		memset(lub_flush_buf, 1, (size_t)flush_mb << 20);
	}
	ret = bus_register(&lub_bus);
	if (ret)
		return ret;
	ret = driver_register(&lub_driver);
	if (ret)
		bus_unregister(&lub_bus);
	return ret;
}

static void lub_suite_exit(struct kunit_suite *suite)
{
	driver_unregister(&lub_driver);
	bus_unregister(&lub_bus);
	vfree(lub_flush_buf);
}

static struct kunit_case lub_cases[] = {
	KUNIT_CASE(lub_sizes),
	KUNIT_CASE(lub_session),
	KUNIT_CASE(lub_boot_path),
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

MODULE_DESCRIPTION("Benchmark of the device liveupdate framework");
MODULE_LICENSE("GPL");
