"""Benchmark: ``ledger import work-orders`` of a batch of 10,000 12345 work orders into a
ledger holding the 2021 plan.

    python bench/import_work_orders.py --rows 10000 --dir /dev/shm/bench-work-orders
    make bench-import   (with bench/import_legacy.py)

Writes ``work-orders-<rows>.xlsx`` (the template's columns; each row a case received in 2025
with a complainant's name and phone, a quarter of them just received, a quarter dispatched,
signed for and answered, half verified, rectified, called back and closed: about five events
a row), then times, each as a whole process (median of three): ``--dry-run``; the import
into a fresh copy of a seeded SQLite ledger; the same import again (every row 未变), once
with the read models to catch up first, then with them up to date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from import_legacy import timed  # bench/, the script's own directory

from api.cli.plan import builtin_plan
from api.exports.sheet_writers import write_xlsx
from api.imports.work_order_rows import SHEET


def rows(count: int, units: list[str]) -> list[dict[str, Any]]:
    """``count`` work orders of 2025, about five events each."""
    start, made = datetime(2025, 1, 6, 8, 30), []
    for n in range(1, count + 1):
        received = start + timedelta(days=n % 300, minutes=7 * (n % 97))
        row: dict[str, Any] = {
            "number": f"GD2025{n:08d}",
            "received_at": received,
            "channel": "24小时行政投诉举报电话" if n % 5 == 0 else "",
            "summary": f"第{n}号工单：企业反映办理施工许可时间过长，请求加快办理",
            "complainant_name": f"王{n % 100}先生",
            "complainant_phone": f"138{n:08d}",
            "first_responder": units[n % len(units)],
            "subject_unit": units[(n + 3) % len(units)],
        }
        if n % 4:
            row |= {
                "handling_unit": units[(n + 1) % len(units)],
                "dispatched_at": received + timedelta(hours=2),
                "signed_for_at": received + timedelta(hours=20),
                "replied_at": received + timedelta(days=2),
                "reply": "已联系企业，正在办理",
            }
        if n % 2:
            row |= {
                "verified_at": received + timedelta(days=3),
                "founded": "属实",
                "rectified_at": received + timedelta(days=8),
                "called_back_at": received + timedelta(days=9),
                "satisfied": n % 10 != 1,
                "closed_at": received + timedelta(days=9, hours=3),
            }
        made.append(row)
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path("/dev/shm/bench-work-orders"))
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    args.dir.mkdir(parents=True)
    plan = builtin_plan("changxing-2021")
    sheet = args.dir / f"work-orders-{args.rows}.xlsx"
    with sheet.open("wb") as out:
        write_xlsx(SHEET, rows(args.rows, [n for n, _ in plan.units]), out)
    print(f"file: {sheet} ({sheet.stat().st_size / 1e6:.1f} MB, {args.rows} rows)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    ledger = [sys.executable, "-m", "api.cli"]
    seeded = args.dir / "seeded.sqlite"
    env |= {"LEDGER_DATABASE_URL": f"sqlite:///{seeded}"}
    env["LEDGER_SIGNING_KEY_FILE"] = str(args.dir / "key.pem")
    env["LEDGER_PERSONAL_DATA_KEY_FILE"] = str(args.dir / "personal.key")
    subprocess.run([*ledger, "seed", "changxing-2021"], env=env, check=True, capture_output=True)
    command = [*ledger, "import", "work-orders", str(sheet), "--by", "bench"]
    took, said = timed([*command, "--dry-run"], env)
    print(f"import --dry-run: {took:.2f} s ({said})")
    fresh = []
    for i in range(3):
        copy = args.dir / f"run{i}.sqlite"
        shutil.copy(seeded, copy)
        fresh.append(timed(command, env | {"LEDGER_DATABASE_URL": f"sqlite:///{copy}"}, 1))
    took, said = sorted(fresh)[1]
    print(f"import into a seeded SQLite ledger: {took:.2f} s ({said})")
    env["LEDGER_DATABASE_URL"] = f"sqlite:///{args.dir / 'run0.sqlite'}"
    took, said = timed(command, env, 1)
    print(f"the same import again (the read models caught up first): {took:.2f} s ({said})")
    took, said = timed(command, env)
    print(f"and again (the read models up to date): {took:.2f} s ({said})")


if __name__ == "__main__":
    main()
