"""The meeting reader's figures on a folder of reports with a gold.json beside them (the shape of
worksafe/meetings/tests/samples/gold.json):  python -m bench.meetings [FOLDER ...]"""

import json
import sys
from datetime import date
from pathlib import Path

from worksafe.meetings.reader import read_report
from worksafe.meetings.reader.scoring import score

SAMPLES = Path(__file__).resolve().parent.parent / "worksafe" / "meetings" / "tests" / "samples"


def evaluate(folder: Path, verbose: bool = False) -> list[dict]:
    gold = json.loads((folder / "gold.json").read_text())["docs"]
    rows = []
    for name, wanted in gold.items():
        published = wanted.get("published_on")
        draft = read_report(
            (folder / name).read_text(), published_on=published and date.fromisoformat(published)
        )
        rows.append({"doc": name, **score(draft, wanted)})
        if verbose:
            print(name, draft, sep="\n  ")
    return rows


def summary(rows: list[dict]) -> str:
    n = len(rows)
    matched = sum(r["directives"][0] for r in rows)
    total = sum(r["directives"][1] for r in rows)
    return (
        f"{n} reports: chair {sum(r['chair'] for r in rows)}/{n}, date {sum(r['held_on'] for r in rows)}/{n}, "
        f"form {sum(r['form'] for r in rows)}/{n}, sector F1 {sum(r['industries_f1'] for r in rows) / n:.2f}, "
        f"attendees P {sum(r['people_precision'] for r in rows) / n:.2f} R {sum(r['people_recall'] for r in rows) / n:.2f}, "
        f"directives {matched}/{total} ({matched / total:.0%})"
    )


if __name__ == "__main__":
    folders = [Path(p) for p in sys.argv[1:] if not p.startswith("-")] or [SAMPLES]
    for folder in folders:
        rows = evaluate(folder, verbose="-v" in sys.argv)
        for row in rows:
            print(row)
        print(folder.name, summary(rows))
