// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: keep selected devices running across a kexec.
 *
 * This file owns the per-device state and what the driver core calls for
 * every device of an opted-in bus: device_initialize(), device_add(),
 * device_del() and device_shutdown(), and the binding of a driver to one
 * (probe and unbind).  It also keeps the requests drivers make, which last
 * as long as the driver stays bound, and the registry of the buses that
 * opted in.  The collection of the
 * set (liveupdate_collect.c), the session (liveupdate_session.c) and the
 * record for the next kernel (liveupdate_handover.c) build on it; the
 * locking is described in liveupdate.h.
 *
 * liveupdate_mutex guards everything here but the bus registry, which
 * liveupdate_bus_mutex guards.  Every device with liveupdate state holds
 * one reference on it, taken when the state is created and dropped, after
 * liveupdate_mutex is released, when it is freed.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "base.h"
#include "liveupdate.h"

#define CREATE_TRACE_POINTS
#include <trace/events/device_liveupdate.h>

struct liveupdate_bus {
	struct list_head entry;
	const struct bus_type *bus;
};

/* Guards liveupdate_buses, the buses whose bus_type has liveupdate ops. */
static DEFINE_MUTEX(liveupdate_bus_mutex);
static LIST_HEAD(liveupdate_buses);

/* Guards the session, the requests, the set and every device's state. */
DEFINE_MUTEX(liveupdate_mutex);
enum device_liveupdate_session_state liveupdate_state;
struct rb_root liveupdate_requests = RB_ROOT;
LIST_HEAD(liveupdate_set);
bool liveupdate_broken;
bool liveupdate_busy;
bool liveupdate_rejected;
struct liveupdate_record *liveupdate_incoming;
static atomic_t liveupdate_states = ATOMIC_INIT(0);

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

bool liveupdate_device_dead(struct device *dev)
{
	return !dev->p || dev->p->dead;
}

/*
 * A device found on its way out cannot join a set.  device_del() marks it
 * dead before its device_liveupdate_del() takes liveupdate_mutex, so one
 * that dies after it was checked is still seen by that hook.
 */
int liveupdate_dying(struct device *dev)
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

struct device_liveupdate *liveupdate_state_get(struct device *dev)
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
	INIT_LIST_HEAD(&state->memory_entry);
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
	liveupdate_memory_forget(state);
	state->dev->liveupdate = NULL;
	list_move_tail(&state->set_entry, release);
}

/*
 * Drop a state that no longer holds a request or memory, outside any
 * session; it stays while a session counts it as a member.
 */
void liveupdate_state_put_unused(struct device_liveupdate *state,
				 struct list_head *release)
{
	lockdep_assert_held(&liveupdate_mutex);

	if (!state->requested && !state->nr_memory &&
	    !(state->flags & (LIVEUPDATE_MEMBER | LIVEUPDATE_INCOMING)))
		liveupdate_state_detach(state, release);
}

void liveupdate_release(struct list_head *release)
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
unsigned int device_liveupdate_states(void)
{
	return atomic_read(&liveupdate_states);
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_states);

/*
 * Forget everything a session added to a state, the driver's agreement and
 * the module reference that came with it included; keep the state only for
 * a request or declared memory of a device still there.
 */
static void liveupdate_state_reset(struct device_liveupdate *state,
				   struct list_head *release)
{
	lockdep_assert_held(&liveupdate_mutex);

	if (state->flags & LIVEUPDATE_AGREED)
		module_put(state->driver->owner);
	state->derived = 0;
	state->flags = 0;
	state->users = 0;
	state->last_user = NULL;
	state->needed_by = NULL;
	state->record = -1;
	if ((state->requested || state->nr_memory) &&
	    !liveupdate_device_dead(state->dev)) {
		list_del_init(&state->set_entry);
	} else {
		state->driver = NULL;
		liveupdate_state_detach(state, release);
	}
}

void liveupdate_reset_list(struct list_head *head, struct list_head *release)
{
	struct device_liveupdate *state, *next;

	list_for_each_entry_safe(state, next, head, set_entry)
		liveupdate_state_reset(state, release);
}

/*
 * Requests are kept sorted by bus name, then device name, so that the same
 * requests give the same set whatever order they came in, and prepare finds
 * them in order without sorting.  Comparing the keys, the first bytes of
 * the names zero-padded, gives the order of the names unless both start
 * with the same LIVEUPDATE_REQUEST_KEY_LEN bytes: only then are the names
 * read, so that a request seldom touches another device.
 */
static bool liveupdate_request_less(struct rb_node *a, const struct rb_node *b)
{
	struct device_liveupdate *x = rb_entry(a, struct device_liveupdate, request_node);
	struct device_liveupdate *y = rb_entry(b, struct device_liveupdate, request_node);
	int ret = 0;

	if (x->request_bus != y->request_bus)
		ret = strcmp(x->request_bus->name, y->request_bus->name);
	if (!ret)
		ret = memcmp(x->request_key, y->request_key, sizeof(x->request_key));
	if (!ret)
		ret = strcmp(dev_name(x->dev), dev_name(y->dev));
	return ret < 0;
}

struct device_liveupdate *liveupdate_first_request(void)
{
	return rb_entry_safe(rb_first(&liveupdate_requests),
			     struct device_liveupdate, request_node);
}

struct device_liveupdate *liveupdate_next_request(struct device_liveupdate *state)
{
	return rb_entry_safe(rb_next(&state->request_node),
			     struct device_liveupdate, request_node);
}

/* Requests and withdrawals wait for no session, and no step under way. */
static bool liveupdate_requests_open(void)
{
	lockdep_assert_held(&liveupdate_mutex);

	return liveupdate_state == DEVICE_LIVEUPDATE_NORMAL && !liveupdate_busy;
}

/*
 * The state of a device for its bound driver, which is about to record a
 * request or memory: created if needed, refused if another binding's.
 * Return: the state, or an ERR_PTR().
 */
struct device_liveupdate *liveupdate_driver_state(struct device *dev)
{
	const struct device_driver *drv = READ_ONCE(dev->driver);
	struct device_liveupdate *state;

	lockdep_assert_held(&liveupdate_mutex);

	if (!liveupdate_requests_open())
		return ERR_PTR(-EBUSY);
	if (!device_is_registered(dev) || liveupdate_device_dead(dev) || !drv)
		return ERR_PTR(-ENODEV);
	if (!drv->liveupdate)
		return ERR_PTR(-EOPNOTSUPP);
	state = dev->liveupdate;
	if (state && state->driver && state->driver != drv)
		return ERR_PTR(-EBUSY);
	state = liveupdate_state_get(dev);
	if (!state)
		return ERR_PTR(-ENOMEM);
	state->driver = drv;
	return state;
}

/**
 * device_liveupdate_request - ask for a device to be preserved
 * @dev: a device of a bus that supports liveupdate, bound to the caller
 * @features: DEVICE_LIVEUPDATE_* features the device needs to keep
 *
 * For the driver bound to @dev, with liveupdate ops (device_driver.liveupdate),
 * when its user asks to keep the device across the kexec: a VFIO device
 * file being preserved, for example.  Adds @dev to the devices the next
 * prepared session collects; requesting it again adds @features to what
 * it has.  The request belongs to the binding: unbinding the driver
 * withdraws it, with the memory the driver declared for the device.
 * Declare that memory (device_liveupdate_preserve_memory()) before the
 * request, so that a session never sees the request without it.
 *
 * Context: process context, from the bound driver: in probe(), or in a
 * callback its remove() waits for (a file of its own, a dev_groups
 * attribute), so that the binding cannot change meanwhile; takes
 * liveupdate_mutex.
 * Return: 0 on success, -EINVAL for unknown features or a request the
 * bus refuses (its ops->validate(), which logs why), -EOPNOTSUPP if the
 * device's bus or driver does not support liveupdate, or the bus cannot
 * keep the features, -ENODEV if the device is not bound, not registered
 * or going away, -EBUSY while a session exists or a session step is under
 * way, -ENOMEM.
 */
int device_liveupdate_request(struct device *dev, unsigned int features)
{
	const struct device_liveupdate_ops *ops = liveupdate_ops(dev);
	struct device_liveupdate *state;
	int ret;

	if (!features || (features & ~DEVICE_LIVEUPDATE_FEATURES))
		return -EINVAL;
	if (!ops)
		return -EOPNOTSUPP;
	if (ops->validate) {
		ret = ops->validate(dev, features);
		if (ret)
			return ret;
	}

	guard(mutex)(&liveupdate_mutex);

	state = liveupdate_driver_state(dev);
	if (IS_ERR(state))
		return PTR_ERR(state);
	if (!state->requested) {
		const char *name = dev_name(dev);

		state->request_bus = dev->bus;
		memcpy_and_pad(state->request_key, sizeof(state->request_key), name,
			       strnlen(name, sizeof(state->request_key)), 0);
		rb_add(&state->request_node, &liveupdate_requests,
		       liveupdate_request_less);
	}
	state->requested |= features;
	trace_device_liveupdate_request(dev, state->requested);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_request);

/**
 * device_liveupdate_withdraw - take back a device's liveupdate request
 * @dev: the device, bound to the caller
 *
 * Withdraws the request and drops every range of memory declared for
 * @dev: the driver may free that memory once this returns 0.
 *
 * Context: process context, from the bound driver, as for
 * device_liveupdate_request(); takes liveupdate_mutex.
 * Return: 0 on success, -ENOENT if @dev was not requested, -EBUSY while a
 * session exists or a session step is under way.
 */
int device_liveupdate_withdraw(struct device *dev)
{
	LIST_HEAD(release);

	scoped_guard(mutex, &liveupdate_mutex) {
		struct device_liveupdate *state = dev->liveupdate;

		if (!liveupdate_requests_open())
			return -EBUSY;
		if (!state || !state->requested)
			return -ENOENT;

		trace_device_liveupdate_withdraw(dev, state->requested);
		liveupdate_state_detach(state, &release);
	}
	liveupdate_release(&release);
	return 0;
}
EXPORT_SYMBOL_GPL(device_liveupdate_withdraw);

/* Is @state a member of an outgoing session, or of one being prepared? */
static bool liveupdate_outgoing_member(struct device_liveupdate *state)
{
	lockdep_assert_held(&liveupdate_mutex);

	if (!state || !(state->flags & LIVEUPDATE_MEMBER) ||
	    (state->flags & LIVEUPDATE_INCOMING))
		return false;
	return liveupdate_busy || liveupdate_state == DEVICE_LIVEUPDATE_PREPARED ||
	       liveupdate_state == DEVICE_LIVEUPDATE_FROZEN;
}

/*
 * New kernel: until the session is finished, only a driver that can take a
 * device over (it has liveupdate ops) may bind a device the previous kernel
 * kept.  Any other would set the device up afresh under the DMA it still
 * does, into memory it knows nothing of.  Its probe is deferred: finish
 * stops the device if no driver took it over, then probes it again.
 */
static int liveupdate_bind_incoming(struct device *dev,
				    const struct device_driver *drv)
{
	struct device_liveupdate *state;

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (drv->liveupdate || liveupdate_state != DEVICE_LIVEUPDATE_INCOMING ||
	    !state || !(state->flags & LIVEUPDATE_INCOMING))
		return 0;
	if (!(state->flags & LIVEUPDATE_DEFERRED)) {
		state->flags |= LIVEUPDATE_DEFERRED;
		dev_info(dev, "%s cannot take over a device the previous kernel kept: probe deferred until the liveupdate session is finished\n",
			 drv->name);
	}
	return -EPROBE_DEFER;
}

/**
 * device_liveupdate_bind - a driver is about to bind a device
 * @dev: the device, with its lock held
 * @drv: the driver
 *
 * Called by the driver core before a driver's probe().  While a session
 * is prepared (or being prepared), the binding of its members is fixed:
 * a driver that did not agree to keep a member could not keep it running
 * as the session needs, so it cannot bind one.  In the new kernel, until
 * the session is finished, only a driver with liveupdate ops may bind a
 * device the previous kernel kept.
 *
 * Return: 0; -EBUSY after one line naming the device and the session;
 * -EPROBE_DEFER for a kept device and a driver that cannot take it over.
 */
int device_liveupdate_bind(struct device *dev, const struct device_driver *drv)
{
	if (!liveupdate_ops(dev))
		return 0;
	if (READ_ONCE(liveupdate_state) == DEVICE_LIVEUPDATE_INCOMING)
		return liveupdate_bind_incoming(dev, drv);

	guard(mutex)(&liveupdate_mutex);

	if (!liveupdate_outgoing_member(dev->liveupdate))
		return 0;
	dev_err(dev, "cannot bind %s: a member of the prepared liveupdate session, cancel it first\n",
		drv->name);
	return -EBUSY;
}

/**
 * device_liveupdate_unbind_allowed - may userspace unbind a device's driver?
 * @dev: the device
 *
 * For the driver core's unbind file.  Unbinding cannot fail where the
 * kernel does it (device removal, driver_unregister()); there
 * device_liveupdate_unbind() breaks the session instead.
 *
 * Return: 0, or -EBUSY after one line naming the device and the session.
 */
int device_liveupdate_unbind_allowed(struct device *dev)
{
	const struct device_driver *drv;

	if (!liveupdate_ops(dev))
		return 0;

	guard(mutex)(&liveupdate_mutex);

	if (!liveupdate_outgoing_member(dev->liveupdate))
		return 0;
	drv = READ_ONCE(dev->driver);
	dev_err(dev, "cannot unbind %s: a member of the prepared liveupdate session, cancel it first\n",
		drv ? drv->name : "its driver");
	return -EBUSY;
}

/*
 * A member whose driver goes away keeps its place in the broken session,
 * for cancel, but nothing of the binding: no request, no memory (the
 * driver frees it) and no agreement.
 */
static void liveupdate_state_unbound(struct device_liveupdate *state)
{
	lockdep_assert_held(&liveupdate_mutex);

	if (!RB_EMPTY_NODE(&state->request_node)) {
		rb_erase(&state->request_node, &liveupdate_requests);
		RB_CLEAR_NODE(&state->request_node);
	}
	state->requested = 0;
	liveupdate_memory_forget(state);
	if (state->flags & LIVEUPDATE_AGREED)
		module_put(state->driver->owner);
	state->flags &= ~LIVEUPDATE_AGREED;
	state->driver = NULL;
}

/**
 * device_liveupdate_unbind - a driver is being unbound from a device
 * @dev: the device, with its lock held and dev->driver still set
 *
 * Called by the driver core before the driver's remove(), and when its
 * probe() fails.  With no session, the binding's request ends and the
 * memory declared for the device is dropped, so that remove() may free
 * it.  A member of an outgoing session loses what its driver agreed to,
 * its request and its memory too: the session is broken, and kexec
 * refused until it is cancelled.
 */
void device_liveupdate_unbind(struct device *dev)
{
	struct device_liveupdate *state;
	LIST_HEAD(release);

	if (!liveupdate_ops(dev))
		return;

	scoped_guard(mutex, &liveupdate_mutex) {
		state = dev->liveupdate;
		if (!state || (state->flags & LIVEUPDATE_INCOMING))
			return;
		/*
		 * Outside a session, what the binding requested ends with it;
		 * any unbinding of a member breaks the session, whether its
		 * driver agreed yet or not.
		 */
		if (!liveupdate_outgoing_member(state) &&
		    state->driver != dev->driver)
			return;
		if (state->requested)
			trace_device_liveupdate_withdraw(dev, state->requested);
		if (!liveupdate_outgoing_member(state)) {
			dev_dbg(dev, "unbound: liveupdate request and memory dropped\n");
			liveupdate_state_detach(state, &release);
		} else {
			liveupdate_broken = true;
			/* A removal says so itself, in device_liveupdate_del(). */
			if (!liveupdate_device_dead(dev))
				dev_warn(dev, "driver %s unbound during the liveupdate session; the session is broken and must be cancelled\n",
					 dev->driver->name);
			liveupdate_state_unbound(state);
		}
	}
	liveupdate_release(&release);
}

static bool liveupdate_member_has(struct device *dev, unsigned int features,
				  unsigned int flag)
{
	struct device_liveupdate *state;

	guard(mutex)(&liveupdate_mutex);

	state = dev->liveupdate;
	if (!state || !(state->flags & flag) ||
	    (state->flags & LIVEUPDATE_REMOVED))
		return false;
	return liveupdate_features(state) & features;
}

/**
 * device_liveupdate_outgoing - is a device being preserved for the kexec?
 * @dev: the device
 * @features: DEVICE_LIVEUPDATE_* features to ask about
 *
 * True from the moment the session is frozen, for a member of the set that
 * keeps one of @features.  The bus and driver must then leave that part of
 * the device's state alone.
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

static int liveupdate_identify(struct device *dev,
			       struct device_liveupdate_identity *id)
{
	memset(id, 0, sizeof(*id));
	return liveupdate_ops(dev)->identify(dev, id);
}

/*
 * The calls of device_liveupdate_match_incoming() and the time they took,
 * counted only while device_liveupdate_matched is enabled, so that a boot
 * that does not trace pays nothing; under liveupdate_mutex.
 */
static unsigned int liveupdate_match_lookups;
static u64 liveupdate_match_nsecs;

/* The session's finish: trace what matching cost, and start again. */
void liveupdate_match_report(void)
{
	lockdep_assert_held(&liveupdate_mutex);

	trace_device_liveupdate_matched(liveupdate_match_lookups,
					liveupdate_match_nsecs);
	liveupdate_match_lookups = 0;
	liveupdate_match_nsecs = 0;
}

/* Return: 1 if @dev is incoming, 0 if not, -EEXIST if it just mismatched. */
static int liveupdate_match_locked(struct device *dev)
{
	struct device_liveupdate_identity id;
	struct device_liveupdate *state;
	int index;

	lockdep_assert_held(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_INCOMING || liveupdate_busy)
		return 0;
	state = dev->liveupdate;
	if (state)
		return !!(state->flags & LIVEUPDATE_INCOMING);
	if (liveupdate_identify(dev, &id))
		return 0;

	index = liveupdate_record_match(liveupdate_incoming, dev, &id);
	if (index < 0)
		return index == -EEXIST ? index : 0;

	state = liveupdate_state_get(dev);
	if (!state) {
		liveupdate_record_set_status(liveupdate_incoming, index,
					     LIVEUPDATE_RECORD_MISSING);
		return 0;
	}
	state->flags = LIVEUPDATE_INCOMING | LIVEUPDATE_MEMBER;
	state->derived = liveupdate_record_features(liveupdate_incoming, index);
	state->record = index;
	list_add_tail(&state->set_entry, &liveupdate_set);
	trace_device_liveupdate_incoming(dev, state->derived);
	return 1;
}

static int liveupdate_match(struct device *dev)
{
	bool timed;
	u64 start;
	int ret;

	if (READ_ONCE(liveupdate_state) != DEVICE_LIVEUPDATE_INCOMING ||
	    !liveupdate_ops(dev))
		return 0;

	timed = trace_device_liveupdate_matched_enabled();
	start = timed ? ktime_get_ns() : 0;
	guard(mutex)(&liveupdate_mutex);
	ret = liveupdate_match_locked(dev);
	if (timed) {
		liveupdate_match_lookups++;
		liveupdate_match_nsecs += ktime_get_ns() - start;
	}
	return ret;
}

/**
 * device_liveupdate_match_incoming - mark a device the last kernel handed over
 * @dev: an initialised device, added or not yet added
 *
 * device_add() calls this for every device of an opted-in bus while a
 * handover record is pending, before the device is visible on its bus.  Bus
 * code calls it earlier when it must know before the device is added, e.g.
 * before assigning bus numbers.  Calling it again for the same device is
 * harmless.  No device is matched once the session is being finished.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: true if @dev was handed over and is now incoming.
 */
bool device_liveupdate_match_incoming(struct device *dev)
{
	return liveupdate_match(dev) > 0;
}

/**
 * device_liveupdate_named - will a device be matched as handed over?
 * @dev: a device whose bus is set and whose bus's identify() can name it,
 *	initialised or not
 *
 * For bus code that must know before a device is initialised, such as PCI
 * keeping a copy of its config space as the previous kernel left it,
 * before the first write.  Marks nothing: device_add() matches the device.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: 1 if the incoming record names @dev and it is not matched yet,
 * -EEXIST if it names @dev's location with another model (device_add()
 * will report a mismatch and stop @dev), 0 otherwise.
 */
int device_liveupdate_named(struct device *dev)
{
	struct device_liveupdate_identity id;

	if (READ_ONCE(liveupdate_state) != DEVICE_LIVEUPDATE_INCOMING ||
	    !liveupdate_ops(dev))
		return 0;

	guard(mutex)(&liveupdate_mutex);
	if (liveupdate_state != DEVICE_LIVEUPDATE_INCOMING || liveupdate_busy ||
	    liveupdate_identify(dev, &id))
		return 0;
	return liveupdate_record_names(liveupdate_incoming, dev->bus->name, &id);
}

/**
 * device_liveupdate_refuse_incoming - a bus cannot keep a handed-over device
 * @dev: an initialised device, added or not yet added
 *
 * For bus code that finds a device the previous kernel handed over in a
 * state it cannot keep, such as a PCI bridge whose bus numbers are gone.
 * The device is no longer incoming and the report says "refused".  The
 * bus stops it, and what it depends on for its DMA to reach memory, before
 * a driver can bind it and until finish.  The memory it was writing to
 * stays reserved: stopping its bus mastering does not stop a DMA engine
 * that is still programmed, and the hold ends at finish.
 *
 * Context: process context; takes liveupdate_mutex.
 * Return: true if @dev was incoming.
 */
bool device_liveupdate_refuse_incoming(struct device *dev)
{
	struct device_liveupdate *state;
	LIST_HEAD(release);

	if (!device_liveupdate_match_incoming(dev))
		return false;

	scoped_guard(mutex, &liveupdate_mutex) {
		state = dev->liveupdate;
		if (!state || !(state->flags & LIVEUPDATE_INCOMING) ||
		    liveupdate_busy)
			return false;
		/* Not pending any more: it is not matched again. */
		liveupdate_record_set_status(liveupdate_incoming, state->record,
					     LIVEUPDATE_RECORD_REFUSED);
		liveupdate_state_detach(state, &release);
	}
	liveupdate_release(&release);
	return true;
}

/**
 * device_liveupdate_add - device_add() hook
 * @dev: the device being added, not yet on its bus's list of devices
 *
 * Runs before bus_add_device(): no driver can bind @dev and no bus
 * notifier or uevent has told anyone about it yet.  After a rejected
 * handover record, the bus's ops->stop() stops @dev instead.
 */
void device_liveupdate_add(struct device *dev)
{
	const struct device_liveupdate_ops *ops;

	ops = liveupdate_ops(dev);
	if (!ops)
		return;
	if (unlikely(READ_ONCE(liveupdate_rejected))) {
		if (ops->stop)
			ops->stop(dev);
	} else if (liveupdate_match(dev) == -EEXIST && ops->stop) {
		/*
		 * Another model where the previous kernel kept a device: it
		 * may be that device, changed (new firmware), still running.
		 */
		ops->stop(dev);
	}
}

/**
 * device_liveupdate_del - device_del() hook, and device_add()'s error path
 * @dev: the device being removed
 *
 * A device outside the set loses its request and its memory, during a
 * session too.  A member of an outgoing session, or of any session while a
 * step is calling out, stays in the set with its reference but is flagged
 * removed: the outgoing session is broken, freeze reports it and the device
 * is not preserved; cancel still cleans up.  A device handed over by the
 * previous kernel leaves the incoming set.
 */
void device_liveupdate_del(struct device *dev)
{
	struct device_liveupdate *state;
	LIST_HEAD(release);

	if (!liveupdate_ops(dev))
		return;

	scoped_guard(mutex, &liveupdate_mutex) {
		state = dev->liveupdate;
		if (!state || (state->flags & LIVEUPDATE_REMOVED))
			return;

		if (liveupdate_state == DEVICE_LIVEUPDATE_INCOMING)
			liveupdate_record_set_status(liveupdate_incoming,
						     state->record,
						     LIVEUPDATE_RECORD_REMOVED);
		if ((state->flags & LIVEUPDATE_MEMBER) &&
		    (liveupdate_busy ||
		     liveupdate_state == DEVICE_LIVEUPDATE_PREPARED ||
		     liveupdate_state == DEVICE_LIVEUPDATE_FROZEN)) {
			state->flags |= LIVEUPDATE_REMOVED;
			if (liveupdate_state != DEVICE_LIVEUPDATE_INCOMING) {
				liveupdate_broken = true;
				dev_warn(dev, "removed during the liveupdate session; the session is broken and must be cancelled\n");
			}
		} else {
			dev_dbg(dev, "removed, liveupdate state dropped\n");
			liveupdate_state_detach(state, &release);
		}
	}
	liveupdate_release(&release);
}

/*
 * What device_shutdown() does with @dev: true if it is a member of a frozen
 * session, which only a kexec on its way (@kexec) may keep running.
 */
VISIBLE_IF_KUNIT bool liveupdate_shutdown_member(struct device *dev, bool kexec)
{
	const struct device_liveupdate_ops *ops = liveupdate_ops(dev);
	unsigned int requested, derived;

	if (!ops || !kexec ||
	    READ_ONCE(liveupdate_state) != DEVICE_LIVEUPDATE_FROZEN)
		return false;

	scoped_guard(mutex, &liveupdate_mutex) {
		struct device_liveupdate *state = dev->liveupdate;

		if (!state || !(state->flags & LIVEUPDATE_MEMBER) ||
		    (state->flags & LIVEUPDATE_REMOVED))
			return false;
		requested = state->requested;
		derived = state->derived;
	}

	if (initcall_debug)
		dev_info(dev, "shutdown skipped: %s for liveupdate\n",
			 requested ? "requested" : "kept");
	if (!requested && ops->shutdown)
		ops->shutdown(dev, derived);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(liveupdate_shutdown_member);

/**
 * device_liveupdate_kexec_frozen - does this kexec keep a session's members?
 *
 * For bus code shutting a device down: a member never gets there (see
 * device_liveupdate_shutdown()), so every device the bus is asked to shut
 * down while this is true must stop mastering, even one a plain kexec
 * leaves as it is: the next kernel hands out all memory but the members'.
 *
 * Context: any; takes no lock.
 * Return: true on the device_shutdown() of a kexec with a frozen session.
 */
bool device_liveupdate_kexec_frozen(void)
{
	return kexec_in_progress &&
	       READ_ONCE(liveupdate_state) == DEVICE_LIVEUPDATE_FROZEN;
}

/**
 * device_liveupdate_shutdown - device_shutdown() hook
 * @dev: the device being shut down, with its lock and its parent's held
 *
 * Decides, for every opted-in bus, what shutting down a member of a frozen
 * session means, on the kexec's device_shutdown() only: a session is
 * frozen only once kernel_kexec() has passed every check, but any other
 * reboot, halt or power-off shuts every device down as usual.  A
 * requested member was asked to keep running by its driver: neither its
 * bus nor its driver shuts it down.  A member kept only because others
 * depend on it (a bridge, a parent, a physical function), whose driver
 * quiesced it at freeze, is handed to its bus's ops->shutdown(), which
 * keeps what its dependents need; a bus without that op leaves the
 * device running.
 *
 * Context: process context, on the shutdown path; takes liveupdate_mutex.
 * Return: true if @dev is a member and the caller must not shut it down.
 */
bool device_liveupdate_shutdown(struct device *dev)
{
	return liveupdate_shutdown_member(dev, kexec_in_progress);
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

/* Tell every opted-in bus that the incoming session is finished. */
void liveupdate_buses_finished(void)
{
	struct liveupdate_bus *entry;

	guard(mutex)(&liveupdate_bus_mutex);
	list_for_each_entry(entry, &liveupdate_buses, entry)
		if (entry->bus->liveupdate->finished)
			entry->bus->liveupdate->finished();
}

/*
 * Take liveupdate_bus_mutex, then the hot-plug lock of each opted-in bus in
 * registration order; liveupdate_unlock_buses() releases them in reverse.
 */
void liveupdate_lock_buses(void)
{
	struct liveupdate_bus *entry;

	mutex_lock(&liveupdate_bus_mutex);
	list_for_each_entry(entry, &liveupdate_buses, entry)
		if (entry->bus->liveupdate->lock)
			entry->bus->liveupdate->lock();
}

void liveupdate_unlock_buses(void)
{
	struct liveupdate_bus *entry;

	list_for_each_entry_reverse(entry, &liveupdate_buses, entry)
		if (entry->bus->liveupdate->unlock)
			entry->bus->liveupdate->unlock();
	mutex_unlock(&liveupdate_bus_mutex);
}

/* Find an opted-in bus by name; the caller holds liveupdate_bus_mutex. */
static const struct bus_type *liveupdate_find_bus_locked(const char *name)
{
	struct liveupdate_bus *entry;

	lockdep_assert_held(&liveupdate_bus_mutex);

	list_for_each_entry(entry, &liveupdate_buses, entry)
		if (!strcmp(entry->bus->name, name))
			return entry->bus;
	return NULL;
}

/*
 * Find an opted-in bus by name.  The answer is only as stable as the bus:
 * the built-in buses the core knows never go away.
 */
const struct bus_type *liveupdate_find_bus(const char *name)
{
	guard(mutex)(&liveupdate_bus_mutex);
	return liveupdate_find_bus_locked(name);
}
