"""Benchmark: ``ledger import legacy-issues`` of a 10,000-row 历史遗留问题总台账 into a ledger
holding the 2021 plan, and reading that file with python-calamine or openpyxl (read-only).

    python bench/import_legacy.py --rows 10000 --dir /dev/shm/bench-import
    make bench-import

Writes ``legacy-<rows>.xlsx`` (the export's columns; each row a problem of the plan's units,
registered in 2021, most with a plan, a milestone reached, some escalated, suspended and
resumed, resolved, a few reopened: about five acts a row), then times, each as a whole
process (the figures to compare are wall times, median of three): reading every cell with
each library; ``ledger import --dry-run``; the import itself into a fresh copy of a seeded
ledger (SQLite, or ``--database-url`` for PostgreSQL); and the same import again (every row
未变). Prints one line per figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from api.cli.plan import builtin_plan
from api.exports.ledger_columns import SHEETS
from api.exports.sheet_writers import write_xlsx

READ = {
    "calamine": (
        "from python_calamine import CalamineWorkbook as W; import sys;"
        "n=sum(1 for _ in W.from_path(sys.argv[1]).get_sheet_by_index(0).to_python())"
    ),
    "openpyxl": (
        "import openpyxl, sys; b=openpyxl.load_workbook(sys.argv[1], read_only=True);"
        "n=sum(1 for _ in b.active.iter_rows(values_only=True))"
    ),
}


def rows(count: int, units: list[str]) -> list[dict[str, Any]]:
    """``count`` problems, about five acts each, all before 2022."""
    start, made = date(2021, 1, 4), []
    for n in range(1, count + 1):
        registered = start + timedelta(days=n % 200)
        planned = registered + timedelta(days=3)
        history = [f"{planned} 制定方案", f"{planned + timedelta(days=20)} 完成节点1"]
        tier, state, resolved, suspended, reopened = "项目专班", "化解中", None, None, None
        if n % 7 == 0:
            history.append(f"{planned + timedelta(days=25)} 升级")
            tier = "领导小组办公室"
        if n % 11 == 0:
            suspended = planned + timedelta(days=30)
            history += [f"{suspended} 中止", f"{suspended + timedelta(days=10)} 恢复"]
        if n % 3:
            resolved = planned + timedelta(days=60)
            history.append(f"{resolved} 销号")
            state = "已销号"
            if n % 13 == 0:
                reopened = resolved + timedelta(days=5)
                history.append(f"{reopened} 重新打开")
                state = "化解中"
        made.append(
            {
                "number": f"CX-2021-{n:05d}",
                "title": f"第{n}号历史遗留问题：企业厂房不动产确权办证",
                "category": "不动产确权办证",
                "cause": "历史原因形成，手续不全",
                "parties": [f"某企业{n % 50}"],
                "responsible_unit": units[n % len(units)],
                "tier": tier,
                "target_year": 2021 if n % 2 else 2022,
                "baseline": registered < date(2021, 3, 31),
                "state": state,
                "milestones": [f"完成方案论证（{planned + timedelta(days=30)}，已完成）"],
                "registered_on": registered,
                "planned_on": planned,
                "suspended_on": suspended,
                "resolved_on": resolved,
                "reopened_on": reopened,
                "history": history,
            }
        )
    return made


def timed(args: list[str], env: dict[str, str], times: int = 3) -> tuple[float, str]:
    """The median wall time of ``args`` as a process, and its last output."""
    took, out = [], ""
    for _ in range(times):
        started = time.perf_counter()
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        took.append(time.perf_counter() - started)
        out = (done.stdout + done.stderr).strip().splitlines()[-2:]  # type: ignore[assignment]
        if done.returncode:
            sys.exit(f"{args}: exit {done.returncode}: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return statistics.median(took), " / ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm/bench-import"))
    parser.add_argument("--database-url", help="PostgreSQL instead of SQLite files in --dir")
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    plan = builtin_plan("changxing-2021")
    sheet = args.dir / f"legacy-{args.rows}.xlsx"
    with sheet.open("wb") as out:
        write_xlsx(SHEETS["legacy-issues"], rows(args.rows, [n for n, _ in plan.units]), out)
    print(f"file: {sheet} ({sheet.stat().st_size / 1e6:.1f} MB, {args.rows} rows)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    for name, code in READ.items():
        took, _ = timed([sys.executable, "-c", code, str(sheet)], env)
        print(f"read every cell, {name}: {took:.2f} s")
    ledger = [sys.executable, "-m", "api.cli"]
    seeded = args.dir / "seeded.sqlite"
    url = args.database_url or f"sqlite:///{seeded}"
    env |= {"LEDGER_DATABASE_URL": url, "LEDGER_SIGNING_KEY_FILE": str(args.dir / "key.pem")}
    env["LEDGER_PERSONAL_DATA_KEY_FILE"] = str(args.dir / "personal.key")
    subprocess.run([*ledger, "seed", "changxing-2021"], env=env, check=True, capture_output=True)
    took, said = timed(
        [*ledger, "import", "legacy-issues", str(sheet), "--by", "bench", "--dry-run"], env
    )
    print(f"import --dry-run: {took:.2f} s ({said})")
    if args.database_url:
        took, said = timed(
            [*ledger, "import", "legacy-issues", str(sheet), "--by", "bench"], env, 1
        )
        print(f"import: {took:.2f} s ({said})")
    else:
        fresh = []
        for i in range(3):
            copy = args.dir / f"run{i}.sqlite"
            shutil.copy(seeded, copy)
            run_env = env | {"LEDGER_DATABASE_URL": f"sqlite:///{copy}"}
            fresh.append(
                timed([*ledger, "import", "legacy-issues", str(sheet), "--by", "bench"], run_env, 1)
            )
        took, said = sorted(fresh)[1]
        print(f"import into a seeded SQLite ledger: {took:.2f} s ({said})")
        env["LEDGER_DATABASE_URL"] = f"sqlite:///{args.dir / 'run0.sqlite'}"
    took, said = timed([*ledger, "import", "legacy-issues", str(sheet), "--by", "bench"], env, 1)
    print(f"the same import again: {took:.2f} s ({said})")


if __name__ == "__main__":
    main()
