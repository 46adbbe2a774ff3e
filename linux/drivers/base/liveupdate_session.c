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
 * its reference, and one removed meanwhile is flagged and skipped.
 */

#define pr_fmt(fmt) "device liveupdate: " fmt

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/list.h>
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
char *liveupdate_handover;
size_t liveupdate_handover_size;
u64 liveupdate_generation;

enum liveupdate_step {
	LIVEUPDATE_STEP_PREPARE,
	LIVEUPDATE_STEP_FREEZE,
	LIVEUPDATE_STEP_CANCEL,
	LIVEUPDATE_STEP_FINISH,
};

/*
 * Tell whether the bus op of @step is to be called for @state: not for a
 * member removed meanwhile, nor, for cancel, one that was never prepared.
 * The features are read under the lock too.
 */
static bool liveupdate_member_step(struct device_liveupdate *state,
				   enum liveupdate_step step,
				   unsigned int *features)
{
	guard(mutex)(&liveupdate_mutex);

	if (state->flags & LIVEUPDATE_REMOVED)
		return false;
	if (step == LIVEUPDATE_STEP_CANCEL &&
	    !(state->flags & LIVEUPDATE_PREPARED))
		return false;
	*features = liveupdate_features(state);
	return true;
}

static void liveupdate_member_prepared(struct device_liveupdate *state)
{
	guard(mutex)(&liveupdate_mutex);
	state->flags |= LIVEUPDATE_PREPARED;
}

/*
 * Call @step's op of the driver @dev is bound to, if it has liveupdate
 * ops, with the device lock held as for the driver's other callbacks.
 */
static void liveupdate_call_driver(struct device *dev, enum liveupdate_step step)
{
	const struct device_liveupdate_driver_ops *ops;

	guard(device)(dev);

	ops = liveupdate_driver_ops(dev);
	if (!ops)
		return;
	switch (step) {
	case LIVEUPDATE_STEP_FREEZE:
		if (ops->freeze)
			ops->freeze(dev);
		break;
	case LIVEUPDATE_STEP_CANCEL:
		if (ops->cancel)
			ops->cancel(dev);
		break;
	case LIVEUPDATE_STEP_FINISH:
		if (ops->finish)
			ops->finish(dev);
		break;
	default:
		break;
	}
}

/*
 * Call @step's bus op on @state, unless it was removed meanwhile; the bus is
 * read only then.  The driver's op comes before the bus's at freeze, after
 * it otherwise.  Only prepare can fail.
 */
static int liveupdate_call_member(struct device_liveupdate *state,
				  enum liveupdate_step step)
{
	const struct device_liveupdate_ops *ops;
	struct device *dev = state->dev;
	unsigned int features;
	int ret;

	if (!liveupdate_member_step(state, step, &features))
		return 0;
	ops = liveupdate_ops(dev);

	switch (step) {
	case LIVEUPDATE_STEP_PREPARE:
		ret = ops->prepare ? ops->prepare(dev, features) : 0;
		if (ret) {
			dev_err(dev, "liveupdate prepare failed: %d\n", ret);
			return ret;
		}
		liveupdate_member_prepared(state);
		break;
	case LIVEUPDATE_STEP_FREEZE:
		liveupdate_call_driver(dev, step);
		if (ops->freeze)
			ops->freeze(dev, features);
		break;
	case LIVEUPDATE_STEP_CANCEL:
		if (ops->cancel)
			ops->cancel(dev, features);
		liveupdate_call_driver(dev, step);
		break;
	case LIVEUPDATE_STEP_FINISH:
		if (ops->finish)
			ops->finish(dev, features);
		liveupdate_call_driver(dev, step);
		break;
	}
	return 0;
}

/*
 * Call one step's bus op on every member, in set order, or in reverse for
 * freeze and cancel (dependents before what they depend on).  Prepare stops
 * at the first failure.
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
		list_for_each_entry_reverse(state, &liveupdate_set, set_entry)
			liveupdate_call_member(state, step);
		return 0;
	}
	list_for_each_entry(state, &liveupdate_set, set_entry) {
		ret = liveupdate_call_member(state, step);
		if (ret)
			return ret;
	}
	return 0;
}

/* End the session in the outgoing kernel: back to the requests alone. */
static void liveupdate_end_session(struct list_head *release)
{
	lockdep_assert_held(&liveupdate_mutex);

	liveupdate_reset_list(&liveupdate_set, release);
	kvfree(liveupdate_handover);
	liveupdate_handover = NULL;
	liveupdate_handover_size = 0;
	liveupdate_broken = false;
	liveupdate_busy = false;
	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_NORMAL);
}

/* Every requested device's driver must still consent: it may have bound since. */
static int liveupdate_check_drivers(void)
{
	struct device_liveupdate *state;
	int ret;

	lockdep_assert_held(&liveupdate_mutex);

	for (state = liveupdate_first_request(); state;
	     state = liveupdate_next_request(state)) {
		ret = liveupdate_check_driver(state->dev);
		if (ret)
			return ret;
	}
	return 0;
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
		ret = liveupdate_check_drivers();
	if (!ret)
		ret = liveupdate_record_encode(&liveupdate_set,
					       list_count_nodes(&liveupdate_set),
					       &liveupdate_handover,
					       &liveupdate_handover_size);
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
 * kernel.  Then, with no core lock but the session's held, calls each
 * member's ops->prepare().  On failure nothing is left marked and the
 * requests stay as they were.
 *
 * Context: process context, no device lock held; takes the bus hot-plug
 * locks and liveupdate_mutex.
 * Return: 0 on success, -EBUSY if a session exists, -ENODATA if nothing was
 * requested, -ELOOP for a dependency cycle, -ENODEV if a member is being
 * removed, -E2BIG if the handover record does not fit, or an error from a
 * bus op.
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
		ret = -ENODEV;	/* device_liveupdate_del() said which */
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

/* device_liveupdate_freeze(), with liveupdate_session_mutex held. */
static int liveupdate_freeze(void)
{
	u64 start = ktime_get_ns();

	lockdep_assert_held(&liveupdate_session_mutex);

	scoped_guard(mutex, &liveupdate_mutex)
		if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED)
			return -EINVAL;

	liveupdate_call_members(LIVEUPDATE_STEP_FREEZE);

	guard(mutex)(&liveupdate_mutex);
	WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_FROZEN);
	trace_device_liveupdate_step("freeze", liveupdate_broken ? -ENODEV : 0,
				     &liveupdate_set, ktime_get_ns() - start);
	if (liveupdate_broken) {
		pr_err("a member was removed during the session: not every device is preserved\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * device_liveupdate_freeze - last step before the kexec reboot
 *
 * Calls ops->freeze() on every member, dependents first, with no core lock
 * but the session's held.  Called from kernel_kexec(), through
 * liveupdate_kexec_check(), before any device is shut down.
 *
 * Context: process context, no device lock held.
 * Return: 0 on success, -EINVAL if no session is prepared, -ENODEV if a
 * member was removed (the others are frozen nonetheless).
 */
int device_liveupdate_freeze(void)
{
	guard(mutex)(&liveupdate_session_mutex);
	return liveupdate_freeze();
}

/**
 * device_liveupdate_cancel - abandon a prepared or frozen session
 *
 * Calls ops->cancel() on every prepared member, dependents first, with no
 * core lock but the session's held, then drops everything the session
 * derived and every reference it held.  The requests stay: a later prepare
 * collects them again, with whatever else is requested by then.  Works on
 * a broken session too.
 *
 * Context: process context, no device lock held.
 * Return: 0 on success, -EINVAL if no outgoing session exists.
 */
int device_liveupdate_cancel(void)
{
	unsigned int requests = 0;
	struct device_liveupdate *state;
	u64 start = ktime_get_ns();
	LIST_HEAD(release);

	guard(mutex)(&liveupdate_session_mutex);

	scoped_guard(mutex, &liveupdate_mutex)
		if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED &&
		    liveupdate_state != DEVICE_LIVEUPDATE_FROZEN)
			return -EINVAL;

	liveupdate_call_members(LIVEUPDATE_STEP_CANCEL);

	scoped_guard(mutex, &liveupdate_mutex) {
		trace_device_liveupdate_step("cancel", 0, &liveupdate_set,
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
 * Calls ops->finish() on every device handed over, in set order, with no
 * core lock but the session's held, reports for every entry of the
 * handover record whether its device was restored, is missing or did not
 * match, and returns to normal operation.  No device is matched as
 * incoming once this has begun.
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

	scoped_guard(mutex, &liveupdate_mutex) {
		liveupdate_memory_finish(liveupdate_incoming);
		liveupdate_record_report(liveupdate_incoming);
		trace_device_liveupdate_step("finish", 0, &liveupdate_set,
					     ktime_get_ns() - start);
		liveupdate_match_report();
		liveupdate_reset_list(&liveupdate_set, &release);
		liveupdate_busy = false;
		WRITE_ONCE(liveupdate_state, DEVICE_LIVEUPDATE_NORMAL);
	}
	liveupdate_release(&release);
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
 * @text: the new record, unchecked
 *
 * For tests of how the next kernel treats a record it cannot accept: the
 * next kexec_file_load(2) carries @text instead of the record prepare
 * wrote.  Test kernels only (CONFIG_DEVICE_LIVEUPDATE_TEST_HANDOVER).
 *
 * Return: 0, -EINVAL if no session is prepared, -ENOMEM.
 */
int liveupdate_replace_record(const char *text)
{
	char *copy;

	guard(mutex)(&liveupdate_mutex);

	if (liveupdate_state != DEVICE_LIVEUPDATE_PREPARED)
		return -EINVAL;
	copy = kvmemdup(text, strlen(text) + 1, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	kvfree(liveupdate_handover);
	liveupdate_handover = copy;
	liveupdate_handover_size = strlen(copy);
	pr_warn("handover record replaced through debugfs, for a test\n");
	return 0;
}
#endif

/*
 * Tell whether the loaded kexec image carries the record the session needs:
 * that of the prepared session, or none when no session is prepared.
 */
static int liveupdate_kexec_image(u64 generation, bool file_mode)
{
	lockdep_assert_held(&liveupdate_mutex);

	if (liveupdate_state == DEVICE_LIVEUPDATE_FROZEN) {
		pr_err("kexec refused: the session was frozen by an earlier kexec that failed, cancel it\n");
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
	if (generation != liveupdate_generation) {
		pr_err("kexec refused: the loaded kernel carries %s, load it again after prepare\n",
		       generation ? "the record of another session" : "no handover record");
		return -ESTALE;
	}
	if (liveupdate_broken) {
		pr_err("kexec refused: a member was removed during the session, cancel it\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * liveupdate_kexec_check - the kexec hook: freeze the session, or veto
 * @generation: the session whose record the loaded image carries, 0 for none
 * @file_mode: the image was loaded with kexec_file_load(2)
 *
 * Called before anything is shut down, so that a kexec that cannot hand
 * the session over does not happen at all.  With no session and no record
 * in the image the kexec is a plain one.  It is refused if the image does
 * not carry the prepared session's record (none, another session's, or a
 * session that was cancelled since), if the session is broken or was
 * frozen by an earlier attempt, or if freeze fails; the last leaves the
 * session frozen, for cancel.
 *
 * Return: 0 to go on with the kexec, or the error reboot(2) returns.
 */
int liveupdate_kexec_check(u64 generation, bool file_mode)
{
	int ret;

	guard(mutex)(&liveupdate_session_mutex);

	scoped_guard(mutex, &liveupdate_mutex) {
		ret = liveupdate_kexec_image(generation, file_mode);
		if (ret || liveupdate_state != DEVICE_LIVEUPDATE_PREPARED)
			return ret;
	}

	ret = liveupdate_freeze();
	if (ret)
		pr_err("kexec refused: freeze failed (%d), cancel the session\n", ret);
	return ret;
}

/*
 * Check a record and enter the incoming state from it, or say why not in
 * @why.  Return: 0, -EBUSY if a session exists, -ENODEV if the record names
 * a bus that does not support liveupdate, or the record's parse error;
 * nothing is applied on error.
 */
static int liveupdate_accept_record(const char *record, const char **why)
{
	static char unknown_bus[DEVICE_LIVEUPDATE_BUS_NAME_LEN + 16];
	struct liveupdate_record *parsed;
	unsigned int i;
	int ret;

	ret = liveupdate_record_parse(record, &parsed, why);
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
	const char *why;
	int ret;

	ret = liveupdate_accept_record(record, &why);
	if (ret)
		pr_err("handover record rejected: %s\n", why);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(device_liveupdate_set_incoming);
#endif

/* device_liveupdate.bad_handover=panic: panic on a rejected record. */
static bool liveupdate_bad_handover_panic;

static int __init liveupdate_bad_handover_setup(char *text)
{
	if (!strcmp(text, "panic"))
		liveupdate_bad_handover_panic = true;
	else if (strcmp(text, "stop"))
		pr_warn("device_liveupdate.bad_handover=%s unknown, using stop\n", text);
	return 1;
}
__setup("device_liveupdate.bad_handover=", liveupdate_bad_handover_setup);

/*
 * After postcore: the buses a record may name have registered by then, and
 * no device of theirs has been enumerated yet.  A record this kernel cannot
 * accept means the previous kernel left devices running that nothing here
 * knows: stop every device as it is added (the buses' ops->stop()), as a
 * plain kexec would have, or panic if asked to.
 */
static int __init liveupdate_init(void)
{
	const char *why = NULL;
	char *record = liveupdate_record_take(&why);
	int ret;

	if (!record)
		return 0;
	ret = IS_ERR(record) ? PTR_ERR(record) :
	      liveupdate_accept_record(record, &why);
	if (!IS_ERR(record))
		kvfree(record);
	if (ret) {
		if (liveupdate_bad_handover_panic)
			panic("device liveupdate: handover record rejected: %s\n", why);
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
