"""Measuring tools for the benchmark: wall time, SQL queries per request, the CPU, peak memory."""

from __future__ import annotations

import gc
import os
import resource
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event


@dataclass
class Timing:
    median_ms: float
    p95_ms: float
    runs: int

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return cls(statistics.median(ordered) * 1000, p95 * 1000, len(ordered))


def timed(fn: Callable[[], object], runs: int, warmup: int = 2, budget: float = 20.0) -> Timing:
    """Time ``fn`` ``runs`` times after ``warmup`` calls, from a collected heap.

    Slow calls get fewer runs: as many as fit in ``budget`` seconds, but never fewer than five.
    """
    first = None
    for _ in range(warmup):
        start = time.perf_counter()
        fn()
        first = time.perf_counter() - start
    if first:
        runs = max(5, min(runs, int(budget / first)))
    gc.collect()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Timing.of(samples)


def in_turns(
    fn: Callable[[], object],
    baseline: Callable[[], object],
    runs: int,
    warmup: int = 2,
    budget: float = 20.0,
    least: float = 1.0,
) -> tuple[Timing, Timing]:
    """Time ``fn`` and its ``baseline`` call by call in turns.

    A baseline timed minutes earlier carries the machine's drift in between,
    which for answers of a fraction of a millisecond is several per cent of
    the ratio; taken in turns, both medians see the same machine. Slow pairs
    get as many runs as fit in ``budget`` seconds (never fewer than five),
    fast ones at least ``least`` seconds of runs. The heap is collected first,
    so that the garbage an earlier measurement left is not collected in this
    one's time.
    """
    pair = 0.0
    for _ in range(warmup):
        start = time.perf_counter()
        fn()
        baseline()
        pair = time.perf_counter() - start
    if pair:
        runs = max(5, min(runs, int(budget / pair)), min(5000, int(least / pair)))
    gc.collect()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for call, kept in ((fn, samples[0]), (baseline, samples[1])):
            start = time.perf_counter()
            call()
            kept.append(time.perf_counter() - start)
    return Timing.of(samples[0]), Timing.of(samples[1])


class QueryCounter:
    """Counts the statements an engine executes while active."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _on_execute(self, *args, **kwargs):
        self.count += 1

    @contextmanager
    def counting(self):
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        try:
            yield self
        finally:
            event.remove(self.engine, "before_cursor_execute", self._on_execute)


def pin_to_one_core(cpu: int | None = None) -> int:
    """Run this process (and the processes it starts) on one CPU: the last one, unless told."""
    cpu = max(os.sched_getaffinity(0)) if cpu is None else cpu
    os.sched_setaffinity(0, {cpu})
    return cpu


def peak_rss_mb() -> float:
    """The highest resident memory this process has had so far, in MiB (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
