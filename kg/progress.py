"""Progress of a long run, for a person at a terminal or a log read later."""

from __future__ import annotations

import sys
import time


class Progress:
    """How far a run over `total` bytes of input has come.

    On a terminal: a bar with rate and time left. Elsewhere (a cluster job, CI, nohup): one
    line every `every` seconds, and one at the end. `quiet`: nothing.
    """

    def __init__(self, total: int, desc: str = "kg", quiet: bool = False, every: float = 30.0, stream=None):
        self.total, self.desc, self.every = total, desc, every
        self.stream = stream or sys.stderr
        self.done = self.chars = self.articles = self.files = self.cached = 0
        self.started = self._last = time.monotonic()
        self._bar = None
        self._quiet = quiet
        if not quiet and self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit="B", unit_scale=True, file=self.stream, smoothing=0.1)

    def update(self, size: int, chars: int, articles: int, cached: bool = False) -> None:
        """One more file of `size` bytes done: `chars` characters in `articles` articles,
        tagged or (`cached`) taken from the cache."""
        self.files += 1
        self.cached += cached
        self.done += size
        self.chars += chars
        self.articles += articles
        if self._bar is not None:
            self._bar.set_postfix(articles=self.articles, chars_per_s=f"{self._rate():,.0f}", refresh=False)
            self._bar.update(size)
        elif not self._quiet and time.monotonic() - self._last >= self.every:
            self._last = time.monotonic()
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif not self._quiet and self.done:
            print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        share = self.done / self.total if self.total else 1.0
        left = elapsed / share - elapsed if share else 0.0
        return (
            f"{self.desc}: {self.articles:,} articles, {self.done / 1e6:.1f} of {self.total / 1e6:.1f} MB "
            f"({share:.0%}), {self.cached} of {self.files} files from the cache, {self._rate():,.0f} chars/s, "
            f"{_duration(elapsed)} so far, about {_duration(left)} left"
        )

    def _rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.chars / elapsed if elapsed > 0 else 0.0


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
