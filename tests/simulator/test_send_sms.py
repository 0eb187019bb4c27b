"""send_sms, the send queues, results, delivery reports, query_sms_in_queue and stop_sms."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
import json
from typing import Any

from aiohttp import ClientSession, DigestAuthMiddleware
import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig, SmsStatus

from .gateway_client import GatewayClient
from .polling import wait_for

SERIAL = "da00-0030-1901-2817"
# Sending takes 60 s of real time per SMS: the queue stays put while a test looks at it.
SLOW = SimulatorConfig(clock_speed=1000.0, send_seconds=60_000.0, serial=SERIAL)


def _sms(text: str, *numbers: str, **fields: Any) -> dict[str, Any]:
    return {"text": text, "param": [{"number": n} for n in numbers], **fields}


async def test_vendor_example(client: GatewayClient, simulator: Simulator) -> None:
    """The vendor document's request: #param# per recipient, one SMS per port, user ids in results."""
    reply = await client.request(
        "POST",
        "/api/send_sms",
        body=json.dumps(
            {
                "text": "#param#",
                "port": [2, 3],
                "param": [
                    {"number": "10086", "text_param": ["bj"], "user_id": 1},
                    {"number": "10086", "text_param": ["ye"], "user_id": 2},
                ],
            }
        ).encode(),
    )
    assert reply.text == (
        f'{{"error_code":202,"sn":"{SERIAL}","sms_in_queue":2,"task_id":1}}'
    )

    await simulator.wait_idle()
    assert [(s.port, s.text, s.user_id, s.task_id) for s in simulator.sent] == [
        (2, "bj", 1, 1),
        (3, "ye", 2, 1),
    ]
    result = await client.post("query_sms_result", {})
    assert result["error_code"] == 200
    assert result["result"] == [
        {
            "port": port,
            "number": "10086",
            "time": simulator.sent[index].time,
            "status": "DELIVERED",
            "count": 1,
            "succ_count": 1,
            "ref_id": 0,
            "imsi": simulator.ports[port].sim.imsi,
            "user_id": index + 1,
        }
        for index, port in enumerate((2, 3))
    ]


async def test_params_substitute_in_order(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Each text_param replaces the next #param#; missing ones stay; no user_id means none in results."""
    await client.post(
        "send_sms",
        {
            "text": "Hi #param#, code #param# (#param#)",
            "param": [{"number": "+4915100000001", "text_param": ["Ann", "42"]}],
        },
    )
    await simulator.wait_idle()

    assert simulator.sent[0].text == "Hi Ann, code 42 (#param#)"
    row = (await client.post("query_sms_result", {}))["result"][0]
    assert "user_id" not in row


@pytest.mark.parametrize("simulator_config", [SLOW])
async def test_queue_task_ids_and_stop(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Task ids count from 1; in_queue counts unsent SMS; stop_sms fails what is still waiting."""
    first = await client.post("send_sms", _sms("a", "1", "2", "3", port=[0]))
    second = await client.post("send_sms", _sms("b", "4", port=[0]))
    assert (first["task_id"], first["sms_in_queue"]) == (1, 3)
    assert (second["task_id"], second["sms_in_queue"]) == (2, 4)
    assert await client.get("query_sms_in_queue") == {
        "error_code": 200,
        "sn": SERIAL,
        "in_queue": 4,
    }
    assert {s.status for s in simulator.sent} == {SmsStatus.SENDING}

    assert (await client.get("stop_sms", "task_id=1"))["error_code"] == 200
    # The first SMS is on air and finishes; the two behind it fail.
    assert [s.status for s in simulator.sent] == [
        SmsStatus.SENDING,
        SmsStatus.FAILED,
        SmsStatus.FAILED,
        SmsStatus.SENDING,
    ]
    assert (await client.get("query_sms_in_queue"))["in_queue"] == 2
    assert (await client.get("stop_sms", "task_id=1"))["error_code"] == 200
    assert (await client.get("stop_sms", "task_id=99"))["error_code"] == 404
    assert (await client.get("stop_sms", "task_id=x"))["error_code"] == 400
    assert (await client.get("stop_sms"))["error_code"] == 400


@pytest.mark.parametrize(
    "simulator_config",
    [replace(SLOW, profiles={2: SimProfile.NO_SIM})],
)
async def test_recipients_go_to_the_least_busy_registered_port(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Without `port`, recipients spread over registered ports; with it, only over those listed."""
    await client.post("send_sms", _sms("x", "1", "2", "3", "4"))
    await client.post("send_sms", _sms("x", "5", "6", port=[3, 1, 2]))

    assert [s.port for s in simulator.sent] == [0, 1, 3, 0, 3, 1]


@pytest.mark.parametrize(
    "simulator_config",
    [
        SimulatorConfig(
            clock_speed=1000.0, profiles={2: SimProfile.NO_SIM}, serial=SERIAL
        )
    ],
)
@pytest.mark.parametrize("ports", [[2], [31], [2, 31]])
async def test_no_usable_port(client: GatewayClient, ports: list[int]) -> None:
    """550 when none of the requested ports is registered (or exists)."""
    reply = await client.post("send_sms", _sms("x", "1", port=ports))
    assert reply == {"error_code": 550, "sn": SERIAL}


async def test_no_registered_port_at_all(
    simulator: Simulator, client: GatewayClient
) -> None:
    """550 without `port` too, once every SIM is gone."""
    for port in range(4):
        simulator.set_profile(port, SimProfile.NO_SIM)
    assert (await client.post("send_sms", _sms("x", "1")))["error_code"] == 550


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b"",
        json.dumps({"param": [{"number": "1"}]}).encode(),
        json.dumps({"text": 5, "param": [{"number": "1"}]}).encode(),
        json.dumps({"text": "x"}).encode(),
        json.dumps({"text": "x", "param": []}).encode(),
        json.dumps({"text": "x", "param": {"number": "1"}}).encode(),
        json.dumps({"text": "x", "param": ["1"]}).encode(),
        json.dumps({"text": "x", "param": [{}]}).encode(),
        json.dumps({"text": "x", "param": [{"number": "12ab"}]}).encode(),
        json.dumps({"text": "x", "param": [{"number": "+" + "1" * 24}]}).encode(),
        json.dumps(
            {"text": "x", "param": [{"number": "1", "text_param": "a"}]}
        ).encode(),
        json.dumps(
            {"text": "x", "param": [{"number": "1", "text_param": [1]}]}
        ).encode(),
        json.dumps({"text": "x", "param": [{"number": "1", "user_id": -1}]}).encode(),
        json.dumps({"text": "x", "param": [{"number": "1", "user_id": "1"}]}).encode(),
        json.dumps({"text": "x", "param": [{"number": "1", "user_id": True}]}).encode(),
        json.dumps({**_sms("x", "1"), "port": 1}).encode(),
        json.dumps({**_sms("x", "1"), "port": [32]}).encode(),
        json.dumps({**_sms("x", "1"), "port": [True]}).encode(),
        json.dumps({**_sms("x", "1"), "encoding": "utf-8"}).encode(),
        json.dumps({**_sms("x", "1"), "request_status_report": "yes"}).encode(),
    ],
)
async def test_bad_format(
    client: GatewayClient, simulator: Simulator, body: bytes
) -> None:
    """Malformed requests get error_code 400 and queue nothing."""
    await client.get("query_sms_in_queue")
    reply = await client.request("POST", "/api/send_sms", body=body)
    assert reply.json() == {"error_code": 400, "sn": SERIAL}
    assert simulator.sent == []


async def test_limits(client: GatewayClient, simulator: Simulator) -> None:
    """128 recipients and 1500 bytes pass; one more of either is error_code 413."""
    numbers = [str(100 + n) for n in range(129)]
    assert (await client.post("send_sms", _sms("x", *numbers)))["error_code"] == 413
    assert (await client.post("send_sms", _sms("é" * 751, "1")))["error_code"] == 413
    assert simulator.sent == []

    assert (await client.post("send_sms", _sms("x", *numbers[:128])))[
        "error_code"
    ] == 202
    assert (await client.post("send_sms", _sms("é" * 750, "1")))["error_code"] == 202
    assert len(simulator.sent) == 129


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("a" * 160, "gsm-7bit", (1, "a" * 160)),
        ("a" * 161, "gsm-7bit", (2, "a" * 161)),
        ("a" * 306, "gsm-7bit", (2, "a" * 306)),
        ("a" * 307, "gsm-7bit", (3, "a" * 307)),
        ("€" * 80, "gsm-7bit", (1, "€" * 80)),
        ("€" * 81, "gsm-7bit", (2, "€" * 81)),
        ("a" * 152 + "{" + "a" * 152, "gsm-7bit", (3, "a" * 152 + "{" + "a" * 152)),
        ("Привет", "gsm-7bit", (1, "??????")),
        ("Grüße, Žana 😀", "gsm-7bit", (1, "Grüße, ?ana ?")),
        ("a" * 70, "unicode", (1, "a" * 70)),
        ("a" * 71, "unicode", (2, "a" * 71)),
        ("é" * 134, "unicode", (2, "é" * 134)),
        ("é" * 135, "unicode", (3, "é" * 135)),
        ("😀" * 35, "unicode", (1, "😀" * 35)),
        ("😀" * 36, "unicode", (2, "😀" * 36)),
        ("", "unicode", (1, "")),
    ],
)
async def test_segments_and_encoding(
    client: GatewayClient,
    simulator: Simulator,
    text: str,
    encoding: str,
    expected: tuple[int, str],
) -> None:
    """Parts follow the encoding (extension characters count double); gsm-7bit turns the rest into ?."""
    await client.post("send_sms", _sms(text, "1", encoding=encoding))
    await simulator.wait_idle()

    sms = simulator.sent[0]
    assert (sms.segments, sms.text) == expected
    assert sms.encoding == encoding
    assert sms.succ_count == len(sms.reports) == sms.segments


async def test_unicode_is_the_default(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Without `encoding` the gateway uses UCS-2, so 71 characters take two parts."""
    await client.post("send_sms", _sms("a" * 71, "1"))
    assert (simulator.sent[0].encoding, simulator.sent[0].segments) == ("unicode", 2)


@pytest.mark.parametrize(
    "simulator_config", [SimulatorConfig(clock_speed=1000.0, send_seconds=0.5)]
)
async def test_ref_ids_per_port_wrap_at_256(
    client: GatewayClient, simulator: Simulator
) -> None:
    """Each part takes a message reference; they count per port and wrap at 256."""
    ten_parts = "é" * 670
    await client.post(
        "send_sms", _sms(ten_parts, *[str(n) for n in range(26)], port=[0])
    )
    await client.post("send_sms", _sms("x", "99", port=[1]))
    await simulator.wait_idle()

    assert [s.ref_id for s in simulator.sent[:26]] == [10 * n % 256 for n in range(26)]
    assert simulator.sent[26].ref_id == 0
    last = simulator.sent[25]
    assert [r.ref_id for r in last.reports] == [
        250,
        251,
        252,
        253,
        254,
        255,
        0,
        1,
        2,
        3,
    ]

    await client.post("send_sms", _sms("x", "98", port=[0]))
    await simulator.wait_idle()
    assert simulator.sent[-1].ref_id == 4


async def test_more_than_ten_parts_fail(
    client: GatewayClient, simulator: Simulator
) -> None:
    """A text over 10 parts is accepted (it is under 1500 bytes) and then FAILED."""
    reply = await client.post("send_sms", _sms("a" * 671, "1"))
    assert reply["error_code"] == 202
    await simulator.wait_idle()

    row = (await client.post("query_sms_result", {}))["result"][0]
    assert (row["status"], row["count"], row["succ_count"]) == ("FAILED", 11, 0)


async def test_delivery_outcomes(client: GatewayClient, simulator: Simulator) -> None:
    """Per destination: failed sends, temporary then final reports, permanent errors, no reports."""
    simulator.set_delivery_outcome("+491", send_fails=True)
    simulator.set_delivery_outcome("+497", status_codes=(1,))  # forwarded, unconfirmed
    simulator.set_delivery_outcome("+492", status_codes=(32, 0))
    simulator.set_delivery_outcome("+493", status_codes=(65,))
    simulator.set_delivery_outcome("+494", status_codes=None)
    await client.post(
        "send_sms", _sms("x", "+491", "+492", "+493", "+494", "+495", "+497")
    )
    await client.post("send_sms", _sms("x", "+496", request_status_report=False))
    await simulator.wait_idle()

    results = {
        r["number"]: r for r in (await client.post("query_sms_result", {}))["result"]
    }
    assert {number: row["status"] for number, row in results.items()} == {
        "+491": "FAILED",
        "+492": "DELIVERED",
        "+493": "SENT_OK",
        "+494": "SENT_OK",
        "+495": "DELIVERED",
        "+496": "SENT_OK",
        "+497": "DELIVERED",
    }
    assert results["+491"]["succ_count"] == 0
    reports = (await client.post("query_sms_deliver_status", {}))["result"]
    assert sorted((r["number"], r["status_code"]) for r in reports) == [
        ("+492", 0),
        ("+492", 32),
        ("+493", 65),
        ("+495", 0),
        ("+497", 1),
    ]
    report = next(r for r in reports if r["number"] == "+493")
    assert report == {
        "port": results["+493"]["port"],
        "number": "+493",
        "time": report["time"],
        "ref_id": results["+493"]["ref_id"],
        "status_code": 65,
        "imsi": results["+493"]["imsi"],
    }


async def test_bad_delivery_outcome(simulator: Simulator) -> None:
    """TP-Status codes are bytes."""
    with pytest.raises(ValueError, match="0-255"):
        simulator.set_delivery_outcome("1", status_codes=(256,))


@pytest.mark.parametrize(
    "simulator_config",
    [SimulatorConfig(clock_speed=1000.0, send_seconds=400.0, report_seconds=400.0)],
)
async def test_status_goes_sending_sent_ok_delivered(
    client: GatewayClient, simulator: Simulator
) -> None:
    """A result is SENDING, then SENT_OK with every part sent, then DELIVERED after the report."""

    async def row() -> dict[str, Any]:
        result: dict[str, Any] = (await client.post("query_sms_result", {}))["result"][
            0
        ]
        return result

    await client.post("send_sms", _sms("x", "1"))
    first = await row()
    assert (first["status"], first["succ_count"]) == ("SENDING", 0)

    await wait_for(lambda: simulator.sent[0].status is not SmsStatus.SENDING)
    sent = await row()
    assert (sent["status"], sent["succ_count"]) == ("SENT_OK", 1)
    assert (await client.post("query_sms_deliver_status", {}))["result"] == []

    await simulator.wait_idle()
    assert (await row())["status"] == "DELIVERED"


@pytest.mark.parametrize(
    "simulator_config",
    [SimulatorConfig(clock_speed=1000.0, send_seconds=200.0)],
)
async def test_losing_registration_fails_the_queue(
    client: GatewayClient, simulator: Simulator
) -> None:
    """SMS still queued on a port that lost its network fail when their turn comes; the one on air went."""
    await client.post("send_sms", _sms("x", "1", "2", port=[0]))
    simulator.set_profile(0, SimProfile.SEARCHING)
    await simulator.wait_idle()

    assert [s.status for s in simulator.sent] == [SmsStatus.DELIVERED, SmsStatus.FAILED]


class _Clock:
    """A settable wall clock for the simulator."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 10, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_result_filters(simulator_config: SimulatorConfig) -> None:
    """number, port, user_id and inclusive time bounds filter results and reports alike."""
    clock = _Clock()
    config = replace(simulator_config, timezone="Europe/Berlin")
    async with Simulator(config, now=clock) as simulator:
        middleware = DigestAuthMiddleware("admin", "admin")
        async with ClientSession(middlewares=(middleware,)) as session:
            client = GatewayClient(session, simulator.url)
            for minute, (number, port, user_id) in enumerate(
                [("+491", 0, 1), ("+492", 1, 2), ("+491", 2, 3), ("+493", 3, 4)]
            ):
                clock.now += timedelta(minutes=minute)
                recipient = {"number": number, "user_id": user_id}
                await client.post(
                    "send_sms", {"text": "x", "param": [recipient], "port": [port]}
                )
                await simulator.wait_idle()

            async def numbers(endpoint: str, query: dict[str, Any]) -> list[str]:
                reply = await client.post(endpoint, query)
                assert reply["error_code"] == 200
                return [row["number"] for row in reply["result"]]

            # Berlin is UTC+1 in March: 10:00 UTC is 11:00 on the device.
            assert [s.time for s in simulator.sent] == [
                "2026-03-01 11:00:00",
                "2026-03-01 11:01:00",
                "2026-03-01 11:03:00",
                "2026-03-01 11:06:00",
            ]
            for endpoint in ("query_sms_result", "query_sms_deliver_status"):
                assert await numbers(endpoint, {"number": ["+491"]}) == ["+491", "+491"]
                assert await numbers(endpoint, {"port": [1, 3]}) == ["+492", "+493"]
                window = {
                    "time_after": "2026-03-01 11:01:00",
                    "time_before": "2026-03-01 11:03:00",
                }
                assert await numbers(endpoint, window) == ["+492", "+491"]
                assert await numbers(endpoint, {"number": ["+491"], "port": [2]}) == [
                    "+491"
                ]
            assert await numbers("query_sms_result", {"user_id": [2, 4]}) == [
                "+492",
                "+493",
            ]
            # query_sms_deliver_status has no user_id filter: it is ignored.
            assert len(await numbers("query_sms_deliver_status", {"user_id": [2]})) == 4


@pytest.mark.parametrize("endpoint", ["query_sms_result", "query_sms_deliver_status"])
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"number": "+491"}, 400),
        ({"number": [str(n) for n in range(33)]}, 413),
        ({"number": ["1" * 25]}, 400),
        ({"number": [1]}, 400),
        ({"port": [40]}, 400),
        ({"time_after": "yesterday"}, 400),
        ({"time_before": 20260301}, 400),
        ({"number": [str(n) for n in range(32)]}, 200),
    ],
)
async def test_result_filter_errors(
    client: GatewayClient, endpoint: str, query: dict[str, Any], code: int
) -> None:
    """Bad filters are 400, over 32 numbers 413; 32 numbers are fine."""
    assert (await client.post(endpoint, query))["error_code"] == code


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"user_id": [1, "2"]}, 400),
        ({"user_id": 1}, 400),
        ({"user_id": list(range(33))}, 413),
        ({"user_id": list(range(32))}, 200),
    ],
)
async def test_user_id_filter_errors(
    client: GatewayClient, query: dict[str, Any], code: int
) -> None:
    """query_sms_result takes at most 32 integer user ids."""
    assert (await client.post("query_sms_result", query))["error_code"] == code


async def test_bad_query_body(client: GatewayClient) -> None:
    """A result query that is not a JSON object is 400."""
    await client.get("query_sms_in_queue")
    reply = await client.request("POST", "/api/query_sms_result", body=b"[]")
    assert reply.json()["error_code"] == 400
    reply = await client.request("POST", "/api/query_sms_result", body=b"\xff\xfe")
    assert reply.json()["error_code"] == 400


@pytest.mark.parametrize("simulator_config", [SLOW])
async def test_reboot_fails_the_queue_and_keeps_task_ids(
    client: GatewayClient, simulator: Simulator
) -> None:
    """A reboot fails every SMS not yet sent; without reset_ids task ids go on, with it they restart."""
    await client.post("send_sms", _sms("x", "1", "2", port=[0]))
    await simulator.reboot()
    assert [(s.status, s.succ_count) for s in simulator.sent] == [
        (SmsStatus.FAILED, 0)
    ] * 2
    assert (await client.get("query_sms_in_queue"))["in_queue"] == 0
    assert (await client.get("stop_sms", "task_id=1"))["error_code"] == 404
    assert (await client.post("send_sms", _sms("x", "3")))["task_id"] == 2

    await simulator.reboot(reset_ids=True)
    assert (await client.post("query_sms_result", {}))["result"] == []
    assert (await client.post("send_sms", _sms("x", "4")))["task_id"] == 1
    assert len(simulator.sent) == 4
