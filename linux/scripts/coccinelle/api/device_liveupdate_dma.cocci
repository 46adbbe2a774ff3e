// SPDX-License-Identifier: GPL-2.0
/// Device liveupdate: what a PCI driver has to ask before it stops or resets
/// a device, and what it has to give back on an error path.
///
/// [shutdown] A callback of a struct pci_driver that may run on a member
/// of a frozen session calls one of
///   pci_clear_master(), pci_disable_device(), pci_disable_sriov(),
///   pcie_flr(), pci_reset_function(), pci_reset_function_locked(),
///   __pci_reset_function_locked(), pci_try_reset_function(),
///   pci_reset_bus(), pci_bridge_secondary_bus_reset(),
///   pci_prepare_to_sleep(), or pci_set_power_state() or
///   pci_set_power_state_locked() with PCI_D3hot, PCI_D3cold or
///   pci_choose_state(...)
/// (each of them ends the device's DMA or resets it) on a path from the
/// start of the callback on which it has not called
/// device_liveupdate_outgoing().  The callbacks are the pci_driver's
/// legacy .suspend (the PCI core calls it for freeze and poweroff too),
/// its .shutdown if it drives bridges, and the .freeze,
/// .freeze_late, .freeze_noirq, .poweroff, .poweroff_late and
/// .poweroff_noirq of the dev_pm_ops its .driver.pm points to, including
/// the suspend callback given to SET_[LATE_|NOIRQ_]SYSTEM_SLEEP_PM_OPS(),
/// [DEFINE_]SIMPLE_DEV_PM_OPS() and [DEFINE_]UNIVERSAL_DEV_PM_OPS().  A
/// call to a function of the same file that itself calls one of the above
/// on such a path counts as well (one level deep).  device_shutdown() calls a member's shutdown() only
/// through the PCI bus's shutdown op, which calls it for a bridge kept for
/// the devices below it and for no other device: .shutdown counts only in
/// a file that names a bridge class (PCI_CLASS_BRIDGE_*), as the id table
/// of a driver that binds bridges does.  Nothing keeps the PM callbacks
/// from running while a session is frozen.  .remove does not count: a
/// member's driver cannot be unbound while a session holds the binding
/// (an unbinding the kernel forces breaks the session, and the kexec is
/// refused), and a request ends with its binding, so .remove must stop
/// the device.
///
/// [probe] The .probe of a struct pci_driver calls pcie_flr(),
/// pci_reset_function(), pci_reset_function_locked(),
/// __pci_reset_function_locked(), pci_try_reset_function(),
/// pci_reset_bus() or pci_bridge_secondary_bus_reset(), directly or
/// through a function of the same file, on a path on which it has not
/// called device_liveupdate_incoming(): a device the previous kernel
/// handed over must not be reset.
///
/// [release] A function returns an error (return -E, ERR_PTR(),
/// PTR_ERR(), or the variable an if tested to get there) after a
/// device_liveupdate_preserve_memory() that succeeded, on a path without
/// device_liveupdate_release_memory() or device_liveupdate_withdraw():
/// the range would stay declared for memory the error path may free.
/// A second preserve call on the path ends it, and is itself reported if
/// it fails into such a return (a loop that preserves range after range
/// is not: its own failure comes back to the same call).
///
/// [release] cannot tell whether a loop runs: an error path that releases
/// the ranges in a loop (while (i--) release) is reported when the error
/// comes after the loop that preserved them.
///
/// "Asking" is syntactic: any call of the function counts, whatever its
/// argument and whatever is done with the answer, also in a condition
/// that may be short-circuited before it.  Coccinelle cannot
/// parse a dev_pm_ops initializer made of SET_SYSTEM_SLEEP_PM_OPS() and
/// friends without their definitions, so the dev_pm_ops a pci_driver
/// points to (&ops, pm_ptr(&ops), pm_sleep_ptr(&ops)) is read as text by
/// the python code below.  Not seen: a stop or reset by register writes,
/// by devres (pcim_enable_device() disables the device on unbind), deeper
/// than one function, or in another file; a dev_pm_ops defined in another
/// file or reached through a macro; runtime PM callbacks; the .shutdown of
/// a driver that binds bridges without naming a bridge class in its file
/// (by vendor and device ID, say).
///
// Confidence: Moderate
// Options: --no-includes --include-headers

virtual org
virtual report

@initialize:python@
@@
import re

# (file, function) -> [".remove of pci_driver foo_driver", ...], for
# the callbacks each rule checks: "shutdown" and "probe".
callbacks = {"shutdown": {}, "probe": {}}
# (file, function) -> (called function, line), functions that stop or
# reset on an unasked path, per rule.
stoppers = {"shutdown": {}, "probe": {}}
# (file, line, column) of pci_set_power_state*() calls that go to D3.
to_d3 = set()
# (file, line, column) of the if that checks a preserve call -> its position.
preserved = {}
texts = {}

power_fns = ("pci_set_power_state", "pci_set_power_state_locked")

def add_callback(rule, p, fn, what):
	callbacks[rule].setdefault((p[0].file, fn), []).append(what)

def file_text(path):
	if path not in texts:
		with open(path, encoding="utf-8", errors="replace") as f:
			text = f.read()
		text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
		texts[path] = re.sub(r'//[^\n]*', ' ', text)
	return texts[path]

pm_field_re = re.compile(
	r'\.((?:freeze|poweroff)(?:_late|_noirq)?)\s*=\s*(\w+)')
pm_macro_re = re.compile(
	r'\b((?:SET_)?(?:LATE_|NOIRQ_)?SYSTEM_SLEEP_PM_OPS)\s*\(\s*(\w+)')

# The freeze and poweroff callbacks of the dev_pm_ops "ops" in "path".
def pm_callbacks(path, ops):
	text = file_text(path)
	found = []
	m = re.search(r'\bstruct\s+dev_pm_ops\s+' + re.escape(ops) +
		      r'\b[^=;{]*=\s*\{(.*?)\}\s*;', text, re.S)
	if m:
		for f in pm_field_re.finditer(m.group(1)):
			found.append(("." + f.group(1), f.group(2)))
		for f in pm_macro_re.finditer(m.group(1)):
			found.append((f.group(1) + "()", f.group(2)))
	for f in re.finditer(r'\b((?:DEFINE_)?(?:SIMPLE|UNIVERSAL)_DEV_PM_OPS)\s*\(\s*' +
			     re.escape(ops) + r'\s*,\s*(\w+)', text):
		found.append((f.group(1) + "()", f.group(2)))
	return found

# The file names a PCI bridge class: its pci_driver may bind bridges.
def bridge_driver(path):
	return "PCI_CLASS_BRIDGE_" in file_text(path)

def ops_name(expr):
	m = re.search(r'&\s*(\w+)', expr)
	return m.group(1) if m else None

def position_key(p):
	return (p[0].file, p[0].line, p[0].column)

# The message for an error return after the check at c, or None.  A
# second preserve call p2 at the same place is a loop coming round again.
def release_msg(c, p2):
	p = preserved.get(position_key(c))
	if not p:
		return None
	if p2 and (p2[0].line, p2[0].column) == (p.line, p.column):
		return None
	return "[release] error return after device_liveupdate_preserve_memory() succeeded on line %s, without device_liveupdate_release_memory()" % p.line

def stop_counts(fn, p):
	return fn not in power_fns or position_key(p) in to_d3

def record_stopper(rule, f, fn, p):
	if stop_counts(fn, p):
		stoppers[rule].setdefault((p[0].file, f), (fn, p[0].line))

ask = {"shutdown": "device_liveupdate_outgoing()",
       "probe": "device_liveupdate_incoming()"}
harm = {"shutdown": "stops its DMA or resets it",
	"probe": "resets a device the previous kernel may have handed over"}

# The message for a direct call of fn in f at p, or None.
def direct_msg(rule, f, fn, p):
	what = callbacks[rule].get((p[0].file, f))
	if not what or not stop_counts(fn, p):
		return None
	return "[%s] %s() (%s) calls %s() on a path that does not ask %s first: it %s" % \
		(rule, f, ", ".join(what), fn, ask[rule], harm[rule])

# The message for a call of helper g in f at q, or None.
def via_msg(rule, f, g, q):
	what = callbacks[rule].get((q[0].file, f))
	stop = stoppers[rule].get((q[0].file, g))
	if not what or not stop or f == g:
		return None
	return "[%s] %s() (%s) calls %s(), which calls %s() (line %s) on a path that does not ask %s: it %s" % \
		(rule, f, ", ".join(what), g, stop[0], stop[1], ask[rule], harm[rule])

// ---------------------------------------------------------------------
// The callbacks: struct pci_driver fields, and the dev_pm_ops it points to

@drv@
identifier d, f;
identifier fld = {probe, shutdown, suspend};
position p;
@@

struct pci_driver d@p = {
	.fld = \(f\|__exit_p(f)\),
};

@script:python@
d << drv.d;
f << drv.f;
fld << drv.fld;
p << drv.p;
@@

if fld == "probe":
	add_callback("probe", p, f, ".probe of pci_driver %s" % d)
elif fld == "suspend":
	add_callback("shutdown", p, f, "legacy .suspend of pci_driver %s, called at freeze and poweroff" % d)
elif bridge_driver(p[0].file):
	add_callback("shutdown", p, f, ".shutdown of pci_driver %s, which binds bridges" % d)

@drv_pm@
identifier d;
expression E;
position p;
@@

(
struct pci_driver d@p = {
	.driver = { .pm = E, },
};
|
struct pci_driver d@p = {
	.driver.pm = E,
};
)

@script:python@
d << drv_pm.d;
e << drv_pm.E;
p << drv_pm.p;
@@

ops = ops_name(e)
if ops:
	for how, f in pm_callbacks(p[0].file, ops):
		add_callback("shutdown", p, f, "%s in dev_pm_ops %s of pci_driver %s" % (how, ops, d))

// ---------------------------------------------------------------------
// pci_set_power_state() calls that count: to D3hot, D3cold, or the state
// pci_choose_state() picks (D3hot for freeze, suspend and hibernation).

@d3@
expression E;
symbol PCI_D3hot, PCI_D3cold;
position p;
@@

\(pci_set_power_state@p\|pci_set_power_state_locked@p\)(E,
	\(PCI_D3hot\|PCI_D3cold\|pci_choose_state(...)\))

@script:python@
p << d3.p;
@@

for q in p:
	to_d3.add((q.file, q.line, q.column))

// ---------------------------------------------------------------------
// [shutdown] stopping DMA or resetting without device_liveupdate_outgoing()

@sd_stop exists@
identifier f;
identifier fn = {pci_clear_master, pci_disable_device, pci_disable_sriov,
		 pcie_flr, pci_reset_function, pci_reset_function_locked,
		 __pci_reset_function_locked, pci_try_reset_function,
		 pci_reset_bus, pci_bridge_secondary_bus_reset,
		 pci_prepare_to_sleep, pci_set_power_state,
		 pci_set_power_state_locked};
position p;
@@

f(...)
{
... when != device_liveupdate_outgoing(...)
fn@p(...)
... when any
}

@script:python@
f << sd_stop.f;
fn << sd_stop.fn;
p << sd_stop.p;
@@

record_stopper("shutdown", f, fn, p)

@sd_via exists@
identifier sd_stop.f;
identifier caller;
position q;
@@

caller(...)
{
... when != device_liveupdate_outgoing(...)
f@q(...)
... when any
}

@script:python depends on report@
f << sd_stop.f;
fn << sd_stop.fn;
p << sd_stop.p;
@@

msg = direct_msg("shutdown", f, fn, p)
if msg:
	coccilib.report.print_report(p[0], msg)

@script:python depends on org@
f << sd_stop.f;
fn << sd_stop.fn;
p << sd_stop.p;
@@

msg = direct_msg("shutdown", f, fn, p)
if msg:
	cocci.print_main(msg, p)

@script:python depends on report@
caller << sd_via.caller;
f << sd_stop.f;
q << sd_via.q;
@@

msg = via_msg("shutdown", caller, f, q)
if msg:
	coccilib.report.print_report(q[0], msg)

@script:python depends on org@
caller << sd_via.caller;
f << sd_stop.f;
q << sd_via.q;
@@

msg = via_msg("shutdown", caller, f, q)
if msg:
	cocci.print_main(msg, q)

// ---------------------------------------------------------------------
// [probe] resetting without device_liveupdate_incoming()

@pr_stop exists@
identifier f;
identifier fn = {pcie_flr, pci_reset_function, pci_reset_function_locked,
		 __pci_reset_function_locked, pci_try_reset_function,
		 pci_reset_bus, pci_bridge_secondary_bus_reset};
position p;
@@

f(...)
{
... when != device_liveupdate_incoming(...)
fn@p(...)
... when any
}

@script:python@
f << pr_stop.f;
fn << pr_stop.fn;
p << pr_stop.p;
@@

record_stopper("probe", f, fn, p)

@pr_via exists@
identifier pr_stop.f;
identifier caller;
position q;
@@

caller(...)
{
... when != device_liveupdate_incoming(...)
f@q(...)
... when any
}

@script:python depends on report@
f << pr_stop.f;
fn << pr_stop.fn;
p << pr_stop.p;
@@

msg = direct_msg("probe", f, fn, p)
if msg:
	coccilib.report.print_report(p[0], msg)

@script:python depends on org@
f << pr_stop.f;
fn << pr_stop.fn;
p << pr_stop.p;
@@

msg = direct_msg("probe", f, fn, p)
if msg:
	cocci.print_main(msg, p)

@script:python depends on report@
caller << pr_via.caller;
f << pr_stop.f;
q << pr_via.q;
@@

msg = via_msg("probe", caller, f, q)
if msg:
	coccilib.report.print_report(q[0], msg)

@script:python depends on org@
caller << pr_via.caller;
f << pr_stop.f;
q << pr_via.q;
@@

msg = via_msg("probe", caller, f, q)
if msg:
	cocci.print_main(msg, q)

// ---------------------------------------------------------------------
// [release] an error return after a successful
// device_liveupdate_preserve_memory() without releasing it.  The first
// three rules find the if that checks the call's result; the fourth
// follows the paths from there on which that if did not take its failure
// branch (gotos included) to an error return.

@rel_assign exists@
expression D, A, Z, ret;
statement S;
position p, c;
@@

ret = device_liveupdate_preserve_memory@p(D, A, Z);
... when != ret
if (\(ret@c\|ret@c < 0\|ret@c != 0\|unlikely@c(ret)\)) S

@rel_decl exists@
expression D, A, Z;
identifier v;
type T;
statement S;
position p, c;
@@

T v = device_liveupdate_preserve_memory@p(D, A, Z);
... when != v
if (\(v@c\|v@c < 0\|v@c != 0\|unlikely@c(v)\)) S

@rel_if@
expression D, A, Z;
statement S;
position p, c;
@@

if (\(device_liveupdate_preserve_memory@p@c(D, A, Z)\|device_liveupdate_preserve_memory@p@c(D, A, Z) < 0\|device_liveupdate_preserve_memory@p@c(D, A, Z) != 0\)) S

@script:python@
p << rel_assign.p;
c << rel_assign.c;
@@

preserved[position_key(c)] = p[0]

@script:python@
p << rel_decl.p;
c << rel_decl.c;
@@

preserved[position_key(c)] = p[0]

@script:python@
p << rel_if.p;
c << rel_if.c;
@@

preserved[position_key(c)] = p[0]

@rel depends on (rel_assign || rel_decl || rel_if) exists@
expression C, X, E;
statement S;
position c, p2, r;
@@

if (C@c) S
... when != device_liveupdate_release_memory(...)
    when != device_liveupdate_withdraw(...)
    when != device_liveupdate_preserve_memory(...)
    when any
(
return@r \(-E\|ERR_PTR(...)\|PTR_ERR(...)\);
|
if (\(X\|X < 0\|X != 0\|unlikely(X)\|IS_ERR(X)\)) {
... when != device_liveupdate_release_memory(...)
    when != device_liveupdate_withdraw(...)
return@r \(X\|PTR_ERR(X)\);
}
|
X = device_liveupdate_preserve_memory@p2(...);
... when != X
if (\(X\|X < 0\|X != 0\|unlikely(X)\)) {
... when != device_liveupdate_release_memory(...)
    when != device_liveupdate_withdraw(...)
return@r \(X\|-E\);
}
|
if (\(device_liveupdate_preserve_memory@p2(...)\|device_liveupdate_preserve_memory@p2(...) < 0\|device_liveupdate_preserve_memory@p2(...) != 0\)) {
... when != device_liveupdate_release_memory(...)
    when != device_liveupdate_withdraw(...)
return@r ...;
}
)

@script:python depends on report@
c << rel.c;
p2 << rel.p2 = [];
r << rel.r;
@@

msg = release_msg(c, p2)
if msg:
	coccilib.report.print_report(r[0], msg)

@script:python depends on org@
c << rel.c;
p2 << rel.p2 = [];
r << rel.r;
@@

msg = release_msg(c, p2)
if msg:
	cocci.print_main(msg, r)
