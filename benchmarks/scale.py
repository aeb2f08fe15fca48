"""The scale figures of issue #16: `kg build` on generated news corpora of 5, 20 and 100 MB.

    .venv/bin/python benchmarks/scale.py [--sizes 5,20,100] [--modes jobs1,jobs2,dask,warm,add-one]
    .venv/bin/python benchmarks/scale.py --kg-root /tmp/kg-baseline --sizes 5,20   # another checkout

Corpora come from benchmarks/news_corpus.py (seed 0), cached under WORK/corpus. Each build is
`python -m kg.cli build CORPUS --out OUT --model kg [flags]`, a subprocess with --kg-root
first on PYTHONPATH, run one at a time. Modes:
- jobs1, jobs2: `--jobs 1`, `--jobs 2`, each into a fresh output and cache folder; a kg without
  --jobs runs jobs1 as the plain command (one process);
- dask: `--scheduler ADDRESS` of a LocalCluster of 2 worker processes started here for it;
- warm: the jobs2 command again (an unchanged corpus, the cache of the first run);
- add-one: the jobs2 command with one more file (another seed) beside the corpus;
warm and add-one reuse jobs2's output and cache: run them after it.
A mode whose flag `kg build --help` does not list is skipped (the cache modes need --cache).
--model kg names the pipeline the NER row measures (here "auto" is the same when no
zh_core_web_* package is installed).

Measured: wall seconds; CPU seconds of the build's processes (rusage of the reaped process
tree, plus what the cluster's standing processes spent during the build); peak memory, sampled
every 0.2 s over every process this script started (the build, its workers, the cluster's
nannies and workers), as the largest sum of their RSS and the largest single RSS (not
ru_maxrss: a forked child counts its parent's pages until it execs); the node and edge counts kg
prints; the machine's 1-minute load average as the build ends (others' jobs slow the wall clock,
not the CPU seconds). Last, the NER's own speed: kg's whole pipeline (benchmarks/ner.py's
kg_system) over about 300k characters of the corpus's articles in this process, and the builds'
characters per second divided by it. The NER row and the dask mode use this checkout's kg, so
they are skipped with another --kg-root.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from news_corpus import read_news_corpus, write_news_corpus

REPO = Path(__file__).resolve().parents[1]
MODES = ("jobs1", "jobs2", "dask", "warm", "add-one")
COLD = ("jobs1", "jobs2", "dask")  # a fresh output and cache each
# (name, mode, mode): the first mode's wall time over the second's.
RATIOS = (("jobs2/jobs1 throughput", "jobs1", "jobs2"), ("dask/jobs1 throughput", "jobs1", "dask"),
          ("warm/cold time", "warm", "jobs2"), ("add-one/cold time", "add-one", "jobs2"))  # fmt: skip
NER_SAMPLE_CHARS = 300_000
SAMPLE_SECONDS = 0.2
_COUNTS = re.compile(r"(\d+) nodes, (\d+) edges")


class PeakMemory(threading.Thread):
    """Samples the RSS of every descendant of this process until stopped."""

    def __init__(self):
        super().__init__(daemon=True)
        self.tree = self.single = 0
        self._stop_event = threading.Event()

    def run(self):
        me = psutil.Process()
        while True:
            rss = []
            for process in me.children(recursive=True):
                try:
                    rss.append(process.memory_info().rss)
                except psutil.Error:  # ended between listing and reading
                    continue
            self.tree, self.single = max(self.tree, sum(rss)), max(self.single, max(rss, default=0))
            if self._stop_event.wait(SAMPLE_SECONDS):
                return

    def stop(self):
        self._stop_event.set()
        self.join()


def _cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def run_kg(root: Path, args: list[str], **options) -> subprocess.CompletedProcess:
    """`python -m kg.cli ARGS` with ROOT's kg: `-m` puts the working folder first on sys.path."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], env=env, cwd=root, **options)


def timed_build(root: Path, args: list[str], log: Path) -> dict:
    """Run `kg build ARGS`; its wall and CPU seconds, peak memory, exit status and graph size."""
    standing = {p: _cpu(p) for p in psutil.Process().children(recursive=True)}  # a cluster's processes
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = PeakMemory()
    peak.start()
    started = time.perf_counter()
    with log.open("w") as stderr:
        status = run_kg(root, ["build", *args], stdout=subprocess.DEVNULL, stderr=stderr).returncode
    wall = time.perf_counter() - started
    peak.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - reaped.ru_utime - reaped.ru_stime
    cpu += sum(_cpu(p) - spent for p, spent in standing.items())
    counts = _COUNTS.findall(log.read_text(errors="replace"))
    nodes, edges = counts[-1] if counts else ("?", "?")
    return {"wall": wall, "cpu": cpu, "tree": peak.tree, "single": peak.single, "status": status,
            "nodes": nodes, "edges": edges, "load": os.getloadavg()[0]}  # fmt: skip


def corpus(work: Path, megabytes: float, fmt: str, seed: int) -> list[Path]:
    """The files of the generated corpus, written once into WORK/corpus (complete or absent)."""
    folder = work / "corpus" / f"news-{megabytes:g}mb-{fmt}-s{seed}"
    if not folder.is_dir():
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        write_news_corpus(partial, megabytes, seed=seed, fmt=fmt)
        partial.rename(folder)
    return sorted(folder.glob(f"*.{fmt}"))


def run_mode(mode: str, root: Path, corpus_dir: Path, extra_dir: Path, out: Path, flags: set[str]) -> dict:
    """Build in `mode` into OUT/<its folder> (a fresh one for the cold modes); `timed_build`'s figures."""
    jobs = {"jobs1": ["--jobs", "1"], "dask": []}.get(mode, ["--jobs", "2"]) if "--jobs" in flags else []
    target = out / ("jobs2" if mode in ("warm", "add-one") else mode)
    if mode in COLD:
        shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    paths = [str(corpus_dir), str(extra_dir)] if mode == "add-one" else [str(corpus_dir)]
    command = [*paths, "--out", str(target), "--model", "kg", *jobs]
    if "--cache" in flags:
        command += ["--cache", str(target / "cache")]
    log = out / f"{mode}.log"
    if mode != "dask":
        return timed_build(root, command, log)
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        return timed_build(root, [*command, "--scheduler", cluster.scheduler_address], log)


def build_flags(root: Path) -> set[str]:
    """The options `kg build --help` lists."""
    shown = run_kg(root, ["build", "--help"], capture_output=True, text=True, check=True).stdout
    return set(re.findall(r"--[a-z][a-z-]*", shown))


def ner_speed(texts: list[str]) -> tuple[float, float]:
    """Characters per wall second and per CPU second of kg's pipeline (nlp.pipe) over `texts`."""
    from ner import kg_system  # sets one BLAS thread for this process: imported after the builds

    run = kg_system(None)
    run(texts[:20])  # warm-up: lazy loading is not speed
    wall, cpu = time.perf_counter(), time.process_time()
    run(texts)
    chars = sum(map(len, texts))
    return chars / (time.perf_counter() - wall), chars / (time.process_time() - cpu)


def machine() -> str:
    memory = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}, Python {platform.python_version()}"


def revision(root: Path) -> str:
    found = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,20,100", help="corpus sizes in MB, comma-separated")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--format", choices=("jsonl", "txt"), default="jsonl")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", default="/tmp/kg-scale", help="folder of the corpora and outputs")
    parser.add_argument("--kg-root", default=str(REPO), help="the kg checkout to build with (default: this one)")
    args = parser.parse_args(argv)
    modes = [mode for mode in args.modes.split(",") if mode]
    unknown = set(modes) - set(MODES)
    if unknown:
        parser.error(f"unknown modes: {', '.join(sorted(unknown))}")
    work, root = Path(args.work).resolve(), Path(args.kg_root).resolve()
    same_kg = root == REPO
    flags = build_flags(root)
    needs = {"jobs1": True, "jobs2": "--jobs" in flags, "dask": "--scheduler" in flags and same_kg,
             "warm": "--cache" in flags, "add-one": "--cache" in flags}  # fmt: skip
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}; kg at {root} ({revision(root)})")
    skipped = [mode for mode in modes if not needs[mode]]
    if skipped:
        print(f"skipped (kg build lacks the flag, or dask with another --kg-root): {', '.join(skipped)}")
    header = f"{'MB':>5} {'chars':>10} {'articles':>8} {'mode':<8} {'wall s':>8} {'CPU s':>8} " \
             f"{'tree MB':>8} {'proc MB':>8} {'chars/s':>8} {'nodes':>7} {'edges':>8} {'load':>5}"  # fmt: skip
    print(header, flush=True)
    summaries = []
    for megabytes in (float(size) for size in args.sizes.split(",")):
        files = corpus(work, megabytes, args.format, args.seed)
        extra = corpus(work, megabytes / len(files), args.format, args.seed + 1)
        texts = [f"{title}\n{text}" for title, text in read_news_corpus(files)]  # as kg reads them
        chars = sum(map(len, texts))
        out = work / "out" / f"{megabytes:g}mb"
        results = {}
        for mode in (m for m in modes if needs[m]):
            result = run_mode(mode, root, files[0].parent, extra[0].parent, out, flags)
            if result["status"] == 0:  # a failed build gives no figures to compare
                results[mode] = result
            status = "" if result["status"] == 0 else f"  exit {result['status']}, see {out / mode}.log"
            print(
                f"{megabytes:5g} {chars:10d} {len(texts):8d} {mode:<8} {result['wall']:8.1f} {result['cpu']:8.1f} "
                f"{result['tree'] / 2**20:8.0f} {result['single'] / 2**20:8.0f} {chars / result['wall']:8.0f} "
                f"{result['nodes']:>7} {result['edges']:>8} {result['load']:5.1f}{status}",
                flush=True,
            )
        summaries.append((megabytes, chars, texts, results))

    for megabytes, _, _, results in summaries:
        ratios = [
            f"{name} {results[over]['wall'] / results[under]['wall']:.2f}"
            for name, over, under in RATIOS
            if over in results and under in results
        ]
        print(f"{megabytes:g} MB: " + ("; ".join(ratios) or "no ratios (modes missing)"))

    if not same_kg:
        print("NER speed: not measured (it runs this checkout's kg, not --kg-root's)")
        return 0
    sample, total = [], 0
    for text in summaries[0][2]:
        if total >= NER_SAMPLE_CHARS:
            break
        sample.append(text)
        total += len(text)
    wall_speed, cpu_speed = ner_speed(sample)
    print(f"NER (kg's pipeline, nlp.pipe, this process): {total} chars, {wall_speed:.0f} chars/s wall, "
          f"{cpu_speed:.0f} chars per CPU-second")  # fmt: skip
    for megabytes, chars, _, results in summaries:
        ratios = [f"{mode} {chars / results[mode]['wall'] / wall_speed:.2f}" for mode in COLD if mode in results]
        if "jobs1" in results:
            ratios.append(f"jobs1 per CPU-second {chars / results['jobs1']['cpu'] / cpu_speed:.2f}")
        print(f"{megabytes:g} MB, build chars/s over NER chars/s: " + ", ".join(ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
