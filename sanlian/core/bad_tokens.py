"""Failed bearer-token attempts, counted per client address in the cache (Redis in production).

Ninja authenticates before it throttles, so a caller trying keys would only ever see 401 and never be slowed.
Past SANLIAN_API_RATE_BAD_TOKEN failures in the window, every bearer call from that address gets 429 until the
window ends, valid keys included: answering valid keys normally would still tell a guesser when a key is right.
"""

import time

from django.conf import settings
from django.core.cache import cache
from ninja.errors import Throttled
from ninja.throttling import BaseThrottle

PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600, "day": 86400, "d": 86400}


def _rate() -> tuple[int, int] | None:
    rate = getattr(settings, "SANLIAN_API_RATE_BAD_TOKEN", None)
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), PERIODS[period]


def _key(request, period: int) -> tuple[str, int]:
    # A fixed window: the key names the window it counts, so it needs no reset and expires by itself.
    window = int(time.time()) // period
    return f"sanlian_api_bad_token_{BaseThrottle().get_ident(request)}_{window}", (window + 1) * period


def refuse_if_blocked(request) -> None:
    """Raise Throttled (429 with Retry-After) when the caller's address is past the limit."""
    rate = _rate()
    if rate is None:
        return
    limit, period = rate
    key, window_end = _key(request, period)
    if cache.get(key, 0) >= limit:
        raise Throttled(wait=max(1, window_end - time.time()))


def count_failure(request) -> None:
    rate = _rate()
    if rate is None:
        return
    _limit, period = rate
    key, _end = _key(request, period)
    if not cache.add(key, 1, timeout=period + 1):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period + 1)
