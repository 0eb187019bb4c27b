"""What the message history costs: its store's size and writes, and a first page's time."""

from __future__ import annotations

import asyncio
from pathlib import Path
import statistics
import time
from typing import Any

from custom_components.dinstar.const import CONF_HISTORY_MAX_MESSAGES
from custom_components.dinstar.history import SAVE_DELAY, DinstarHistory
from custom_components.dinstar.inbox import ReceivedSms, sms_received_signal
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util

from .clock import Scale
from .gateway import GatewayThread
from .home_assistant import Instance
from .scenarios import Figures, Serials, Settings, gateway_config, runtime

PAGE = 50
NUMBERS = 100


def _count_writes(history: DinstarHistory) -> list[int]:
    """Count the history store's writes to disk (a list, so the caller sees it grow)."""
    store = history._store  # noqa: SLF001 - measured from outside
    writes = [0]
    write = store._async_write_data  # noqa: SLF001

    async def counted(data: dict[str, Any]) -> None:
        writes[0] += 1
        await write(data)

    store._async_write_data = counted  # type: ignore[method-assign]  # noqa: SLF001
    return writes


async def history_cost(
    instance: Instance, scale: Scale, serials: Serials, settings: Settings
) -> Figures:
    """SMS arriving by push one per device second: store writes and size per 1,000.

    Then a history of 10,000 messages (fed through the inbox's signal): the
    time of the first page of conversations and of one conversation.
    """
    hass = instance.hass
    speed = settings.history_speed
    scale.set_speed(speed)
    gateway = GatewayThread(gateway_config(serials.take(), speed))
    await gateway.start()
    entry = await instance.add_gateway(gateway, push=True)
    history = runtime(hass, entry.entry_id).history
    writes = _count_writes(history)
    count = settings.history_messages
    for number in range(count):
        await gateway.deliver_sms(
            number % 4, f"+49151{number % NUMBERS:08d}", f"History message {number}"
        )
        await asyncio.sleep(1.0)
    await asyncio.sleep(SAVE_DELAY + 2)
    path = Path(hass.config.path(".storage", f"dinstar.{entry.entry_id}.history"))
    size = (await hass.async_add_executor_job(path.stat)).st_size
    held = history.as_diagnostics()["messages"]
    scale.set_speed(1.0)

    # A full history of 10,000 messages: the first pages a card or the panel asks for.
    big = 10_000
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_HISTORY_MAX_MESSAGES: big}
    )
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    history = runtime(hass, entry.entry_id).history
    signal = sms_received_signal(entry.entry_id)
    for number in range(big - held):
        async_dispatcher_send(
            hass,
            signal,
            number % 4,
            ReceivedSms(
                id=10_000_000 + number,
                sender=f"+49151{number % NUMBERS:08d}",
                smsc=None,
                time=dt_util.utcnow(),
                text=f"Filler message {number} " + "x" * 60,
            ),
            # The inbox's fingerprint tells SMS apart: one per filler message.
            f"filler-{number}",
        )
    assert history.as_diagnostics()["messages"] == big
    conversation_pages: list[float] = []
    message_pages: list[float] = []
    for _ in range(20):
        started = time.perf_counter()
        conversations = list(history.conversations())[:PAGE]
        conversation_pages.append(time.perf_counter() - started)
        started = time.perf_counter()
        page, _ = history.messages(
            conversations[0].last.number, before=None, limit=PAGE
        )
        message_pages.append(time.perf_counter() - started)
        assert len(page) == PAGE
    await history.async_stop()
    big_size = (await hass.async_add_executor_job(path.stat)).st_size
    await instance.remove(entry)
    await gateway.stop()
    return {
        "speed": speed,
        "messages": count,
        "arrival": "one SMS per device second, by push",
        "save_delay_seconds": SAVE_DELAY,
        "store_writes_per_1000_messages": round(writes[0] * 1000 / count, 1),
        "store_bytes_per_1000_messages": round(size * 1000 / held),
        "history_10000": {
            "store_bytes": big_size,
            "conversations": NUMBERS,
            "first_conversations_page_ms": round(
                statistics.median(conversation_pages) * 1000, 2
            ),
            "first_messages_page_ms": round(statistics.median(message_pages) * 1000, 2),
        },
    }
