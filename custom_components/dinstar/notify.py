"""SMS notifications: the legacy notify.<gateway> service and one entity per recipient."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.components.notify import NotifyEntity
from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET
from homeassistant.components.notify.legacy import BaseNotificationService
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigSubentry,
)
from homeassistant.const import CONF_NAME, CONF_PORT, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import discovery
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType
from homeassistant.helpers.update_coordinator import CoordinatorEntity
from homeassistant.util import slugify
from homeassistant.util.hass_dict import HassKey

from .const import CONF_LEGACY_NOTIFY_SERVICE, DOMAIN, MANUFACTURER, port_label
from .coordinator import DinstarConfigEntry, DinstarPortCoordinator
from .issues import async_raise_deprecated_notify_service
from .recipient_flow import CONF_NUMBER
from .sms_request import api_ports, async_send_sms, prepare_notify_sms, prepare_sms

# The gateway is a small embedded box: one send request at a time.
PARALLEL_UPDATES = 1

DATA_HASS_CONFIG: HassKey[ConfigType] = HassKey(f"{DOMAIN}_hass_config")
_DISCOVERY_ENTRY: Final = "entry"
_DISCOVERY_REPLACED_BY: Final = "replaced_by"


def notify_service_name(entry: ConfigEntry) -> str:
    """Return the <name> of notify.<name>: from the gateway's identity, not the entry's title.

    Renaming the entry does not rename the service, so automations keep working.
    """
    return slugify(f"{DOMAIN} {entry.unique_id}")


async def async_setup_legacy_service(
    hass: HomeAssistant, entry: DinstarConfigEntry
) -> None:
    """Offer notify.<gateway> with target numbers, as the old SMS integrations did.

    An entry made before 1.2 also keeps the title-based name its automations may use.
    """
    name = notify_service_name(entry)
    services: dict[str, str | None] = {name: None}
    if (old := entry.data.get(CONF_LEGACY_NOTIFY_SERVICE)) not in (None, name):
        services[old] = name
    for service, replaced_by in services.items():
        await discovery.async_load_platform(
            hass,
            Platform.NOTIFY,
            DOMAIN,
            {
                CONF_NAME: service,
                _DISCOVERY_ENTRY: entry,
                _DISCOVERY_REPLACED_BY: replaced_by,
            },
            hass.data[DATA_HASS_CONFIG],
        )


async def async_get_service(
    hass: HomeAssistant,
    config: ConfigType,
    discovery_info: DiscoveryInfoType | None = None,
) -> DinstarNotificationService | None:
    """Return the legacy notify service of a gateway set up from the UI."""
    if discovery_info is None:
        return None
    entry: DinstarConfigEntry = discovery_info[_DISCOVERY_ENTRY]
    service = DinstarNotificationService(
        entry, discovery_info[CONF_NAME], discovery_info[_DISCOVERY_REPLACED_BY]
    )
    entry.async_on_unload(service.async_unregister_services)
    return service


class DinstarNotificationService(BaseNotificationService):
    """notify.<gateway>: an SMS to each target number, `data` picks ports and encoding."""

    def __init__(
        self, entry: DinstarConfigEntry, name: str, replaced_by: str | None
    ) -> None:
        """Send through entry's gateway; replaced_by names the service that replaces this one."""
        self._entry = entry
        self._name = name
        self._replaced_by = replaced_by

    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send message to every number in target."""
        if self._replaced_by is not None:
            async_raise_deprecated_notify_service(
                self.hass, self._entry, self._name, self._replaced_by
            )
        request = prepare_notify_sms(
            self._entry,
            text=message,
            numbers=kwargs.get(ATTR_TARGET) or [],
            data=kwargs.get(ATTR_DATA) or {},
        )
        await async_send_sms(self.hass, self._entry, request)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DinstarConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a notify entity for each recipient, and for recipients added later."""
    added: set[str] = set()

    @callback
    def add_new_recipients() -> None:
        for subentry_id, subentry in entry.subentries.items():
            if subentry_id in added:
                continue
            added.add(subentry_id)
            async_add_entities(
                [DinstarRecipientNotifyEntity(entry, subentry)],
                config_subentry_id=subentry_id,
            )

    @callback
    def entry_changed(change: ConfigEntryChange, changed: ConfigEntry) -> None:
        # A subentry flow adds the subentry without reloading the entry.
        add_new_recipients()

    add_new_recipients()
    entry.async_on_unload(
        async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, entry_changed)
    )


class DinstarRecipientNotifyEntity(
    CoordinatorEntity[DinstarPortCoordinator], NotifyEntity
):
    """notify.send_message to one person: their number, optionally through one port."""

    _attr_has_entity_name = True
    _attr_name = None

    def __init__(self, entry: DinstarConfigEntry, subentry: ConfigSubentry) -> None:
        """Send to the recipient of subentry through entry's gateway."""
        super().__init__(entry.runtime_data.port_coordinator)
        self._entry = entry
        self._subentry_id = subentry.subentry_id
        identifier = f"{entry.unique_id}-recipient-{subentry.subentry_id}"
        self._attr_unique_id = identifier
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, identifier)},
            entry_type=DeviceEntryType.SERVICE,
            manufacturer=MANUFACTURER,
            model="SMS recipient",
            name=subentry.title,
            via_device_id=entry.runtime_data.gateway_device_id,
        )

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send message as an SMS to the recipient."""
        data = self._entry.subentries[self._subentry_id].data
        port = data.get(CONF_PORT)
        request = prepare_sms(
            self._entry,
            text=message,
            numbers=[data[CONF_NUMBER]],
            ports=None
            if port is None
            else api_ports(self._entry, [port_label(int(port))]),
        )
        await async_send_sms(self.hass, self._entry, request)
