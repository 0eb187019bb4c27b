"""The vendor document's curl examples, run with `curl --anyauth -u admin:admin` against the simulator."""

from __future__ import annotations

import asyncio
import json
import shutil
from typing import Any

import pytest

from dinstar_simulator import Simulator, SimulatorConfig

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None, reason="curl is not installed"
)

SERIAL = "da00-0030-1901-2817"
SEND_SMS = (
    '{"text":"#param#", "port":[2,3], "param": [ {"number":"10086", "text_param":["bj"], '
    '"user_id":1}, {"number":"10086", "text_param":["ye"],"user_id":2}]}'
)


async def curl(*args: str) -> tuple[int, str]:
    """Run curl with the document's authentication options; return the HTTP status and body."""
    process = await asyncio.create_subprocess_exec(
        "curl",
        "-sS",
        "--anyauth",
        "-u",
        "admin:admin",
        "-w",
        "\n%{http_code}",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()
    body, _, status = stdout.decode().rpartition("\n")
    return int(status), body


async def curl_json(*args: str) -> Any:
    """curl, expect HTTP 200 and return the parsed body."""
    status, body = await curl(*args)
    assert status == 200, body
    return json.loads(body)


def _post(url: str, payload: str) -> tuple[str, ...]:
    return ("-d", payload, "-H", "Content-Type: application/json", url)


async def test_vendor_examples(simulator: Simulator) -> None:
    """Every example of the document gets a reply of the shape the document shows."""
    api = f"{simulator.url}/api"
    simulator.deliver_sms(2, "123456789", "This is a test", smsc="+8613800123456")

    sent = await curl_json(*_post(f"{api}/send_sms", SEND_SMS))
    assert sent == {"error_code": 202, "sn": SERIAL, "sms_in_queue": 2, "task_id": 1}
    await simulator.wait_idle()

    example = '{"number":["12341234"], "port":[1,2,3],"user_id":[1,2]}'
    assert await curl_json(*_post(f"{api}/query_sms_result", example)) == {
        "error_code": 200,
        "sn": SERIAL,
        "result": [],
    }
    ours = '{"number":["10086"], "port":[1,2,3],"user_id":[1,2]}'
    rows = (await curl_json(*_post(f"{api}/query_sms_result", ours)))["result"]
    assert [(r["port"], r["user_id"], r["status"]) for r in rows] == [
        (2, 1, "DELIVERED"),
        (3, 2, "DELIVERED"),
    ]
    assert set(rows[0]) == {
        "port",
        "user_id",
        "number",
        "time",
        "status",
        "count",
        "succ_count",
        "ref_id",
        "imsi",
    }

    window = (
        '{"number":["10086"], "port":[1,2,3], "time_after":"2014-12-12 19:29:19", '
        '"time_before":"2099-12-12 19:29:19"}'
    )
    reports = (await curl_json(*_post(f"{api}/query_sms_deliver_status", window)))[
        "result"
    ]
    assert [(r["port"], r["status_code"]) for r in reports] == [(2, 0), (3, 0)]

    assert await curl_json(f"{api}/query_sms_in_queue") == {
        "error_code": 200,
        "sn": SERIAL,
        "in_queue": 0,
    }

    incoming = await curl_json(f"{api}/query_incoming_sms?flag=all")
    assert incoming["sms"][0]["text"] == "This is a test"
    assert (incoming["read"], incoming["unread"]) == (0, 1)

    ussd = await curl_json(
        *_post(f"{api}/send_ussd", '{"text":"*100#","port":[1,2,3]}')
    )
    assert ussd["result:"] == [{"port": p, "status": 200} for p in (1, 2, 3)]

    assert await curl_json(f"{api}/stop_sms?task_id=1") == {
        "error_code": 200,
        "sn": SERIAL,
    }


@pytest.mark.parametrize(
    "simulator_config", [SimulatorConfig(clock_speed=1000.0, ports=8, serial=SERIAL)]
)
async def test_vendor_examples_with_raw_commas(simulator: Simulator) -> None:
    """The document's comma lists fail on firmware 04240302 unless the last one is %2C-encoded."""
    api = f"{simulator.url}/api"
    ussd = f"{api}/query_ussd_reply?port=1,2,3"
    info = (
        f"{api}/get_port_info?port=1,2,3&info_type=imei,imsi,iccid,smsc,type,number,reg"
    )

    assert (await curl(ussd))[0] == 401
    assert (await curl(info))[0] == 401

    replies = await curl_json(ussd.replace(",", "%2C"))
    assert replies == {
        "error_code": 200,
        "sn": SERIAL,
        "reply": [{"port": p, "text": ""} for p in (1, 2, 3)],
    }
    encoded = await curl_json(
        f"{api}/get_port_info?port=1,2,3&info_type=imei%2Cimsi%2Ciccid%2Csmsc%2Ctype%2Cnumber%2Creg"
    )
    assert [list(row) for row in encoded["info"]] == [
        ["port", "imei", "imsi", "iccid", "smsc", "type", "number", "reg"]
    ] * 3

    simulator.quirks.raw_comma_breaks_digest = False
    assert (await curl_json(ussd))["reply"] == replies["reply"]
    assert (await curl_json(info))["info"] == encoded["info"]
