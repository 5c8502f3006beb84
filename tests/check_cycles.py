#!/usr/bin/python3
"""The module graphs of lib/ and of server/ have no cycle.

usage: check_cycles.py DIR[:OBJDIR]...

A module is a name: x.c and x.h are module x. Two graphs per directory:
- includes: x depends on y when x.c or x.h has #include "y.h";
- links (with OBJDIR, the built objects): x depends on y when x.o uses a
  symbol that y.o defines (nm), which catches two files that call each
  other through a shared header.
Prints each cycle found, and exits 1 if any.
"""
import os, re, subprocess, sys

def cycles_of(deps):
    """The cycles a depth-first search closes (a grey node reached again)."""
    state, stack, cycles = {}, [], []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for n in sorted(deps.get(m, ())):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif not state.get(n):
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(deps):
        if not state.get(m):
            visit(m)
    return cycles


def include_graph(d):
    deps = {}
    for f in sorted(os.listdir(d)):
        if not f.endswith((".c", ".h")):
            continue
        m = f[:-2]
        deps.setdefault(m, set())
        for line in open(os.path.join(d, f), encoding="utf-8"):
            inc = re.match(r'\s*#\s*include\s+"([^"/]+)\.h"', line)
            if inc and inc.group(1) != m and os.path.exists(os.path.join(d, inc.group(1) + ".h")):
                deps[m].add(inc.group(1))
    return deps


def link_graph(objdir):
    defined, used = {}, {}
    for f in sorted(os.listdir(objdir)):
        if not f.endswith(".o"):
            continue
        m = f[:-2]
        used[m] = set()
        out = subprocess.run(["nm", os.path.join(objdir, f)], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDBRC":
                defined[p[2]] = m
            elif len(p) == 2 and p[0] == "U":
                used[m].add(p[1])
    return {m: {defined[x] for x in u if x in defined and defined[x] != m} for m, u in used.items()}


failed = 0
for arg in sys.argv[1:]:
    d, _, objdir = arg.partition(":")
    graphs = [("includes", include_graph(d))]
    if objdir:
        graphs.append(("links", link_graph(objdir)))
    for kind, deps in graphs:
        cycles = cycles_of(deps)
        for c in cycles:
            print(f"cycle in {d}/ ({kind}): " + " -> ".join(c))
        failed += len(cycles)
        print(f"{d}/ {kind}: {len(deps)} modules, {sum(len(v) for v in deps.values())} dependencies, "
              f"{len(cycles)} cycles")
sys.exit(1 if failed else 0)
