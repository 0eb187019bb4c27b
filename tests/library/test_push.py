"""Parsing what a gateway pushes: every event kind of the reference, and every rejection."""

from __future__ import annotations

from datetime import datetime
import json
from pathlib import Path

import pytest

from pydinstar import (
    DeliveryReport,
    DeviceChange,
    DinstarPushError,
    DinstarResponseError,
    DinstarUnknownPushError,
    IncomingSms,
    PortException,
    Push,
    RegistrationChange,
    SmsResult,
    SmsStatus,
    UssdReply,
    parse_push,
)

FIXTURES = Path(__file__).parent / "fixtures"
SERIAL = "da00-0030-1901-2817"


def recorded(name: str) -> bytes:
    """Return a recorded body from the fixtures folder."""
    return (FIXTURES / name).read_bytes()


def test_sms_push_with_several_messages() -> None:
    """An sms push may carry several messages, UTF-8 text included."""
    push = parse_push(recorded("push_sms.json"))
    assert push == Push(
        serial=SERIAL,
        sms=(
            IncomingSms(
                id=1,
                port=1,
                number="6717",
                smsc="+8613800757511",
                timestamp=datetime(2016, 7, 12, 15, 46, 18),
                text="test",
            ),
            IncomingSms(
                id=2,
                port=3,
                number="+4915112345678",
                smsc="+491770610000",
                timestamp=datetime(2016, 7, 12, 15, 47, 2),
                text="Привет\nзвони мне",
            ),
        ),
    )


def test_sms_result_push() -> None:
    """An sms_result push carries the user_id that ties it to the send."""
    push = parse_push(recorded("push_sms_result.json"))
    assert push.sms_results == (
        SmsResult(
            port=1,
            number="10086",
            user_id=7,
            time=datetime(2016, 7, 12, 15, 50, 41),
            status=SmsStatus.DELIVERED,
            count=1,
            succ_count=1,
            ref_id=215,
            imsi="460023192301467",
        ),
    )
    assert push.sms == ()
    assert push.delivery_reports == ()
    assert push.registrations == ()
    assert push.device is None
    assert push.port_exception is None


def test_delivery_status_push() -> None:
    """A TP-Status of 0 means the handset has the message."""
    push = parse_push(recorded("push_sms_deliver_status.json"))
    (report,) = push.delivery_reports
    assert report == DeliveryReport(
        port=1,
        number="10086",
        time=datetime(2016, 7, 12, 15, 50, 49),
        ref_id=215,
        status_code=0,
        imsi="460023192301467",
    )
    assert report.delivered
    assert not report.temporary_error
    assert not report.permanent_error


@pytest.mark.parametrize(
    ("status_code", "delivered", "temporary", "permanent"),
    [
        (0, True, False, False),
        (1, True, False, False),
        (31, True, False, False),
        (32, False, True, False),
        (63, False, True, False),
        (64, False, False, True),
        (255, False, False, True),
    ],
)
def test_delivery_status_classes(
    status_code: int, delivered: bool, temporary: bool, permanent: bool
) -> None:
    """TP-Status 0-31 completed the transaction, 32-63 is a temporary error, 64-255 a permanent one."""
    body = {
        "sms_deliver_status": [{"port": 0, "ref_id": 1, "status_code": status_code}]
    }
    (report,) = parse_push(json.dumps(body).encode()).delivery_reports
    assert report.delivered is delivered
    assert report.temporary_error is temporary
    assert report.permanent_error is permanent


def test_ussd_push() -> None:
    """A ussd push carries the reply text of a port."""
    push = parse_push(recorded("push_ussd.json"))
    assert push.ussd_replies == (UssdReply(port=1, text="Thank you!"),)


@pytest.mark.parametrize("text", ["", " ", None, 5])
def test_ussd_push_without_text(text: object) -> None:
    """An empty or blank reply means no reply yet."""
    body = json.dumps({"ussd": [{"port": 2, "text": text}]}).encode()
    assert parse_push(body).ussd_replies == (UssdReply(port=2, text=None),)


def test_register_push_with_null_strings() -> None:
    """The strings <NULL> and "" stand for a missing value."""
    push = parse_push(recorded("push_register.json"))
    assert push.registrations == (
        RegistrationChange(
            port=8, status="down", number=None, imsi=None, iccid=None, slot=2
        ),
    )


def test_register_push_up() -> None:
    """A SIM that registered reports its identities."""
    body = {
        "register": [
            {
                "port": "3",
                "iccid": "89860114840400428150",
                "imsi": "460016529802215",
                "number": "+8613912345678",
                "status": "up",
                "slot": 0,
            }
        ]
    }
    (change,) = parse_push(json.dumps(body).encode()).registrations
    assert change == RegistrationChange(
        port=3,
        status="up",
        number="+8613912345678",
        imsi="460016529802215",
        iccid="89860114840400428150",
        slot=0,
    )


def test_device_push_is_an_object() -> None:
    """The device event is an object, not a list."""
    push = parse_push(recorded("push_device.json"))
    assert push.device == DeviceChange(status="power_off", port_count=32)
    assert push.serial == SERIAL


def test_exception_info_push_is_an_object() -> None:
    """The abnormal event is an object: the port and what the box did to its module."""
    push = parse_push(recorded("push_exception_info.json"))
    assert push.port_exception == PortException(
        port=0, type="call_fail", action="reset"
    )
    assert push.device is None


def test_push_without_serial() -> None:
    """2017 firmware sends no sn."""
    push = parse_push(b'{"ussd":[{"port":0,"text":"Balance: 12.50"}]}')
    assert push.serial is None
    assert push.ussd_replies == (UssdReply(port=0, text="Balance: 12.50"),)


def test_push_tolerates_firmware_json() -> None:
    """Trailing commas, key colons, white space, extra keys and stray rows are accepted."""
    body = (
        b'  {"sn":"' + SERIAL.encode() + b'", "sms:":[{"incoming_sms_id":"4", '
        b'"port":0, "number":"123", "smsc":"", "timestamp":"not a time", '
        b'"text":null, "unknown":{"nested":[1,]}, }, 7, "stray",],'
        b' "call":[], "firmware":"04240302",}\n'
    )
    push = parse_push(body)
    assert push.sms == (
        IncomingSms(id=4, port=0, number="123", smsc=None, timestamp=None, text=""),
    )


def test_push_fields_of_the_wrong_type_are_none() -> None:
    """Numbers that are not numbers, and times that are not strings, read as None."""
    body = {
        "sms_result": [
            {
                "port": 1,
                "number": 10086,
                "user_id": True,
                "time": 1468338641,
                "status": "PENDING",
                "count": 1.5,
                "succ_count": "x",
                "ref_id": " 12 ",
                "imsi": "<NULL>",
            }
        ]
    }
    (result,) = parse_push(json.dumps(body).encode()).sms_results
    assert result == SmsResult(
        port=1,
        number="10086",
        user_id=None,
        time=None,
        status=None,
        count=1,
        succ_count=0,
        ref_id=12,
        imsi=None,
    )


def test_push_status_is_case_insensitive() -> None:
    """Status strings map to the enum whatever their case."""
    body = b'{"sms_result":[{"port":0,"status":"sent_ok"}]}'
    (result,) = parse_push(body).sms_results
    assert result.status is SmsStatus.SENT_OK
    assert result.number == ""


def test_push_with_several_event_kinds() -> None:
    """A body with several known events yields all of them."""
    body = b'{"ussd":[{"port":1,"text":"Hi"}],"device":{"status":"power_on"}}'
    push = parse_push(body)
    assert push.ussd_replies == (UssdReply(port=1, text="Hi"),)
    assert push.device == DeviceChange(status="power_on", port_count=None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "not JSON"),
        (b"{not json", "not JSON"),
        (b'{"sms":[}', "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not an object"),
        (b'"sms"', "not an object"),
        (b"{}", "No known event"),
        (b'{"sn":"x","call":[{"port":1}]}', "No known event"),
        (b'{"sms":{"incoming_sms_id":1}}', "list is not a list"),
        (b'{"register":"up"}', "list is not a list"),
        (b'{"device":[{"status":"power_on"}]}', "object is not an object"),
        (b'{"exception_info":"reset"}', "object is not an object"),
        (b'{"exception_info":{"type":"call_fail"}}', "'port'"),
        (b'{"sms_result":[{"number":"10086"}]}', "'port'"),
        (b'{"sms_deliver_status":[{"port":1,"ref_id":2}]}', "'status_code'"),
        (b'{"sms":[{"port":1,"incoming_sms_id":"new"}]}', "'incoming_sms_id'"),
    ],
)
def test_push_rejections(body: bytes, message: str) -> None:
    """Anything but a gateway event raises DinstarPushError, a response error."""
    with pytest.raises(DinstarPushError, match=message) as err:
        parse_push(body)
    assert isinstance(err.value, DinstarResponseError)
    # Only a JSON object without any known event is an unknown event.
    assert isinstance(err.value, DinstarUnknownPushError) is (
        message == "No known event"
    )


@pytest.mark.parametrize(
    "body",
    [
        b'{"sms":[{"number":"+4917012345678","text":"PIN 4711"',
        b'{"sms":[{"number":"+4917012345678","text":"PIN 4711","port":"x"}]}',
    ],
)
def test_push_rejections_keep_the_content_out(body: bytes) -> None:
    """Errors (and so logs) name what is wrong, never a number or a text."""
    with pytest.raises(DinstarPushError) as err:
        parse_push(body)
    assert "4917012345678" not in str(err.value)
    assert "4711" not in str(err.value)


def test_register_row_without_port() -> None:
    """A register row without a port is refused, not put on port 0."""
    with pytest.raises(DinstarPushError, match="'port'"):
        parse_push(b'{"register":[{"status":"down","imsi":"<NULL>"}]}')


def test_push_rows_no_gateway_gives_are_left_out() -> None:
    """A pushed SMS with id 0 or 2**40, or listed twice, is left out."""
    rows = [
        {"incoming_sms_id": sms_id, "port": 0, "text": "x"}
        for sms_id in (0, 2**40, 5, 5)
    ]
    push = parse_push(json.dumps({"sn": "x", "sms": rows}).encode())
    assert [sms.id for sms in push.sms] == [5]


@pytest.mark.parametrize(
    "body",
    [b"[" * 50_000, b'{"sms":[' + b'{"a":' * 20 + b"1" + b"}" * 20 + b"]}"],
    ids=["beyond_the_parser", "beyond_the_bound"],
)
def test_nested_push_is_malformed(body: bytes) -> None:
    """A push nested too deep is a push error, never a RecursionError."""
    with pytest.raises(DinstarPushError):
        parse_push(body)


def test_an_unreadable_body_is_not_kept_by_its_error() -> None:
    """The error of a body that is not JSON keeps nothing of it (the parser's error would)."""
    with pytest.raises(DinstarPushError) as err:
        parse_push(b'{"sms": [{"number": "+4915112345678", "text": "secret"},,')
    cause = err.value.__cause__
    assert isinstance(cause, DinstarResponseError)
    assert (cause.__cause__, cause.__context__) == (None, None)
    assert "secret" not in str(err.value)
