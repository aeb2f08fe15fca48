"""Fixtures shared by the test modules: paths, and the seeds graph built once by the real flow."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPORA = Path(os.environ.get("KG_CORPORA", ROOT.parent / "shared" / "corpora"))

# Every tqdm bar, drawn or not, takes tqdm's lock, by default a multiprocessing semaphore that
# processes forked from this one share. mutmut forks a process per mutant; one stopped while it
# held the lock (a mutant that hangs, stopped with SIGXCPU) stalled every later one. A thread
# lock keeps each process to itself.
tqdm.set_lock(threading.RLock())


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA}")
    return CORPORA


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory) -> Path:
    """`kg build seeds --out DIR`, run once per test session; returns DIR."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("seeds-out")
    assert main(["build", str(SEEDS), "--out", str(out)]) == 0
    return out
