"""Pushes: every event kind as the device words it, in order, filtered, lossy on demand."""

from __future__ import annotations

from dataclasses import replace

from aiohttp import ClientConnectorError
import pytest

from dinstar_simulator import PUSH_EVENT_KINDS, SimProfile, Simulator, SimulatorConfig

from .gateway_client import GatewayClient
from .push_receiver import PushReceiver

SERIAL = "da00-0030-1901-2817"


async def test_every_event_kind_in_order(
    simulator: Simulator, client: GatewayClient, receiver: PushReceiver
) -> None:
    """sms, sms_result, sms_deliver_status, ussd, register and device pushes, each with sn first."""
    simulator.config.push_url = receiver.url
    simulator.deliver_sms(1, "6717", "test")
    await client.post(
        "send_sms",
        {"text": "hi", "param": [{"number": "10086", "user_id": 7}], "port": [1]},
    )
    await simulator.wait_idle()
    await client.post("send_ussd", {"text": "*100#", "port": [1]})
    await simulator.wait_idle()
    simulator.set_profile(2, SimProfile.NO_SIM)
    simulator.set_profile(2, SimProfile.REGISTERED)
    await simulator.reboot()
    await simulator.wait_idle()

    assert all(
        body.startswith(b'{"sn":"' + SERIAL.encode() + b'",')
        for _, body in receiver.received
    )
    assert {content_type for content_type, _ in receiver.received} == {"text/html"}
    events = receiver.events()
    assert [next(key for key in event if key != "sn") for event in events] == [
        "sms",
        "sms_result",
        "sms_deliver_status",
        "sms_result",
        "ussd",
        "register",
        "register",
        "device",
        "device",
    ]
    sms = simulator.inbox[0]
    assert events[0]["sms"] == [
        {
            "incoming_sms_id": 1,
            "port": 1,
            "number": "6717",
            "smsc": "+8613800757511",
            "timestamp": sms.timestamp,
            "text": "test",
        }
    ]
    sent = simulator.sent[0]
    result = {
        "port": 1,
        "number": "10086",
        "time": sent.time,
        "status": "SENT_OK",
        "count": 1,
        "succ_count": 1,
        "ref_id": 0,
        "imsi": simulator.ports[1].sim.imsi,
        "user_id": 7,
    }
    assert events[1]["sms_result"] == [result]
    assert events[2]["sms_deliver_status"] == [sent.reports[0].as_row()]
    assert events[3]["sms_result"] == [result | {"status": "DELIVERED"}]
    assert events[4]["ussd"] == [
        {"port": 1, "text": "Your balance is 12.50 EUR. Valid until 2027-01-31."}
    ]
    sim = simulator.ports[2].sim
    assert events[5]["register"] == [
        {
            "port": 2,
            "iccid": "<NULL>",
            "imsi": "<NULL>",
            "number": "",
            "status": "down",
            "sequence": 1,
            "slot": 0,
        }
    ]
    assert events[6]["register"] == [
        {
            "port": 2,
            "iccid": sim.iccid,
            "imsi": sim.imsi,
            "number": sim.number,
            "status": "up",
            "sequence": 2,
            "slot": 0,
        }
    ]
    device = {"port_number": 4, "IP": "127.0.0.1", "MAC": "F8-A0-3D-48-E5-19"}
    assert events[7]["device"] == device | {"status": "power_off"}
    assert events[8]["device"] == device | {"status": "power_on"}


async def test_event_filter_serial_and_quirks(
    simulator_config: SimulatorConfig, receiver: PushReceiver
) -> None:
    """Only the chosen kinds are pushed; no sn on old firmware; "" instead of <NULL> without the quirk."""
    config = replace(
        simulator_config,
        push_url=receiver.url,
        push_events=frozenset({"register"}),
        serial=None,
    )
    async with Simulator(config) as simulator:
        simulator.quirks.null_strings = False
        simulator.quirks.content_type = "application/json"
        simulator.deliver_sms(0, "1", "x")
        simulator.set_profile(0, SimProfile.PIN_REQUIRED)
        await simulator.wait_idle()

    assert receiver.received == [
        (
            "application/json",
            b'{"register":[{"port":0,"iccid":"","imsi":"","number":"","status":"down","sequence":1,"slot":0}]}',
        )
    ]


async def test_lost_pushes(simulator: Simulator, receiver: PushReceiver) -> None:
    """lose_pushes drops events silently; later ones go out again once it is off."""
    simulator.config.push_url = receiver.url
    simulator.faults.lose_pushes = True
    simulator.deliver_sms(0, "1", "lost")
    await simulator.wait_idle()
    simulator.faults.lose_pushes = False
    simulator.deliver_sms(0, "1", "kept")
    await simulator.wait_idle()

    assert [event["sms"][0]["text"] for event in receiver.events()] == ["kept"]


async def test_failures_are_ignored(
    simulator: Simulator, receiver: PushReceiver
) -> None:
    """A receiver that errors or is gone costs the event, never a retry, and pushes go on."""
    simulator.config.push_url = receiver.url
    receiver.status = 500
    simulator.deliver_sms(0, "1", "a")
    await simulator.wait_idle()
    simulator.config.push_url = "http://127.0.0.1:9/unreachable"
    simulator.deliver_sms(0, "1", "b")
    await simulator.wait_idle()
    simulator.config.push_url = receiver.url
    receiver.status = 200
    simulator.deliver_sms(0, "1", "c")
    await simulator.wait_idle()

    assert [event["sms"][0]["text"] for event in receiver.events()] == ["a", "c"]


async def test_many_events_keep_their_order(
    simulator: Simulator, receiver: PushReceiver
) -> None:
    """Events raised back to back arrive in the order they happened."""
    simulator.config.push_url = receiver.url
    for n in range(30):
        simulator.deliver_sms(n % 4, "1", str(n))
    await simulator.wait_idle()

    assert [event["sms"][0]["text"] for event in receiver.events()] == [
        str(n) for n in range(30)
    ]


async def test_raw_push(simulator: Simulator, receiver: PushReceiver) -> None:
    """push() sends exactly what it is given and returns the receiver's status."""
    with pytest.raises(RuntimeError, match="push_url"):
        await simulator.push({})
    simulator.config.push_url = receiver.url
    assert await simulator.push({"sn": "x", "sms": []}) == 200
    assert await simulator.push('{"broken": ') == 200
    receiver.status = 403
    assert await simulator.push(b"\x00\x01") == 403

    assert [body for _, body in receiver.received] == [
        b'{"sn":"x","sms":[]}',
        b'{"broken": ',
        b"\x00\x01",
    ]
    simulator.config.push_url = "http://127.0.0.1:9/"
    with pytest.raises(ClientConnectorError):
        await simulator.push("{}")


async def test_nothing_is_pushed_before_start_or_without_url(
    receiver: PushReceiver,
) -> None:
    """A simulator that is not running, or has no push URL, pushes nothing."""
    simulator = Simulator(SimulatorConfig(clock_speed=1000.0, push_url=receiver.url))
    simulator.set_profile(0, SimProfile.NO_SIM)
    simulator.deliver_sms(0, "1", "x")
    with pytest.raises(RuntimeError, match="not running"):
        await simulator.push("{}")
    async with simulator:
        simulator.config.push_url = None
        simulator.deliver_sms(0, "1", "y")
        await simulator.wait_idle()
    assert receiver.received == []
    assert {"sms", "register", "device"} <= PUSH_EVENT_KINDS
