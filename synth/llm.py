"""One chat-completion call to any OpenAI-compatible endpoint, with the things a run needs around it:
retries (one layer: ours, the client's `max_retries` is 0), token and money accounting, a budget cap,
and an on-disk response cache so a rerun is free and deterministic.

A failed sample (malformed body, empty answer, retries exhausted) raises `SampleFailed`; callers count
it and go on. An endpoint that cannot be used at all (refused key, nothing listening) raises
`SolverUnavailable`, which the CLI prints as one line and exits 2.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from synth.solver import SolverUnavailable

# USD per million tokens (prompt, completion). Defaults only: override with `prices` in the config.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o": (2.50, 10.00),
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4.1": (2.00, 8.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1-nano": (0.10, 0.40),
    "o4-mini": (1.10, 4.40),
}
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class LLMConfig:
    base_url: str | None = None
    api_key: str | None = None
    model: str = "gpt-4o-mini"
    temperature: float = 0.8
    max_tokens: int = 2048
    timeout_s: float = 120.0
    max_retries: int = 4
    backoff_s: float = 1.0  # first retry waits about this long, doubling each time
    backoff_cap_s: float = 60.0  # no single wait is longer, Retry-After included
    budget_tokens: int | None = None
    budget_usd: float | None = None
    cache_dir: str | None = None  # None: the user's cache dir; "" disables the cache
    prices: dict[str, tuple[float, float]] = field(default_factory=dict)

    def price(self) -> tuple[float, float]:
        return self.prices.get(self.model) or PRICES.get(self.model) or (0.0, 0.0)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "arc-synth" / "llm"


class SampleFailed(Exception):
    """This sample produced no usable text; the message says why."""


class BudgetExceeded(SampleFailed):
    """The token or money budget is spent: stop sampling."""


@dataclass
class Usage:
    requests: int = 0  # HTTP requests sent, retries included
    cached: int = 0  # answers served from the cache
    failed: int = 0  # samples that produced nothing usable
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def since(self, before: Usage) -> Usage:
        """What was spent between the snapshot `before` (a `replace(usage)` copy) and now."""
        return Usage(**{name: value - getattr(before, name) for name, value in asdict(self).items()})

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "total_tokens": self.total_tokens, "cost_usd": round(self.cost_usd, 6)}


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    cached: bool


class LLMClient:
    """Thread-safe: one client serves every concurrent sample of a run; `usage` is the run's total."""

    def __init__(self, config: LLMConfig) -> None:
        if not config.api_key:
            raise SolverUnavailable(
                "no API key: set OPENAI_API_KEY (any text for a local server) or api_key in the config file"
            )
        import openai

        self.config = config
        self.usage = Usage()
        self.answered = False  # until the endpoint answers once, a refused connection means "not there"
        self.lock = threading.Lock()
        self.client = openai.OpenAI(
            api_key=config.api_key, base_url=config.base_url, timeout=config.timeout_s, max_retries=0
        )
        self.endpoint = str(self.client.base_url)
        self.cache = None if config.cache_dir == "" else Path(config.cache_dir or default_cache_dir())

    # -- cache
    def cache_key(self, messages: list[dict[str, str]], sample_index: int, temperature: float) -> str:
        blob = json.dumps(
            {
                "endpoint": self.endpoint,
                "model": self.config.model,
                "messages": messages,
                "params": {"temperature": temperature, "max_tokens": self.config.max_tokens},
                "sample": sample_index,
            },
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def _cache_path(self, key: str) -> Path | None:
        return None if self.cache is None else self.cache / key[:2] / f"{key}.json"

    def _cache_get(self, key: str) -> Completion | None:
        path = self._cache_path(key)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text())
            return Completion(
                str(data["text"]), int(data["prompt_tokens"]), int(data["completion_tokens"]), True
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is a miss

    def _cache_put(self, key: str, c: Completion) -> None:
        path = self._cache_path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(
            json.dumps(
                {"text": c.text, "prompt_tokens": c.prompt_tokens, "completion_tokens": c.completion_tokens}
            )
        )
        tmp.replace(path)

    # -- accounting
    def _charge(self, usage: Usage) -> None:
        with self.lock:
            self.usage.add(usage)

    def budget_left(self) -> bool:
        c, u = self.config, self.usage
        if c.budget_tokens is not None and u.total_tokens >= c.budget_tokens:
            return False
        return not (c.budget_usd is not None and u.cost_usd >= c.budget_usd)

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        p_in, p_out = self.config.price()
        return (prompt_tokens * p_in + completion_tokens * p_out) / 1e6

    # -- the call
    def complete(
        self, messages: list[dict[str, str]], sample_index: int = 0, temperature: float | None = None
    ) -> Completion:
        """The answer text for one sample; raises SampleFailed (or SolverUnavailable)."""
        temperature = self.config.temperature if temperature is None else temperature
        key = self.cache_key(messages, sample_index, temperature)
        hit = self._cache_get(key)
        if hit is not None:
            self._charge(Usage(cached=1))
            return hit
        if not self.budget_left():
            raise BudgetExceeded("budget spent")
        response = self._request_with_retries(messages, temperature)
        usage = getattr(response, "usage", None)
        p_tok = int(getattr(usage, "prompt_tokens", 0) or 0)
        c_tok = int(getattr(usage, "completion_tokens", 0) or 0)
        self._charge(Usage(prompt_tokens=p_tok, completion_tokens=c_tok, cost_usd=self.cost(p_tok, c_tok)))
        text = _message_text(response)
        if not text.strip():
            self._charge(Usage(failed=1))
            raise SampleFailed("empty answer")
        completion = Completion(text, p_tok, c_tok, False)
        self._cache_put(key, completion)
        return completion

    def _request_with_retries(self, messages: list[dict[str, str]], temperature: float) -> Any:
        import openai

        attempt = 0
        while True:
            self._charge(Usage(requests=1))
            try:
                response = self.client.chat.completions.create(
                    model=self.config.model,
                    messages=messages,
                    temperature=temperature,
                    max_tokens=self.config.max_tokens,
                )
                self.answered = True
                return response
            except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
                raise SolverUnavailable(
                    f"{self.endpoint}: the endpoint refused the API key ({e.status_code})"
                ) from None
            except openai.NotFoundError:
                raise SolverUnavailable(
                    f"{self.endpoint}: no chat completions there, or no model {self.config.model!r}"
                ) from None
            except openai.APIStatusError as e:
                retry = e.status_code in RETRY_STATUSES or e.status_code >= 500
                wait_hint = _retry_after(e.response.headers.get("retry-after"))
                reason = f"HTTP {e.status_code}"
            except openai.APITimeoutError:
                retry, wait_hint, reason = True, None, "timed out"
            except openai.APIConnectionError as e:
                if not self.answered and _refused(e):
                    raise SolverUnavailable(
                        f"{self.endpoint}: cannot reach the endpoint (connection refused)"
                    ) from None
                retry, wait_hint, reason = True, None, "connection failed"
            except Exception as e:  # a body the client cannot parse, and the like: a failed sample
                self._charge(Usage(failed=1))
                raise SampleFailed(f"malformed response ({e.__class__.__name__})") from None
            if not retry or attempt >= self.config.max_retries:
                self._charge(Usage(failed=1))
                raise SampleFailed(f"{reason} after {attempt + 1} request(s)")
            time.sleep(self.backoff(attempt, wait_hint))
            attempt += 1

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential with full jitter, at least Retry-After when the server gave one, capped."""
        c = self.config
        wait = min(c.backoff_cap_s, c.backoff_s * 2**attempt) * random.uniform(0.5, 1.0)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return min(wait, c.backoff_cap_s)


def _refused(error: Exception) -> bool:
    """A connection that could not be opened at all (nothing listening, no such host), as opposed to
    one dropped mid-answer."""
    cause: BaseException | None = error.__cause__
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError) or type(cause).__name__ == "ConnectError":
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _message_text(response: Any) -> str:
    try:
        content = response.choices[0].message.content
    except (AttributeError, IndexError, TypeError):
        raise SampleFailed("response has no message") from None
    return content if isinstance(content, str) else ""
