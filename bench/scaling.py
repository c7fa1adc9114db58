"""The same scenarios at several data sizes, as a table and a plot.

    python -m bench.scaling            # sizes from BENCH_SIZES, default 10k,100k,1M,2M

Each size lives in its own database (<name>_<size>; 2M in <name> itself), generated
once and reused. Results: bench/results/scaling.{json,md,png} and size-<n>.{json,md}.
"""

# ruff: noqa: S603  (fixed argument lists built here, never user input)
import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/worksafe_bench"
LABELS = {10_000: "10k", 100_000: "100k", 1_000_000: "1m", 2_000_000: "2m"}


def label(size: int) -> str:
    return LABELS.get(size, str(size))


def url_for(base: str, size: int) -> str:
    """The default size (2M, what `make bench` uses) lives in the base database."""
    if size == 2_000_000:
        return base
    parts = urllib.parse.urlparse(base)
    return parts._replace(path=f"{parts.path}_{label(size)}").geturl()


def run(sizes: list[int]) -> dict[int, list[dict]]:
    base = os.environ.get("DATABASE_URL") or DEFAULT_URL
    results = {}
    for size in sizes:
        out = RESULTS / f"size-{label(size)}"
        if os.environ.get("BENCH_REUSE") == "1" and out.with_suffix(".json").exists():
            print(f"# reusing {out.with_suffix('.json')}")
        else:
            env = {
                **os.environ,
                "DATABASE_URL": url_for(base, size),
                "BENCH_HAZARDS": str(size),
                "BENCH_OUT": str(out),
            }
            subprocess.run([sys.executable, "-m", "bench.bench"], cwd=ROOT, env=env, check=True)
        results[size] = json.loads(out.with_suffix(".json").read_text())
    return results


def table(results: dict[int, list[dict]]) -> str:
    sizes = sorted(results)
    names = [row["scenario"] for row in results[sizes[0]]]
    head = " | ".join(f"{label(s)} app / raw ms" for s in sizes)
    lines = [
        "# Scaling: p50 in ms, application / raw SQL, by number of hazards",
        "",
        f"| scenario | {head} | app {label(sizes[1] if len(sizes) > 1 else sizes[0])}→{label(sizes[-1])} |",
        "|---|" + "---:|" * (len(sizes) + 1),
    ]
    for name in names:
        cells, apps = [], {}
        for size in sizes:
            row = next((r for r in results[size] if r["scenario"] == name), None)
            if row is None:
                cells.append("–")
                continue
            apps[size] = row["app_p50_ms"]
            cells.append(f"{row['app_p50_ms']:.1f} / {row['raw_p50_ms']:.1f}")
        start = sizes[1] if len(sizes) > 1 else sizes[0]
        growth = f"{apps[sizes[-1]] / apps[start]:.2f}×" if start in apps and sizes[-1] in apps else "–"
        lines.append(f"| {name} | {' | '.join(cells)} | {growth} |")
    lines += ["", "![scaling](scaling.png)", ""]
    return "\n".join(lines)


def plot(results: dict[int, list[dict]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(results)
    names = [row["scenario"] for row in results[sizes[0]]]
    groups = [
        (
            "Lists and detail (app p50)",
            lambda n: n.startswith(("list", "hazard detail", "framework", "HTTP list")),
        ),
        ("Stats and home counts (app p50)", lambda n: n.startswith(("stats", "home", "HTTP stats"))),
        (
            "Writes and sweep (app p50; dashed: raw)",
            lambda n: n.startswith(("create", "transition", "escalation")),
        ),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(18, 6))
    for ax, (title, keep) in zip(axes, groups, strict=True):
        for name in filter(keep, names):
            points = [(s, r) for s in sizes for r in results[s] if r["scenario"] == name]
            xs = [s for s, _r in points]
            legend = "".join(c for c in name if c.isascii()).replace("search", "text search").strip(" ,")
            line = ax.plot(xs, [r["app_p50_ms"] for _s, r in points], marker="o", label=legend)[0]
            if title.startswith("Writes") or name == "stats: province":
                ax.plot(xs, [r["raw_p50_ms"] for _s, r in points], linestyle="--", color=line.get_color())
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("hazards")
        ax.set_ylabel("ms")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,100000,1000000,2000000").split(",")]
    results = run(sizes)
    (RESULTS / "scaling.json").write_text(
        json.dumps({str(s): rows for s, rows in sorted(results.items())}, indent=2) + "\n"
    )
    (RESULTS / "scaling.md").write_text(table(results))
    plot(results, RESULTS / "scaling.png")
    print(f"# wrote {RESULTS / 'scaling.md'} and scaling.png")


if __name__ == "__main__":
    main()
