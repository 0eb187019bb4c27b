"""The Dinstar SMS gateway integration."""

from __future__ import annotations

from homeassistant.components.webhook import (
    async_generate_id as async_generate_webhook_id,
)
from homeassistant.config_entries import (
    SIGNAL_CONFIG_ENTRY_CHANGED,
    ConfigEntry,
    ConfigEntryChange,
    ConfigEntryState,
)
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
    Platform,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.aiohttp_client import async_create_clientsession
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import slugify

from .const import (
    CONF_LEGACY_NOTIFY_SERVICE,
    CONF_MAC,
    CONF_RECOVERY_MINUTES,
    CONF_URL,
    DEFAULT_RECOVERY_MINUTES,
    DOMAIN,
    MANUFACTURER,
    REQUEST_TIMEOUT,
    gateway_serial,
)
from .coordinator import (
    DinstarConfigEntry,
    DinstarIncomingSmsCoordinator,
    DinstarPortCoordinator,
    DinstarRuntimeData,
    DinstarStatusCoordinator,
)
from .devices import (
    async_remove_stale_port_devices,
    async_update_models,
    device_port,
    gateway_model,
)
from .history import DinstarHistory, history_store
from .inbox import inbox_store
from .issues import async_delete_entry_issues, async_update_sim_issues
from .notify import DATA_HASS_CONFIG, async_setup_legacy_service, notify_service_name
from .outbox import DinstarOutbox, outbox_store
from .panel import async_register_frontend
from .port_control import DinstarRestartingPorts
from .pydinstar import DinstarClient, auth_middleware
from .recovery import DinstarPortRecovery
from .services import async_setup_services
from .ussd import DinstarUssd
from .webhook import DinstarWebhook
from .websocket_api import async_setup_websocket_api

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS: list[Platform] = [
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the integration's actions."""
    hass.data[DATA_HASS_CONFIG] = config
    async_setup_services(hass)
    async_setup_websocket_api(hass)
    await async_register_frontend(hass)

    @callback
    def async_forget_disabled(_change: ConfigEntryChange, entry: ConfigEntry) -> None:
        """Drop the repair issues of a disabled gateway, also one that never loaded."""
        if entry.domain == DOMAIN and entry.disabled_by is not None:
            async_delete_entry_issues(hass, entry.entry_id)

    async_dispatcher_connect(hass, SIGNAL_CONFIG_ENTRY_CHANGED, async_forget_disabled)
    return True


def create_client(
    hass: HomeAssistant, data: dict[str, object], serial: str | None = None
) -> DinstarClient:
    """Return a client on a session of its own that carries Digest auth.

    With serial, replies of another gateway (at an address that changed hands)
    are refused.
    """
    session = async_create_clientsession(
        hass,
        verify_ssl=bool(data.get(CONF_VERIFY_SSL, False)),
        middlewares=(
            auth_middleware(str(data[CONF_USERNAME]), str(data[CONF_PASSWORD])),
        ),
    )
    return DinstarClient(
        str(data[CONF_URL]),
        session=session,
        request_timeout=REQUEST_TIMEOUT,
        serial=serial,
    )


async def async_migrate_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> bool:
    """Bring an entry of an older format up to this one's (1.2).

    Home Assistant calls this for older entries only (it refuses newer ones), and 1.1 is the
    only older format. It made the webhook id at setup: one the gateway may already push to
    is kept. Its notify.<name> followed the entry's title: that name is kept beside the
    stable one, for the automations that call it.
    """
    data = dict(entry.data)
    data.setdefault(CONF_WEBHOOK_ID, async_generate_webhook_id())
    if (old_name := slugify(entry.title)) != notify_service_name(entry):
        data[CONF_LEGACY_NOTIFY_SERVICE] = old_name
    hass.config_entries.async_update_entry(entry, data=data, minor_version=2)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> bool:
    """Set up a gateway from a config entry."""
    client = create_client(hass, dict(entry.data), gateway_serial(entry.unique_id))
    port_coordinator = DinstarPortCoordinator(hass, entry, client)
    await port_coordinator.async_config_entry_first_refresh()
    status_coordinator = DinstarStatusCoordinator(hass, entry, client)
    await status_coordinator.async_config_entry_first_refresh()

    assert entry.unique_id is not None
    connections = set()
    if mac := entry.data.get(CONF_MAC):
        connections.add((dr.CONNECTION_NETWORK_MAC, dr.format_mac(mac)))
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.unique_id)},
        connections=connections,
        manufacturer=MANUFACTURER,
        model=gateway_model(port_coordinator.data.ports),
        name=entry.title,
        serial_number=gateway_serial(entry.unique_id),
        configuration_url=str(client.url),
    )
    # Listening before the outbox and the inbox can tell it anything.
    history = DinstarHistory(hass, entry)
    await history.async_load()
    entry.async_on_unload(history.async_stop)
    ussd = DinstarUssd(hass, entry, client)
    outbox = DinstarOutbox(hass, entry, client)
    await outbox.async_load()
    entry.async_on_unload(outbox.async_stop)
    inbox_coordinator = DinstarIncomingSmsCoordinator(hass, entry, client)
    await inbox_coordinator.async_config_entry_first_refresh()
    restarting_ports = DinstarRestartingPorts(hass, entry, port_coordinator)
    entry.runtime_data = DinstarRuntimeData(
        client=client,
        port_coordinator=port_coordinator,
        gateway_device_id=device.id,
        outbox=outbox,
        ussd=ussd,
        inbox_coordinator=inbox_coordinator,
        webhook=DinstarWebhook(hass, entry),
        history=history,
        status_coordinator=status_coordinator,
        sent_sms_coordinator=outbox.coordinator,
        restarting_ports=restarting_ports,
    )
    restarting_ports.async_start()

    @callback
    def async_follow_ports() -> None:
        """Keep the SIM repair issues and the devices in step with the gateway."""
        ports = port_coordinator.data.ports
        async_update_sim_issues(hass, entry.entry_id, entry.title, ports)
        async_remove_stale_port_devices(hass, entry, ports)
        async_update_models(hass, entry, ports)

    async_follow_ports()
    entry.async_on_unload(port_coordinator.async_add_listener(async_follow_ports))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    entry.runtime_data.webhook.async_register()
    inbox_coordinator.async_start()
    if minutes := int(
        entry.options.get(CONF_RECOVERY_MINUTES, DEFAULT_RECOVERY_MINUTES)
    ):
        recovery = DinstarPortRecovery(hass, entry, minutes)
        entry.runtime_data.recovery = recovery
        recovery.async_start()
    await async_setup_legacy_service(hass, entry)
    return True


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: DinstarConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete the device of a port the gateway no longer reports."""
    if entry.state is not ConfigEntryState.LOADED:
        # What the gateway reports is not known.
        return False
    port = device_port(entry, device)
    return (
        port is not None and port not in entry.runtime_data.port_coordinator.data.ports
    )


async def async_unload_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: DinstarConfigEntry) -> None:
    """Forget the repair issues and the messages of a removed gateway."""
    async_delete_entry_issues(hass, entry.entry_id)
    await outbox_store(hass, entry.entry_id).async_remove()
    await inbox_store(hass, entry.entry_id).async_remove()
    await history_store(hass, entry.entry_id).async_remove()
