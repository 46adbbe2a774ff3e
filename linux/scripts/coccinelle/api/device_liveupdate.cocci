// SPDX-License-Identifier: GPL-2.0
/// Keep the device liveupdate state and bus ops private to the driver core.
///
/// [init] device_liveupdate_init() is called by device_initialize() only:
/// the per-device state is set up in one place, for every device.
///
/// [state] Only the core, drivers/base/liveupdate*.c, touches
/// the ->liveupdate field of a struct device.  Drivers and buses use the
/// device_liveupdate_*() API instead.  The ->liveupdate field of a struct
/// bus_type (the bus's ops) is not matched.
///
/// [ops] The callbacks of a struct device_liveupdate_ops are called by
/// the liveupdate core only, with its locks held and in set order; a bus
/// sets them in its bus_type and never calls them itself.
///
/// [bit] Flag definitions in liveupdate code use BIT(N), not (1 << N).
/// Only files named *liveupdate* or including a liveupdate.h are checked.
///
/// The core files are recognised by their name in the python rules below,
/// so that coccicheck can run this on the whole tree: [state] and [ops]
/// skip drivers/base/liveupdate*.c and the core's KUnit tests,
/// drivers/base/test/liveupdate*.c, which check the bus ops directly.  Expressions are
/// matched by type: with --no-includes an expression whose type coccinelle
/// cannot see (a struct member from a header it does not read) is only
/// found through the usual spellings, E->dev.liveupdate and
/// E->liveupdate->callback(...).
///
// Confidence: High for [init] and [bit], Moderate for [state] and [ops]
// Options: --no-includes --include-headers

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
import re

core_re = re.compile(r'(^|/)drivers/base/(test/)?liveupdate[^/]*\.c$')
lu_file_re = re.compile(r'liveupdate[^/]*\.[ch]$')

def in_core(p):
	return core_re.search(p[0].file) is not None

// ---------------------------------------------------------------------
// [init] device_liveupdate_init() outside device_initialize()

@init_call depends on !patch@
position p;
@@

device_liveupdate_init@p(...)

@script:python depends on report@
p << init_call.p;
@@

if p[0].current_element != "device_initialize":
	coccilib.report.print_report(p[0],
		"[init] device_liveupdate_init() called from %s(): only device_initialize() may set up the liveupdate state"
		% p[0].current_element)

@script:python depends on org@
p << init_call.p;
@@

if p[0].current_element != "device_initialize":
	cocci.print_main("[init] device_liveupdate_init() outside device_initialize()", p)

// ---------------------------------------------------------------------
// [state] struct device ->liveupdate outside the core

@state depends on !patch@
struct device *d;
struct device dv;
expression E;
position p;
@@

(
 d->liveupdate@p
|
 dv.liveupdate@p
|
 E->dev.liveupdate@p
|
 E.dev.liveupdate@p
)

@script:python depends on report@
p << state.p;
@@

if not in_core(p):
	coccilib.report.print_report(p[0],
		"[state] struct device ->liveupdate used outside drivers/base/liveupdate*.c: use the device_liveupdate_*() API")

@script:python depends on org@
p << state.p;
@@

if not in_core(p):
	cocci.print_main("[state] struct device ->liveupdate outside the core", p)

// ---------------------------------------------------------------------
// [ops] struct device_liveupdate_ops callback called outside the core

@ops_call depends on !patch@
struct device_liveupdate_ops *ops;
struct device_liveupdate_ops o;
expression E;
identifier cb = {dependencies, identify, validate, prepare, freeze, unfreeze,
		 cancel, finish, finished, shutdown, stop,
		 lock, unlock, lock_held};
position p;
@@

(
 ops->cb@p(...)
|
 o.cb@p(...)
|
 E->liveupdate->cb@p(...)
|
 E.liveupdate->cb@p(...)
)

@script:python depends on report@
p << ops_call.p;
cb << ops_call.cb;
@@

if not in_core(p):
	coccilib.report.print_report(p[0],
		"[ops] device_liveupdate_ops->%s() called outside the liveupdate core: only drivers/base/liveupdate*.c call bus ops"
		% cb)

@script:python depends on org@
p << ops_call.p;
cb << ops_call.cb;
@@

if not in_core(p):
	cocci.print_main("[ops] device_liveupdate_ops->%s() outside the core" % cb, p)

// ---------------------------------------------------------------------
// [bit] #define NAME (1 << N) in liveupdate code: use BIT(N)

@lu_header@
@@

(
#include <linux/device/liveupdate.h>
|
#include "liveupdate.h"
)

@bit@
identifier NAME;
expression N;
position p;
@@

#define NAME@p \((1 << N)\|(1U << N)\|(1UL << N)\)

@script:python depends on bit && !lu_header@
p << bit.p;
@@

if lu_file_re.search(p[0].file) is None:
	cocci.include_match(False)

@depends on patch@
identifier bit.NAME;
expression bit.N;
@@

#define NAME
-(1 << N)
+BIT(N)

@depends on patch@
identifier bit.NAME;
expression bit.N;
@@

#define NAME
-(1U << N)
+BIT(N)

@depends on patch@
identifier bit.NAME;
expression bit.N;
@@

#define NAME
-(1UL << N)
+BIT(N)

@script:python depends on report@
p << bit.p;
flag << bit.NAME;
shift << bit.N;
@@

coccilib.report.print_report(p[0],
	"[bit] %s: use BIT(%s) for a liveupdate flag, not a shift" % (flag, shift))

@script:python depends on org@
p << bit.p;
flag << bit.NAME;
shift << bit.N;
@@

cocci.print_main("[bit] %s: use BIT(%s)" % (flag, shift), p)
