#!/usr/bin/python3
"""The module graph of lib/ and of server/ has no cycle.

usage: check_cycles.py DIR...

A module is a name: x.c and x.h are module x. Module x depends on y when x.c
or x.h has #include "y.h". Prints each cycle found, and exits 1 if any.
"""
import os, re, sys

failed = 0
for d in sys.argv[1:]:
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
    # depth-first search; a grey node reached again closes a cycle
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
    for c in cycles:
        print(f"cycle in {d}/: " + " -> ".join(c))
    failed += len(cycles)
    print(f"{d}/: {len(deps)} modules, {sum(len(v) for v in deps.values())} dependencies, {len(cycles)} cycles")
sys.exit(1 if failed else 0)
