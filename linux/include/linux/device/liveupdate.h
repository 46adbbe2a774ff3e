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
 * @DEVICE_LIVEUPDATE_REASON_SUPPLIER: the supplier is a device-link supplier.
 */
enum device_liveupdate_reason {
	DEVICE_LIVEUPDATE_REASON_PARENT,
	DEVICE_LIVEUPDATE_REASON_BUS_MASTER_PATH,
	DEVICE_LIVEUPDATE_REASON_SUPPLIER,
};

/* Most memory ranges one device can have preserved, and all devices together. */
#define DEVICE_LIVEUPDATE_MEMORY_RANGES	8
#define DEVICE_LIVEUPDATE_MEMORY_MAX	256

/* Longest location or model string a bus may report for a device. */
#define DEVICE_LIVEUPDATE_ID_LEN	64

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
 * @validate: optional; refuse to keep @dev for @features when that cannot
 *	work, such as bus mastering for a device that cannot master or whose
 *	DMA an IOMMU translates: return a negative error code and log one
 *	line saying why.  Called without the core's lock for every member of
 *	a set with its final features, at prepare and again at freeze, and
 *	on every request.
 * @lock: optional; take the bus's hot-plug lock, so that no device of the
 *	bus is added or removed while the core collects the set.
 * @unlock: release what @lock took.
 * @lock_held: optional; lockdep assertion that @lock is held.
 * @prepare: optional; the device entered a prepared set with @features.
 *	A failure aborts the prepare step; devices already prepared get
 *	@cancel.
 * @freeze: optional; last call before the kexec reboot, in reverse set
 *	order (dependents before what they depend on), after the driver's.
 * @unfreeze: optional; the kexec was refused after @freeze: undo it, the
 *	session is prepared again.
 * @cancel: optional; the session was cancelled: undo @prepare.
 * @finish: optional; new kernel, the session is finished and the device
 *	returns to normal operation.
 * @finished: optional; new kernel, the session is finished, after every
 *	member's @finish: release what the bus held back for the whole
 *	session (PCI: bus mastering of a bridge it could not keep, and of
 *	the devices below it).  Called once per bus, without the core's
 *	lock, with the session mutex and the core's bus-list mutex held; it
 *	may take device locks.
 * @shutdown: optional; at the kexec's device_shutdown(), replaces the
 *	bus's and the driver's shutdown of a member kept only because other
 *	members depend on it (it was not requested): keep running what its
 *	dependents need (@features) and stop the rest.  Its driver, if it
 *	has one, quiesced what it owns at freeze.  Called with the device's
 *	and its parent's locks held, like bus_type.shutdown.  Without it
 *	such a member is left running, as a requested one always is.
 * @stop: optional; stop what a plain kexec would have stopped (PCI: Bus
 *	Master Enable).  Called when the new kernel was handed a record it
 *	could not accept, so it cannot tell which devices the previous kernel
 *	left running: for every device of the bus as it is added, before it
 *	is on the bus's list of devices, so before any driver can bind it;
 *	and likewise for a device found where the record names another model.
 *	Called at finish, with the device's and its parent's locks held, for
 *	an incoming device no driver took over, before the memory it writes
 *	to is freed.
 *	Return 0, or -EBUSY if the device must go on (a bridge forwarding
 *	the DMA of devices below it that drivers run): its memory then
 *	stays reserved.
 *
 * @dependencies and @identify run under the core's lock (liveupdate_mutex),
 * which device_del() takes with device locks held: they must not take a
 * device lock or a lock that nests outside one.  @validate, @prepare,
 * @freeze, @unfreeze, @cancel and @finish run with no core lock held, one
 * session step at a time, on a device the core holds a reference on; they
 * may take the device's lock (device_lock(), pci_dev_lock()).  A member removed during
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
	void (*unfreeze)(struct device *dev, unsigned int features);
	void (*cancel)(struct device *dev, unsigned int features);
	void (*finish)(struct device *dev, unsigned int features);
	void (*finished)(void);
	void (*shutdown)(struct device *dev, unsigned int features);
	int (*stop)(struct device *dev);
};

/**
 * struct device_liveupdate_driver_ops - what a driver tells the liveupdate core
 * @prepare: optional; the device entered a prepared set, kept for the
 *	features its driver requested (@requested) and those other members
 *	need from it (@derived).  Return 0 to agree to keep it for exactly
 *	that, or a negative error code, which fails the prepare.
 * @freeze: optional; last call before the kexec reboot, before the bus's
 *	@freeze, dependents first.  The device keeps running for
 *	@requested and @derived: stop what must not go on (a member kept only
 *	for others quiesces what it owns, such as its own interrupts and
 *	services) and start what must.  Its driver's shutdown() is not
 *	called at the kexec.  An error refuses the kexec: members already
 *	frozen are unfrozen and the session stays prepared.
 * @unfreeze: optional; the kexec was refused after @freeze: undo it.  The
 *	session is prepared again.
 * @cancel: optional; the session was cancelled, after the bus's @cancel:
 *	undo @prepare.
 * @finish: optional; new kernel, the session is finished, after the bus's
 *	@finish; @features are those the previous kernel kept.
 *
 * Setting device_driver.liveupdate says that the driver can hand its
 * devices over across a kexec.  It asks for a device it is bound to with
 * device_liveupdate_request(), and that request lasts as long as the
 * binding: unbinding the driver withdraws it.  A device kept only because
 * other members depend on it must be unbound or bound to a driver with
 * these ops, which the core then calls too.  All callbacks run in process
 * context with the device's lock held and no core lock, one session step
 * at a time, for every member bound to the driver.
 */
struct device_liveupdate_driver_ops {
	int (*prepare)(struct device *dev, unsigned int requested,
		       unsigned int derived);
	int (*freeze)(struct device *dev, unsigned int requested,
		      unsigned int derived);
	void (*unfreeze)(struct device *dev, unsigned int requested,
			 unsigned int derived);
	void (*cancel)(struct device *dev, unsigned int requested,
		       unsigned int derived);
	void (*finish)(struct device *dev, unsigned int features);
};

#ifdef CONFIG_DEVICE_LIVEUPDATE

int device_liveupdate_request(struct device *dev, unsigned int features);
int device_liveupdate_withdraw(struct device *dev);
bool device_liveupdate_outgoing(struct device *dev, unsigned int features);
bool device_liveupdate_incoming(struct device *dev, unsigned int features);
bool device_liveupdate_match_incoming(struct device *dev);
int device_liveupdate_named(struct device *dev);
bool device_liveupdate_refuse_incoming(struct device *dev);
bool device_liveupdate_kexec_frozen(void);
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

int device_liveupdate_preserve_memory(struct device *dev, phys_addr_t start,
				      u64 size);
int device_liveupdate_release_memory(struct device *dev, phys_addr_t start,
				     u64 size);
int device_liveupdate_incoming_memory(struct device *dev, unsigned int index,
				      phys_addr_t *start, u64 *size);
int device_liveupdate_free_incoming_memory(struct device *dev,
					   phys_addr_t start, u64 size);

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

static inline int device_liveupdate_named(struct device *dev)
{
	return 0;
}

static inline bool device_liveupdate_refuse_incoming(struct device *dev)
{
	return false;
}

static inline bool device_liveupdate_kexec_frozen(void)
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

static inline int device_liveupdate_free_incoming_memory(struct device *dev,
							 phys_addr_t start,
							 u64 size)
{
	return -ENOENT;
}

#endif /* CONFIG_DEVICE_LIVEUPDATE */

/* The kexec reboot hook: kernel_kexec() asks before anything is shut down. */
#if defined(CONFIG_DEVICE_LIVEUPDATE) && defined(CONFIG_KEXEC_CORE)
int device_liveupdate_kexec(const struct kimage *image);
#else
static inline int device_liveupdate_kexec(const struct kimage *image)
{
	return 0;
}
#endif

#endif /* _DEVICE_LIVEUPDATE_H_ */
