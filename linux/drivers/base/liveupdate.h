/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device liveupdate internals shared by liveupdate.c (sessions and sets)
 * and liveupdate_handover.c (the record handed to the next kernel).
 * Nothing outside these two files uses them.
 */
#ifndef _DRIVERS_BASE_LIVEUPDATE_H_
#define _DRIVERS_BASE_LIVEUPDATE_H_

#include <linux/device/liveupdate.h>
#include <linux/list.h>
#include <linux/rbtree.h>

struct seq_file;

/* device_liveupdate.flags */
#define LIVEUPDATE_QUEUED	BIT(0)	/* waiting to have its dependencies queried */
#define LIVEUPDATE_EXPANDED	BIT(1)	/* dependencies queried */
#define LIVEUPDATE_ON_PATH	BIT(2)	/* suppliers stacked, not yet placed */
#define LIVEUPDATE_MEMBER	BIT(3)	/* placed in liveupdate_set */
#define LIVEUPDATE_INCOMING	BIT(4)	/* handed over by the previous kernel */
#define LIVEUPDATE_REMOVED	BIT(5)	/* device_del() ran during the session */
#define LIVEUPDATE_PREPARED	BIT(6)	/* ops->prepare succeeded */

/**
 * struct device_liveupdate - liveupdate state of one device
 * @dev: the device; the state holds a reference on it.
 * @request_node: node in liveupdate_requests while requested.
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
 *
 * Allocated only for devices that take part: a requested device, a device
 * collected as a dependency, or a device handed over by the previous kernel.
 */
struct device_liveupdate {
	struct device *dev;
	struct rb_node request_node;
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
};

/* Kernel command-line parameter carrying the record to the next kernel. */
#define DEVICE_LIVEUPDATE_HANDOVER_PARAM	"device_liveupdate.handover="
/* Longest record, without the parameter name; see liveupdate.rst. */
#define DEVICE_LIVEUPDATE_HANDOVER_MAX		1024
/* Most devices one record can name. */
#define DEVICE_LIVEUPDATE_HANDOVER_ENTRIES	64
/* Longest bus name a record can carry. */
#define DEVICE_LIVEUPDATE_BUS_NAME_LEN		20

/**
 * enum liveupdate_record_status - what became of a handed-over device
 * @LIVEUPDATE_RECORD_PENDING: not seen yet.
 * @LIVEUPDATE_RECORD_RESTORED: found, same model, kept as incoming.
 * @LIVEUPDATE_RECORD_MISMATCH: a different model sits at the location.
 * @LIVEUPDATE_RECORD_MISSING: not found by the time the session finished.
 * @LIVEUPDATE_RECORD_REMOVED: found, then removed before finish.
 */
enum liveupdate_record_status {
	LIVEUPDATE_RECORD_PENDING,
	LIVEUPDATE_RECORD_RESTORED,
	LIVEUPDATE_RECORD_MISMATCH,
	LIVEUPDATE_RECORD_MISSING,
	LIVEUPDATE_RECORD_REMOVED,
};

struct liveupdate_record;

int liveupdate_record_encode(struct list_head *set, char *buf, size_t size);
int liveupdate_record_parse(const char *text, struct liveupdate_record **out,
			    const char **why);
void liveupdate_record_free(struct liveupdate_record *record);
unsigned int liveupdate_record_count(const struct liveupdate_record *record);
const char *liveupdate_record_bus(const struct liveupdate_record *record,
				  unsigned int index);
unsigned int liveupdate_record_features(const struct liveupdate_record *record,
					unsigned int index);
int liveupdate_record_match(struct liveupdate_record *record,
			    struct device *dev,
			    const struct device_liveupdate_identity *id);
void liveupdate_record_set_status(struct liveupdate_record *record, int index,
				  enum liveupdate_record_status status);
void liveupdate_record_report(struct liveupdate_record *record);
void liveupdate_record_show(struct seq_file *s,
			    const struct liveupdate_record *record);
const char *liveupdate_record_from_cmdline(void);

#if IS_ENABLED(CONFIG_KUNIT)
/* For drivers/base/test/liveupdate_test.c only. */
int device_liveupdate_find_device(const char *bus_name, const char *dev_name,
				  struct device **dev);
void device_liveupdate_show_devices(struct seq_file *s);
int device_liveupdate_command(char *line, bool withdraw);
int device_liveupdate_session_command(char *line);
int device_liveupdate_set_incoming(const char *record);
const char *device_liveupdate_handover(void);
unsigned int device_liveupdate_states(void);
#endif

#endif /* _DRIVERS_BASE_LIVEUPDATE_H_ */
