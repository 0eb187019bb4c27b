"""A stateful fake of a Dinstar multi-port GSM/LTE SMS gateway, speaking its HTTP API over real TCP.

Use it from Python (`async with Simulator(SimulatorConfig(clock_speed=1000)) as sim: ...`) or run
`python -m dinstar_simulator --help`. The API lives under `/api/` with the device's Digest auth.
Going offline: `await sim.set_offline(True)` (or set `sim.faults.offline`, which acts at once) closes
the listening socket; set back, it listens again on the same port.

Control routes (no auth; JSON bodies; 400 with {"error": ...} on bad input):

- `POST /control/sms` {port, number, text, smsc?}: an incoming SMS arrives; returns {incoming_sms_id}.
- `POST /control/sim` {port, profile}: change a port's SIM profile (registered, no_sim, pin_required,
  puk_required, searching, unregistered, power_off); pushes "register".
- `POST /control/signal` {port, signal}: signal quality 0-31, or 99 for unknown.
- `POST /control/reboot` {reset_ids?}: reboot; with reset_ids the inbox empties and ids restart at 1.
- `POST /control/ussd` {port (null = every port), code, reply (null = never answers), delay?}.
- `POST /control/delivery` {number, send_fails?, status_codes? (null = no report)}: network outcome.
- `POST /control/faults` {latency?, http_500?, malformed_body?, drop_connection?, lose_pushes?,
  api_disabled?, duplicate_rows?, error_codes? {endpoint: code}, offline_seconds?}: returns every fault.
  From Python also: `faults.reply_bodies` {endpoint: body}, `faults.endless_replies`,
  `faults.extra_incoming_rows`, `stall_replies(*endpoints)` / `wait_stalled()` / `release_replies()`
  (replies held back after the work is done). Going offline
  over HTTP needs offline_seconds (real seconds): nothing could reach the simulator to bring it back.
- `POST /control/quirks` {ussd_result_colon?, trailing_commas?, null_strings?, raw_comma_breaks_digest?,
  unknown_info_type_error?, ussd_rows_by_position?, no_get_status?, unsupported_port_actions? [..],
  content_type?}: returns every quirk.
- `POST /control/push` {url (null = off), events?}: where and what to push.
- `POST /control/port` {port, restart_outcome? (profile; null = as the SIM allows), call_state?,
  remain_credit?, remain_monthly_credit?, remain_daily_credit?}: the module's behaviour and values.
- `POST /control/performance` {cpu_used?, memory_used?, ...}: the strings get_status reports.
- `POST /control/exception` {port, type?}: the box resets the module by itself; pushes exception_info.
- `GET /control/state`: ports, sent SMS, inbox, request count, faults, quirks and push settings.
"""

from .config import PUSH_EVENT_KINDS, SimProfile, SimulatorConfig
from .gateway import Port
from .records import DeliveryReport, IncomingSms, RequestRecord, SentSms, SmsStatus
from .simulator import Simulator
from .switches import Faults, Quirks

__all__ = [
    "PUSH_EVENT_KINDS",
    "DeliveryReport",
    "Faults",
    "IncomingSms",
    "Port",
    "Quirks",
    "RequestRecord",
    "SentSms",
    "SimProfile",
    "Simulator",
    "SimulatorConfig",
    "SmsStatus",
]
