// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: keep selected devices running across a kexec.
 *
 * Drivers request devices with the features they need preserved.  At prepare
 * the core collects the requested devices and, through the ops of each
 * device's bus, everything they depend on, into one ordered set: the devices
 * a member depends on come before it, as parents come before children on
 * dpm_list.  The set is fixed until the session is cancelled, or handed to
 * the next kernel, which keeps the devices as they are until it is finished.
 *
 * Locking, outermost first:
 *
 *  - liveupdate_bus_mutex protects liveupdate_buses, the buses that opted in.
 *  - The hot-plug lock of each bus that has one (ops->lock), taken in the
 *    order the buses registered, around the collection at prepare.
 *  - liveupdate_mutex protects the session state, the request list, the set
 *    and every device's ->liveupdate state.  device_del() takes it for
 *    devices on opted-in buses, so it nests inside device locks and bus
 *    hot-plug locks and must never be held while taking one of them.
 *  - Bus ops may take their bus's internal locks (e.g. pci_bus_sem).
 *
 * Every device with liveupdate state holds one reference on it, taken when
 * the state is created and dropped, after liveupdate_mutex is released, when
 * it is freed.  Only this file touches the state.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/crc32.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/prefetch.h>
#include <linux/rbtree.h>
#include <linux/reboot.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "base.h"
#include "liveupdate.h"

/**
 * struct liveupdate_edge - one dependency reported by a bus
 * @supplier: the device reported, then its state once the core has read it.
 * @supplier.dev: as reported, until liveupdate_resolve().
 * @supplier.state: its state, from liveupdate_resolve() on.
 * @dependent: the device that needs it.
 * @features: DEVICE_LIVEUPDATE_* features the dependent needs from it.
 * @reason: why the dependent needs it.
 */
struct liveupdate_edge {
	union {
		struct device *dev;
		struct device_liveupdate *state;
	} supplier;
	struct device_liveupdate *dependent;
	unsigned int features;
	enum device_liveupdate_reason reason;
};

/**
 * struct liveupdate_edges - the dependencies reported during one collection
 * @edge: array of @size entries, the first @count in use.  The edges of one
 *	expansion are consecutive (device_liveupdate.first_edge, .nr_edges).
 * @count: entries in use.
 * @size: entries allocated.
 */
struct liveupdate_edges {
	struct liveupdate_edge *edge;
	unsigned int count;
	unsigned int size;
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

struct liveupdate_bus {
	struct list_head entry;
	const struct bus_type *bus;
};

static DEFINE_MUTEX(liveupdate_bus_mutex);
static LIST_HEAD(liveupdate_buses);

static DEFINE_MUTEX(liveupdate_mutex);
static enum device_liveupdate_session_state liveupdate_state;
static struct rb_root liveupdate_requests = RB_ROOT;
static LIST_HEAD(liveupdate_set);
static bool liveupdate_broken;
static struct liveupdate_record *liveupdate_incoming;
static char liveupdate_handover[DEVICE_LIVEUPDATE_HANDOVER_MAX + 1];
static atomic_t liveupdate_states = ATOMIC_INIT(0);

static const char * const liveupdate_state_names[] = {
	[DEVICE_LIVEUPDATE_NORMAL]	= "normal",
	[DEVICE_LIVEUPDATE_PREPARED]	= "prepared",
	[DEVICE_LIVEUPDATE_FROZEN]	= "frozen",
	[DEVICE_LIVEUPDATE_INCOMING]	= "incoming",
};

static const char * const liveupdate_reason_names[] = {
	[DEVICE_LIVEUPDATE_REASON_PARENT]		= "parent",
	[DEVICE_LIVEUPDATE_REASON_BUS_MASTER_PATH]	= "bus-master-path",
	[DEVICE_LIVEUPDATE_REASON_SRIOV_PF]		= "sriov-pf",
	[DEVICE_LIVEUPDATE_REASON_SUPPLIER]		= "supplier",
};

static const char * const liveupdate_feature_names[] = {
	"bus-master",
};

static const struct device_liveupdate_ops *liveupdate_ops(struct device *dev)
{
	return dev->bus ? dev->bus->liveupdate : NULL;
}

/**
 * device_liveupdate_capable - can a device take part in a live update?
 * @dev: the device, or NULL
 *
 * For bus ops deciding whether to report a device, such as a parent, that
 * may sit on a bus without liveupdate support.
 *
 * Return: true if @dev's bus supports liveupdate.
 */
bool device_liveupdate_capable(struct device *dev)
{
	return dev && liveupdate_ops(dev);
}
EXPORT_SYMBOL_GPL(device_liveupdate_capable);

static bool liveupdate_device_dead(struct device *dev)
{
	return !dev->p || dev->p->dead;
}

/*
 * A device found on its way out cannot join a set.  device_del() marks it
 * dead before its device_liveupdate_del() takes liveupdate_mutex, so one
 * that dies after it was checked is still seen by that hook.
 */
static int liveupdate_dying(struct device *dev)
{
	dev_err(dev, "being removed, cannot be kept for liveupdate\n");
	return -ENODEV;
}

/**
 * device_liveupdate_init - set up a device's liveupdate state
 * @dev: device being initialised
 *
 * Called once, from device_initialize().  The state itself is allocated
 * only when the device takes part in a live update.
 */
void device_liveupdate_init(struct device *dev)
{
	dev->liveupdate = NULL;
}

static struct device_liveupdate *liveupdate_state_get(struct device *dev)
{
	struct device_liveupdate *state = dev->liveupdate;

	lockdep_assert_held(&liveupdate_mutex);

	if (state)
		return state;

	state = kzalloc(sizeof(*state), GFP_KERNEL);
	if (!state)
		return NULL;

	state->dev = get_device(dev);
	state->record = -1;
	atomic_inc(&liveupdate_states);
	RB_CLEAR_NODE(&state->request_node);
	INIT_LIST_HEAD(&state->set_entry);
	dev->liveupdate = state;
	return state;
}

/*
 * Detach a state from its device and queue it on @release; the caller frees
 * it with liveupdate_release() once liveupdate_mutex is dropped, because the
 * reference put may be the last one.
 */
static void liveupdate_state_detach(struct device_liveupdate *state,
				    struct list_head *release)
{
	lockdep_assert_held(&liveupdate_mutex);

	if (!RB_EMPTY_NODE(&state->request_node)) {
		rb_erase(&state->request_node, &liveupdate_requests);
		RB_CLEAR_NODE(&state->request_node);
	}
	state->dev->liveupdate = NULL;
	list_move_tail(&state->set_entry, release);
}

static void liveupdate_release(struct list_head *release)
{
	struct device_liveupdate *state, *next;

	list_for_each_entry_safe(state, next, release, set_entry) {
		list_del(&state->set_entry);
		put_device(state->dev);
		kfree(state);
		atomic_dec(&liveupdate_states);
	}
}

/**
 * device_liveupdate_states - number of devices holding liveupdate state
 *
 * Zero whenever nothing is requested and no session exists: anything else
 * is a leak.
 *
 * Return: the number of devices.
 */
VISIBLE_IF_KUNIT unsigned int device_liveupdate_states(void)
{
	return atomic_read(&liveupdate_states);
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_states);

/* Forget everything a session added to a state; drop it if unrequested. */
static void liveupdate_state_reset(struct device_liveupdate *state,
				   struct list_head *release)
{
	lockdep_assert_held(&liveupdate_mutex);

	state->derived = 0;
	state->flags = 0;
	state->users = 0;
	state->last_user = NULL;
	state->needed_by = NULL;
	state->record = -1;
	if (state->requested && !liveupdate_device_dead(state->dev))
		list_del_init(&state->set_entry);
	else
		liveupdate_state_detach(state, release);
}

static void liveupdate_reset_list(struct list_head *head,
				  struct list_head *release)
{
	struct device_liveupdate *state, *next;

	list_for_each_entry_safe(state, next, head, set_entry)
		liveupdate_state_reset(state, release);
}

/*
 * Requests are kept sorted by bus name, then device name, so that the same
 * requests give the same set whatever order they came in, and prepare finds
 * them in order without sorting.
 */
static bool liveupdate_request_less(struct rb_node *a, const struct rb_node *b)
{
	struct device *x = rb_entry(a, struct device_liveupdate, request_node)->dev;
	struct device *y = rb_entry(b, struct device_liveupdate, request_node)->dev;
	int ret = 0;

	if (x->bus != y->bus)
		ret = strcmp(x->bus->name, y->bus->name);
	return (ret ? ret : strcmp(dev_name(x), dev_name(y))) < 0;
}

static struct device_liveupdate *liveupdate_first_request(void)
{
	return rb_entry_safe(rb_first(&liveupdate_requests),
			     struct device_liveupdate, request_node);
}

static struct device_liveupdate *liveupdate_next_request(struct device_liveupdate *state)
{
	return rb_entry_safe(rb_next(&state->request_node),
			     struct device_liveupdate, request_node);
}

/**
 * device_liveupdate_request - ask for a device to be preserved
 * @dev: the device; it must be registered on a bus that supports liveupdate
 * @features: DEVICE_LIVEUPDATE_* features the device needs to keep
 *
 * Adds @dev to the devices the next prepared session collects.  Requesting
 * a device again adds @features to what it already has.  This is what a
 * driver calls when userspace asks to preserve the device, for example when
 * a VFIO device file is preserved.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 0 on success, -EINVAL for unknown features, -EOPNOTSUPP if the
 * device's bus does not support liveupdate, -ENODEV if the device is not
 * registered or going away, -EBUSY while a session is prepared, frozen or
 * incoming, -ENOMEM.
 */
int device_liveupdate_request(struct device *dev, unsigned int features)
{
	struct device_liveupdate *state;

	if (!features || (features & ~DEVICE_LIVEUPDATE_FEATURES))
		return -EINVAL;
	if (!liveupdate_ops(dev))
		return -EOPNOTSUPP;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_NORMAL)
		return -EBUSY;
	if (!device_is_registered(dev) || liveupdate_device_dead(dev))
		return -ENODEV;

	state = liveupdate_state_get(dev);
	if (!state)
		return -ENOMEM;

	if (!state->requested)
		rb_add(&state->request_node, &liveupdate_requests,
		       liveupdate_request_less);
	state->requested |= features;
	dev_dbg(dev, "liveupdate requested, features %#x\n", state->requested);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_request);

/**
 * device_liveupdate_withdraw - take back a device's liveupdate request
 * @dev: the device
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 0 on success, -ENOENT if @dev was not requested, -EBUSY while a
 * session is prepared, frozen or incoming.
 */
int device_liveupdate_withdraw(struct device *dev)
{
	LIST_HEAD(release);

	scoped_guard(mutex, &liveupdate_mutex) {
		struct device_liveupdate *state = dev->liveupdate;

		if (liveupdate_state != DEVICE_LIVEUPDATE_NORMAL)
			return -EBUSY;
		if (!state || !state->requested)
			return -ENOENT;

		dev_dbg(dev, "liveupdate request withdrawn\n");
		liveupdate_state_detach(state, &release);
	}
	liveupdate_release(&release);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_withdraw);

static bool liveupdate_member_has(struct device *dev, unsigned int features,
				  unsigned int flag)
{
	struct device_liveupdate *state;

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (!state || !(state->flags & flag) ||
	    (state->flags & LIVEUPDATE_REMOVED))
		return false;
	return (state->requested | state->derived) & features;
}

/**
 * device_liveupdate_outgoing - is a device being preserved for the kexec?
 * @dev: the device
 * @features: DEVICE_LIVEUPDATE_* features to ask about
 *
 * For shutdown() paths: true from the moment the session is frozen, for a
 * member of the set that keeps one of @features.  The bus and driver must
 * then leave that part of the device's state alone.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: true if @dev is preserved with one of @features.
 */
bool device_liveupdate_outgoing(struct device *dev, unsigned int features)
{
	if (READ_ONCE(liveupdate_state) != DEVICE_LIVEUPDATE_FROZEN)
		return false;
	return liveupdate_member_has(dev, features, LIVEUPDATE_MEMBER);
}
EXPORT_SYMBOL_GPL(device_liveupdate_outgoing);

/**
 * device_liveupdate_incoming - was a device handed over by the last kernel?
 * @dev: the device
 * @features: DEVICE_LIVEUPDATE_* features to ask about
 *
 * For probe() and enumeration paths: true until the session is finished,
 * for a device the previous kernel preserved with one of @features.  The
 * bus and driver must not reset that part of the device's state.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: true if @dev was handed over with one of @features.
 */
bool device_liveupdate_incoming(struct device *dev, unsigned int features)
{
	if (READ_ONCE(liveupdate_state) != DEVICE_LIVEUPDATE_INCOMING)
		return false;
	return liveupdate_member_has(dev, features, LIVEUPDATE_INCOMING);
}
EXPORT_SYMBOL_GPL(device_liveupdate_incoming);

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
	edge->supplier.dev = supplier;
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
 * Records the dependency without reading @supplier: the core checks it
 * once the op has returned, with the other suppliers of the same step (see
 * liveupdate_resolve()).  A supplier whose bus does not support liveupdate,
 * that was never added or whose removal has begun then fails the prepare
 * with -EOPNOTSUPP or -ENODEV, and a dependency cycle with -ELOOP.
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
EXPORT_SYMBOL_GPL(device_liveupdate_depends_on);

/**
 * device_liveupdate_depends_on_suppliers - report a device's link suppliers
 * @collector: the context the core passed to ops->dependencies()
 * @dev: the dependent device
 * @features: DEVICE_LIVEUPDATE_* features each supplier must keep
 *
 * Reports every device-link supplier of @dev, in link order, as a
 * dependency.  Links are the driver core's: a bus whose devices can have
 * suppliers calls this from its ops->dependencies().  Suppliers on a bus
 * without liveupdate support fail the collection, since the consumer
 * cannot keep running without them.
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
		ret = device_liveupdate_depends_on(collector, link->supplier,
						   DEVICE_LIVEUPDATE_REASON_SUPPLIER,
						   features);
		if (ret)
			break;
	}
	device_links_read_unlock(idx);
	return ret;
}
EXPORT_SYMBOL_GPL(device_liveupdate_depends_on_suppliers);

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
EXPORT_SYMBOL_GPL(device_liveupdate_parent_and_suppliers);

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
	ret = ops->dependencies(state->dev, state->requested | state->derived,
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
 * Give the suppliers of edges[@first..] their state and their features.
 * Queue those to expand: new ones, and expanded ones that were found to
 * need more features than they were expanded with, since their own
 * dependencies may then need more too.  Features only grow, so the
 * discovery ends.
 *
 * The suppliers are mostly devices nothing has read for a while.  A first
 * pass, short enough for the processor to run many of its iterations at
 * once, checks each supplier and starts loading the lines the second pass
 * writes: their cache misses overlap, where handling one supplier after
 * the other, or reading it as the bus reports it, waits for each in turn.
 * That is what resolving a whole level of edges at once is for.
 */
static int liveupdate_resolve(struct liveupdate_edges *edges,
			      unsigned int first, struct list_head *queue)
{
	unsigned int i;

	for (i = first; i < edges->count; i++) {
		struct device *supplier = edges->edge[i].supplier.dev;
		int ret;

		ret = liveupdate_check_supplier(&edges->edge[i]);
		if (ret)
			return ret;
		prefetchw(&supplier->kobj.kref);
		prefetchw(&supplier->liveupdate);
	}

	for (i = first; i < edges->count; i++) {
		struct liveupdate_edge *edge = &edges->edge[i];
		struct device_liveupdate *state;
		unsigned int had;

		state = liveupdate_state_get(edge->supplier.dev);
		if (!state)
			return -ENOMEM;
		edge->supplier.state = state;

		had = state->requested | state->derived;
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
 * run before any supplier they reported is read, so that reading them can
 * overlap (see liveupdate_resolve()).  Everything found ends on @found,
 * in no useful order; the edges record who needs whom.
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
 */
static int liveupdate_collect(struct list_head *release)
{
	struct liveupdate_edges edges = {};
	struct device_liveupdate *state;
	LIST_HEAD(found);
	int ret;

	lockdep_assert_held(&liveupdate_mutex);

	ret = liveupdate_discover(&edges, &found);
	for (state = liveupdate_first_request(); !ret && state;
	     state = liveupdate_next_request(state))
		ret = liveupdate_place(state, &edges);

	if (ret)
		list_splice_tail(&found, &liveupdate_set);
	else
		liveupdate_reset_list(&found, release);
	kvfree(edges.edge);
	return ret;
}

/*
 * Take liveupdate_bus_mutex, then the hot-plug lock of each opted-in bus in
 * registration order; liveupdate_unlock_buses() releases them in reverse.
 */
static void liveupdate_lock_buses(void)
{
	struct liveupdate_bus *entry;

	mutex_lock(&liveupdate_bus_mutex);
	list_for_each_entry(entry, &liveupdate_buses, entry)
		if (entry->bus->liveupdate->lock)
			entry->bus->liveupdate->lock();
}

static void liveupdate_unlock_buses(void)
{
	struct liveupdate_bus *entry;

	list_for_each_entry_reverse(entry, &liveupdate_buses, entry)
		if (entry->bus->liveupdate->unlock)
			entry->bus->liveupdate->unlock();
	mutex_unlock(&liveupdate_bus_mutex);
}

static void liveupdate_cancel_members(void)
{
	struct device_liveupdate *state;

	list_for_each_entry_reverse(state, &liveupdate_set, set_entry) {
		const struct device_liveupdate_ops *ops = liveupdate_ops(state->dev);

		if (!(state->flags & LIVEUPDATE_PREPARED) ||
		    (state->flags & LIVEUPDATE_REMOVED))
			continue;
		if (ops->cancel)
			ops->cancel(state->dev, state->requested | state->derived);
	}
}

static int liveupdate_prepare_members(void)
{
	struct device_liveupdate *state;
	int ret;

	list_for_each_entry(state, &liveupdate_set, set_entry) {
		const struct device_liveupdate_ops *ops = liveupdate_ops(state->dev);

		if (ops->prepare) {
			ret = ops->prepare(state->dev,
					   state->requested | state->derived);
			if (ret) {
				dev_err(state->dev, "liveupdate prepare failed: %d\n",
					ret);
				return ret;
			}
		}
		state->flags |= LIVEUPDATE_PREPARED;
	}
	return 0;
}

/* End the session in the outgoing kernel: back to the requests alone. */
static void liveupdate_end_session(struct list_head *release)
{
	liveupdate_reset_list(&liveupdate_set, release);
	liveupdate_handover[0] = '\0';
	liveupdate_broken = false;
	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_NORMAL);
}

/**
 * device_liveupdate_prepare - collect and fix the set of devices to preserve
 *
 * Takes the hot-plug locks of the opted-in buses, collects the requested
 * devices and everything they depend on into one ordered set, takes a
 * reference on each member, writes the handover record for the next kernel
 * and calls each member's ops->prepare().  On failure nothing is left
 * marked and the requests stay as they were.
 *
 * Context: process context; takes the bus hot-plug locks and liveupdate_mutex.
 * Return: 0 on success, -EBUSY if a session exists, -ENODATA if nothing was
 * requested, -ELOOP for a dependency cycle, -ENODEV if a member is being
 * removed, -E2BIG if the handover record does not fit, or an error from a
 * bus op.
 */
int device_liveupdate_prepare(void)
{
	LIST_HEAD(release);
	int ret;

	liveupdate_lock_buses();
	mutex_lock(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_NORMAL) {
		ret = -EBUSY;
		goto unlock;
	}
	if (RB_EMPTY_ROOT(&liveupdate_requests)) {
		ret = -ENODATA;
		goto unlock;
	}

	ret = liveupdate_collect(&release);
	if (!ret)
		ret = liveupdate_record_encode(&liveupdate_set, liveupdate_handover,
					       sizeof(liveupdate_handover));
	if (!ret)
		ret = liveupdate_prepare_members();
	if (ret) {
		liveupdate_cancel_members();
		liveupdate_end_session(&release);
		goto unlock;
	}

	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_PREPARED);
	pr_info("prepared %zu devices for liveupdate\n",
		list_count_nodes(&liveupdate_set));
unlock:
	mutex_unlock(&liveupdate_mutex);
	liveupdate_unlock_buses();
	liveupdate_release(&release);
	return ret;
}
EXPORT_SYMBOL_GPL(device_liveupdate_prepare);

/**
 * device_liveupdate_freeze - last step before the kexec reboot
 *
 * Calls ops->freeze() on every member, dependents first.  Called from the
 * reboot notifier when a kexec starts with a prepared session.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 0 on success, -EINVAL if no session is prepared, -ENODEV if a
 * member was removed (the others are frozen nonetheless).
 */
int device_liveupdate_freeze(void)
{
	struct device_liveupdate *state;
	int ret = 0;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED)
		return -EINVAL;

	list_for_each_entry_reverse(state, &liveupdate_set, set_entry) {
		const struct device_liveupdate_ops *ops = liveupdate_ops(state->dev);

		if (state->flags & LIVEUPDATE_REMOVED) {
			dev_err(state->dev, "removed during the liveupdate session, not preserved\n");
			ret = -ENODEV;
			continue;
		}
		if (ops->freeze)
			ops->freeze(state->dev, state->requested | state->derived);
	}
	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_FROZEN);
	return ret;
}
EXPORT_SYMBOL_GPL(device_liveupdate_freeze);

/**
 * device_liveupdate_cancel - abandon a prepared or frozen session
 *
 * Calls ops->cancel() on every member, dependents first, then drops
 * everything the session derived and every reference it held.  The
 * requests stay.  Works on a broken session too.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 0 on success, -EINVAL if no outgoing session exists.
 */
int device_liveupdate_cancel(void)
{
	LIST_HEAD(release);

	scoped_guard(mutex, &liveupdate_mutex) {
		if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED &&
		    liveupdate_state != DEVICE_LIVEUPDATE_FROZEN)
			return -EINVAL;

		liveupdate_cancel_members();
		liveupdate_end_session(&release);
	}
	liveupdate_release(&release);
	pr_info("liveupdate session cancelled\n");
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_cancel);

/**
 * device_liveupdate_finish - end the incoming session in the new kernel
 *
 * Calls ops->finish() on every device handed over, in set order, reports
 * for every entry of the handover record whether its device was restored,
 * is missing or did not match, and returns to normal operation.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 0 on success, -EINVAL if no incoming session exists.
 */
int device_liveupdate_finish(void)
{
	struct device_liveupdate *state;
	LIST_HEAD(release);

	scoped_guard(mutex, &liveupdate_mutex) {
		if (liveupdate_state != DEVICE_LIVEUPDATE_INCOMING)
			return -EINVAL;

		list_for_each_entry(state, &liveupdate_set, set_entry) {
			const struct device_liveupdate_ops *ops;

			ops = liveupdate_ops(state->dev);
			if (ops->finish)
				ops->finish(state->dev, state->derived);
		}
		liveupdate_record_report(liveupdate_incoming);
		liveupdate_reset_list(&liveupdate_set, &release);
		WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_NORMAL);
	}
	liveupdate_release(&release);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_finish);

/**
 * device_liveupdate_state - current state of the liveupdate session
 *
 * Return: the state; it may change as soon as this returns.
 */
enum device_liveupdate_session_state device_liveupdate_state(void)
{
	return READ_ONCE(liveupdate_state);
}
EXPORT_SYMBOL_GPL(device_liveupdate_state);

static int liveupdate_identify(struct device *dev,
			       struct device_liveupdate_identity *id)
{
	memset(id, 0, sizeof(*id));
	return liveupdate_ops(dev)->identify(dev, id);
}

/**
 * device_liveupdate_match_incoming - mark a device the last kernel handed over
 * @dev: an initialised device, added or not yet added
 *
 * device_add() calls this for every device of an opted-in bus while a
 * handover record is pending.  Bus code calls it earlier when it must know
 * before the device is added, e.g. before assigning bus numbers.  Calling
 * it again for the same device is harmless.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: true if @dev was handed over and is now incoming.
 */
bool device_liveupdate_match_incoming(struct device *dev)
{
	struct device_liveupdate_identity id;
	struct device_liveupdate *state;
	int index;

	if (READ_ONCE(liveupdate_state) != DEVICE_LIVEUPDATE_INCOMING ||
	    !liveupdate_ops(dev))
		return false;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_INCOMING)
		return false;
	state = dev->liveupdate;
	if (state)
		return state->flags & LIVEUPDATE_INCOMING;
	if (liveupdate_identify(dev, &id))
		return false;

	index = liveupdate_record_match(liveupdate_incoming, dev, &id);
	if (index < 0)
		return false;

	state = liveupdate_state_get(dev);
	if (!state) {
		liveupdate_record_set_status(liveupdate_incoming, index,
					     LIVEUPDATE_RECORD_MISSING);
		return false;
	}
	state->flags = LIVEUPDATE_INCOMING | LIVEUPDATE_MEMBER;
	state->derived = liveupdate_record_features(liveupdate_incoming, index);
	state->record = index;
	list_add_tail(&state->set_entry, &liveupdate_set);
	dev_info(dev, "handed over by the previous kernel, kept for liveupdate\n");
	return true;
}
EXPORT_SYMBOL_GPL(device_liveupdate_match_incoming);

/**
 * device_liveupdate_add - device_add() hook
 * @dev: the device being added
 */
void device_liveupdate_add(struct device *dev)
{
	device_liveupdate_match_incoming(dev);
}

/**
 * device_liveupdate_del - device_del() hook
 * @dev: the device being removed
 *
 * A requested device loses its request.  A member of an outgoing session
 * stays in the set, with its reference, but the session is broken: freeze
 * reports it and the device is not preserved; cancel still cleans up.  A
 * device handed over by the previous kernel leaves the incoming set.
 */
void device_liveupdate_del(struct device *dev)
{
	struct device_liveupdate *state;
	LIST_HEAD(release);

	if (!liveupdate_ops(dev))
		return;

	scoped_guard(mutex, &liveupdate_mutex) {
		state = dev->liveupdate;
		if (!state)
			return;

		switch (liveupdate_state) {
		case DEVICE_LIVEUPDATE_NORMAL:
			dev_dbg(dev, "removed, liveupdate request dropped\n");
			liveupdate_state_detach(state, &release);
			break;
		case DEVICE_LIVEUPDATE_PREPARED:
		case DEVICE_LIVEUPDATE_FROZEN:
			if (state->flags & LIVEUPDATE_REMOVED)
				break;
			state->flags |= LIVEUPDATE_REMOVED;
			liveupdate_broken = true;
			dev_warn(dev, "removed during the liveupdate session; the session is broken and must be cancelled\n");
			break;
		case DEVICE_LIVEUPDATE_INCOMING:
			liveupdate_record_set_status(liveupdate_incoming,
						     state->record,
						     LIVEUPDATE_RECORD_REMOVED);
			liveupdate_state_detach(state, &release);
			break;
		}
	}
	liveupdate_release(&release);
}

/**
 * device_liveupdate_bus_register - bus_register() hook
 * @bus: the bus being registered
 *
 * Return: 0, -EINVAL if the bus's ops lack a required callback, -ENOMEM.
 */
int device_liveupdate_bus_register(const struct bus_type *bus)
{
	const struct device_liveupdate_ops *ops = bus->liveupdate;
	struct liveupdate_bus *entry;

	if (!ops)
		return 0;
	if (!ops->dependencies || !ops->identify || !ops->lock != !ops->unlock) {
		pr_err("bus %s: incomplete liveupdate ops\n", bus->name);
		return -EINVAL;
	}

	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	entry->bus = bus;

	guard(mutex)(&liveupdate_bus_mutex);
	list_add_tail(&entry->entry, &liveupdate_buses);
	return 0;
}

/**
 * device_liveupdate_bus_unregister - bus_unregister() hook
 * @bus: the bus going away
 */
void device_liveupdate_bus_unregister(const struct bus_type *bus)
{
	struct liveupdate_bus *entry;

	guard(mutex)(&liveupdate_bus_mutex);
	list_for_each_entry(entry, &liveupdate_buses, entry) {
		if (entry->bus == bus) {
			list_del(&entry->entry);
			kfree(entry);
			return;
		}
	}
}

/* Find an opted-in bus by name; the caller holds liveupdate_bus_mutex. */
static const struct bus_type *liveupdate_find_bus(const char *name)
{
	struct liveupdate_bus *entry;

	lockdep_assert_held(&liveupdate_bus_mutex);

	list_for_each_entry(entry, &liveupdate_buses, entry)
		if (!strcmp(entry->bus->name, name))
			return entry->bus;
	return NULL;
}

/**
 * device_liveupdate_find_device - look up a device by bus and device name
 * @bus_name: name of an opted-in bus
 * @dev_name: name of a device on it
 * @dev: where to store the device, with a reference the caller drops
 *
 * Return: 0, or -ENODEV if the bus has not opted in or has no such device.
 */
VISIBLE_IF_KUNIT int device_liveupdate_find_device(const char *bus_name,
						   const char *dev_name,
						   struct device **dev)
{
	const struct bus_type *bus;

	guard(mutex)(&liveupdate_bus_mutex);
	bus = liveupdate_find_bus(bus_name);
	*dev = bus ? bus_find_device_by_name(bus, NULL, dev_name) : NULL;
	return *dev ? 0 : -ENODEV;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_find_device);

static void liveupdate_print_features(struct seq_file *s, const char *label,
				      unsigned int features)
{
	const char *sep = "";
	int i;

	seq_printf(s, " %s=", label);
	if (!features)
		seq_putc(s, '-');
	for (i = 0; i < ARRAY_SIZE(liveupdate_feature_names); i++) {
		if (features & BIT(i)) {
			seq_printf(s, "%s%s", sep, liveupdate_feature_names[i]);
			sep = ",";
		}
	}
}

static void liveupdate_print_member(struct seq_file *s,
				    struct device_liveupdate *state)
{
	seq_printf(s, "%s %s", state->dev->bus->name, dev_name(state->dev));
	liveupdate_print_features(s, "requested", state->requested);
	liveupdate_print_features(s, "derived", state->derived);
	if (state->flags & LIVEUPDATE_INCOMING)
		seq_puts(s, " incoming");
	else if (state->needed_by)
		seq_printf(s, " users=%u needed-by=%s:%s(%s)", state->users,
			   state->needed_by->bus->name,
			   dev_name(state->needed_by),
			   liveupdate_reason_names[state->reason]);
	if (state->requested && !(state->flags & LIVEUPDATE_INCOMING))
		seq_puts(s, " requested");
	if (state->flags & LIVEUPDATE_REMOVED)
		seq_puts(s, " removed");
	seq_putc(s, '\n');
}

/**
 * device_liveupdate_show_devices - print the set, one member per line
 * @s: where to print
 *
 * With no session, the requested devices; otherwise the ordered set.
 */
VISIBLE_IF_KUNIT void device_liveupdate_show_devices(struct seq_file *s)
{
	struct device_liveupdate *state;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state == DEVICE_LIVEUPDATE_NORMAL) {
		for (state = liveupdate_first_request(); state;
		     state = liveupdate_next_request(state))
			liveupdate_print_member(s, state);
		return;
	}
	list_for_each_entry(state, &liveupdate_set, set_entry)
		liveupdate_print_member(s, state);
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_show_devices);

/**
 * device_liveupdate_parse_features - parse feature names
 * @words: space-separated feature names, or an empty string
 *
 * Return: the features (DEVICE_LIVEUPDATE_BUS_MASTER when @words is empty),
 * or 0 if a name is unknown.
 */
static unsigned int device_liveupdate_parse_features(char *words)
{
	unsigned int features = 0;
	char *word;
	int i;

	while ((word = strsep(&words, " ")) != NULL) {
		if (!*word)
			continue;
		i = match_string(liveupdate_feature_names,
				 ARRAY_SIZE(liveupdate_feature_names), word);
		if (i < 0)
			return 0;
		features |= BIT(i);
	}
	return features ? features : DEVICE_LIVEUPDATE_BUS_MASTER;
}

/**
 * device_liveupdate_command - run a "<bus> <device> [features]" command
 * @line: the command, as written to debugfs, trailing newline allowed
 * @withdraw: withdraw instead of request
 *
 * Return: 0, -EINVAL for malformed input, -ENODEV for an unknown bus or
 * device, or what device_liveupdate_request() or _withdraw() returned.
 */
VISIBLE_IF_KUNIT int device_liveupdate_command(char *line, bool withdraw)
{
	char *bus_name, *dev_name;
	unsigned int features;
	struct device *dev;
	int ret;

	line = strim(line);
	bus_name = strsep(&line, " ");
	dev_name = strsep(&line, " ");
	if (!bus_name || !*bus_name || !dev_name || !*dev_name)
		return -EINVAL;
	features = device_liveupdate_parse_features(line ? line : "");
	if (!features || (withdraw && line && *line))
		return -EINVAL;

	ret = device_liveupdate_find_device(bus_name, dev_name, &dev);
	if (ret)
		return ret;
	ret = withdraw ? device_liveupdate_withdraw(dev) :
			 device_liveupdate_request(dev, features);
	put_device(dev);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_command);

/**
 * device_liveupdate_session_command - run "prepare", "cancel" or "finish"
 * @line: the command, trailing newline allowed
 *
 * Return: what the step returned, or -EINVAL for an unknown command.
 */
VISIBLE_IF_KUNIT int device_liveupdate_session_command(char *line)
{
	line = strim(line);
	if (!strcmp(line, "prepare"))
		return device_liveupdate_prepare();
	if (!strcmp(line, "cancel"))
		return device_liveupdate_cancel();
	if (!strcmp(line, "finish"))
		return device_liveupdate_finish();
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_session_command);

/* Longest command accepted through debugfs, newline included. */
#define LIVEUPDATE_COMMAND_MAX	128

static ssize_t liveupdate_write(const char __user *ubuf, size_t count,
				loff_t *ppos, int (*run)(char *line, void *arg),
				void *arg)
{
	char buf[LIVEUPDATE_COMMAND_MAX + 1];
	size_t i;
	int ret;

	if (*ppos)
		return -EINVAL;
	if (!count)
		return -EINVAL;
	if (count > LIVEUPDATE_COMMAND_MAX)
		return -E2BIG;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	for (i = 0; i < count; i++)
		if (!isprint(buf[i]) && buf[i] != '\n')
			return -EINVAL;

	ret = run(buf, arg);
	return ret ? ret : count;
}

static int liveupdate_run_device_command(char *line, void *withdraw)
{
	return device_liveupdate_command(line, withdraw);
}

static int liveupdate_run_session_command(char *line, void *unused)
{
	return device_liveupdate_session_command(line);
}

static ssize_t request_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return liveupdate_write(ubuf, count, ppos,
				liveupdate_run_device_command, NULL);
}

static ssize_t withdraw_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	return liveupdate_write(ubuf, count, ppos,
				liveupdate_run_device_command, (void *)1);
}

static ssize_t session_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return liveupdate_write(ubuf, count, ppos,
				liveupdate_run_session_command, NULL);
}

static int session_show(struct seq_file *s, void *unused)
{
	enum device_liveupdate_session_state state = device_liveupdate_state();

	seq_printf(s, "%s%s\n", liveupdate_state_names[state],
		   READ_ONCE(liveupdate_broken) ? " broken" : "");
	return 0;
}

static int session_open(struct inode *inode, struct file *file)
{
	return single_open(file, session_show, NULL);
}

static int devices_show(struct seq_file *s, void *unused)
{
	device_liveupdate_show_devices(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(devices);

/**
 * device_liveupdate_handover - the record prepared for the next kernel
 *
 * Context: the record stays valid until the session is cancelled.
 * Return: the record, or an empty string if no session is prepared.
 */
VISIBLE_IF_KUNIT const char *device_liveupdate_handover(void)
{
	return liveupdate_handover;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_handover);

static int handover_show(struct seq_file *s, void *unused)
{
	const char *record;

	guard(mutex)(&liveupdate_mutex);

	record = device_liveupdate_handover();
	if (record[0])
		seq_printf(s, "%s%s\n", DEVICE_LIVEUPDATE_HANDOVER_PARAM, record);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(handover);

static int states_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%u\n", device_liveupdate_states());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(states);

static int report_show(struct seq_file *s, void *unused)
{
	guard(mutex)(&liveupdate_mutex);

	liveupdate_record_show(s, liveupdate_incoming);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(report);

static const struct file_operations request_fops = {
	.owner = THIS_MODULE,
	.write = request_write,
};

static const struct file_operations withdraw_fops = {
	.owner = THIS_MODULE,
	.write = withdraw_write,
};

static const struct file_operations session_fops = {
	.owner = THIS_MODULE,
	.open = session_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = session_write,
};

static int liveupdate_reboot(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (kexec_in_progress &&
	    READ_ONCE(liveupdate_state) == DEVICE_LIVEUPDATE_PREPARED)
		device_liveupdate_freeze();
	return NOTIFY_DONE;
}

static struct notifier_block liveupdate_reboot_nb = {
	.notifier_call = liveupdate_reboot,
};

/**
 * device_liveupdate_set_incoming - enter the incoming state from a record
 * @record: the handover record, without the parameter name
 *
 * Logs one line if the record is rejected.
 *
 * Return: 0, -EBUSY if a session exists, -ENODEV if the record names a bus
 * that does not support liveupdate, or the record's parse error; nothing
 * is applied on error.
 */
VISIBLE_IF_KUNIT int device_liveupdate_set_incoming(const char *record)
{
	struct liveupdate_record *parsed;
	const char *why;
	unsigned int i;
	int ret;

	ret = liveupdate_record_parse(record, &parsed, &why);
	if (ret) {
		pr_err("handover record rejected: %s\n", why);
		return ret;
	}

	guard(mutex)(&liveupdate_bus_mutex);
	for (i = 0; i < liveupdate_record_count(parsed); i++) {
		if (!liveupdate_find_bus(liveupdate_record_bus(parsed, i))) {
			pr_err("handover record rejected: unknown bus %s\n",
			       liveupdate_record_bus(parsed, i));
			liveupdate_record_free(parsed);
			return -ENODEV;
		}
	}

	guard(mutex)(&liveupdate_mutex);
	if (liveupdate_state != DEVICE_LIVEUPDATE_NORMAL ||
	    !RB_EMPTY_ROOT(&liveupdate_requests)) {
		liveupdate_record_free(parsed);
		return -EBUSY;
	}
	liveupdate_record_free(liveupdate_incoming);
	liveupdate_incoming = parsed;
	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_INCOMING);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_set_incoming);

/* After postcore: the buses a record may name have registered by then. */
static int __init liveupdate_init(void)
{
	const char *record = liveupdate_record_from_cmdline();
	int ret;

	if (record) {
		ret = device_liveupdate_set_incoming(record);
		if (!ret)
			pr_info("handover record accepted: %u devices to restore\n",
				liveupdate_record_count(liveupdate_incoming));
	}
	return register_reboot_notifier(&liveupdate_reboot_nb);
}
postcore_initcall_sync(liveupdate_init);

static int __init liveupdate_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("device_liveupdate", NULL);

	debugfs_create_file("request", 0200, dir, NULL, &request_fops);
	debugfs_create_file("withdraw", 0200, dir, NULL, &withdraw_fops);
	debugfs_create_file("session", 0600, dir, NULL, &session_fops);
	debugfs_create_file("devices", 0400, dir, NULL, &devices_fops);
	debugfs_create_file("handover", 0400, dir, NULL, &handover_fops);
	debugfs_create_file("report", 0400, dir, NULL, &report_fops);
	debugfs_create_file("states", 0400, dir, NULL, &states_fops);
	return 0;
}
late_initcall(liveupdate_debugfs_init);
