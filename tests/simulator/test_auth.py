"""Authentication as the firmware does it: Digest, the empty-POST drop, the ban, the comma bug, Basic."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from aiohttp import (
    ClientSession,
    DigestAuthMiddleware,
    ServerDisconnectedError,
    TCPConnector,
    encode_basic_auth,
)
import pytest

from dinstar_simulator import Simulator, SimulatorConfig

from .digest_auth import CHALLENGE, digest
from .gateway_client import GatewayClient


async def _nonce(anonymous: GatewayClient) -> str:
    reply = await anonymous.request("GET", "/api/query_sms_in_queue")
    assert reply.status == 401
    match = CHALLENGE.fullmatch(reply.headers["WWW-Authenticate"])
    assert match is not None
    return match["nonce"]


async def _get(anonymous: GatewayClient, uri: str, authorization: str) -> int:
    reply = await anonymous.request(
        "GET", uri, headers={"Authorization": authorization}
    )
    return reply.status


async def test_challenge_is_byte_for_byte(anonymous: GatewayClient) -> None:
    """A request without credentials gets 401 and the firmware's exact challenge, fresh each time."""
    first = await anonymous.request("GET", "/api/query_sms_in_queue")
    second = await anonymous.request("GET", "/api/query_sms_in_queue")

    assert first.status == second.status == 401
    assert CHALLENGE.fullmatch(first.headers["WWW-Authenticate"])
    assert first.headers["WWW-Authenticate"] != second.headers["WWW-Authenticate"]
    assert first.headers["Server"] == "Web Server/2.1.0 MatrixSSL/4.3.0-OPEN"


async def test_preemptive_digest_reuses_the_nonce(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Aiohttp's preemptive middleware is challenged once, then every request passes first time."""
    for _ in range(3):
        assert (await client.get("query_sms_in_queue"))["in_queue"] == 0

    assert [r.status for r in simulator.requests] == [401, 200, 200, 200]
    assert [r.authenticated for r in simulator.requests] == [False, True, True, True]


async def test_hand_made_digest_with_increasing_nc(anonymous: GatewayClient) -> None:
    """A nonce stays valid for later requests; RFC 2069 answers without qop pass too."""
    nonce = await _nonce(anonymous)
    uri = "/api/query_sms_in_queue"

    assert await _get(anonymous, uri, digest("GET", uri, nonce, nc="00000001")) == 200
    assert await _get(anonymous, uri, digest("GET", uri, nonce, nc="00000002")) == 200
    assert await _get(anonymous, uri, digest("GET", uri, nonce, qop=None)) == 200


@pytest.mark.parametrize(
    ("changes", "uri_signed"),
    [
        ({"password": "wrong"}, "/api/query_sms_in_queue"),
        ({"username": "root"}, "/api/query_sms_in_queue"),
        ({"realm": "Other"}, "/api/query_sms_in_queue"),
        ({}, "/api/query_incoming_sms"),
        ({"extra": ', opaque="0000", algorithm=MD5'}, "/api/query_sms_in_queue"),
        ({"extra": ", algorithm=SHA-256"}, "/api/query_sms_in_queue"),
        ({"qop": "auth-int"}, "/api/query_sms_in_queue"),
    ],
    ids=["password", "username", "realm", "uri", "opaque", "algorithm", "qop"],
)
async def test_bad_digest_is_refused(
    anonymous: GatewayClient, changes: dict[str, str], uri_signed: str
) -> None:
    """Anything that does not match the device's account, realm or request target gets 401."""
    nonce = await _nonce(anonymous)
    header = digest("GET", uri_signed, nonce, **changes)
    reply = await anonymous.request(
        "GET", "/api/query_sms_in_queue", headers={"Authorization": header}
    )
    assert reply.status == 401
    assert CHALLENGE.fullmatch(reply.headers["WWW-Authenticate"])


async def test_unknown_scheme_and_nonce(anonymous: GatewayClient) -> None:
    """Bearer tokens are refused; a right answer to a nonce the device never issued is re-challenged."""
    uri = "/api/query_sms_in_queue"
    assert await _get(anonymous, uri, "Bearer abc") == 401
    assert await _get(anonymous, uri, digest("GET", uri, "f" * 32)) == 401
    assert await _get(anonymous, uri, 'Digest username="admin"') == 401


async def test_empty_post_without_credentials_is_dropped(
    anonymous: GatewayClient, client: GatewayClient, simulator: Simulator
) -> None:
    """The device closes the connection on an empty unauthenticated POST; with a body it challenges."""
    with pytest.raises(ServerDisconnectedError):
        await anonymous.request("POST", "/api/query_sms_result", body=b"")
    assert simulator.requests[-1].status == 0

    reply = await anonymous.request("POST", "/api/query_sms_result", body=b"{}")
    assert reply.status == 401

    # An authenticated empty POST is answered: no filter at all.
    await client.get("query_sms_in_queue")
    reply = await client.request("POST", "/api/query_sms_result", body=b"")
    assert reply.status == 200
    assert reply.json()["result"] == []


@pytest.mark.parametrize(
    "simulator_config",
    [SimulatorConfig(clock_speed=1000.0, lockout_after=3, lockout_seconds=1000.0)],
)
async def test_lockout_and_its_expiry(
    anonymous: GatewayClient, simulator: Simulator
) -> None:
    """Three failures in a row earn 403 for 1 s even with the right password; then it works."""
    uri = "/api/query_sms_in_queue"
    nonce = await _nonce(anonymous)
    wrong = digest("GET", uri, nonce, password="wrong")
    right = digest("GET", uri, nonce)

    # A success in between resets the count.
    assert [await _get(anonymous, uri, wrong) for _ in range(2)] == [401, 401]
    assert await _get(anonymous, uri, right) == 200
    assert [await _get(anonymous, uri, wrong) for _ in range(3)] == [401, 401, 401]

    reply = await anonymous.request("GET", uri, headers={"Authorization": right})
    assert (reply.status, reply.text) == (403, "forbid to try again")
    # No credentials at all during the ban: still 403, and the ban is not extended by asking.
    assert (await anonymous.request("GET", uri)).status == 403

    # Poll through the ban: it ends on time although every poll is refused.
    statuses: list[int] = []
    async with asyncio.timeout(5):
        while not statuses or statuses[-1] != 200:
            await asyncio.sleep(0.02)
            statuses.append(await _get(anonymous, uri, right))
    assert len(statuses) > 1
    assert set(statuses[:-1]) == {403}


@pytest.mark.parametrize(
    "simulator_config",
    [SimulatorConfig(clock_speed=1000.0, lockout_after=2, lockout_seconds=1e9)],
)
async def test_end_bans(anonymous: GatewayClient, simulator: Simulator) -> None:
    """end_bans lifts a ban at once, and the count of failures starts afresh."""
    uri = "/api/query_sms_in_queue"
    nonce = await _nonce(anonymous)
    wrong = digest("GET", uri, nonce, password="wrong")
    right = digest("GET", uri, nonce)
    assert [await _get(anonymous, uri, wrong) for _ in range(2)] == [401, 401]
    assert await _get(anonymous, uri, right) == 403

    simulator.end_bans()

    assert await _get(anonymous, uri, right) == 200
    assert [await _get(anonymous, uri, wrong) for _ in range(2)] == [401, 401]
    assert await _get(anonymous, uri, right) == 403


async def test_raw_comma_in_last_parameter_breaks_digest(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Firmware 04240302: a raw comma in the last parameter fails Digest; %2C and earlier commas work."""
    broken = await client.request(
        "GET", "/api/get_port_info?port=0&info_type=signal,type"
    )
    assert broken.status == 401

    encoded = await client.get("get_port_info", "port=0&info_type=signal%2Ctype")
    assert list(encoded["info"][0]) == ["port", "signal", "type"]

    earlier = await client.get("get_port_info", "port=0,1&info_type=imei")
    assert [row["port"] for row in earlier["info"]] == [0, 1]

    simulator.quirks.raw_comma_breaks_digest = False
    fixed = await client.get("get_port_info", "port=0&info_type=signal,type")
    assert list(fixed["info"][0]) == ["port", "signal", "type"]


@pytest.mark.parametrize("accept_basic", [False, True])
async def test_basic_auth_only_on_old_firmware(
    simulator_config: SimulatorConfig, accept_basic: bool
) -> None:
    """Basic credentials work only when the firmware accepts Basic; wrong ones never do."""
    config = replace(simulator_config, accept_basic=accept_basic)
    async with Simulator(config) as simulator, ClientSession() as session:
        client = GatewayClient(session, simulator.url)

        async def status(authorization: str) -> int:
            reply = await client.request(
                "GET",
                "/api/query_sms_in_queue",
                headers={"Authorization": authorization},
            )
            return reply.status

        assert await status(encode_basic_auth("admin", "admin")) == (
            200 if accept_basic else 401
        )
        assert await status(encode_basic_auth("admin", "nope")) == 401
        assert await status("Basic !!!not-base64") == 401


async def test_password_changed_on_the_device(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Credentials are read live: after a change on the device, the old password fails."""
    await client.get("query_sms_in_queue")
    simulator.config.password = "changed"
    reply = await client.request("GET", "/api/query_sms_in_queue")
    assert reply.status == 401

    middleware = DigestAuthMiddleware("admin", "changed", preemptive=True)
    async with ClientSession(middlewares=(middleware,)) as session:
        assert (await GatewayClient(session, simulator.url).get("query_sms_in_queue"))[
            "error_code"
        ] == 200


@pytest.mark.parametrize(
    "simulator_config", [SimulatorConfig(clock_speed=1000.0, lockout_after=1)]
)
async def test_reboot_forgets_nonces_without_counting_a_failure(
    client: GatewayClient, simulator: Simulator
) -> None:
    """After a reboot the old nonce is re-challenged (not a failed login) and the client recovers."""
    await client.get("query_sms_in_queue")
    await simulator.reboot()
    await client.get("query_sms_in_queue")

    assert [r.status for r in simulator.requests] == [401, 200, 401, 200]


async def test_wrong_method_and_unknown_endpoint(client: GatewayClient) -> None:
    """A known endpoint with the wrong method gets 403; an unknown one 404."""
    assert (await client.request("GET", "/api/send_sms")).status == 403
    assert (
        await client.request("POST", "/api/query_sms_in_queue", body=b"{}")
    ).status == 403
    assert (await client.request("GET", "/api/reboot")).status == 404
    assert (await client.request("GET", "/api/")).status == 404
    assert (await client.request("GET", "/api/send_sms/x")).status == 404


async def test_everything_under_api_is_protected(anonymous: GatewayClient) -> None:
    """Unknown API paths are challenged like known ones; the 404 comes after authentication."""
    reply = await anonymous.request("GET", "/api/nothing/here")
    assert reply.status == 401


@pytest.mark.parametrize(
    "simulator_config",
    # A ban that outlasts the test: the default 60 s at speed 1000 end after 60 ms.
    [SimulatorConfig(clock_speed=1000.0, lockout_after=1, lockout_seconds=3.6e6)],
)
async def test_lockout_is_per_client_address(
    anonymous: GatewayClient, simulator: Simulator
) -> None:
    """A banned address does not lock out another client (here from 127.0.0.2)."""
    uri = "/api/query_sms_in_queue"
    nonce = await _nonce(anonymous)
    assert await _get(anonymous, uri, digest("GET", uri, nonce, password="x")) == 401
    assert await _get(anonymous, uri, digest("GET", uri, nonce)) == 403

    connector = TCPConnector(local_addr=("127.0.0.2", 0))
    async with ClientSession(connector=connector) as session:
        other = GatewayClient(session, simulator.url)
        assert await _get(other, uri, digest("GET", uri, nonce)) == 200
    assert simulator.requests[-1].client == "127.0.0.2"
