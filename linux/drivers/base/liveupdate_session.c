// SPDX-License-Identifier: GPL-2.0
/*
 * Device liveupdate: the session.
 *
 * In the outgoing kernel a session is prepared (the set is collected and
 * fixed, and each member's bus is told), frozen by kernel_kexec() before
 * anything is shut down (or the kexec is refused), or cancelled.  In the
 * new kernel it starts incoming from the handover record and ends when it
 * is finished.  See liveupdate.h for the locks.
 *
 * liveupdate_session_mutex serialises the steps.  A step decides under
 * liveupdate_mutex, then sets liveupdate_busy and calls the bus ops with
 * liveupdate_mutex dropped, as dpm_prepare() does for the PM callbacks:
 * the ops may take device locks, which liveupdate_mutex nests inside.  The
 * set's list stays the step's while it calls out (liveupdate_busy, or an
 * outgoing session, in which nothing changes the list); each member keeps
 * its reference, and one removed meanwhile is flagged and skipped.  The
 * driver callbacks run with the member's device lock held.
 *
 * In the outgoing kernel: normal -> prepared (prepare) -> normal (cancel),
 * or prepared -> frozen (kernel_kexec(), once the kexec goes on).  A kexec
 * refused at freeze leaves the session prepared, never frozen: every
 * shutdown after it shuts the members down as usual.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/kexec.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/liveupdate_channel.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "base.h"
#include "liveupdate.h"

#include <trace/events/device_liveupdate.h>

/* Serialises the session steps; outermost of the core's locks. */
static DEFINE_MUTEX(liveupdate_session_mutex);

/*
 * The record of the prepared session, and the session's number: every
 * prepare starts a new one, so that a kexec image built for an earlier
 * session is told from one built for this one.  Under liveupdate_mutex.
 */
void *liveupdate_handover;
size_t liveupdate_handover_size;
u64 liveupdate_generation;

enum liveupdate_step {
	LIVEUPDATE_STEP_PREPARE,
	LIVEUPDATE_STEP_FREEZE,
	LIVEUPDATE_STEP_UNFREEZE,
	LIVEUPDATE_STEP_CANCEL,
	LIVEUPDATE_STEP_FINISH,
};

static const char * const liveupdate_step_names[] = {
	[LIVEUPDATE_STEP_PREPARE]	= "prepare",
	[LIVEUPDATE_STEP_FREEZE]	= "freeze",
	[LIVEUPDATE_STEP_UNFREEZE]	= "unfreeze",
	[LIVEUPDATE_STEP_CANCEL]	= "cancel",
	[LIVEUPDATE_STEP_FINISH]	= "finish",
};

/**
 * struct liveupdate_call - what a step needs to know of one member
 * @dev: the member.
 * @requested: the features its driver requested.
 * @derived: the features other members need from it.
 * @flags: its LIVEUPDATE_* flags.
 * @needed_by: the member that first needed it, or NULL.
 *
 * Read under liveupdate_mutex, so that the step calls out without it.
 */
struct liveupdate_call {
	struct device *dev;
	unsigned int requested;
	unsigned int derived;
	unsigned int flags;
	struct device *needed_by;
};

/* Read @state for a step; false for a member removed meanwhile. */
static bool liveupdate_member_read(struct device_liveupdate *state,
				   struct liveupdate_call *call)
{
	guard(mutex)(&liveupdate_mutex);

	if (state->flags & LIVEUPDATE_REMOVED)
		return false;
	*call = (struct liveupdate_call) {
		.dev = state->dev,
		.requested = state->requested,
		.derived = state->derived,
		.flags = state->flags,
		.needed_by = state->needed_by,
	};
	return true;
}

static void liveupdate_member_flag(struct device_liveupdate *state,
				   unsigned int set, unsigned int clear)
{
	guard(mutex)(&liveupdate_mutex);
	state->flags = (state->flags & ~clear) | set;
}

/*
 * The binding of a member is fixed from here on (device_liveupdate_bind()):
 * its driver, if it has one, must have liveupdate ops and agree to keep the
 * device for exactly what the session keeps it for.  The driver's module
 * stays loaded until the session ends.
 */
static int liveupdate_agree(struct device_liveupdate *state,
			    const struct liveupdate_call *call)
{
	struct device *dev = call->dev;
	const struct device_liveupdate_driver_ops *ops;
	const struct device_driver *drv;
	int ret;

	guard(device)(dev);

	drv = dev->driver;
	if (!drv) {
		if (!call->requested)
			return 0;
		dev_err(dev, "requested for liveupdate but no longer bound\n");
		return -ENODEV;
	}
	ops = drv->liveupdate;
	if (!ops) {
		dev_err(dev, "driver %s cannot keep the device for liveupdate, which %s needs\n",
			drv->name, call->needed_by ? dev_name(call->needed_by) : "-");
		return -EBUSY;
	}
	if (!try_module_get(drv->owner)) {
		dev_err(dev, "driver %s is being unloaded\n", drv->name);
		return -ENODEV;
	}
	ret = ops->prepare ? ops->prepare(dev, call->requested, call->derived) : 0;
	if (ret) {
		module_put(drv->owner);
		dev_err(dev, "driver %s refused to keep the device for liveupdate: %d\n",
			drv->name, ret);
		return ret;
	}
	scoped_guard(mutex, &liveupdate_mutex) {
		state->driver = drv;
		state->flags |= LIVEUPDATE_AGREED;
	}
	return 0;
}

/*
 * At finish, an incoming device that no driver took over goes on doing what
 * the previous kernel left it doing: the bus stops it (ops->stop()), so
 * that the memory it writes to can be freed.  One the bus cannot stop (on
 * a bus without the op, or a bridge forwarding for devices below it that
 * drivers run) runs on, and its memory stays reserved.  The parent's lock
 * is held too, outside the device's as the driver core nests them: a bus
 * may reset the device through its parent (PCI's secondary bus reset).
 */
static void __liveupdate_stop_unbound(struct device_liveupdate *state,
				      const struct liveupdate_call *call,
				      const struct device_liveupdate_ops *ops)
{
	struct liveupdate_memory *memory;
	struct device *dev = call->dev;
	unsigned int ranges;

	device_lock_assert(dev);

	if (dev->driver || !(call->flags & LIVEUPDATE_INCOMING))
		return;
	if (!ops->stop || ops->stop(dev)) {
		scoped_guard(mutex, &liveupdate_mutex)
			ranges = liveupdate_record_memory(liveupdate_incoming,
							  state->record, &memory);
		if (ranges)
			dev_info(dev, "liveupdate: no driver took the device over and it cannot be stopped, its memory stays reserved\n");
		else
			dev_dbg(dev, "liveupdate: no driver took the device over, it goes on\n");
		return;
	}
	dev_info(dev, "liveupdate: no driver took the device over, stopped before its memory is freed\n");
	scoped_guard(mutex, &liveupdate_mutex) {
		liveupdate_memory_stopped(liveupdate_incoming, state->record);
	}
}

static void liveupdate_stop_unbound(struct device_liveupdate *state,
				    const struct liveupdate_call *call,
				    const struct device_liveupdate_ops *ops)
{
	struct device *parent = call->dev->parent;

	if (parent)
		device_lock(parent);
	scoped_guard(device, call->dev)
		__liveupdate_stop_unbound(state, call, ops);
	if (parent)
		device_unlock(parent);
}

/*
 * Call @step's op of the driver that agreed to keep @call->dev, with the
 * device lock held as for the driver's other callbacks.  In the new
 * kernel, at finish, that of the driver now bound.
 */
static int liveupdate_call_driver(const struct liveupdate_call *call,
				  enum liveupdate_step step)
{
	const struct device_liveupdate_driver_ops *ops;
	struct device *dev = call->dev;
	int ret = 0;

	if (step != LIVEUPDATE_STEP_FINISH && !(call->flags & LIVEUPDATE_AGREED))
		return 0;

	guard(device)(dev);

	ops = dev->driver ? dev->driver->liveupdate : NULL;
	if (!ops)
		return 0;
	switch (step) {
	case LIVEUPDATE_STEP_FREEZE:
		ret = ops->freeze ?
		      ops->freeze(dev, call->requested, call->derived) : 0;
		if (ret)
			dev_err(dev, "driver %s refused to freeze for the kexec: %d\n",
				dev->driver->name, ret);
		break;
	case LIVEUPDATE_STEP_UNFREEZE:
		if (ops->unfreeze)
			ops->unfreeze(dev, call->requested, call->derived);
		break;
	case LIVEUPDATE_STEP_CANCEL:
		if (ops->cancel)
			ops->cancel(dev, call->requested, call->derived);
		break;
	case LIVEUPDATE_STEP_FINISH:
		if (ops->finish)
			ops->finish(dev, call->derived);
		break;
	default:
		break;
	}
	return ret;
}

/* Whether the bus allows @call's final features; at prepare and freeze. */
static int liveupdate_validate(const struct device_liveupdate_ops *ops,
			       const struct liveupdate_call *call)
{
	return ops->validate ?
	       ops->validate(call->dev, call->requested | call->derived) : 0;
}

/*
 * Run @step on one member, unless it was removed meanwhile; the bus is read
 * only then.  Prepare asks the bus, then the driver, then tells the bus;
 * freeze asks the bus again, then freezes the driver and the bus; unfreeze,
 * cancel and finish undo or end in the opposite order.  Only prepare and
 * freeze can fail.
 */
static int liveupdate_call_member(struct device_liveupdate *state,
				  enum liveupdate_step step)
{
	const struct device_liveupdate_ops *ops;
	struct liveupdate_call call;
	unsigned int features;
	int ret = 0;

	if (!liveupdate_member_read(state, &call))
		return 0;
	ops = liveupdate_ops(call.dev);
	features = call.requested | call.derived;

	switch (step) {
	case LIVEUPDATE_STEP_PREPARE:
		ret = liveupdate_validate(ops, &call);
		if (!ret)
			ret = liveupdate_agree(state, &call);
		if (ret)
			return ret;
		ret = ops->prepare ? ops->prepare(call.dev, features) : 0;
		if (ret) {
			dev_err(call.dev, "liveupdate prepare failed: %d\n", ret);
			return ret;
		}
		liveupdate_member_flag(state, LIVEUPDATE_PREPARED, 0);
		break;
	case LIVEUPDATE_STEP_FREEZE:
		ret = liveupdate_validate(ops, &call);
		if (!ret)
			ret = liveupdate_call_driver(&call, step);
		if (ret)
			return ret;
		if (ops->freeze)
			ops->freeze(call.dev, features);
		liveupdate_member_flag(state, LIVEUPDATE_FROZEN, 0);
		break;
	case LIVEUPDATE_STEP_UNFREEZE:
		if (!(call.flags & LIVEUPDATE_FROZEN))
			break;
		if (ops->unfreeze)
			ops->unfreeze(call.dev, features);
		liveupdate_call_driver(&call, step);
		liveupdate_member_flag(state, 0, LIVEUPDATE_FROZEN);
		break;
	case LIVEUPDATE_STEP_CANCEL:
		if ((call.flags & LIVEUPDATE_PREPARED) && ops->cancel)
			ops->cancel(call.dev, features);
		liveupdate_call_driver(&call, step);
		break;
	case LIVEUPDATE_STEP_FINISH:
		if (ops->finish)
			ops->finish(call.dev, features);
		liveupdate_call_driver(&call, step);
		liveupdate_stop_unbound(state, &call, ops);
		break;
	}
	return 0;
}

/*
 * Run one step on every member: in set order for prepare, unfreeze and
 * finish (what a member depends on first), in reverse for freeze and
 * cancel (dependents first).  Prepare and freeze stop at the first
 * failure.
 *
 * Context: liveupdate_session_mutex held, liveupdate_mutex not held.
 */
static int liveupdate_call_members(enum liveupdate_step step)
{
	struct device_liveupdate *state;
	int ret;

	lockdep_assert_held(&liveupdate_session_mutex);
	lockdep_assert_not_held(&liveupdate_mutex);

	if (step == LIVEUPDATE_STEP_FREEZE || step == LIVEUPDATE_STEP_CANCEL) {
		list_for_each_entry_reverse(state, &liveupdate_set, set_entry) {
			ret = liveupdate_call_member(state, step);
			if (ret)
				return ret;
		}
		return 0;
	}
	list_for_each_entry(state, &liveupdate_set, set_entry) {
		ret = liveupdate_call_member(state, step);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Hand the record and the memory of every member to the channel, which the
 * next kexec_file_load(2) reads, under the name @tag.
 */
static int liveupdate_publish(u64 tag)
{
	struct device_liveupdate *state;
	unsigned int i, n = 0;
	int ret;

	lockdep_assert_held(&liveupdate_mutex);

	struct range *ranges __free(kfree) =
		kcalloc(liveupdate_memory_count(), sizeof(*ranges), GFP_KERNEL);
	if (liveupdate_memory_count() && !ranges)
		return -ENOMEM;
	list_for_each_entry(state, &liveupdate_set, set_entry)
		for (i = 0; i < state->nr_memory; i++)
			ranges[n++] = state->memory[i];
	ret = liveupdate_channel_publish(tag, liveupdate_handover,
					 liveupdate_handover_size, ranges, n);
	if (ret)
		pr_err("the handover cannot be published (%d)\n", ret);
	return ret;
}

/* End the session in the outgoing kernel: back to the requests alone. */
static void liveupdate_end_session(struct list_head *release)
{
	lockdep_assert_held(&liveupdate_mutex);

	liveupdate_reset_list(&liveupdate_set, release);
	liveupdate_channel_withdraw();
	kvfree(liveupdate_handover);
	liveupdate_handover = NULL;
	liveupdate_handover_size = 0;
	liveupdate_broken = false;
	liveupdate_busy = false;
	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_NORMAL);
}

/*
 * The locked half of prepare: collect the set and write the record.  On
 * success the set is left busy for liveupdate_call_members().
 */
static int liveupdate_prepare_set(struct list_head *release)
{
	struct liveupdate_edges edges = {};
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

	ret = liveupdate_collect(&edges, release);
	if (!ret)
		ret = liveupdate_record_encode(&liveupdate_set,
					       list_count_nodes(&liveupdate_set),
					       &liveupdate_handover,
					       &liveupdate_handover_size);
	if (!ret)
		ret = liveupdate_publish(liveupdate_generation + 1);
	if (ret) {
		liveupdate_end_session(release);
	} else {
		liveupdate_busy = true;
		liveupdate_generation++;
	}
unlock:
	mutex_unlock(&liveupdate_mutex);
	liveupdate_unlock_buses();
	liveupdate_edges_free(&edges);
	return ret;
}

/**
 * device_liveupdate_prepare - collect and fix the set of devices to preserve
 *
 * Takes the hot-plug locks of the opted-in buses, collects the requested
 * devices and everything they depend on into one ordered set, takes a
 * reference on each member and writes the handover record for the next
 * kernel.  Then, with no core lock but the session's held, asks each
 * member's bus whether it can keep the member's final features
 * (ops->validate()) and its driver whether it agrees (a member with a
 * driver that has no liveupdate ops cannot be kept), fixes its binding,
 * and calls its bus's ops->prepare().  On failure nothing is left marked
 * and the requests stay as they were.
 *
 * Context: process context, no device lock held; takes the bus hot-plug
 * locks, liveupdate_mutex and each member's device lock.
 * Return: 0 on success, -EBUSY if a session exists or a member's driver
 * does not agree, -ENODATA if nothing was requested, -ELOOP for a
 * dependency cycle, -ENODEV if a member is being removed or unbound,
 * -E2BIG for more members than a handover record can name, or an error
 * from a bus or driver op.
 */
int device_liveupdate_prepare(void)
{
	u64 start = ktime_get_ns();
	LIST_HEAD(release);
	int ret;

	guard(mutex)(&liveupdate_session_mutex);

	ret = liveupdate_prepare_set(&release);
	if (ret) {
		liveupdate_release(&release);
		return ret;
	}

	ret = liveupdate_call_members(LIVEUPDATE_STEP_PREPARE);
	if (!ret && READ_ONCE(liveupdate_broken))
		ret = -ENODEV;	/* the hook that broke it said which */
	if (ret)
		liveupdate_call_members(LIVEUPDATE_STEP_CANCEL);

	scoped_guard(mutex, &liveupdate_mutex) {
		liveupdate_busy = false;
		if (ret)
			liveupdate_end_session(&release);
		else
			WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_PREPARED);
		trace_device_liveupdate_prepare(ret, &liveupdate_set,
						ktime_get_ns() - start);
	}
	liveupdate_release(&release);
	return ret;
}

/*
 * device_liveupdate_freeze(), with liveupdate_session_mutex held.  Either
 * every member is frozen and the session is frozen, for good, or none is
 * and the session is prepared again.
 */
static int liveupdate_freeze(void)
{
	u64 start = ktime_get_ns();
	int ret;

	lockdep_assert_held(&liveupdate_session_mutex);

	scoped_guard(mutex, &liveupdate_mutex) {
		if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED)
			return -EINVAL;
		liveupdate_busy = true;
	}

	ret = liveupdate_call_members(LIVEUPDATE_STEP_FREEZE);
	if (!ret && READ_ONCE(liveupdate_broken)) {
		pr_err("a member was removed or unbound during the session: not every device can be preserved\n");
		ret = -ENODEV;
	}
	if (ret)
		liveupdate_call_members(LIVEUPDATE_STEP_UNFREEZE);

	guard(mutex)(&liveupdate_mutex);
	liveupdate_busy = false;
	if (!ret)
		WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_FROZEN);
	trace_device_liveupdate_step(liveupdate_step_names[LIVEUPDATE_STEP_FREEZE],
				     ret, &liveupdate_set, ktime_get_ns() - start);
	return ret;
}

/**
 * device_liveupdate_freeze - last step before the kexec reboot
 *
 * Asks each member's bus again whether it can keep the member (how its DMA
 * is translated may have changed since prepare), then calls the driver's
 * and the bus's freeze, dependents first, with no core lock but the
 * session's held.  Called from kernel_kexec(), through liveupdate_kexec_check(),
 * before any device is shut down.  If a member refuses or is gone, the
 * members frozen so far are unfrozen and the session is prepared again.
 *
 * Context: process context, no device lock held.
 * Return: 0 on success, -EINVAL if no session is prepared, -ENODEV if a
 * member was removed or unbound, or a bus's or driver's error.
 */
int device_liveupdate_freeze(void)
{
	guard(mutex)(&liveupdate_session_mutex);
	return liveupdate_freeze();
}

/**
 * device_liveupdate_cancel - abandon a prepared session
 *
 * Calls ops->cancel() on every prepared member and its driver's cancel,
 * dependents first, with no core lock but the session's held, then drops
 * everything the session derived, every reference it held and every
 * module reference its drivers' agreement took.  The requests stay: a
 * later prepare collects them again, with whatever else is requested by
 * then.  Works on a broken session too.  A frozen session cannot be
 * cancelled: the kexec that froze it is under way.
 *
 * Context: process context, no device lock held.
 * Return: 0 on success, -EBUSY if the session is frozen, -EINVAL if no
 * outgoing session exists.
 */
int device_liveupdate_cancel(void)
{
	unsigned int requests = 0;
	struct device_liveupdate *state;
	u64 start = ktime_get_ns();
	LIST_HEAD(release);

	guard(mutex)(&liveupdate_session_mutex);

	scoped_guard(mutex, &liveupdate_mutex) {
		if (liveupdate_state == DEVICE_LIVEUPDATE_FROZEN)
			return -EBUSY;
		if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED)
			return -EINVAL;
		liveupdate_busy = true;
	}

	liveupdate_call_members(LIVEUPDATE_STEP_CANCEL);

	scoped_guard(mutex, &liveupdate_mutex) {
		trace_device_liveupdate_step(liveupdate_step_names[LIVEUPDATE_STEP_CANCEL],
					     0, &liveupdate_set,
					     ktime_get_ns() - start);
		liveupdate_end_session(&release);
		for (state = liveupdate_first_request(); state;
		     state = liveupdate_next_request(state))
			requests++;
	}
	liveupdate_release(&release);
	pr_info("session cancelled; %u devices stay requested, with their memory\n",
		requests);
	return 0;
}

/**
 * device_liveupdate_finish - end the incoming session in the new kernel
 *
 * Calls ops->finish() on every device handed over, in set order, then the
 * finish of the driver bound to it, with no core lock but the session's
 * held, reports for every entry of the handover record whether its device
 * was restored, is missing or did not match, and returns to normal
 * operation.  No device is matched as incoming once this has begun.
 *
 * Context: process context, no device lock held.
 * Return: 0 on success, -EINVAL if no incoming session exists.
 */
int device_liveupdate_finish(void)
{
	u64 start = ktime_get_ns();
	LIST_HEAD(release);

	guard(mutex)(&liveupdate_session_mutex);

	scoped_guard(mutex, &liveupdate_mutex) {
		if (liveupdate_state != DEVICE_LIVEUPDATE_INCOMING)
			return -EINVAL;
		liveupdate_busy = true;
	}

	liveupdate_call_members(LIVEUPDATE_STEP_FINISH);
	/* Before the buses let go of what they held. */
	scoped_guard(mutex, &liveupdate_mutex)
		liveupdate_memory_finish(liveupdate_incoming);
	liveupdate_buses_finished();

	scoped_guard(mutex, &liveupdate_mutex) {
		liveupdate_record_report(liveupdate_incoming);
		trace_device_liveupdate_step(liveupdate_step_names[LIVEUPDATE_STEP_FINISH],
					     0, &liveupdate_set,
					     ktime_get_ns() - start);
		liveupdate_match_report();
		liveupdate_reset_list(&liveupdate_set, &release);
		liveupdate_busy = false;
		WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_NORMAL);
	}
	liveupdate_release(&release);
	/* Drivers without liveupdate ops may now bind what was kept. */
	driver_deferred_probe_trigger();
	return 0;
}

/**
 * device_liveupdate_state - current state of the liveupdate session
 *
 * Return: the state; it may change as soon as this returns.
 */
enum device_liveupdate_session_state device_liveupdate_state(void)
{
	return READ_ONCE(liveupdate_state);
}

#ifdef CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER
/**
 * liveupdate_replace_record - replace the prepared session's record
 * @blob: the new record, unchecked
 * @size: its length in bytes
 *
 * For tests of how the next kernel treats a record it cannot accept: the
 * next kexec_file_load(2) carries @blob instead of the record prepare
 * wrote.  Test kernels only (CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER).
 *
 * Return: 0, -EINVAL if no session is prepared or @size is 0, -ENOMEM;
 * the record is unchanged on error.
 */
int liveupdate_replace_record(const void *blob, size_t size)
{
	size_t old_size;
	void *copy, *old;
	int ret;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED || !size)
		return -EINVAL;
	copy = kvmemdup(blob, size, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	old = liveupdate_handover;
	old_size = liveupdate_handover_size;
	liveupdate_handover = copy;
	liveupdate_handover_size = size;
	/* Under a new name: an image loaded with the old record is stale. */
	ret = liveupdate_publish(liveupdate_generation + 1);
	if (ret) {
		liveupdate_handover = old;
		liveupdate_handover_size = old_size;
		kvfree(copy);
		return ret;
	}
	kvfree(old);
	liveupdate_generation++;
	pr_warn("handover record replaced through debugfs, for a test\n");
	return 0;
}
#endif

/*
 * Tell whether the loaded kexec image carries the record the session needs:
 * that of the prepared session, or none when no session is prepared.
 */
static int liveupdate_kexec_image(u64 generation, bool file_mode,
				  bool preserve_context)
{
	lockdep_assert_held(&liveupdate_mutex);

	if (liveupdate_state == DEVICE_LIVEUPDATE_FROZEN) {
		pr_err("kexec refused: the session is frozen for a kexec already under way\n");
		return -EBUSY;
	}
	if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED) {
		if (!generation)
			return 0;
		pr_err("kexec refused: the loaded kernel carries the record of a session that is no longer prepared, load it again\n");
		return -ESTALE;
	}
	if (!file_mode) {
		pr_err("kexec refused: a session is prepared and kexec_load(2) cannot carry its record, load the kernel with kexec_file_load(2)\n");
		return -EOPNOTSUPP;
	}
	if (preserve_context) {
		pr_err("kexec refused: a session is prepared and a preserve_context kexec returns to this kernel\n");
		return -EOPNOTSUPP;
	}
	if (generation != liveupdate_generation) {
		pr_err("kexec refused: the loaded kernel carries %s, load it again after prepare\n",
		       generation ? "the record of another session" : "no handover record");
		return -ESTALE;
	}
	if (liveupdate_broken) {
		pr_err("kexec refused: a member was removed or unbound during the session, cancel it\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * liveupdate_kexec_check - the kexec hook: freeze the session, or veto
 * @generation: the session whose record the loaded image carries, 0 for none
 * @file_mode: the image was loaded with kexec_file_load(2)
 * @preserve_context: the image returns to this kernel (KEXEC_PRESERVE_CONTEXT)
 *
 * Called before anything is shut down, so that a kexec that cannot hand
 * the session over does not happen at all.  With no session and no record
 * in the image the kexec is a plain one.  It is refused if the image does
 * not carry the prepared session's record (none, another session's, or a
 * session that was cancelled since), if it would come back to this kernel,
 * if the session is broken, or if freeze fails, which leaves the session
 * prepared.  Once this returns 0 the session is frozen and the kexec goes
 * on: nothing undoes it.
 *
 * Return: 0 to go on with the kexec, or the error reboot(2) returns.
 */
int liveupdate_kexec_check(u64 generation, bool file_mode, bool preserve_context)
{
	int ret;

	guard(mutex)(&liveupdate_session_mutex);

	scoped_guard(mutex, &liveupdate_mutex) {
		ret = liveupdate_kexec_image(generation, file_mode,
					     preserve_context);
		if (ret || liveupdate_state != DEVICE_LIVEUPDATE_PREPARED)
			return ret;
	}

	ret = liveupdate_freeze();
	if (ret)
		pr_err("kexec refused: freeze failed (%d); the session is prepared again\n",
		       ret);
	return ret;
}

#ifdef CONFIG_KEXEC_CORE
/**
 * device_liveupdate_kexec - kernel_kexec() hook: freeze the session, or veto
 * @image: the image about to be started
 *
 * See liveupdate_kexec_check(); the image tells which publication of the
 * channel it carries.
 *
 * Context: process context, no device lock held; kexec's lock held.
 * Return: 0 to go on with the kexec, or the error reboot(2) returns.
 */
int device_liveupdate_kexec(const struct kimage *image)
{
	return liveupdate_kexec_check(liveupdate_channel_kexec_tag(image),
				      image->file_mode, image->preserve_context);
}
#endif

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * device_liveupdate_end_frozen - end a frozen session, for KUnit
 *
 * What the kexec does to a frozen session, for tests that froze one
 * without a kexec: the session ends as cancel would end it, without
 * calling any bus or driver op.
 *
 * Return: 0, or -EINVAL if the session is not frozen.
 */
VISIBLE_IF_KUNIT int device_liveupdate_end_frozen(void)
{
	LIST_HEAD(release);

	guard(mutex)(&liveupdate_session_mutex);
	scoped_guard(mutex, &liveupdate_mutex) {
		if (liveupdate_state != DEVICE_LIVEUPDATE_FROZEN)
			return -EINVAL;
		liveupdate_end_session(&release);
	}
	liveupdate_release(&release);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_end_frozen);
#endif

/*
 * Check a record and enter the incoming state from it, or say why not in
 * @why.  Return: 0, -EBUSY if a session exists, -ENODEV if the record names
 * a bus that does not support liveupdate, or the record's parse error;
 * nothing is applied on error.
 */
static int liveupdate_accept_record(const void *record, size_t size,
				    const char **why)
{
	static char unknown_bus[DEVICE_LIVEUPDATE_BUS_NAME_LEN + 16];
	struct liveupdate_record *parsed;
	unsigned int i;
	int ret;

	ret = liveupdate_record_parse(record, size, &parsed, why);
	if (ret)
		return ret;

	guard(mutex)(&liveupdate_session_mutex);
	for (i = 0; i < liveupdate_record_count(parsed); i++) {
		const char *bus = liveupdate_record_bus(parsed, i);

		if (!liveupdate_find_bus(bus)) {
			snprintf(unknown_bus, sizeof(unknown_bus), "unknown bus %s", bus);
			*why = unknown_bus;	/* at boot, or from KUnit: one at a time */
			liveupdate_record_free(parsed);
			return -ENODEV;
		}
	}

	guard(mutex)(&liveupdate_mutex);
	if (liveupdate_state != DEVICE_LIVEUPDATE_NORMAL ||
	    !RB_EMPTY_ROOT(&liveupdate_requests)) {
		*why = "a session exists";
		liveupdate_record_free(parsed);
		return -EBUSY;
	}
	ret = liveupdate_memory_accept(parsed, why);
	if (ret) {
		liveupdate_record_free(parsed);
		return ret;
	}
	liveupdate_record_free(liveupdate_incoming);
	liveupdate_incoming = parsed;
	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_INCOMING);
	return 0;
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * device_liveupdate_set_incoming - enter the incoming state from a record
 * @record: the handover record, a flattened device tree
 * @size: the number of bytes at @record
 *
 * Logs one line if the record is rejected.
 *
 * Return: 0, -EBUSY if a session exists, -ENODEV if the record names a bus
 * that does not support liveupdate, or the record's parse error; nothing
 * is applied on error.
 */
VISIBLE_IF_KUNIT int device_liveupdate_set_incoming(const void *record, size_t size)
{
	const char *why;
	int ret;

	ret = liveupdate_accept_record(record, size, &why);
	if (ret)
		pr_err("handover record rejected: %s\n", why);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_set_incoming);
#endif

/*
 * After postcore: the buses a record may name have registered by then, and
 * no device of theirs has been enumerated yet.  A record this kernel cannot
 * accept means the previous kernel left devices running that nothing here
 * knows: stop every device as it is added (the buses' ops->stop()), as a
 * plain kexec would have.  The policy is fixed: the kernel boots, so that
 * it can be updated again, with every device stopped before a driver can
 * bind it and the memory the previous kernel listed still reserved (the
 * architecture's boot code panics where it cannot keep that memory).
 */
static int __init liveupdate_init(void)
{
	const char *why = NULL;
	size_t size = 0;
	void *record = liveupdate_channel_retrieve(&size, &why);
	int ret;

	if (!record)
		return 0;
	ret = IS_ERR(record) ? PTR_ERR(record) :
	      liveupdate_accept_record(record, size, &why);
	if (!IS_ERR(record))
		kvfree(record);
	if (ret) {
		WRITE_ONCE(liveupdate_rejected, true);
		pr_err("handover record rejected: %s; stopping bus mastering of every device\n",
		       why);
		return 0;
	}
	pr_info("handover record accepted: %u devices to restore\n",
		liveupdate_record_count(liveupdate_incoming));
	return 0;
}
postcore_initcall_sync(liveupdate_init);
