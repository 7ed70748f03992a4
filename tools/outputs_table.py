#!/usr/bin/python3
"""Print the table of per-replicate datasets of an imersim run file, or check it in a document.

Reads RUN.h5 (written by `imersim run`) and prints, as a markdown table, the datasets of one
replicate group (default: the first group named replicate_*) in the order h5py lists them, which
is the order they were written in: the name, the `axes` attribute with ", " between axis names,
and the `unit` attribute. Subgroups (a snapshot) are skipped.

With --check DOC.md it compares that table with the text between the lines
    <!-- BEGIN generated: per-replicate datasets -->
    <!-- END generated: per-replicate datasets -->
in DOC.md (blank lines at either end and trailing spaces are ignored).

Exit status: 0 table printed, or the document's table is the same; 1 the tables differ (a unified
diff on stdout); 2 a missing or unreadable file, no replicate group, or missing markers.

Example (regenerates the table of docs/outputs.md from a run without policy levers):
    imersim run scenarios/baseline.yaml --set entry.per_month=500 --set run.burn_in_months=12 \\
        --set run.months=6 --replicates 1 --quiet --out /tmp/run.h5
    tools/outputs_table.py /tmp/run.h5                            # paste between the markers
    tools/outputs_table.py /tmp/run.h5 --check docs/outputs.md    # what the test runs

Needs python3 and h5py only (Debian: python3-h5py).
"""

import argparse
import difflib
import os
import sys

BEGIN = "<!-- BEGIN generated: per-replicate datasets -->"
END = "<!-- END generated: per-replicate datasets -->"


def fail(message):
    print(f"outputs_table.py: {message}", file=sys.stderr)
    sys.exit(2)


def text(value):
    """An HDF5 string attribute as str (h5py returns str or bytes depending on how it was written)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def table_lines(run_path, group_name):
    try:
        import h5py
    except ImportError:
        fail("needs h5py (Debian: apt-get install python3-h5py)")
    if not os.path.isfile(run_path):
        fail(f"no such run file: '{run_path}'")
    try:
        f = h5py.File(run_path, "r")
    except OSError as e:
        fail(f"cannot read run file '{run_path}': {e}")
    with f:
        if group_name is None:
            names = [name for name in f if name.startswith("replicate_")]
            if not names:
                fail(f"'{run_path}' has no replicate_* group (is it a run file of `imersim run`?)")
            group_name = names[0]
        if group_name not in f or not isinstance(f[group_name], h5py.Group):
            fail(f"'{run_path}' has no group '{group_name}'")
        lines = ["| Dataset | Axes | Unit |", "|---|---|---|"]
        group = f[group_name]
        for name in group:
            obj = group[name]
            if not isinstance(obj, h5py.Dataset):
                continue
            axes = ", ".join(a for a in text(obj.attrs.get("axes", "")).split(",") if a)
            unit = text(obj.attrs.get("unit", ""))
            lines.append(f"| `{name}` | {axes} | {unit} |")
        return lines


def doc_lines(doc_path):
    try:
        with open(doc_path, encoding="utf-8") as d:
            doc = d.read().splitlines()
    except OSError as e:
        fail(f"cannot read document '{doc_path}': {e.strerror}")
    starts = [i for i, line in enumerate(doc) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(doc) if line.strip() == END]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        fail(f"'{doc_path}' must hold one line '{BEGIN}' followed by one line '{END}'")
    block = [line.rstrip() for line in doc[starts[0] + 1 : ends[0]]]
    while block and not block[0]:
        block.pop(0)
    while block and not block[-1]:
        block.pop()
    return block


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", metavar="RUN.h5", help="run file written by `imersim run`")
    parser.add_argument("--group", help="replicate group to list (default: the first replicate_* group)")
    parser.add_argument("--check", metavar="DOC.md", help="compare with the table between the markers in DOC.md")
    args = parser.parse_args()

    generated = table_lines(args.run, args.group)
    if args.check is None:
        print("\n".join(generated))
        return 0
    documented = doc_lines(args.check)
    if documented == generated:
        return 0
    diff = difflib.unified_diff(
        documented, generated, fromfile=f"{args.check} (documented)", tofile=f"{args.run} (generated)", lineterm=""
    )
    print("\n".join(diff))
    print(
        f"outputs_table.py: the per-replicate table of {args.check} differs from {args.run}: "
        f"regenerate it with `tools/outputs_table.py {args.run}`",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
