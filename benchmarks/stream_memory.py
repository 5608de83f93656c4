"""Peak memory growth of a fresh process while it reads one response chunk by chunk.

    python benchmarks/stream_memory.py DATABASE_URL INSTANCE PATH [--warm-up PATH] [--gc ...]

Prints JSON: the peak resident memory (ru_maxrss) before and after, its growth,
the bytes and chunks read. The process is first warmed up by one small request:
the first chunk of the ``--warm-up`` response (by default the same one), then
closed. The imports, the collation table, the country names and the database
connection are one-time costs of a process, not of a response, and are not counted.
"""

from __future__ import annotations

import argparse
import gc
import json
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.measure import peak_rss_mb  # noqa: E402
from congress import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("instance")
    parser.add_argument("path")
    parser.add_argument("--warm-up", help="the path of the warm-up request (default: PATH)")
    parser.add_argument("--gc", choices=["serving", "default"], default="serving")
    args = parser.parse_args()
    app = create_app(
        {
            "INSTANCE_PATH": args.instance,
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": "benchmark",
            "SCHEMA_CHECK": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    if args.gc == "serving":
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))["settle_heap"]()
    client = app.test_client()

    warm = client.get(args.warm_up or args.path)
    next(iter(warm.response))
    warm.close()
    gc.collect()

    before = peak_rss_mb()
    response = client.get(args.path)
    if response.status_code != 200:
        raise SystemExit(f"{args.path}: {response.status_code}")
    chunks = size = 0
    for chunk in response.response:
        chunks += 1
        size += len(chunk)
    response.close()
    after = peak_rss_mb()
    # The kernel's own figure for this process image, to cross-check ru_maxrss.
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    print(
        json.dumps(
            {
                "path": args.path,
                "before_mb": before,
                "after_mb": after,
                "growth_mb": after - before,
                "vm_hwm_mb": hwm,
                "bytes": size,
                "chunks": chunks,
            }
        )
    )


if __name__ == "__main__":
    main()
