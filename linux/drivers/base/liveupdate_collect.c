// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: the collection of the set at prepare.
 *
 * From the requests, find every device they need through the ops of each
 * device's bus (->dependencies() reports them with
 * device_liveupdate_depends_on()), then order them so that the devices a
 * member depends on come before it, as parents come before children on
 * dpm_list.  Runs under liveupdate_mutex and the bus hot-plug locks (see
 * liveupdate.h); the dependencies each bus reports are recorded as edges,
 * which hold a reference on their supplier until the collection has given
 * it a state of its own.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "base.h"
#include "liveupdate.h"

const char * const liveupdate_reason_names[] = {
	[DEVICE_LIVEUPDATE_REASON_PARENT]		= "parent",
	[DEVICE_LIVEUPDATE_REASON_BUS_MASTER_PATH]	= "bus-master-path",
	[DEVICE_LIVEUPDATE_REASON_SUPPLIER]		= "supplier",
};

/**
 * struct device_liveupdate_collector - context of one dependency query
 * @dependent: the device whose dependencies the bus reports.
 * @edges: where the reports go.
 */
struct device_liveupdate_collector {
	struct device_liveupdate *dependent;
	struct liveupdate_edges *edges;
};

static int liveupdate_edge_add(struct device_liveupdate_collector *collector,
			       struct device *supplier,
			       enum device_liveupdate_reason reason,
			       unsigned int features)
{
	struct liveupdate_edges *edges = collector->edges;
	struct liveupdate_edge *edge;

	if (edges->count == edges->size) {
		unsigned int size = max(2 * edges->size, 64U);

		edge = kvrealloc(edges->edge, array_size(size, sizeof(*edge)),
				 GFP_KERNEL);
		if (!edge)
			return -ENOMEM;
		edges->edge = edge;
		edges->size = size;
	}
	edge = &edges->edge[edges->count++];
	edge->supplier.dev = get_device(supplier);
	edge->dependent = collector->dependent;
	edge->features = features;
	edge->reason = reason;
	return 0;
}

/**
 * device_liveupdate_depends_on - report a dependency from a bus's ops
 * @collector: the context the core passed to ops->dependencies()
 * @supplier: a device the dependent needs
 * @reason: why it needs it
 * @features: DEVICE_LIVEUPDATE_* features @supplier must keep for it
 *
 * Records the dependency, with a reference on @supplier, without reading
 * it otherwise: the core checks it once the op has returned, with the
 * other suppliers of the same step (see liveupdate_resolve()).  A
 * supplier whose bus does not support liveupdate, that was never added or
 * whose removal has begun then fails the prepare with -EOPNOTSUPP or
 * -ENODEV, and a dependency cycle with -ELOOP.
 *
 * Context: only from ops->dependencies(), with liveupdate_mutex held.
 * Return: 0, or a negative error code the bus op should return: -EINVAL
 * for bad arguments, -ELOOP if @supplier is the dependent itself, -ENOMEM.
 */
int device_liveupdate_depends_on(struct device_liveupdate_collector *collector,
				 struct device *supplier,
				 enum device_liveupdate_reason reason,
				 unsigned int features)
{
	struct device *dev = collector->dependent->dev;

	lockdep_assert_held(&liveupdate_mutex);

	if (!supplier || !features || (features & ~DEVICE_LIVEUPDATE_FEATURES) ||
	    reason >= ARRAY_SIZE(liveupdate_reason_names))
		return -EINVAL;
	if (supplier == dev) {
		dev_err(dev, "liveupdate dependency cycle through %s\n",
			dev_name(supplier));
		return -ELOOP;
	}
	return liveupdate_edge_add(collector, supplier, reason, features);
}

/*
 * A device link says that its consumer needs its supplier while it runs
 * when a driver made it (device_link_add()) for that: a stateless link, or
 * a managed one that is not only for sync_state().  Links fw_devlink
 * inferred from firmware order probing; the supplier a device really needs
 * at run time is its bus's to report.
 */
static bool liveupdate_link_needed(const struct device_link *link)
{
	return !(link->flags & (DL_FLAG_SYNC_STATE_ONLY | DL_FLAG_INFERRED));
}

/**
 * device_liveupdate_depends_on_suppliers - report a device's link suppliers
 * @collector: the context the core passed to ops->dependencies()
 * @dev: the dependent device
 * @features: DEVICE_LIVEUPDATE_* features each supplier must keep
 *
 * Reports, in link order, every device-link supplier of @dev that @dev
 * needs while it runs: suppliers of links a driver made, stateless or
 * managed, but not sync-state-only links nor those fw_devlink inferred
 * from firmware.  A bus whose devices can have suppliers calls this from
 * its ops->dependencies().  Suppliers on a bus without liveupdate support
 * fail the collection, since the consumer cannot keep running without
 * them.
 *
 * Context: only from ops->dependencies(); may sleep.
 * Return: 0 or the first error of device_liveupdate_depends_on().
 */
int device_liveupdate_depends_on_suppliers(struct device_liveupdate_collector *collector,
					   struct device *dev,
					   unsigned int features)
{
	struct device_link *link;
	int idx, ret = 0;

	idx = device_links_read_lock();
	list_for_each_entry_srcu(link, &dev->links.suppliers, c_node,
				 device_links_read_lock_held()) {
		if (!liveupdate_link_needed(link))
			continue;
		ret = device_liveupdate_depends_on(collector, link->supplier,
						   DEVICE_LIVEUPDATE_REASON_SUPPLIER,
						   features);
		if (ret)
			break;
	}
	device_links_read_unlock(idx);
	return ret;
}

/**
 * device_liveupdate_parent_and_suppliers - dependencies of a plain device
 * @dev: the dependent device
 * @features: DEVICE_LIVEUPDATE_* features @dev needs
 * @collector: the context the core passed to ops->dependencies()
 *
 * A ready-made ops->dependencies() for buses whose devices need nothing but
 * their parent and their device-link suppliers: reports the parent, unless
 * it has no bus (such as a bus's root device), then every supplier.  A
 * parent on a bus without liveupdate support fails the collection.
 *
 * Context: only as or from ops->dependencies(); may sleep.
 * Return: 0 or the first error of device_liveupdate_depends_on().
 */
int device_liveupdate_parent_and_suppliers(struct device *dev,
					   unsigned int features,
					   struct device_liveupdate_collector *collector)
{
	int ret;

	if (dev->parent && dev->parent->bus) {
		ret = device_liveupdate_depends_on(collector, dev->parent,
						   DEVICE_LIVEUPDATE_REASON_PARENT,
						   features);
		if (ret)
			return ret;
	}
	return device_liveupdate_depends_on_suppliers(collector, dev, features);
}

/* Ask @state's bus for its dependencies; they land in @edges. */
static int liveupdate_expand(struct device_liveupdate *state,
			     struct liveupdate_edges *edges)
{
	const struct device_liveupdate_ops *ops = liveupdate_ops(state->dev);
	struct device_liveupdate_collector collector = {
		.dependent = state,
		.edges = edges,
	};
	int ret;

	if (ops->lock_held)
		ops->lock_held();

	state->flags &= ~LIVEUPDATE_QUEUED;
	state->flags |= LIVEUPDATE_EXPANDED;
	state->first_edge = edges->count;
	ret = ops->dependencies(state->dev, liveupdate_features(state),
				&collector);
	state->nr_edges = edges->count - state->first_edge;
	return ret;
}

/* Can the supplier of @edge join the set?  Logs why not. */
static int liveupdate_check_supplier(struct liveupdate_edge *edge)
{
	struct device *supplier = edge->supplier.dev;
	struct device *dev = edge->dependent->dev;

	if (unlikely(!liveupdate_ops(supplier))) {
		dev_err(dev, "liveupdate needs %s, whose bus does not support liveupdate\n",
			dev_name(supplier));
		return -EOPNOTSUPP;
	}
	if (unlikely(!supplier->p)) {
		dev_err(dev, "liveupdate needs %s, which was never added\n",
			dev_name(supplier));
		return -ENODEV;
	}
	if (unlikely(supplier->p->dead))
		return liveupdate_dying(supplier);
	return 0;
}

/*
 * Check the suppliers of edges[@first..], give them their state and their
 * features.  Queue those to expand: new ones, and expanded ones that were
 * found to need more features than they were expanded with, since their
 * own dependencies may then need more too.  Features only grow, so the
 * discovery ends.
 */
static int liveupdate_resolve(struct liveupdate_edges *edges,
			      unsigned int first, struct list_head *queue)
{
	unsigned int i;

	for (i = first; i < edges->count; i++) {
		struct liveupdate_edge *edge = &edges->edge[i];
		struct device_liveupdate *state;
		unsigned int had;
		int ret;

		ret = liveupdate_check_supplier(edge);
		if (ret)
			return ret;
		state = liveupdate_state_get(edge->supplier.dev);
		if (!state)
			return -ENOMEM;
		/* The state holds a reference now: not the last one. */
		put_device(edge->supplier.dev);
		edge->supplier.state = state;
		edges->resolved = i + 1;

		had = liveupdate_features(state);
		state->derived |= edge->features;
		if (state->flags & LIVEUPDATE_QUEUED)
			continue;
		if (!(state->flags & LIVEUPDATE_EXPANDED) ||
		    (edge->features & ~had)) {
			state->flags |= LIVEUPDATE_QUEUED;
			list_move_tail(&state->set_entry, queue);
		}
	}
	return 0;
}

/*
 * Find every device the requests need, breadth-first: the requests, then
 * the suppliers they reported, then theirs.  The bus ops of a whole level
 * run, then the suppliers they reported are resolved.  Everything found
 * ends on @found, in no useful order; the edges record who needs whom.
 */
static int liveupdate_discover(struct liveupdate_edges *edges,
			       struct list_head *found)
{
	struct device_liveupdate *state;
	LIST_HEAD(queue);
	LIST_HEAD(level);
	unsigned int first;
	int ret = 0;

	for (state = liveupdate_first_request(); state;
	     state = liveupdate_next_request(state)) {
		if (liveupdate_device_dead(state->dev))
			return liveupdate_dying(state->dev);
	}
	for (state = liveupdate_first_request(); state;
	     state = liveupdate_next_request(state)) {
		state->flags = LIVEUPDATE_QUEUED;
		list_move_tail(&state->set_entry, &queue);
	}

	while (!ret && !list_empty(&queue)) {
		list_splice_init(&queue, &level);
		first = edges->count;
		list_for_each_entry(state, &level, set_entry) {
			ret = liveupdate_expand(state, edges);
			if (ret)
				break;
		}
		list_splice_tail_init(&level, found);
		if (!ret)
			ret = liveupdate_resolve(edges, first, &queue);
	}
	list_splice_tail(&queue, found);
	return ret;
}

/* Push the suppliers @state's last expansion reported on @stack. */
static int liveupdate_push_suppliers(struct device_liveupdate *state,
				     struct liveupdate_edges *edges,
				     struct list_head *stack)
{
	struct liveupdate_edge *edge = &edges->edge[state->first_edge];
	unsigned int i;

	for (i = 0; i < state->nr_edges; i++, edge++) {
		struct device_liveupdate *supplier = edge->supplier.state;

		if (supplier->flags & LIVEUPDATE_ON_PATH) {
			dev_err(state->dev, "liveupdate dependency cycle through %s\n",
				dev_name(supplier->dev));
			return -ELOOP;
		}
		if (supplier->last_user != state) {
			supplier->last_user = state;
			supplier->users++;
		}
		if (!supplier->needed_by) {
			supplier->needed_by = state->dev;
			supplier->reason = edge->reason;
		}
		/* Push, or move a device still waiting up to the top. */
		if (!(supplier->flags & LIVEUPDATE_MEMBER))
			list_move(&supplier->set_entry, stack);
		dev_dbg(supplier->dev, "liveupdate needed by %s (%s)\n",
			dev_name(state->dev), liveupdate_reason_names[edge->reason]);
	}
	return 0;
}

/*
 * Place @start and everything it depends on at the tail of liveupdate_set,
 * dependencies first.  Depth-first without recursion, over the edges the
 * discovery recorded: the stack's top has its suppliers pushed above it
 * once, and is placed when it comes back to the top, i.e. when everything
 * above it has been placed.  Devices on the stack whose suppliers were
 * pushed are the current path, so meeting one again is a cycle.
 */
static int liveupdate_place(struct device_liveupdate *start,
			    struct liveupdate_edges *edges)
{
	LIST_HEAD(stack);
	int ret = 0;

	if (start->flags & LIVEUPDATE_MEMBER)
		return 0;

	list_move(&start->set_entry, &stack);

	while (!list_empty(&stack)) {
		struct device_liveupdate *top;

		top = list_first_entry(&stack, struct device_liveupdate, set_entry);
		if (!(top->flags & LIVEUPDATE_ON_PATH)) {
			top->flags |= LIVEUPDATE_ON_PATH;
			ret = liveupdate_push_suppliers(top, edges, &stack);
			if (ret)
				break;
			continue;
		}
		top->flags &= ~LIVEUPDATE_ON_PATH;
		top->flags |= LIVEUPDATE_MEMBER;
		list_move_tail(&top->set_entry, &liveupdate_set);
	}

	/* On error, leave what is still stacked where the caller resets it. */
	list_splice_tail(&stack, &liveupdate_set);
	return ret;
}

/*
 * Collect the set from the requests, in two passes: find every device
 * needed and the dependencies between them (liveupdate_discover()), then
 * order them, each after what it depends on (liveupdate_place()).  The
 * second pass touches only the states and the recorded edges.  A device
 * found but no longer needed (a bus reported it for fewer features than
 * its dependent was expanded with at last) is dropped.  On error
 * everything found is left on liveupdate_set for the caller to reset.
 * The caller frees @edges with liveupdate_edges_free() once it has dropped
 * liveupdate_mutex.
 *
 * Context: liveupdate_mutex and the bus hot-plug locks held.
 */
int liveupdate_collect(struct liveupdate_edges *edges,
		       struct list_head *release)
{
	struct device_liveupdate *state;
	LIST_HEAD(found);
	int ret;

	lockdep_assert_held(&liveupdate_mutex);

	ret = liveupdate_discover(edges, &found);
	for (state = liveupdate_first_request(); !ret && state;
	     state = liveupdate_next_request(state))
		ret = liveupdate_place(state, edges);

	if (ret)
		list_splice_tail(&found, &liveupdate_set);
	else
		liveupdate_reset_list(&found, release);
	return ret;
}

/**
 * liveupdate_edges_free - free what a collection recorded
 * @edges: the edges liveupdate_collect() filled
 *
 * Context: without liveupdate_mutex: the reference an unresolved edge
 * drops may be its supplier's last.
 */
void liveupdate_edges_free(struct liveupdate_edges *edges)
{
	unsigned int i;

	for (i = edges->resolved; i < edges->count; i++)
		put_device(edges->edge[i].supplier.dev);
	kvfree(edges->edge);
}
