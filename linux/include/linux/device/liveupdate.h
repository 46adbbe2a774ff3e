/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device liveupdate: keep selected devices running across a kexec.
 *
 * The driver core owns the per-device state, the session and the ordered
 * set of devices to preserve.  A bus opts in by pointing its bus_type at a
 * struct device_liveupdate_ops, which answers the questions only the bus can
 * answer: what a device depends on, and how to name it for the next kernel.
 * See Documentation/driver-api/liveupdate.rst.
 */
#ifndef _DEVICE_LIVEUPDATE_H_
#define _DEVICE_LIVEUPDATE_H_

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/range.h>
#include <linux/types.h>

struct device;
struct kimage;

/*
 * Features a device can be preserved for.  A driver requests some of them;
 * the devices it depends on get the features they need derived from that.
 */
#define DEVICE_LIVEUPDATE_BUS_MASTER	BIT(0)	/* keep DMA (bus mastering) */
#define DEVICE_LIVEUPDATE_FEATURES	(DEVICE_LIVEUPDATE_BUS_MASTER)

/**
 * enum device_liveupdate_reason - why a device depends on another one
 * @DEVICE_LIVEUPDATE_REASON_PARENT: the supplier is the device's parent.
 * @DEVICE_LIVEUPDATE_REASON_BUS_MASTER_PATH: the supplier forwards the
 *	device's DMA (an upstream bridge) and must keep doing so.
 * @DEVICE_LIVEUPDATE_REASON_SRIOV_PF: the supplier is the physical function
 *	of an SR-IOV virtual function.
 * @DEVICE_LIVEUPDATE_REASON_SUPPLIER: the supplier is a device-link supplier.
 */
enum device_liveupdate_reason {
	DEVICE_LIVEUPDATE_REASON_PARENT,
	DEVICE_LIVEUPDATE_REASON_BUS_MASTER_PATH,
	DEVICE_LIVEUPDATE_REASON_SRIOV_PF,
	DEVICE_LIVEUPDATE_REASON_SUPPLIER,
};

/**
 * enum device_liveupdate_session_state - state of the liveupdate session
 * @DEVICE_LIVEUPDATE_NORMAL: no session; devices may be requested and
 *	withdrawn.
 * @DEVICE_LIVEUPDATE_PREPARED: the set is collected, ordered and fixed.
 * @DEVICE_LIVEUPDATE_FROZEN: the set is frozen for the kexec reboot, by
 *	kernel_kexec() before any device is shut down.
 * @DEVICE_LIVEUPDATE_INCOMING: new kernel; devices handed over by the
 *	previous kernel are kept as they are until the session is finished.
 */
enum device_liveupdate_session_state {
	DEVICE_LIVEUPDATE_NORMAL,
	DEVICE_LIVEUPDATE_PREPARED,
	DEVICE_LIVEUPDATE_FROZEN,
	DEVICE_LIVEUPDATE_INCOMING,
};

/* Most memory ranges one device can have preserved, and all devices together. */
#define DEVICE_LIVEUPDATE_MEMORY_RANGES	8
#define DEVICE_LIVEUPDATE_MEMORY_MAX	256

/* Longest location or model string a bus may report for a device. */
#define DEVICE_LIVEUPDATE_ID_LEN	32

/**
 * struct device_liveupdate_identity - how the next kernel finds a device
 * @location: where the device sits on its bus, stable across a kexec
 *	(PCI: "0000:01:00.0"; platform and auxiliary: the device name).
 * @model: what the device is, to detect a different device at the same
 *	location (PCI: "1b36:11e8"); empty if the bus has nothing better.
 *
 * Both strings may only contain letters, digits and ":._-".
 */
struct device_liveupdate_identity {
	char location[DEVICE_LIVEUPDATE_ID_LEN];
	char model[DEVICE_LIVEUPDATE_ID_LEN];
};

struct device_liveupdate_collector;

/**
 * struct device_liveupdate_ops - what a bus tells the liveupdate core
 * @dependencies: report, with device_liveupdate_depends_on(), every device
 *	@dev needs to keep its @features across the kexec, in a stable order.
 *	Called with the core's lock and the bus's hot-plug lock held, with a
 *	reference on @dev.  The core reads the devices reported only after
 *	the op returns, and refuses then those it cannot keep.  Return 0 or
 *	a negative error code, which aborts the collection.
 * @identify: fill @id for @dev.  Must work for a device that has been
 *	initialised but not yet added (bus code may ask early, see
 *	device_liveupdate_match_incoming()).  Called with the core's lock
 *	held.  Return 0 or a negative error code.
 * @validate: optional; refuse a request that makes no sense for @dev,
 *	such as bus mastering for a device that cannot master: return a
 *	negative error code and log one line saying why.  Called without the
 *	core's lock, on every request.
 * @lock: optional; take the bus's hot-plug lock, so that no device of the
 *	bus is added or removed while the core collects the set.
 * @unlock: release what @lock took.
 * @lock_held: optional; lockdep assertion that @lock is held.
 * @prepare: optional; the device entered a prepared set with @features.
 *	A failure aborts the prepare step; devices already prepared get
 *	@cancel.
 * @freeze: optional; last call before the kexec reboot, in reverse set
 *	order (dependents before what they depend on).
 * @cancel: optional; the session was cancelled, undo @prepare (and
 *	@freeze if the reboot did not happen).
 * @finish: optional; new kernel, the session is finished and the device
 *	returns to normal operation.
 * @shutdown: optional; replaces the bus's and the driver's shutdown of a
 *	member kept only because other members depend on it (it was not
 *	requested), at the kexec's device_shutdown(): quiesce what the device
 *	owns, such as its own interrupts and services, and keep running what
 *	its dependents need (@features).  Called with the device's and its
 *	parent's locks held, like bus_type.shutdown.  Without it such a
 *	member is left running, as a requested one always is.
 * @stop: optional; the new kernel was handed a record it could not accept,
 *	so it cannot tell which devices the previous kernel left running:
 *	stop what a plain kexec would have stopped (PCI: Bus Master Enable).
 *	Called for every device of the bus as it is added, before it is on
 *	the bus's list of devices, so before any driver can bind it.
 *
 * @dependencies and @identify run under the core's lock (liveupdate_mutex),
 * which device_del() takes with device locks held: they must not take a
 * device lock or a lock that nests outside one.  @prepare, @freeze,
 * @cancel and @finish run with no core lock held, one session step at a
 * time, on a device the core holds a reference on; they may take the
 * device's lock (device_lock(), pci_dev_lock()).  A member removed during
 * the session gets no further call.  All callbacks run in process context
 * and may sleep.  None of them may call back into the liveupdate API.
 */
struct device_liveupdate_ops {
	int (*dependencies)(struct device *dev, unsigned int features,
			    struct device_liveupdate_collector *collector);
	int (*identify)(struct device *dev,
			struct device_liveupdate_identity *id);
	int (*validate)(struct device *dev, unsigned int features);
	void (*lock)(void);
	void (*unlock)(void);
	void (*lock_held)(void);
	int (*prepare)(struct device *dev, unsigned int features);
	void (*freeze)(struct device *dev, unsigned int features);
	void (*cancel)(struct device *dev, unsigned int features);
	void (*finish)(struct device *dev, unsigned int features);
	void (*shutdown)(struct device *dev, unsigned int features);
	void (*stop)(struct device *dev);
};

/**
 * struct device_liveupdate_driver_ops - what a driver tells the liveupdate core
 * @request: optional; userspace asked, through the device's liveupdate
 *	sysfs file, to preserve the device: set up what it needs to keep
 *	running across the kexec, such as the memory it writes to
 *	(device_liveupdate_preserve_memory()).  Called once the request is
 *	recorded; an error withdraws it.
 * @withdraw: optional; userspace withdrew the request: undo @request.  The
 *	core has dropped the device's preserved memory already.
 * @freeze: optional; last call before the kexec reboot, before the bus's
 *	@freeze: the device keeps running, so stop what must not go on and
 *	start what must.
 * @cancel: optional; the session was cancelled, after the bus's @cancel.
 * @finish: optional; new kernel, the session is finished, after the bus's
 *	@finish.
 *
 * A driver that points device_driver.liveupdate at its ops consents to its
 * devices being preserved: a device bound to a driver that does not cannot
 * be requested.  All callbacks run in process context with the device's
 * lock held and no core lock; @freeze, @cancel and @finish are called for
 * every member bound to the driver, one session step at a time.
 */
struct device_liveupdate_driver_ops {
	int (*request)(struct device *dev);
	void (*withdraw)(struct device *dev);
	void (*freeze)(struct device *dev);
	void (*cancel)(struct device *dev);
	void (*finish)(struct device *dev);
};

#ifdef CONFIG_DEVICE_LIVEUPDATE

int device_liveupdate_request(struct device *dev, unsigned int features);
int device_liveupdate_withdraw(struct device *dev);
bool device_liveupdate_outgoing(struct device *dev, unsigned int features);
bool device_liveupdate_incoming(struct device *dev, unsigned int features);
bool device_liveupdate_match_incoming(struct device *dev);
bool device_liveupdate_refuse_incoming(struct device *dev);
int device_liveupdate_depends_on(struct device_liveupdate_collector *collector,
				 struct device *supplier,
				 enum device_liveupdate_reason reason,
				 unsigned int features);
int device_liveupdate_depends_on_suppliers(struct device_liveupdate_collector *collector,
					   struct device *dev,
					   unsigned int features);
int device_liveupdate_parent_and_suppliers(struct device *dev,
					   unsigned int features,
					   struct device_liveupdate_collector *collector);
bool device_liveupdate_capable(struct device *dev);

int device_liveupdate_prepare(void);
int device_liveupdate_freeze(void);
int device_liveupdate_cancel(void);
int device_liveupdate_finish(void);
enum device_liveupdate_session_state device_liveupdate_state(void);

int device_liveupdate_preserve_memory(struct device *dev, phys_addr_t start,
				      u64 size);
int device_liveupdate_release_memory(struct device *dev, phys_addr_t start,
				     u64 size);
int device_liveupdate_incoming_memory(struct device *dev, unsigned int index,
				      phys_addr_t *start, u64 *size);

#else /* !CONFIG_DEVICE_LIVEUPDATE */

static inline int device_liveupdate_request(struct device *dev,
					    unsigned int features)
{
	return -EOPNOTSUPP;
}

static inline int device_liveupdate_withdraw(struct device *dev)
{
	return -EOPNOTSUPP;
}

static inline bool device_liveupdate_outgoing(struct device *dev,
					      unsigned int features)
{
	return false;
}

static inline bool device_liveupdate_incoming(struct device *dev,
					      unsigned int features)
{
	return false;
}

static inline bool device_liveupdate_match_incoming(struct device *dev)
{
	return false;
}

static inline bool device_liveupdate_refuse_incoming(struct device *dev)
{
	return false;
}

static inline bool device_liveupdate_capable(struct device *dev)
{
	return false;
}

static inline int
device_liveupdate_depends_on(struct device_liveupdate_collector *collector,
			     struct device *supplier,
			     enum device_liveupdate_reason reason,
			     unsigned int features)
{
	return -EOPNOTSUPP;
}

static inline int
device_liveupdate_depends_on_suppliers(struct device_liveupdate_collector *collector,
				       struct device *dev, unsigned int features)
{
	return -EOPNOTSUPP;
}

static inline int
device_liveupdate_parent_and_suppliers(struct device *dev, unsigned int features,
				       struct device_liveupdate_collector *collector)
{
	return -EOPNOTSUPP;
}

static inline int device_liveupdate_prepare(void)
{
	return -EOPNOTSUPP;
}

static inline int device_liveupdate_freeze(void)
{
	return -EOPNOTSUPP;
}

static inline int device_liveupdate_cancel(void)
{
	return -EOPNOTSUPP;
}

static inline int device_liveupdate_finish(void)
{
	return -EOPNOTSUPP;
}

static inline enum device_liveupdate_session_state device_liveupdate_state(void)
{
	return DEVICE_LIVEUPDATE_NORMAL;
}

static inline int device_liveupdate_preserve_memory(struct device *dev,
						    phys_addr_t start, u64 size)
{
	return -EOPNOTSUPP;
}

static inline int device_liveupdate_release_memory(struct device *dev,
						   phys_addr_t start, u64 size)
{
	return -EOPNOTSUPP;
}

static inline int device_liveupdate_incoming_memory(struct device *dev,
						    unsigned int index,
						    phys_addr_t *start, u64 *size)
{
	return -ENOENT;
}

#endif /* CONFIG_DEVICE_LIVEUPDATE */

/*
 * The kexec channel: what kexec and the architecture's boot code call to
 * carry the record and the preserved memory to the next kernel.
 */
#if defined(CONFIG_DEVICE_LIVEUPDATE) && defined(CONFIG_KEXEC_CORE)

/**
 * struct device_liveupdate_image - what a kexec image carries for liveupdate
 * @generation: the session whose record it carries, 0 for none.
 * @record: the record, @size bytes and a NUL; freed after the load.
 * @size: its length.
 * @record_addr: physical address of the kexec segment holding @record.
 * @record_memsz: size of that segment, whole pages.
 * @nr_ranges: number of entries in @ranges.
 * @ranges: the memory preserved devices keep writing to (inclusive ends).
 */
struct device_liveupdate_image {
	u64 generation;
	char *record;
	size_t size;
	phys_addr_t record_addr;
	size_t record_memsz;
	unsigned int nr_ranges;
	struct range ranges[] __counted_by(nr_ranges);
};

int device_liveupdate_kexec(const struct kimage *image);
int device_liveupdate_kexec_load(struct kimage *image);
void device_liveupdate_kexec_cleanup(struct kimage *image);
bool device_liveupdate_kexec_overlaps(const struct kimage *image,
				      unsigned long start, unsigned long end);

#else

static inline int device_liveupdate_kexec(const struct kimage *image)
{
	return 0;
}

static inline int device_liveupdate_kexec_load(struct kimage *image)
{
	return 0;
}

static inline void device_liveupdate_kexec_cleanup(struct kimage *image)
{
}

static inline bool device_liveupdate_kexec_overlaps(const struct kimage *image,
						    unsigned long start,
						    unsigned long end)
{
	return false;
}

#endif /* CONFIG_DEVICE_LIVEUPDATE && CONFIG_KEXEC_CORE */

/* The incoming half: the architecture's early boot code reports both. */
#ifdef CONFIG_DEVICE_LIVEUPDATE
void device_liveupdate_record_found(u64 addr, u64 size);
void device_liveupdate_memory_found(u64 addr, u64 size);
#else
static inline void device_liveupdate_record_found(u64 addr, u64 size)
{
}

static inline void device_liveupdate_memory_found(u64 addr, u64 size)
{
}
#endif

#endif /* _DEVICE_LIVEUPDATE_H_ */
