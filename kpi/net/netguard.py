"""Limits for fetching URLs found in data: which addresses may be fetched, and how many bytes.

A catalogue URL is data from many hands. Fetching it must not reach the server's own network
(loopback, private, link-local, cloud metadata at 169.254.169.254) unless the operator allows
it with KPI_LINKCHECK_PRIVATE=allow (SPEC §8; tests with a local server do), and a gzip bomb
must stop at the byte cap counted after decompression.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import time
import zlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

ENV_PRIVATE = "KPI_LINKCHECK_PRIVATE"


class Refused(Exception):
    """The URL is not fetched; the message says why (in zh-TW, for the run file)."""


def private_allowed() -> bool:
    return os.environ.get(ENV_PRIVATE, "").strip().lower() == "allow"


def is_public(address: str) -> bool:
    """Only globally routable unicast addresses (IPv4-mapped IPv6 judged as the IPv4 inside)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_url(url: str) -> None:
    """Refuse a URL whose scheme is not http(s) or whose host resolves to a non-public address.

    Checked before every request, redirects included. (The HTTP client resolves the name again;
    a DNS answer that changes between the two lookups is outside what this guard can see.)"""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"只檢查 http(s) 網址：{url[:200]}")
    if private_allowed():
        return
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as err:
        raise Refused(f"網址的埠號無效：{url[:200]}") from err
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
        addresses = [str(literal)]
    except ValueError:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = sorted({info[4][0] for info in infos})
    for address in addresses:
        if not is_public(address):
            raise Refused(f"不連線到內部位址 {address}（迴路、私有、連結本機或中繼資料位址）；"
                          f"如需檢查請設定 {ENV_PRIVATE}=allow")


class Incomplete(Exception):
    """The body ended before it was whole (zh-TW message): fewer bytes than Content-Length, or a
    compressed stream without its end or failing its check."""


async def read_capped(response, limit: int, whole: bool = False) -> bytes:
    """At most `limit` bytes of the body after decompression; raw bytes capped too.

    httpx's own decoders inflate a whole network chunk at once (64 KB of gzip can be 64 MB), so
    the raw stream is inflated here with max_length. With ``whole`` (a file to import, not a link
    check) a body cut short raises Incomplete instead of returning the part that arrived."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    inflate = None
    if encoding in ("gzip", "x-gzip"):
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflate = zlib.decompressobj()
    body = bytearray()
    raw_read = 0
    raw: AsyncIterator[bytes] = response.aiter_raw()
    async for chunk in raw:
        raw_read += len(chunk)
        if inflate is None:
            body += chunk[: limit - len(body)]
        else:
            try:
                body += inflate.decompress(chunk, limit - len(body))
            except zlib.error:
                if whole:
                    raise Incomplete("壓縮內容損毀（解壓縮失敗或檢查碼不符）") from None
                break  # a broken stream: keep what was read; the status still tells the story
        if len(body) >= limit or raw_read >= limit * 16:
            return bytes(body)
    declared = response.headers.get("content-length", "")
    if whole and declared.strip().isdigit() and raw_read < int(declared):
        raise Incomplete(f"只收到 {raw_read:,} 位元組，伺服器宣告 {int(declared):,} 位元組")
    if whole and inflate is not None:
        body += inflate.flush()
        if not inflate.eof:
            raise Incomplete("壓縮內容在結尾前中斷（檔案被截斷）")
    return bytes(body)


class RateLimiter:
    """At most `rate` request starts per second across all hosts."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = time.monotonic()
            delay = self._next - now
            self._next = max(now, self._next) + self.interval
        if delay > 0:
            await asyncio.sleep(delay)
