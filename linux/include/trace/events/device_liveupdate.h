/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device liveupdate tracepoints: a session's steps, in the old kernel and
 * the new one.  See Documentation/driver-api/liveupdate.rst.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM device_liveupdate

#if !defined(_TRACE_DEVICE_LIVEUPDATE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _TRACE_DEVICE_LIVEUPDATE_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(device_liveupdate_device,
		    TP_PROTO(struct device *dev, unsigned int features),
		    TP_ARGS(dev, features),
		    TP_STRUCT__entry(__string(bus, dev->bus->name)
				     __string(device, dev_name(dev))
				     __field(unsigned int, features)),
		    TP_fast_assign(__assign_str(bus);
				   __assign_str(device);
				   __entry->features = features;),
		    TP_printk("%s %s features=%#x", __get_str(bus),
			      __get_str(device), __entry->features));

/* A device was requested, with all the features it now has. */
DEFINE_EVENT(device_liveupdate_device, device_liveupdate_request,
	     TP_PROTO(struct device *dev, unsigned int features),
	     TP_ARGS(dev, features));

/* A request was withdrawn. */
DEFINE_EVENT(device_liveupdate_device, device_liveupdate_withdraw,
	     TP_PROTO(struct device *dev, unsigned int features),
	     TP_ARGS(dev, features));

/* New kernel: a device was matched as handed over by the previous one. */
DEFINE_EVENT(device_liveupdate_device, device_liveupdate_incoming,
	     TP_PROTO(struct device *dev, unsigned int features),
	     TP_ARGS(dev, features));

/*
 * The set's size is counted only when the event is on: @set is the set,
 * under the core's lock.
 */

/* Prepare: its result, the set's size and the time it took. */
TRACE_EVENT(device_liveupdate_prepare,
	    TP_PROTO(int ret, struct list_head *set, u64 nsecs),
	    TP_ARGS(ret, set, nsecs),
	    TP_STRUCT__entry(__field(int, ret)
			     __field(unsigned int, members)
			     __field(u64, nsecs)),
	    TP_fast_assign(__entry->ret = ret;
			   __entry->members = list_count_nodes(set);
			   __entry->nsecs = nsecs;),
	    TP_printk("ret=%d members=%u ns=%llu", __entry->ret,
		      __entry->members, __entry->nsecs));

/*
 * Freeze (on the kexec path), cancel or finish (with the reconciliation) of
 * the session's members, and the time it took.
 */
TRACE_EVENT(device_liveupdate_step,
	    TP_PROTO(const char *step, int ret, struct list_head *set, u64 nsecs),
	    TP_ARGS(step, ret, set, nsecs),
	    TP_STRUCT__entry(__string(step, step)
			     __field(int, ret)
			     __field(unsigned int, members)
			     __field(u64, nsecs)),
	    TP_fast_assign(__assign_str(step);
			   __entry->ret = ret;
			   __entry->members = list_count_nodes(set);
			   __entry->nsecs = nsecs;),
	    TP_printk("%s ret=%d members=%u ns=%llu", __get_str(step),
		      __entry->ret, __entry->members, __entry->nsecs));

/*
 * New kernel, at finish: how many times a device was looked up in the
 * record (once as it is added, earlier too if its bus asks) while this
 * event was enabled, and the time the lookups took.
 */
TRACE_EVENT(device_liveupdate_matched,
	    TP_PROTO(unsigned int lookups, u64 nsecs),
	    TP_ARGS(lookups, nsecs),
	    TP_STRUCT__entry(__field(unsigned int, lookups)
			     __field(u64, nsecs)),
	    TP_fast_assign(__entry->lookups = lookups;
			   __entry->nsecs = nsecs;),
	    TP_printk("lookups=%u ns=%llu", __entry->lookups, __entry->nsecs));

/* New kernel, at finish: what became of one entry of the record. */
TRACE_EVENT(device_liveupdate_reconcile,
	    TP_PROTO(const char *bus, const char *location, const char *status),
	    TP_ARGS(bus, location, status),
	    TP_STRUCT__entry(__string(bus, bus)
			     __string(location, location)
			     __string(status, status)),
	    TP_fast_assign(__assign_str(bus);
			   __assign_str(location);
			   __assign_str(status);),
	    TP_printk("%s %s %s", __get_str(bus), __get_str(location),
		      __get_str(status)));

#endif /* _TRACE_DEVICE_LIVEUPDATE_H */

/* This part must be outside protection */
#include <trace/define_trace.h>
