#!/usr/bin/python3
"""Make a report with plots from an imersim result file: one self-contained HTML page to show.

    tools/report.py RESULT.h5 [--out DIR] [--title TEXT]

RESULT.h5 is a file written by `imersim run`, `imersim validate` or `imersim compare`. The report
goes to DIR (default: RESULT_report next to the file): `index.html`, which embeds every plot and
table (send it as it is), and the plots as PNG files for slides.

- run / validate: the stage funnel against the observed one (R23 Fig. 5), the stage shares month
  by month, population, entries and exits by cause, cohort survival and the share of newcomers who
  ever reached each stage, revenue per agent by stage, policy costs when the scenario has levers,
  and (validate) the fit table with PASS/FAIL.
- compare: per policy the paired difference from the baseline with its 95 % confidence interval for
  the main outcomes (plot) and for every outcome (table), and the government cost per additional
  Survivor-or-above Imer and per failure avoided.

Every number comes from the file (docs/outputs.md); means are over replicates, and bands show the
smallest and largest replicate. The directory is written as DIR.tmp.<pid> and renamed when
complete; an existing DIR is replaced only if it is an earlier report (it holds report.json).

Exit status: 0 report written; 2 bad input (a missing or unreadable file, a file of another kind,
an --out that is not a report directory), with a message naming the file.
Needs python3, numpy, h5py and matplotlib (Debian: python3-numpy python3-h5py python3-matplotlib).
"""

import argparse
import base64
import html
import json
import os
import shutil
import sys

STAGES = ["Hit-and-Runner", "Survivor", "Pioneer", "Rising", "Challenger"]
OBSERVED = [0.95, 0.045, 0.004, 0.0006, 0.00007]  # R23 Fig. 5 (DOMAIN §3), as configs/targets/funnel.yaml
COLOURS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3"]
MAIN_OUTCOMES = ["reached_survivor", "exits_total", "survival_12", "share_final.survivor", "share_final.pioneer",
                 "gmv_total", "government_cost"]


class BadInput(Exception):
    """A problem with the user's input: reported with exit status 2."""


def fail(message):
    print(f"report.py: {message}", file=sys.stderr)
    sys.exit(2)


def idr(x):
    """Rupiah in the units Indonesian readers use (juta = 10^6, miliar = 10^9, triliun = 10^12)."""
    if x != x:  # NaN
        return "n/a"
    a = abs(x)
    for div, unit in ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta")):
        if a >= div:
            return f"Rp {x / div:,.2f} {unit}"
    return f"Rp {x:,.0f}"


def num(x):
    if x != x:
        return "n/a"
    if x == 0:
        return "0"
    if abs(x) >= 1e4 or abs(x) < 1e-3:
        return f"{x:.3g}"
    return f"{x:.4g}"


def nanmean(a):
    """Mean of the finite values; NaN (not a warning) when there are none."""
    import numpy as np
    a = np.asarray(a, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else float("nan")


def positive(a):
    """Values for a log axis: zeros (never observed) become gaps instead of bars at an invented floor."""
    import numpy as np
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, np.nan)


def label_bars(ax, xs, values):
    for xv, v in zip(xs, values):
        ax.annotate(pct(v) if v > 0 else "0", (xv, v if v > 0 else ax.get_ylim()[0]), ha="center", va="bottom",
                    fontsize=7, xytext=(0, 2), textcoords="offset points")


def pct(x):
    return "n/a" if x != x else f"{100 * x:.3g} %"


class Report:
    """Collects sections (headings, paragraphs, tables, figures) and writes them out."""

    def __init__(self, tmpdir, title):
        self.tmpdir = tmpdir
        self.title = title
        self.parts = []
        self.figures = []

    def heading(self, text):
        self.parts.append(f"<h2>{html.escape(text)}</h2>")

    def para(self, text):
        self.parts.append(f"<p>{html.escape(text)}</p>")

    def table(self, header, rows, note=None):
        h = "".join(f"<th>{html.escape(str(c))}</th>" for c in header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
        self.parts.append(f"<table><tr>{h}</tr>{body}</table>")
        if note:
            self.parts.append(f"<p class='note'>{html.escape(note)}</p>")

    def figure(self, fig, name, caption):
        path = os.path.join(self.tmpdir, name + ".png")
        fig.savefig(path, dpi=120, bbox_inches="tight")
        import matplotlib.pyplot as plt
        plt.close(fig)
        with open(path, "rb") as f:
            data = base64.b64encode(f.read()).decode("ascii")
        self.parts.append(f"<figure><img src='data:image/png;base64,{data}' alt='{html.escape(caption)}'>"
                          f"<figcaption>{html.escape(caption)} ({name}.png)</figcaption></figure>")
        self.figures.append(name + ".png")

    def write(self, source, kind):
        page = ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
                f"<title>{html.escape(self.title)}</title><style>"
                "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
                "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                "text-align:right}th{background:#eee}td:first-child{text-align:left}"
                "figure{margin:1.5em 0}img{max-width:100%}figcaption,.note{color:#555;font-size:90%}"
                ".pass{color:#1a7f37;font-weight:bold}.fail{color:#b42318;font-weight:bold}"
                f"</style></head><body><h1>{html.escape(self.title)}</h1>" + "\n".join(self.parts) +
                "</body></html>\n")
        with open(os.path.join(self.tmpdir, "index.html"), "w", encoding="utf-8") as f:
            f.write(page)
        with open(os.path.join(self.tmpdir, "report.json"), "w", encoding="utf-8") as f:
            json.dump({"source": os.path.abspath(source), "kind": kind, "figures": self.figures}, f, indent=1)


def attr(f, key, default=""):
    v = f.attrs.get(key, default)
    return v.decode() if isinstance(v, bytes) else str(v)


def replicate_groups(f):
    return sorted(k for k in f.keys() if k.startswith("replicate_"))


def stacked(f, groups, name):
    """Dataset `name` of every replicate, stacked on a new first axis (None when missing)."""
    import numpy as np
    if any(name not in f[g] for g in groups):
        return None
    return np.stack([f[g][name][...] for g in groups])


def provenance(rep, f, path):
    rows = [("file", path), ("scenario", attr(f, "scenario_name")), ("seed", attr(f, "seed")),
            ("replicates", attr(f, "replicates")),
            ("months", f"{attr(f, 'burn_in_months')} burn-in + {attr(f, 'months')} reported"),
            ("imersim", f"{attr(f, 'imersim_version')} (commit {attr(f, 'git_commit')})"),
            ("run", f"{attr(f, 'start_time')} on {attr(f, 'host')}")]
    if attr(f, "from_state"):
        rows.append(("continued from", attr(f, "from_state")))
    rep.table(["", ""], rows)


def run_report(rep, f, path):
    import matplotlib.pyplot as plt
    import numpy as np
    groups = replicate_groups(f)
    if not groups or "stage_shares" not in f[groups[0]]:
        raise BadInput(f"{path}: no replicate groups with stage_shares: not a run or validate file")
    provenance(rep, f, path)
    shares = stacked(f, groups, "stage_shares")  # replicate, month, stage
    months = shares.shape[1]
    if months == 0:
        raise BadInput(f"{path}: the run reported no months")
    x = np.arange(1, months + 1)
    per_rep = shares.mean(axis=1)  # replicate, stage: mean over the reported months

    rep.heading("The funnel")
    mean = per_rep.mean(axis=0)
    rep.table(["stage", "simulated share (mean)", "replicate range", "observed (R23)", "ratio"],
              [(STAGES[s], pct(mean[s]), f"{pct(per_rep[:, s].min())} – {pct(per_rep[:, s].max())}",
                pct(OBSERVED[s]), num(mean[s] / OBSERVED[s])) for s in range(5)],
              "Share of the live Imers in each stage, averaged over the reported months, then over replicates.")
    fig, ax = plt.subplots(figsize=(7, 4))
    pos = np.arange(5)
    lo, hi = mean - per_rep.min(axis=0), per_rep.max(axis=0) - mean
    ax.bar(pos - 0.2, positive(mean), 0.4, yerr=[lo, hi], color=COLOURS[0], label="simulated")
    ax.bar(pos + 0.2, OBSERVED, 0.4, color="#999999", label="observed (R23 Fig. 5)")
    ax.set_yscale("log")
    label_bars(ax, pos - 0.2, mean)
    ax.set_xticks(pos, STAGES)
    ax.set_ylabel("share of Imers")
    ax.legend()
    rep.figure(fig, "funnel", "Stage shares: simulated (bars: mean, whiskers: replicate range) and observed")

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for s in range(5):
        m = shares[:, :, s].mean(axis=0)
        ax.plot(x, np.where(m > 0, m, np.nan), color=COLOURS[s], label=STAGES[s])
        ax.fill_between(x, shares[:, :, s].min(axis=0), shares[:, :, s].max(axis=0), color=COLOURS[s], alpha=0.2)
        ax.axhline(OBSERVED[s], color=COLOURS[s], linestyle="--", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xlabel("reported month")
    ax.set_ylabel("share of Imers")
    ax.legend(fontsize=8, loc="lower left")
    rep.figure(fig, "stage_shares", "Stage shares month by month (mean, replicate range; dashed: observed)")

    rep.heading("Population, entries and exits")
    pop = stacked(f, groups, "population")
    entries = stacked(f, groups, "entries")
    exits = stacked(f, groups, "exits")  # replicate, month, stage, cause
    causes = [c.decode() if isinstance(c, bytes) else str(c) for c in f["meta/exit_causes"][...]]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
    a1.plot(x, pop.mean(axis=0), color="#333333")
    a1.fill_between(x, pop.min(axis=0), pop.max(axis=0), color="#333333", alpha=0.2)
    a1.set_title("live Imers at month end")
    a1.set_xlabel("reported month")
    a2.plot(x, entries.mean(axis=0), color="#333333", label="entries")
    by_cause = exits.sum(axis=2).mean(axis=0)  # month, cause
    for c, name in enumerate(causes):
        a2.plot(x, by_cause[:, c], label=f"exits: {name}")
    a2.set_title("per month")
    a2.set_xlabel("reported month")
    a2.legend(fontsize=8)
    rep.figure(fig, "population", "Population, newcomers and leavers by cause (mean over replicates)")
    total_exits = exits.sum(axis=1).mean(axis=0)  # stage, cause
    rep.table(["stage at exit"] + causes + ["all"],
              [(STAGES[s], *[f"{total_exits[s, c]:,.0f}" for c in range(len(causes))],
                f"{total_exits[s].sum():,.0f}") for s in range(5)],
              "Leavers over the reported months, by stage and cause (mean over replicates).")

    size = stacked(f, groups, "cohort_size")
    if size is not None and size.sum() > 0:
        rep.heading("Cohorts: who stays, who climbs")
        surv = stacked(f, groups, "cohort_survival").astype(float)  # replicate, cohort, months since entry
        reached = stacked(f, groups, "cohort_reached").astype(float)  # replicate, cohort, stage
        observed = surv >= 0
        alive = np.where(observed, surv, 0).sum(axis=(0, 1))
        base = (observed * size[:, :, None]).sum(axis=(0, 1))
        k = np.nonzero(base > 0)[0]
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4))
        a1.plot(k, alive[k] / base[k], color="#333333")
        a1.set_ylim(0, 1.02)
        a1.set_xlabel("months since entry")
        a1.set_ylabel("share of the cohort still active")
        a1.set_title("survival (cohorts pooled)")
        ever = reached.sum(axis=(0, 1)) / size.sum()
        a2.bar(np.arange(5), positive(ever), color=COLOURS)
        a2.set_yscale("log")
        label_bars(a2, np.arange(5), ever)
        a2.set_xticks(np.arange(5), STAGES, fontsize=8)
        a2.set_title("share of newcomers who ever reached the stage")
        rep.figure(fig, "cohorts", "Cohorts that entered in the reported months: survival and stages reached "
                                   "(right-censored: young cohorts have had little time)")

    q = stacked(f, groups, "revenue_quantiles")  # replicate, month, stage, quantile 10/25/50/75/90 %
    if q is not None:
        rep.heading("Revenue per Imer")
        fig, ax = plt.subplots(figsize=(8, 4.5))
        for s in range(5):
            med = q[:, :, s, 2].mean(axis=0)
            if np.nanmax(med, initial=0) <= 0:
                continue
            ax.plot(x, np.where(med > 0, med, np.nan), color=COLOURS[s], label=STAGES[s])
            ax.fill_between(x, np.where(q[:, :, s, 1].mean(axis=0) > 0, q[:, :, s, 1].mean(axis=0), np.nan),
                            np.where(q[:, :, s, 3].mean(axis=0) > 0, q[:, :, s, 3].mean(axis=0), np.nan),
                            color=COLOURS[s], alpha=0.2)
        ax.set_yscale("log")
        ax.set_xlabel("reported month")
        ax.set_ylabel("IDR per month")
        ax.legend(fontsize=8)
        rep.figure(fig, "revenue", "Monthly revenue per Imer by stage: median and quartiles (mean over replicates)")
        last = q[:, -1].mean(axis=0)  # stage, quantile
        rep.table(["stage", "10 %", "25 %", "median", "75 %", "90 %"],
                  [(STAGES[s], *[idr(v) for v in last[s]]) for s in range(5)],
                  "Revenue per Imer in the last reported month (quantiles within 3.1 %).")

    gov = stacked(f, groups, "government_cost")
    if gov is not None:
        rep.heading("Policy costs")
        levers = sorted({n[len("policy_"):-len("_government_outlay")] for n in f[groups[0]]
                         if n.startswith("policy_") and n.endswith("_government_outlay")})
        fig, ax = plt.subplots(figsize=(8, 4))
        ax.plot(x, np.cumsum(gov.mean(axis=0)) / 1e9, color="#333333", label="government (outlay − income)")
        imer = stacked(f, groups, "imer_cost")
        if imer is not None:
            ax.plot(x, np.cumsum(imer.mean(axis=0)) / 1e9, color=COLOURS[1], label="paid by Imers")
        ax.set_xlabel("reported month")
        ax.set_ylabel("cumulative IDR miliar")
        ax.legend(fontsize=8)
        rep.figure(fig, "policy_costs", "Cumulative cost of the policy levers (mean over replicates)")
        rows = []
        for lever in levers:
            cols = {c: stacked(f, groups, f"policy_{lever}_{c}") for c in
                    ("enrolments", "government_outlay", "government_income", "imer_paid")}
            rows.append((lever, *[f"{cols[c].sum(axis=1).mean():,.0f}" if c == "enrolments"
                                  else idr(cols[c].sum(axis=1).mean()) for c in cols]))
        rep.table(["lever", "enrolments", "government outlay", "government income", "paid by Imers"], rows,
                  "Totals over the reported months (mean over replicates).")

    if attr(f, "fit_result"):
        rep.heading("Validation against the targets")
        names = attr(f, "fit_targets").split(",")
        get = {k: f["summary/fit_" + k][...] for k in ("mean", "ci_low", "ci_high", "target", "relative_error",
                                                        "tolerance", "pass")}
        rep.table(["target", "simulated (mean)", "95 % CI", "target", "relative error", "tolerance", "result"],
                  [(n, num(get["mean"][i]), f"[{num(get['ci_low'][i])}, {num(get['ci_high'][i])}]",
                    num(get["target"][i]), f"{100 * get['relative_error'][i]:+.1f} %",
                    f"{100 * get['tolerance'][i]:.0f} %", "PASS" if get["pass"][i] else "FAIL")
                   for i, n in enumerate(names)],
                  f"Targets: {attr(f, 'targets_name')} ({attr(f, 'targets_source')}). Aitchison distance "
                  f"{num(float(attr(f, 'fit_aitchison', 'nan')))}; steady state: {attr(f, 'steady_state')}.")
        result = attr(f, "fit_result")
        rep.parts.append(f"<p>Result: <span class='{'pass' if result == 'PASS' else 'fail'}'>{html.escape(result)}"
                         "</span></p>")


def compare_report(rep, f, path):
    import matplotlib.pyplot as plt
    import numpy as np
    provenance(rep, f, path)
    outcomes = attr(f, "outcomes").split(",")
    policies = attr(f, "policies").split(",")
    s = f["summary"]
    for name in ("difference_mean", "difference_low", "difference_high", "outcomes_000"):
        if name not in s:
            raise BadInput(f"{path}: no summary/{name}: not a complete compare file")
    d, lo, hi = s["difference_mean"][...], s["difference_low"][...], s["difference_high"][...]
    base = s["outcomes_000"][...]
    rep.para(f"Baseline '{attr(f, 'baseline')}' against {len(policies)} polic{'y' if len(policies) == 1 else 'ies'}, "
             f"{attr(f, 'replicates')} paired replicates each: every scenario meets the same random draws, so a "
             "difference is the policy's effect, and its 95 % confidence interval is over replicates.")
    shown = [o for o in MAIN_OUTCOMES if o in outcomes and np.isfinite(d[:, outcomes.index(o)]).any()]
    if shown:
        rep.heading("What each policy changes")
        fig, axes = plt.subplots(len(shown), 1, figsize=(8, 1.1 + 0.9 * len(shown) + 0.25 * len(policies)),
                                 squeeze=False)
        for ax, o in zip(axes[:, 0], shown):
            j = outcomes.index(o)
            y = np.arange(len(policies))
            ax.errorbar(d[:, j], y, xerr=[d[:, j] - lo[:, j], hi[:, j] - d[:, j]], fmt="o", color="#333333",
                        capsize=3)
            ax.axvline(0, color="#999999", linewidth=0.8)
            ax.set_yticks(y, policies, fontsize=8)
            ax.set_ylim(-0.6, len(policies) - 0.4)
            ax.set_title(f"{o} (baseline {num(nanmean(base[:, j]))})", fontsize=9, loc="left")
        fig.tight_layout()
        rep.figure(fig, "differences", "Paired difference policy − baseline with its 95 % CI")
    for p, name in enumerate(policies):
        rep.heading(f"{name} against the baseline")
        pol = s[f"outcomes_{p + 1:03}"][...]
        rep.table(["outcome", "baseline", "policy", "difference", "95 % CI"],
                  [(o, num(nanmean(base[:, j])), num(nanmean(pol[:, j])), num(d[p, j]),
                    f"[{num(lo[p, j])}, {num(hi[p, j])}]") for j, o in enumerate(outcomes)],
                  "Outcomes are defined in docs/cli.md (imersim compare); n/a: not observed in this run.")
        if "cost_effectiveness" in s:
            ce = s["cost_effectiveness"][p]  # measure, bound (estimate, low, high)
            rep.table(["government cost", "estimate", "95 % interval (Fieller)"],
                      [(label, idr(ce[m, 0]), f"[{idr(ce[m, 1])}, {idr(ce[m, 2])}]")
                       for m, label in enumerate(("per additional Survivor-or-above Imer", "per failure avoided"))],
                      "n/a when the difference in the denominator is not distinguishable from zero.")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("result", help="HDF5 file of imersim run, validate or compare")
    ap.add_argument("--out", help="report directory (default: RESULT_report next to RESULT)")
    ap.add_argument("--title", help="title of the page (default: from the file)")
    args = ap.parse_args()
    try:
        import h5py
        import matplotlib
        matplotlib.use("Agg")
    except ImportError as e:
        fail(f"needs h5py and matplotlib ({e}); on Debian: apt-get install python3-h5py python3-matplotlib")
    path = args.result
    if not os.path.isfile(path):
        fail(f"{path}: no such file")
    out = args.out or os.path.splitext(path)[0] + "_report"
    if os.path.exists(out) and not (os.path.isdir(out) and os.path.isfile(os.path.join(out, "report.json"))):
        fail(f"{out}: exists and is not an earlier report (no report.json): choose another --out")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        fail(f"{path}: not a readable HDF5 file ({e})")
    with f:
        content = attr(f, "content")
        if attr(f, "format") != "imersim-run/1" or content not in ("", "imersim-compare/1"):
            fail(f"{path}: not a run, validate or compare file of imersim (format '{attr(f, 'format')}', content "
                 f"'{content}'); state files and sweep tables hold no report")
        kind = "compare" if content else ("validate" if attr(f, "fit_result") else "run")
        title = args.title or f"imersim {kind}: {attr(f, 'scenario_name')}"
        tmp = f"{out.rstrip(os.sep)}.tmp.{os.getpid()}"
        os.makedirs(tmp)
        try:
            rep = Report(tmp, title)
            (compare_report if kind == "compare" else run_report)(rep, f, path)
            rep.write(path, kind)
            if os.path.exists(out):
                shutil.rmtree(out)
            os.rename(tmp, out)
        except BadInput as e:
            shutil.rmtree(tmp, ignore_errors=True)
            fail(str(e))
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    print(f"wrote {os.path.join(out, 'index.html')} ({len(rep.figures)} figures)")


if __name__ == "__main__":
    main()
