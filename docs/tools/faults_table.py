#!/usr/bin/env python3
"""Regenerates the table of docs/faults.md from the fault tests' results.

The fault tests (tests/KafkaReplication.Engine.Tests/Faults) append one line per observation to a results file:
fault, cmdlet family, outcome, "fail" or "stop", seconds. This script groups them by (fault, family, outcome), keeps
the longest time seen of each kind, and writes the rows between the markers of docs/faults.md.

    KAFKAREPLICATION_FAULT_RESULTS=/tmp/faults.tsv dotnet test tests/KafkaReplication.Engine.Tests --filter "FullyQualifiedName~Faults"
    python3 docs/tools/faults_table.py /tmp/faults.tsv
"""
import math
import os
import sys
import tempfile

BEGIN, END = "<!-- faults:begin -->", "<!-- faults:end -->"


def rows(path):
    seen, stops = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 5:
                continue
            fault, family, outcome, kind, seconds = parts
            if seconds == "":
                seen.setdefault((fault, family, outcome), {})
                continue
            if kind == "stop":  # a cancellation: goes into the row of the same fault and family
                stops[(fault, family)] = max(stops.get((fault, family), 0.0), float(seconds))
                continue
            entry = seen.setdefault((fault, family, outcome), {})
            entry[kind] = max(entry.get(kind, 0.0), float(seconds))
    for (fault, family), seconds in stops.items():
        for key, entry in seen.items():
            if key[:2] == (fault, family):
                entry["stop"] = seconds
    return seen


def cell(entry, kind):
    if kind not in entry:
        return "—"
    s = entry[kind]
    # Measured on a shared 2-core machine; shown rounded up to a tenth of a second.
    return "< 0.1 s" if s < 0.1 else f"{math.ceil(s * 10) / 10:.1f} s"


def table(seen):
    out = ["| Fault | Cmdlet family | Outcome | Time to fail | Time to stop |", "| --- | --- | --- | --- | --- |"]
    for (fault, family, outcome), entry in sorted(seen.items()):
        out.append(f"| {fault} | {family} | `{outcome}` | {cell(entry, 'fail')} | {cell(entry, 'stop')} |")
    return "\n".join(out)


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "KAFKAREPLICATION_FAULT_RESULTS", os.path.join(tempfile.gettempdir(), "kafkareplication-fault-results.tsv"))
    doc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults.md")
    text = open(doc, encoding="utf-8").read()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    open(doc, "w", encoding="utf-8").write(f"{head}{BEGIN}\n{table(rows(results))}\n{END}{tail}")


if __name__ == "__main__":
    main()
