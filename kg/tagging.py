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
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from kg.document import Article
from kg.errors import InputError, KgError
from kg.export.files import atomic_write
from kg.memory import gc_paused

# Files sent ahead of the one being consumed, per worker: enough to keep every worker busy,
# few enough that the bytes and results waiting in memory stay small.
FILES_AHEAD_PER_WORKER = 2
# Files looked up in the cache ahead of the one being yielded, to find those to tag early.
FILES_QUEUED = 256
BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class FileResult:
    path: str
    articles: list[Article] = field(default_factory=list)
    error: InputError | None = None
    chars: int = 0  # characters of text read from the file
    size: int = 0  # bytes of the file
    cached: bool = False  # articles from the cache
    key: str | None = None  # the file's digest in the cache
    skipped: bool = False  # no articles: the caller has what it needs of the file (`tag_files`)


def tag_files(
    paths: list[str],
    model: str = "auto",
    jobs: int = 1,
    scheduler: str | None = None,
    cache: str | os.PathLike | None = None,
    script: str = "auto",
    have: Callable[[str], bool] | None = None,
) -> Iterator[FileResult]:
    """The tagged articles of each file of `paths`, file by file, in order.

    `jobs` worker processes tag the files (1: this process), or the Dask cluster whose
    scheduler is at `scheduler`. With `cache`, a folder, each file's articles are kept there
    under a digest of its path, its bytes, `script` and the pipeline (`pipeline_fingerprint`), and
    taken from there the next time instead of being tagged again. A file whose digest `have`
    accepts (the caller keeps what it needs of it elsewhere) is yielded without its articles,
    `skipped`. Files are sent to the workers a few ahead of the one being yielded, so memory
    does not grow with the corpus, and those the cache lacks are sent first, so that a rebuild
    after new pages tags them while the cached files are read. `script` says how they are
    read: "auto", "simplified" or "traditional" (kg.corpus.script).
    """
    from kg.corpus import read_bytes

    store = TagCache(cache, model, script) if cache is not None else None
    with _Workers(model, jobs, scheduler, script) as workers:
        # Each file's result, the future of it or None (in the cache), with its size and
        # cache key; in the order of the files. Only futures hold articles or bytes.
        waiting: deque[tuple[str, FileResult | Future | None, int, str | None]] = deque()
        pending = 0
        files = iter(paths)
        while True:
            while pending < workers.ahead and len(waiting) < FILES_QUEUED:
                path = next(files, None)
                if path is None:
                    break
                try:
                    data = read_bytes(path)
                except InputError as error:
                    waiting.append((path, FileResult(path, error=error), 0, None))
                    continue
                key = store.key(path, data) if store else None
                if key is not None and have is not None and have(key):
                    waiting.append((path, FileResult(path, size=len(data), skipped=True), len(data), key))
                elif key is not None and store.has(key):
                    waiting.append((path, None, len(data), key))
                else:
                    waiting.append((path, workers.submit(path, data), len(data), key))
                    pending += 1
            if not waiting:
                return
            path, item, size, key = waiting.popleft()
            if item is None:
                articles = store.get(key)
                if articles is not None:
                    item = FileResult(path, articles, chars=sum(len(a.text) for a in articles), size=size, cached=True)
                else:  # unreadable, or gone since it was looked up
                    try:
                        item = workers.submit(path, read_bytes(path))
                        pending += 1
                    except InputError as error:
                        item = FileResult(path, error=error)
            if isinstance(item, FileResult):
                result = item
            else:  # a future, of this process's pool or of Dask
                pending -= 1
                result = workers.result(item)
                if key and result.error is None:
                    store.put(key, result.articles)
            result.key = key
            yield result


class _Workers:
    """Where files are tagged: this process, a pool of processes or a Dask cluster, started
    at the first file that needs tagging (a rebuild from the cache starts nothing)."""

    def __init__(self, model: str, jobs: int, scheduler: str | None, script: str):
        self.model, self.jobs, self.scheduler, self.script = model, jobs, scheduler, script
        self._pool = None
        self._client = None
        self._one_core = None
        self.ahead = FILES_AHEAD_PER_WORKER * (jobs if not scheduler else 1)

    def __enter__(self) -> _Workers:
        if self.jobs == 1 and not self.scheduler:
            # --jobs N uses N cores: here one, though numpy's BLAS would multiply the NER's
            # matrices on every core (a shared machine's or a job slot's other cores are not
            # ours to take). Limits apply to the BLAS loaded so far: numpy's, that of the NER.
            import numpy  # noqa: F401
            from threadpoolctl import threadpool_limits

            self._one_core = threadpool_limits(limits=1, user_api="blas")
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if self._client is not None:
            self._client.close()
        if _PIPELINES:
            release_pipelines()
        if self._one_core is not None:
            self._one_core.restore_original_limits()

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


class PickleFolder:
    """A folder of pickles by key. The folder is the user's own (`kg build --cache`), so its
    pickles are trusted like the user's code; a file that cannot be read back counts as absent."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def has(self, key: str) -> bool:
        return (self.folder / f"{key}.pickle").is_file()

    def get(self, key: str):
        try:
            with open(self.folder / f"{key}.pickle", "rb") as handle, gc_paused():
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, value) -> None:
        with atomic_write(self.folder / f"{key}.pickle", "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


class TagCache(PickleFolder):
    """Tagged files (lists of articles) under the pipeline's fingerprint, by a digest of each
    file's path, bytes and script."""

    def __init__(self, folder: str | os.PathLike, model: str, script: str = "auto"):
        from kg.nlp import pipeline_fingerprint

        super().__init__(Path(folder) / pipeline_fingerprint(model)[:24])
        self.script = script  # a file read as another script is tagged differently

    def key(self, path: str, data: bytes) -> str:
        return hashlib.sha256(self.script.encode() + b"\0" + path.encode() + b"\0" + data).hexdigest()
