/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device liveupdate internals, shared by the files of drivers/base that
 * make up the core; nothing else uses them:
 *
 *   liveupdate.c            per-device state, requests, driver-core hooks,
 *                           the registry of opted-in buses
 *   liveupdate_collect.c    the collection of the set at prepare
 *   liveupdate_session.c    the session steps and the kexec hook
 *   liveupdate_sysfs.c      the control files (sysfs)
 *   liveupdate_debugfs.c    read-only views for debugging (debugfs)
 *   liveupdate_handover.c   the record handed to the next kernel
 *   liveupdate_memory.c     memory preserved devices keep writing to
 *
 * Locking, outermost first:
 *
 *  - liveupdate_session_mutex (liveupdate_session.c) serialises the session
 *    steps.  Bus callbacks other than ->dependencies() and ->identify() run
 *    with it held and no other core lock, so they may take device locks.
 *  - liveupdate_bus_mutex protects liveupdate_buses, the opted-in buses.
 *  - The hot-plug lock of each bus that has one (ops->lock), taken in the
 *    order the buses registered, around the collection at prepare.
 *  - liveupdate_mutex protects the session state, the request tree, the
 *    set and every device's ->liveupdate state.  device_del() takes it for
 *    devices on opted-in buses, so it nests inside device locks and bus
 *    hot-plug locks and must never be held while taking one of them.
 *
 * While a step calls out with liveupdate_busy set, the step owns
 * liveupdate_set's list: nothing else adds, moves or frees a member, and a
 * member removed meanwhile is only flagged LIVEUPDATE_REMOVED.
 */
#ifndef _DRIVERS_BASE_LIVEUPDATE_H_
#define _DRIVERS_BASE_LIVEUPDATE_H_

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/device/liveupdate.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/range.h>
#include <linux/rbtree.h>

struct liveupdate_channel_range;
struct seq_file;

/**
 * enum device_liveupdate_session_state - state of the liveupdate session
 * @DEVICE_LIVEUPDATE_NORMAL: no session; drivers may request and withdraw
 *	their devices.
 * @DEVICE_LIVEUPDATE_PREPARED: the set is collected, ordered and fixed,
 *	every member's driver agreed, and no member can be bound or unbound.
 * @DEVICE_LIVEUPDATE_FROZEN: kernel_kexec() froze the set and the kexec
 *	goes on: nothing can be cancelled or withdrawn any more.  Only
 *	reached on the way into the next kernel.
 * @DEVICE_LIVEUPDATE_INCOMING: new kernel; devices handed over by the
 *	previous kernel are kept as they are until the session is finished.
 */
enum device_liveupdate_session_state {
	DEVICE_LIVEUPDATE_NORMAL,
	DEVICE_LIVEUPDATE_PREPARED,
	DEVICE_LIVEUPDATE_FROZEN,
	DEVICE_LIVEUPDATE_INCOMING,
};

/* device_liveupdate.flags */
#define LIVEUPDATE_QUEUED	BIT(0)	/* waiting to have its dependencies queried */
#define LIVEUPDATE_EXPANDED	BIT(1)	/* dependencies queried */
#define LIVEUPDATE_ON_PATH	BIT(2)	/* suppliers stacked, not yet placed */
#define LIVEUPDATE_MEMBER	BIT(3)	/* placed in liveupdate_set */
#define LIVEUPDATE_REMOVED	BIT(4)	/* device_del() ran during the session */
#define LIVEUPDATE_PREPARED	BIT(5)	/* ops->prepare succeeded */
#define LIVEUPDATE_AGREED	BIT(6)	/* its driver agreed, module held */
#define LIVEUPDATE_FROZEN	BIT(7)	/* frozen, by its driver and its bus */
#define LIVEUPDATE_INCOMING	BIT(8)	/* handed over by the previous kernel */
#define LIVEUPDATE_DEFERRED	BIT(9)	/* incoming, a driver's probe deferred */

/* Bytes of a device's name kept in its state to order the requests. */
#define LIVEUPDATE_REQUEST_KEY_LEN	12

/**
 * struct device_liveupdate - liveupdate state of one device
 * @dev: the device; the state holds a reference on it.
 * @driver: the driver whose request or memory the state holds, or that
 *	agreed to keep the device in the session; NULL for a member that is
 *	not bound.  Unbinding it ends the request (see
 *	device_liveupdate_unbind()).
 * @memory_entry: entry in liveupdate_memory_holders while @nr_memory.
 * @request_node: node in liveupdate_requests while requested.
 * @request_bus: the device's bus, copied to order the requests.
 * @set_entry: entry in the collection's lists, then in liveupdate_set.
 * @requested: features a driver requested for the device.
 * @derived: features other members need from the device.
 * @flags: LIVEUPDATE_* bookkeeping bits.
 * @users: number of members that depend on the device.
 * @needed_by: first member that pulled the device into the set.
 * @last_user: last member counted in @users, so that a bus reporting the
 *	same dependency twice for one member counts it once.
 * @reason: why @needed_by depends on the device.
 * @record: index of the device's entry in the incoming handover record.
 * @first_edge: during a collection, where the dependencies its bus reported
 *	start in the collection's array of edges.
 * @nr_edges: how many there are.
 * @memory: memory the device keeps writing to across the kexec, declared by
 *	its driver; allocated on the first declaration.
 * @nr_memory: number of ranges in @memory.
 * @request_key: the first bytes of the device's name, zero-padded and not
 *	terminated, copied to order the requests without reading other
 *	devices; a PCI name fits.
 *
 * Allocated only for devices that take part: a requested device, one whose
 * driver declared memory, a device collected as a dependency, or a device
 * handed over by the previous kernel.
 */
struct device_liveupdate {
	struct device *dev;
	const struct device_driver *driver;
	struct list_head memory_entry;
	struct rb_node request_node;
	const struct bus_type *request_bus;
	struct list_head set_entry;
	unsigned int requested;
	unsigned int derived;
	unsigned int flags;
	unsigned int users;
	struct device *needed_by;
	struct device_liveupdate *last_user;
	enum device_liveupdate_reason reason;
	int record;
	unsigned int first_edge;
	unsigned int nr_edges;
	struct range *memory;
	unsigned int nr_memory;
	char request_key[LIVEUPDATE_REQUEST_KEY_LEN];
};

extern struct mutex liveupdate_mutex;
extern enum device_liveupdate_session_state liveupdate_state;
extern struct rb_root liveupdate_requests;
extern struct list_head liveupdate_set;
extern bool liveupdate_broken;
extern bool liveupdate_busy;
extern bool liveupdate_rejected;
extern struct liveupdate_record *liveupdate_incoming;
extern void *liveupdate_handover;
extern size_t liveupdate_handover_size;
extern u64 liveupdate_generation;

extern const char * const liveupdate_reason_names[];

static inline const struct device_liveupdate_ops *liveupdate_ops(struct device *dev)
{
	return dev->bus ? dev->bus->liveupdate : NULL;
}

static inline unsigned int liveupdate_features(const struct device_liveupdate *state)
{
	return state->requested | state->derived;
}

/*
 * A member removed during the session may outlive its bus (a module's bus
 * unregistered after its last device): the bus of a removed member is not
 * read, and "-" stands for its name.
 */
static inline const char *liveupdate_bus_name(struct device_liveupdate *state)
{
	return state->flags & LIVEUPDATE_REMOVED ? "-" : state->dev->bus->name;
}

/* liveupdate.c */
bool liveupdate_device_dead(struct device *dev);
int liveupdate_dying(struct device *dev);
struct device_liveupdate *liveupdate_state_get(struct device *dev);
void liveupdate_release(struct list_head *release);
void liveupdate_state_put_unused(struct device_liveupdate *state,
				 struct list_head *release);
struct device_liveupdate *liveupdate_driver_state(struct device *dev);
void liveupdate_reset_list(struct list_head *head, struct list_head *release);
void liveupdate_buses_finished(void);
struct device_liveupdate *liveupdate_first_request(void);
struct device_liveupdate *liveupdate_next_request(struct device_liveupdate *state);
void liveupdate_lock_buses(void);
void liveupdate_unlock_buses(void);
const struct bus_type *liveupdate_find_bus(const char *name);
void liveupdate_match_report(void);

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
 * @resolved: the first @resolved entries point at their supplier's state;
 *	the others hold a reference on their supplier device.
 */
struct liveupdate_edges {
	struct liveupdate_edge *edge;
	unsigned int count;
	unsigned int size;
	unsigned int resolved;
};

/* liveupdate_collect.c */
int liveupdate_collect(struct liveupdate_edges *edges,
		       struct list_head *release);
void liveupdate_edges_free(struct liveupdate_edges *edges);

/*
 * Most devices one record can name, and its longest length: 256 bytes a
 * device, room for as many devices with the longest names and every range
 * (liveupdate_handover.c checks it at build time); see liveupdate.rst.
 */
#define DEVICE_LIVEUPDATE_HANDOVER_ENTRIES	16384
#define DEVICE_LIVEUPDATE_HANDOVER_MAX		(DEVICE_LIVEUPDATE_HANDOVER_ENTRIES * 256)
/* Longest bus name a record can carry. */
#define DEVICE_LIVEUPDATE_BUS_NAME_LEN		20

/**
 * enum liveupdate_record_status - what became of a handed-over device
 * @LIVEUPDATE_RECORD_PENDING: not seen yet.
 * @LIVEUPDATE_RECORD_RESTORED: found, same model, kept as incoming.
 * @LIVEUPDATE_RECORD_MISMATCH: a different model sits at the location.
 * @LIVEUPDATE_RECORD_MISSING: not found by the time the session finished.
 * @LIVEUPDATE_RECORD_REMOVED: found, then removed before finish.
 * @LIVEUPDATE_RECORD_REFUSED: found, but its bus could not keep it.
 * @LIVEUPDATE_RECORD_STATUSES: the number of statuses.
 */
enum liveupdate_record_status {
	LIVEUPDATE_RECORD_PENDING,
	LIVEUPDATE_RECORD_RESTORED,
	LIVEUPDATE_RECORD_MISMATCH,
	LIVEUPDATE_RECORD_MISSING,
	LIVEUPDATE_RECORD_REMOVED,
	LIVEUPDATE_RECORD_REFUSED,
	LIVEUPDATE_RECORD_STATUSES
};

struct liveupdate_record;

/**
 * struct liveupdate_memory - a range of preserved memory in the new kernel
 * @range: the range, as the record names it.
 * @resource: what /proc/iomem shows of it, until it is freed.
 * @claimed: the device's driver took it (device_liveupdate_incoming_memory()).
 * @stopped: its device was stopped or refused: nothing writes to it.
 */
struct liveupdate_memory {
	struct range range;
	struct resource *resource;
	bool claimed;
	bool stopped;
};

int liveupdate_record_encode(struct list_head *set, unsigned int count,
			     void **out, size_t *size);
int liveupdate_record_parse(const void *blob, size_t size,
			    struct liveupdate_record **out, const char **why);
void liveupdate_record_free(struct liveupdate_record *record);
DEFINE_FREE(liveupdate_record, struct liveupdate_record *,
	    liveupdate_record_free(_T))
unsigned int liveupdate_record_count(const struct liveupdate_record *record);
const char *liveupdate_record_bus(const struct liveupdate_record *record,
				  unsigned int index);
unsigned int liveupdate_record_features(const struct liveupdate_record *record,
					unsigned int index);
int liveupdate_record_match(struct liveupdate_record *record,
			    struct device *dev,
			    const struct device_liveupdate_identity *id);
int liveupdate_record_names(struct liveupdate_record *record, const char *bus,
			    const struct device_liveupdate_identity *id);
void liveupdate_record_set_status(struct liveupdate_record *record, int index,
				  enum liveupdate_record_status status);
void liveupdate_record_report(struct liveupdate_record *record);
void liveupdate_record_totals(const struct liveupdate_record *record,
			      unsigned int *totals);
void liveupdate_record_show(struct seq_file *s,
			    const struct liveupdate_record *record);
unsigned int liveupdate_record_memory(struct liveupdate_record *record,
				      int index,
				      struct liveupdate_memory **memory);

/* liveupdate_memory.c */
static inline bool liveupdate_ranges_overlap(const struct range *a,
					     const struct range *b)
{
	return a->start <= b->end && b->start <= a->end;
}

void liveupdate_memory_forget(struct device_liveupdate *state);
int liveupdate_memory_range(u64 start, u64 size, struct range *range);
bool liveupdate_memory_overlaps(const struct range *range);
unsigned int liveupdate_memory_count(void);
int liveupdate_memory_accept(struct liveupdate_record *record, const char **why);
void liveupdate_memory_finish(struct liveupdate_record *record);
void liveupdate_memory_stopped(struct liveupdate_record *record, int index);

/* What finish does with a range of the record. */
enum liveupdate_memory_fate {
	LIVEUPDATE_MEMORY_TAKEN,	/* a driver took it */
	LIVEUPDATE_MEMORY_FREE,		/* its device was stopped: freed */
	LIVEUPDATE_MEMORY_KEEP,		/* its device may write to it: kept */
};

enum liveupdate_memory_fate
liveupdate_memory_fate(const struct liveupdate_memory *memory);

/* What a record's range may become. */
enum liveupdate_memory_verdict {
	LIVEUPDATE_MEMORY_KEPT,
	LIVEUPDATE_MEMORY_REJECT,
	LIVEUPDATE_MEMORY_FATAL,
};

enum liveupdate_memory_verdict
liveupdate_memory_check(const struct range *range,
			const struct liveupdate_channel_range *found,
			unsigned int nr_found, bool overflow);

/* liveupdate_sysfs.c */
#define LIVEUPDATE_NR_FEATURES	1
extern const char * const liveupdate_feature_names[LIVEUPDATE_NR_FEATURES];
extern const char * const liveupdate_state_names[DEVICE_LIVEUPDATE_INCOMING + 1];
/* Room for every feature name, commas and a NUL. */
#define LIVEUPDATE_FEATURES_TEXT_LEN	32
const char *liveupdate_features_text(char *buf, size_t size,
				     unsigned int features);

/* liveupdate_session.c */
int device_liveupdate_prepare(void);
int device_liveupdate_freeze(void);
int device_liveupdate_cancel(void);
int device_liveupdate_finish(void);
enum device_liveupdate_session_state device_liveupdate_state(void);
int liveupdate_kexec_check(u64 generation, bool file_mode, bool preserve_context);
int liveupdate_replace_record(const void *blob, size_t size);

unsigned int device_liveupdate_states(void);

#if IS_ENABLED(CONFIG_KUNIT)
/* For drivers/base/test/liveupdate_test.c only. */
void device_liveupdate_show_devices(struct seq_file *s);
int device_liveupdate_session_command(const char *text, size_t count);
int device_liveupdate_set_incoming(const void *record, size_t size);
int device_liveupdate_end_frozen(void);
bool liveupdate_shutdown_member(struct device *dev, bool kexec);
const void *device_liveupdate_handover(size_t *size);
#endif

#endif /* _DRIVERS_BASE_LIVEUPDATE_H_ */
