"""Sending SMS and following them: send_sms, results, delivery reports, the queue, stop_sms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from dinstar_simulator import SimProfile, Simulator, SimulatorConfig
from pydinstar import (
    DeliveryReport,
    DinstarApiError,
    DinstarClient,
    SendSmsResult,
    SmsEncoding,
    SmsRecipient,
    SmsResult,
    SmsStatus,
)

from .conftest import PASSWORD, USERNAME, RecordedGateway, api_calls, load_fixture

ANN = "+4915112345678"
BOB = "+4917012345678"


async def test_send_to_recipients(simulator: Simulator, client: DinstarClient) -> None:
    """Each recipient gets its own #param# values and user_id; options go out as given."""
    ann = SmsRecipient(number=ANN, user_id=7, text_params=("Ann", "10:00"))
    results = await client.send_sms(
        "Hi #param#, see you at #param#",
        [ann, BOB],
        ports=[2],
        encoding=SmsEncoding.GSM7,
        request_status_report=False,
    )
    assert results == [
        SendSmsResult(
            task_id=1,
            sms_in_queue=2,
            recipients=(ann, SmsRecipient(number=BOB)),
        )
    ]
    first, second = simulator.sent
    assert (first.number, first.text, first.user_id) == (
        ANN,
        "Hi Ann, see you at 10:00",
        7,
    )
    assert (second.number, second.text, second.user_id) == (
        BOB,
        "Hi #param#, see you at #param#",
        None,
    )
    assert {sms.port for sms in simulator.sent} == {2}
    assert {sms.encoding for sms in simulator.sent} == {"gsm-7bit"}
    assert not any(sms.request_status_report for sms in simulator.sent)


async def test_send_defaults(simulator: Simulator, client: DinstarClient) -> None:
    """Without options the device's defaults apply: unicode, reports on, any port."""
    (result,) = await client.send_sms("Привет 😀", [ANN])
    (sms,) = simulator.sent
    assert result.task_id == 1
    assert (sms.text, sms.encoding, sms.request_status_report) == (
        "Привет 😀",
        "unicode",
        True,
    )


async def test_task_ids_count_up(simulator: Simulator, client: DinstarClient) -> None:
    """Every accepted request is a new task."""
    ids = [(await client.send_sms("Hi", [ANN]))[0].task_id for _ in range(3)]
    assert ids == [1, 2, 3]


@pytest.mark.parametrize(
    "sim_config",
    [
        SimulatorConfig(
            clock_speed=1000.0,
            profiles=dict.fromkeys(range(4), SimProfile.NO_SIM),
        )
    ],
)
async def test_no_port_available(simulator: Simulator, client: DinstarClient) -> None:
    """Without a registered port the gateway answers 550."""
    with pytest.raises(DinstarApiError) as err:
        await client.send_sms("Hi", [ANN])
    assert err.value.error_code == 550
    assert simulator.sent == []


async def test_results_and_reports(simulator: Simulator, client: DinstarClient) -> None:
    """Sent SMS end DELIVERED, with one report per part, matched by user_id."""
    simulator.set_delivery_outcome(BOB, status_codes=(32, 0))
    await client.send_sms(
        "x" * 200,
        [SmsRecipient(number=ANN, user_id=1), SmsRecipient(number=BOB, user_id=2)],
        ports=[0],
        encoding=SmsEncoding.GSM7,
    )
    await simulator.wait_idle()
    results = await client.query_sms_result(user_ids=[1, 2])
    ann, bob = simulator.sent
    assert results == [
        SmsResult(
            port=0,
            number=ANN,
            user_id=1,
            time=datetime.strptime(ann.time, "%Y-%m-%d %H:%M:%S"),
            status=SmsStatus.DELIVERED,
            count=2,
            succ_count=2,
            ref_id=0,
            imsi=ann.imsi,
        ),
        SmsResult(
            port=0,
            number=BOB,
            user_id=2,
            time=datetime.strptime(bob.time, "%Y-%m-%d %H:%M:%S"),
            status=SmsStatus.DELIVERED,
            count=2,
            succ_count=2,
            ref_id=2,
            imsi=bob.imsi,
        ),
    ]

    reports = await client.query_sms_deliver_status(numbers=[BOB])
    assert [(r.ref_id, r.status_code) for r in reports] == [
        (2, 32),
        (3, 32),
        (2, 0),
        (3, 0),
    ]
    assert reports[0].temporary_error
    assert reports[-1].delivered
    assert {(r.port, r.number, r.imsi) for r in reports} == {(0, BOB, bob.imsi)}
    assert all(isinstance(r.time, datetime) for r in reports)


async def test_failed_and_undelivered(
    simulator: Simulator, client: DinstarClient
) -> None:
    """A send that fails ends FAILED; a permanent error leaves SENT_OK with its report."""
    simulator.set_delivery_outcome(ANN, send_fails=True)
    simulator.set_delivery_outcome(BOB, status_codes=(65,))
    await client.send_sms("Hi", [ANN, BOB])
    await simulator.wait_idle()
    by_number = {r.number: r for r in await client.query_sms_result()}
    assert by_number[ANN].status is SmsStatus.FAILED
    assert by_number[ANN].succ_count == 0
    assert by_number[ANN].user_id is None
    assert by_number[BOB].status is SmsStatus.SENT_OK
    (report,) = await client.query_sms_deliver_status()
    assert report.permanent_error
    assert report.number == BOB


async def test_no_reports_when_not_requested(
    simulator: Simulator, client: DinstarClient
) -> None:
    """request_status_report=False: SENT_OK and no delivery report."""
    await client.send_sms("Hi", [ANN], request_status_report=False)
    await simulator.wait_idle()
    (result,) = await client.query_sms_result(numbers=[ANN])
    assert result.status is SmsStatus.SENT_OK
    assert await client.query_sms_deliver_status() == []


async def test_filters(simulator: Simulator, client: DinstarClient) -> None:
    """Numbers, ports and user ids narrow the results; filters go out as JSON lists."""
    await client.send_sms("Hi", [SmsRecipient(number=ANN, user_id=1)], ports=[0])
    await client.send_sms("Hi", [SmsRecipient(number=BOB, user_id=2)], ports=[1])
    await simulator.wait_idle()
    assert [r.number for r in await client.query_sms_result(numbers=[BOB])] == [BOB]
    assert [r.number for r in await client.query_sms_result(ports=[0])] == [ANN]
    assert [r.number for r in await client.query_sms_result(user_ids=[2])] == [BOB]
    assert await client.query_sms_result(numbers=[ANN], user_ids=[2]) == []
    assert [r.port for r in await client.query_sms_deliver_status(ports=[1])] == [1]
    assert await client.query_sms_deliver_status(numbers=["+1"]) == []


@pytest.fixture
async def timed_simulator() -> AsyncIterator[tuple[Simulator, list[datetime]]]:
    """Run a simulator whose wall clock the test sets."""
    now = [datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)]
    async with Simulator(
        SimulatorConfig(clock_speed=1000.0), now=lambda: now[0]
    ) as sim:
        yield sim, now


async def test_time_filters(
    timed_simulator: tuple[Simulator, list[datetime]],
) -> None:
    """time_after and time_before are sent as device time and bound the rows."""
    simulator, now = timed_simulator
    async with DinstarClient(
        simulator.url, username=USERNAME, password=PASSWORD
    ) as client:
        await client.send_sms("Hi", [ANN], request_status_report=False)
        await simulator.wait_idle()
        now[0] += timedelta(hours=1)
        await client.send_sms("Hi", [BOB], request_status_report=False)
        await simulator.wait_idle()
        half_past = datetime(2026, 5, 1, 12, 30, 0)
        after = await client.query_sms_result(time_after=half_past)
        before = await client.query_sms_result(time_before=half_past)
        both = await client.query_sms_deliver_status(
            time_after=half_past, time_before=half_past + timedelta(hours=1)
        )
    assert [r.number for r in after] == [BOB]
    assert [r.number for r in before] == [ANN]
    assert after[0].time == datetime(2026, 5, 1, 13, 0, 0)
    assert both == []


async def test_recorded_result_rows(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """The vendor document's result row, and rows the client cannot use."""
    recorded_gateway.reply(
        "query_sms_result", load_fixture("query_sms_result_2014.json")
    )
    assert await recorded_client.query_sms_result(numbers=["12351"]) == [
        SmsResult(
            port=0,
            number="12351",
            user_id=1,
            time=datetime(2014, 12, 21, 12, 6, 1),
            status=SmsStatus.SENT_OK,
            count=3,
            succ_count=3,
            ref_id=12,
            imsi=None,
        )
    ]
    recorded_gateway.reply(
        "query_sms_deliver_status",
        {"error_code": 200, "result": [{"port": 1, "ref_id": 3, "status_code": 0}, []]},
    )
    assert await recorded_client.query_sms_deliver_status() == [
        DeliveryReport(port=1, number="", time=None, ref_id=3, status_code=0, imsi=None)
    ]


@pytest.mark.parametrize("sim_config", [SimulatorConfig(clock_speed=1.0)])
async def test_queue_and_stop(simulator: Simulator, client: DinstarClient) -> None:
    """SMS wait in the queue (6 s each at real speed) until the task is stopped."""
    assert await client.query_sms_in_queue() == 0
    (result,) = await client.send_sms("Hi", [ANN, BOB, "+4915900000000"], ports=[0])
    assert result.sms_in_queue == 3
    assert await client.query_sms_in_queue() == 3
    await client.stop_sms(result.task_id)
    assert api_calls(simulator, "stop_sms")[-1].query_string == "task_id=1"
    # The SMS on air finishes; the two still queued failed.
    assert await client.query_sms_in_queue() == 1
    statuses = [r.status for r in await client.query_sms_result()]
    assert statuses == [SmsStatus.SENDING, SmsStatus.FAILED, SmsStatus.FAILED]


async def test_stop_unknown_task(simulator: Simulator, client: DinstarClient) -> None:
    """stop_sms of a task the gateway does not know is error code 404."""
    with pytest.raises(DinstarApiError) as err:
        await client.stop_sms(42)
    assert err.value.error_code == 404
    assert err.value.endpoint == "stop_sms"


async def test_replies_of_many_rows_are_read_whole(
    recorded_gateway: RecordedGateway, recorded_client: DinstarClient
) -> None:
    """Replies with many rows (made into models in a worker thread) are read whole."""
    count = 1500
    recorded_gateway.reply(
        "query_sms_result",
        {
            "error_code": 200,
            "result": [
                {"port": 0, "user_id": n, "number": BOB, "status": "SENT_OK"}
                for n in range(count)
            ],
        },
    )
    recorded_gateway.reply(
        "query_sms_deliver_status",
        {
            "error_code": 200,
            "result": [
                {"port": 1, "number": BOB, "ref_id": n % 256, "status_code": 0}
                for n in range(count)
            ],
        },
    )
    recorded_gateway.reply(
        "query_incoming_sms",
        {
            "error_code": 200,
            "sms": [
                {"incoming_sms_id": n, "port": 2, "number": BOB, "text": f"{n}"}
                for n in range(1, count + 1)
            ],
        },
    )

    results = await recorded_client.query_sms_result()
    reports = await recorded_client.query_sms_deliver_status()
    page = await recorded_client.query_incoming_sms()

    assert [result.user_id for result in results] == list(range(count))
    assert [report.ref_id for report in reports] == [n % 256 for n in range(count)]
    assert all(report.delivered for report in reports)
    assert [sms.text for sms in page.messages] == [f"{n}" for n in range(1, count + 1)]
