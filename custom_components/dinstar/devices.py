"""The gateway's device and one device per SIM port, linked to it."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo

from .const import DOMAIN, MANUFACTURER, port_label
from .pydinstar import NetworkType, PortInfo

if TYPE_CHECKING:
    from .coordinator import DinstarConfigEntry

_PORT_MARK = "-port-"


def port_identifier(entry: DinstarConfigEntry, port: int) -> tuple[str, str]:
    """Return the device registry identifier of a port of the entry's gateway."""
    return (DOMAIN, f"{entry.unique_id}{_PORT_MARK}{port}")


def _module_type(info: PortInfo | None) -> NetworkType | None:
    """Return the radio of a port's module, None when the gateway does not say."""
    if info is None or info.type is NetworkType.UNKNOWN:
        return None
    return info.type


def gateway_model(ports: Mapping[int, PortInfo]) -> str:
    """Return what the gateway tells of itself: its ports and their modules.

    The API reports no model name and no firmware version.
    """
    if not ports:
        return "SMS gateway"
    types = sorted({kind for info in ports.values() if (kind := _module_type(info))})
    modules = f" ({', '.join(types)})" if types else ""
    return f"{max(ports) + 1}-port SMS gateway{modules}"


def port_model(info: PortInfo | None) -> str:
    """Return what a port tells of itself: the radio of its module."""
    if (kind := _module_type(info)) is None:
        return "SIM port"
    return f"{kind} module"


@callback
def async_update_models(
    hass: HomeAssistant, entry: DinstarConfigEntry, ports: Mapping[int, PortInfo]
) -> None:
    """Keep the models of the gateway's and the ports' devices in step with the gateway."""
    if not ports:
        # A reply without rows says nothing (see removed_ports).
        return
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if (DOMAIN, entry.unique_id) in device.identifiers:
            model = gateway_model(ports)
        elif (port := device_port(entry, device)) is not None and port in ports:
            model = port_model(ports[port])
        else:
            # A recipient, or a port this reply left out.
            continue
        if device.model != model:
            registry.async_update_device(device.id, model=model)


def gateway_device_info(entry: DinstarConfigEntry) -> DeviceInfo:
    """Return the device info that attaches an entity to the gateway."""
    assert entry.unique_id is not None
    return DeviceInfo(identifiers={(DOMAIN, entry.unique_id)})


def port_device_info(entry: DinstarConfigEntry, port: int) -> DeviceInfo:
    """Return the device of a port, named by its front panel label."""
    return DeviceInfo(
        identifiers={port_identifier(entry, port)},
        manufacturer=MANUFACTURER,
        model=port_model(entry.runtime_data.port_coordinator.data.ports.get(port)),
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
