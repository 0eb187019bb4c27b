"""The gateway's device and one device per SIM port, linked to it."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .const import DOMAIN, MANUFACTURER, port_label
from .coordinator import DinstarConfigEntry

_PORT_MARK = "-port-"


def port_identifier(entry: DinstarConfigEntry, port: int) -> tuple[str, str]:
    """Return the device registry identifier of a port of the entry's gateway."""
    return (DOMAIN, f"{entry.unique_id}{_PORT_MARK}{port}")


def gateway_device_info(entry: DinstarConfigEntry) -> DeviceInfo:
    """Return the device info that attaches an entity to the gateway."""
    assert entry.unique_id is not None
    return DeviceInfo(identifiers={(DOMAIN, entry.unique_id)})


def port_device_info(entry: DinstarConfigEntry, port: int) -> DeviceInfo:
    """Return the device of a port, named by its front panel label."""
    return DeviceInfo(
        identifiers={port_identifier(entry, port)},
        manufacturer=MANUFACTURER,
        translation_key="port",
        translation_placeholders={"port": port_label(port)},
        via_device_id=entry.runtime_data.gateway_device_id,
    )


def device_port(entry: DinstarConfigEntry, device: dr.AnyDeviceEntry) -> int | None:
    """Return the API port number of a port device of the entry, else None."""
    prefix = f"{entry.unique_id}{_PORT_MARK}"
    for domain, identifier in device.identifiers:
        if domain == DOMAIN and identifier.startswith(prefix):
            return int(identifier.removeprefix(prefix))
    return None


def removed_ports(known: Iterable[int], reported: Collection[int]) -> set[int]:
    """Return the ports of known that the gateway no longer has.

    Ports are numbered from 0 and get_port_info answers one row for each, so the highest
    row gives the port count: ports beyond it are gone (modules pulled, another model).
    A row missing below it was left out of one reply, and a reply without rows says
    nothing: those ports keep their device and entities, unavailable until they are back.
    """
    if not reported:
        return set()
    count = max(reported) + 1
    return {port for port in known if port >= count}


@callback
def async_remove_stale_port_devices(
    hass: HomeAssistant, entry: DinstarConfigEntry, ports: Collection[int]
) -> None:
    """Remove the devices of ports the gateway no longer has (see removed_ports)."""
    registry = dr.async_get(hass)
    devices = {
        port: device
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if (port := device_port(entry, device)) is not None
    }
    for port in removed_ports(devices, ports):
        registry.async_remove_device(devices[port].id)
