"""Read and tag a corpus file by file: in this process, in worker processes, or on a Dask
cluster, with a cache of each file's tagged articles.

A file is the unit of work and of the cache: its bytes are read here (so that workers need
no access to the files), sent to a worker, and its articles come back tagged, with only
the source positions the graph cites (`Article.drop_layout`). Results are yielded in the
order of the files, whichever finished first.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import os
import pickle
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from kg.document import Article
from kg.errors import InputError, KgError
from kg.export.files import atomic_write

# Files sent ahead of the one being consumed, per worker: enough to keep every worker busy,
# few enough that the bytes and results waiting in memory stay small.
FILES_AHEAD_PER_WORKER = 2
BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class FileResult:
    path: str
    articles: list[Article] = field(default_factory=list)
    error: InputError | None = None
    chars: int = 0  # characters of text read from the file
    size: int = 0  # bytes of the file
    cached: bool = False


def tag_files(
    paths: list[str],
    model: str = "auto",
    jobs: int = 1,
    scheduler: str | None = None,
    cache: str | os.PathLike | None = None,
    script: str = "auto",
) -> Iterator[FileResult]:
    """The tagged articles of each file of `paths`, file by file, in order.

    `jobs` worker processes tag the files (1: this process), or the Dask cluster whose
    scheduler is at `scheduler`. With `cache`, a folder, each file's articles are kept there
    under a digest of its path, its bytes, `script` and the pipeline (`pipeline_fingerprint`), and
    taken from there the next time instead of being tagged again. Files are read only a few
    ahead of the one being yielded, so memory does not grow with the corpus. `script` says
    how they are read: "auto", "simplified" or "traditional" (kg.corpus.script).
    """
    from kg.corpus import read_bytes

    store = TagCache(cache, model, script) if cache is not None else None
    with _Workers(model, jobs, scheduler, script) as workers:
        # Each file's result, or the future of it, with its cache key; in the order of the files.
        waiting: deque[tuple[FileResult | Future, str | None]] = deque()
        files = iter(paths)
        while True:
            while len(waiting) < workers.ahead:
                path = next(files, None)
                if path is None:
                    break
                try:
                    data = read_bytes(path)
                except InputError as error:
                    waiting.append((FileResult(path, error=error), None))
                    continue
                key = store.key(path, data) if store else None
                hit = store.get(key) if store else None
                if hit is not None:
                    chars = sum(len(a.text) for a in hit)
                    waiting.append((FileResult(path, hit, chars=chars, size=len(data), cached=True), None))
                else:
                    waiting.append((workers.submit(path, data), key))
            if not waiting:
                return
            item, key = waiting.popleft()
            result = item if isinstance(item, FileResult) else workers.result(item)
            if key and result.error is None:
                store.put(key, result.articles)
            yield result


class _Workers:
    """Where files are tagged: this process, a pool of processes or a Dask cluster, started
    at the first file that needs tagging (a rebuild from the cache starts nothing)."""

    def __init__(self, model: str, jobs: int, scheduler: str | None, script: str):
        self.model, self.jobs, self.scheduler, self.script = model, jobs, scheduler, script
        self._pool = None
        self._client = None
        self.ahead = FILES_AHEAD_PER_WORKER * (jobs if not scheduler else 1)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._client is not None:
            self._client.close()
        if _PIPELINES:
            release_pipelines()

    def submit(self, path: str, data: bytes) -> Future:
        if self.scheduler:
            return self._dask().submit(tag_bytes, path, data, self.model, self.script, pure=False)
        if self.jobs > 1:
            return self._processes().submit(tag_bytes, path, data, self.model, self.script)
        done: Future = Future()
        done.set_result(tag_bytes(path, data, self.model, self.script))
        return done

    def result(self, future: Future) -> FileResult:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return future.result()
        except BrokenProcessPool:
            raise KgError("a worker process died (out of memory?); run again: what was tagged is cached") from None
        except Exception as error:
            if type(error).__name__ == "KilledWorker":  # Dask gave up retrying the file
                raise KgError(f"Dask workers died tagging a file, more often than Dask retries: {error}") from None
            raise

    def _processes(self):
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # The workers share the cores: one BLAS thread each (as Dask's nanny sets for its
            # workers), or the NER's matrix products of two workers fight over two cores.
            for variable in BLAS_THREADS:
                os.environ.setdefault(variable, "1")
            # spawn, not fork: a forked child would inherit the locks of this process's threads
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                self.jobs, mp_context=context, initializer=_end_with_parent, initargs=(os.getpid(),)
            )
        return self._pool

    def _dask(self):
        if self._client is None:
            try:
                from distributed import Client
            except ImportError:
                raise KgError("--scheduler needs Dask: pip install 'kg[cluster]'") from None
            try:
                self._client = Client(self.scheduler, timeout="20s")
            except OSError as error:
                raise KgError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}") from None
            workers = len(self._client.scheduler_info()["workers"])
            self.ahead = FILES_AHEAD_PER_WORKER * max(workers, 1)
        return self._client


def _end_with_parent(parent: int) -> None:
    """Have Linux end this worker when `parent`, the process that started it, ends, even
    killed: an orphaned worker would hold its pipeline's memory for nothing."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it ended while this worker was starting
        os._exit(1)


_PIPELINES: dict[str, object] = {}
_PIPELINES_LOCK = threading.Lock()


def release_pipelines() -> None:
    """Free the pipelines this process loaded: the graph that follows tagging needs their
    memory more (a few hundred MB: the NER's arrays and vocabulary)."""
    from kg.nlp.pipeline import release_memory

    _PIPELINES.clear()
    gc.collect()
    release_memory()


def tag_bytes(path: str, data: bytes, model: str = "auto", script: str = "auto") -> FileResult:
    """The tagged articles of the file `path` whose bytes are `data`. Loads the pipeline once
    per process (a worker process's first file loads it)."""
    from kg import nlp
    from kg.corpus import read_file

    try:
        articles = read_file(path, data, script)
    except InputError as error:
        return FileResult(path, error=error, size=len(data))
    with _PIPELINES_LOCK:
        if model not in _PIPELINES:
            _PIPELINES[model] = nlp.load_pipeline(model)
    articles = list(nlp.annotate(articles, _PIPELINES[model], progress=False, script=script))
    for article in articles:
        article.drop_layout()
    return FileResult(path, articles, chars=sum(len(a.text) for a in articles), size=len(data))


class TagCache:
    """A folder of tagged files, one pickle each, under the pipeline's fingerprint.

    The folder is the user's own (`kg build --cache`), so its pickles are trusted like the
    user's code; a file that cannot be read back counts as absent.
    """

    def __init__(self, folder: str | os.PathLike, model: str, script: str = "auto"):
        from kg.nlp import pipeline_fingerprint

        self.folder = Path(folder) / pipeline_fingerprint(model)[:24]
        self.script = script  # a file read as another script is tagged differently

    def key(self, path: str, data: bytes) -> str:
        return hashlib.sha256(self.script.encode() + b"\0" + path.encode() + b"\0" + data).hexdigest()

    def get(self, key: str) -> list[Article] | None:
        try:
            with open(self.folder / f"{key}.pickle", "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, articles: list[Article]) -> None:
        with atomic_write(self.folder / f"{key}.pickle", "wb") as handle:
            pickle.dump(articles, handle, protocol=pickle.HIGHEST_PROTOCOL)
