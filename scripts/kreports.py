#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Find the kernel's own bug reports in a console log and judge them.

Reports are KASAN, KCSAN, UBSAN, lockdep and RCU-lockdep splats, WARN()s,
oopses ("BUG: ...", "WARNING: ...", "UBSAN: ...") and kmemleak's
"unreferenced object" records. A report is memlayout's when one of its
frames (or a KCSAN "data-race in A / B" title) names a function defined in
the memlayout objects of the build; those fail the layer, the others are
only counted (they belong to the rest of the kernel).

usage: kreports.py BUILD_DIR LOG [--kmemleak]
  --kmemleak: the log must hold the kmemleak section printed by the
  initramfs of scripts/kunit.sh ("memlayout-kmemleak: begin/end"); a
  missing section (kmemleak off, scan failed) fails too.
Prints one line per memlayout report and a summary; exits 1 when any
memlayout report (or a missing kmemleak scan) was found.
"""
import glob
import os
import re
import subprocess
import sys

START = re.compile(r'(\bBUG: |\bWARNING: |\bUBSAN: |general protection fault|'
                   r'Kernel panic|unreferenced object 0x)')
END = re.compile(r'(^=+$|---\[ end trace|^\s*(not )?ok \d|KTAP version|'
                 r'^# |memlayout-kmemleak: end|FAULT_INJECTION: )')
FRAME = re.compile(r'([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+')
KCSAN = re.compile(r'data-race in ([\w.]+) / ([\w.]+)')
# "[  12.345678] " and "[    T42] " prefixes of the console.
PREFIX = re.compile(r'^\[[^\]]*\]\s?(\[[^\]]*\]\s?)?')


def memlayout_symbols(build_dir):
    """Functions defined by memlayout (module and tests) in this build."""
    objs = glob.glob(os.path.join(build_dir, 'drivers/misc/memlayout/**/*.o'),
                     recursive=True)
    objs = [o for o in objs if not o.endswith('.mod.o')]
    if not objs:
        sys.exit('kreports: no memlayout objects under ' + build_dir)
    out = subprocess.run(['nm', '--defined-only'] + objs, check=True,
                         capture_output=True, text=True).stdout
    syms = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'Tt':
            syms.add(base(parts[2]))
    return syms


def base(sym):
    """ml_copy_ranges.isra.0 and .constprop.0 and .cold are ml_copy_ranges."""
    return sym.split('.')[0]


def reports(lines):
    """Yield each report as a list of lines (prefixes stripped)."""
    cur = None
    for raw in lines:
        line = PREFIX.sub('', raw.rstrip('\n'))
        if START.search(line):
            if cur:
                yield cur
            cur = [line]
            continue
        if cur is None:
            continue
        if END.search(line) or len(cur) > 120:
            yield cur
            cur = None
            continue
        cur.append(line)
    if cur:
        yield cur


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    want_kmemleak = '--kmemleak' in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    build_dir, log = args
    syms = memlayout_symbols(build_dir)
    with open(log, errors='replace') as f:
        lines = f.readlines()

    ours = others = leaks = our_leaks = 0
    for rep in reports(lines):
        names = set()
        for line in rep:
            names.update(base(m) for m in FRAME.findall(line))
            for m in KCSAN.findall(line):
                names.update(base(s) for s in m)
        hit = sorted(names & syms)
        leak = rep[0].startswith('unreferenced object')
        leaks += leak
        if hit:
            ours += 1
            our_leaks += leak
            print('kreports: memlayout: %s [%s]' % (rep[0].strip(),
                                                    ', '.join(hit[:4])))
        else:
            others += 1

    text = ''.join(lines)
    bad = ours
    if want_kmemleak:
        if 'memlayout-kmemleak: begin' not in text or \
           'memlayout-kmemleak: end' not in text:
            print('kreports: no kmemleak scan in the log (kmemleak off?)')
            bad += 1
        else:
            print('kreports: kmemleak: %d unreferenced objects, %d of them '
                  'memlayout\'s' % (leaks, our_leaks))
    print('kreports: %d memlayout reports, %d others (not counted)'
          % (ours, others))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
