#!/usr/bin/env python3
"""Summarises a PIT mutations.xml (conformance/README.md, "Mutation testing"): per class the
mutants and how they ended, the score, and every mutant that was not killed.

    python3 conformance/pit-summary.py conformance/target/pit-reports/mutations.xml > OUT.txt
"""
import collections
import sys
import xml.etree.ElementTree as ET

KILLED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR"}
root = ET.parse(sys.argv[1]).getroot()
rows = collections.defaultdict(collections.Counter)
left = []
for m in root:
    cls = m.findtext("mutatedClass")
    status = m.get("status")
    rows[cls][status] += 1
    if status not in KILLED:
        left.append((cls, m.findtext("mutatedMethod"), int(m.findtext("lineNumber")),
                     status, m.findtext("description")))
total = sum(sum(c.values()) for c in rows.values())
killed = sum(c[s] for c in rows.values() for s in KILLED)
print(f"mutants {total}, killed {killed} ({100.0 * killed / total:.1f}%), "
      f"survived {sum(c['SURVIVED'] for c in rows.values())}, "
      f"no coverage {sum(c['NO_COVERAGE'] for c in rows.values())}")
print()
print(f"{'class':<45} {'mutants':>7} {'killed':>7} {'survived':>8} {'no cover':>8}")
for cls in sorted(rows):
    c = rows[cls]
    print(f"{cls:<45} {sum(c.values()):>7} {sum(c[s] for s in KILLED):>7} "
          f"{c['SURVIVED']:>8} {c['NO_COVERAGE']:>8}")
print()
print("not killed (class, method, line, status, mutation):")
for cls, meth, line, status, desc in sorted(left):
    print(f"  {cls.rsplit('.', 1)[1]}.{meth}:{line} {status}: {desc}")
