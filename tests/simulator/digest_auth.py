"""Digest by hand: the firmware's challenge pattern and Authorization headers built like curl's."""

from __future__ import annotations

import hashlib
import re

CHALLENGE = re.compile(
    r'Digest realm="Web Server", domain="",qop="auth", nonce="(?P<nonce>[0-9a-f]{32})", '
    r'opaque="5ccc069c403ebaf9f0171e9517f40e41",algorithm="MD5", stale="FALSE"'
)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def digest(
    method: str,
    uri: str,
    nonce: str,
    *,
    username: str = "admin",
    password: str = "admin",
    realm: str = "Web Server",
    qop: str | None = "auth",
    nc: str = "00000001",
    extra: str = ', opaque="5ccc069c403ebaf9f0171e9517f40e41", algorithm=MD5',
) -> str:
    """Build a Digest Authorization header by hand, the way curl words it."""
    ha1 = _md5(f"{username}:{realm}:{password}")
    ha2 = _md5(f"{method}:{uri}")
    if qop is None:
        response = _md5(f"{ha1}:{nonce}:{ha2}")
        tail = ""
    else:
        response = _md5(f"{ha1}:{nonce}:{nc}:0a4f113b:{qop}:{ha2}")
        tail = f', cnonce="0a4f113b", nc={nc}, qop={qop}'
    return (
        f'Digest username="{username}", realm="{realm}", nonce="{nonce}", uri="{uri}"'
        f'{tail}, response="{response}"{extra}'
    )
