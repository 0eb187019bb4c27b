"""Config flow of the Dinstar SMS gateway integration (options and recipients: their own modules)."""

from __future__ import annotations

from collections.abc import Mapping
import socket
from typing import Any

from yarl import URL

from homeassistant.components import webhook
from homeassistant.config_entries import (
    SOURCE_IGNORE,
    SOURCE_REAUTH,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_create_clientsession
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.util.network import is_ip_address

from .const import (
    CONF_MAC,
    CONF_URL,
    DOMAIN,
    IMEI_IDENTITY_PREFIX,
    LOGGER,
    REQUEST_TIMEOUT,
)
from .flow_forms import CREDENTIALS_SCHEMA, InvalidHost, gateway_schema, normalize_url
from .options_flow import DinstarOptionsFlow
from .pydinstar import (
    DinstarApiDisabledError,
    DinstarAuthenticationError,
    DinstarClient,
    DinstarConnectionError,
    DinstarError,
    DinstarLockedOutError,
    GatewayPorts,
    auth_middleware,
)
from .recipient_flow import SUBENTRY_RECIPIENT, RecipientSubentryFlow

API_HELP_PATH = "Mobile Configuration → Basic Configuration → API: New Version"


def gateway_identity(gateway: GatewayPorts) -> str | None:
    """Return the serial number, or for firmware without one its first module's IMEI."""
    if gateway.serial:
        return gateway.serial
    imeis = [port.imei for port in sorted(gateway.ports, key=lambda p: p.port)]
    if first := next((imei for imei in imeis if imei), None):
        return f"{IMEI_IDENTITY_PREFIX}{first}"
    return None


class DinstarConfigFlow(ConfigFlow, domain=DOMAIN):
    """Register a Dinstar gateway by its serial number."""

    VERSION = 1
    # 1.2: the webhook id is made here, with the entry (async_migrate_entry gives older ones theirs).
    MINOR_VERSION = 2

    _discovered_host: str | None = None
    _discovered_mac: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> DinstarOptionsFlow:
        """Return the options flow."""
        return DinstarOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the recipients notify.send_message can reach."""
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlow}

    async def _async_validate(
        self, data: Mapping[str, Any], errors: dict[str, str]
    ) -> tuple[str, GatewayPorts] | None:
        """Talk to the gateway; return its identity, or fill errors."""
        session = async_create_clientsession(
            self.hass,
            verify_ssl=data[CONF_VERIFY_SSL],
            auto_cleanup=False,
            middlewares=(auth_middleware(data[CONF_USERNAME], data[CONF_PASSWORD]),),
        )
        client = DinstarClient(
            data[CONF_URL], session=session, request_timeout=REQUEST_TIMEOUT
        )
        try:
            gateway = await client.get_port_info()
        except DinstarAuthenticationError:
            errors["base"] = "invalid_auth"
        except DinstarLockedOutError:
            errors["base"] = "locked_out"
        except DinstarApiDisabledError:
            errors["base"] = "api_disabled"
        except DinstarConnectionError:
            errors["base"] = "cannot_connect"
        except DinstarError:
            errors["base"] = "not_dinstar"
        except Exception:  # noqa: BLE001
            LOGGER.exception("Unexpected error while talking to %s", data[CONF_URL])
            errors["base"] = "unknown"
        else:
            if (identity := gateway_identity(gateway)) is not None:
                return identity, gateway
            errors["base"] = "not_dinstar"
        finally:
            session.detach()
        return None

    def _parse_host(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any] | None:
        """Return the entry data for the form's input, or fill errors."""
        try:
            url = normalize_url(user_input[CONF_HOST])
        except InvalidHost:
            errors[CONF_HOST] = "invalid_host"
            return None
        return {
            CONF_URL: url,
            CONF_USERNAME: user_input[CONF_USERNAME],
            CONF_PASSWORD: user_input[CONF_PASSWORD],
            CONF_VERIFY_SSL: user_input[CONF_VERIFY_SSL],
        }

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the gateway's address and API credentials."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if (data := self._parse_host(user_input, errors)) is not None and (
                found := await self._async_validate(data, errors)
            ) is not None:
                identity, gateway = found
                await self.async_set_unique_id(identity)
                if mac := self._discovered_mac_of(data):
                    data[CONF_MAC] = mac
                    # Discovery follows a known gateway to its new address.
                    self._abort_if_unique_id_configured(
                        updates=self._discovery_updates(identity, data)
                    )
                elif known := self._known_entry(identity):
                    # Adding by hand never moves an entry: Reconfigure does.
                    return self.async_abort(
                        reason="gateway_already_configured",
                        description_placeholders={"title": known.title},
                    )
                await self._async_dismiss_discoveries(data)
                data[CONF_WEBHOOK_ID] = webhook.async_generate_id()
                return self.async_create_entry(
                    title=f"Dinstar {gateway.serial or URL(data[CONF_URL]).host}",
                    data=data,
                )
        defaults = user_input or {}
        if self._discovered_host and not defaults:
            defaults = {CONF_HOST: self._discovered_host}
        return self.async_show_form(
            step_id="user",
            data_schema=gateway_schema(defaults),
            errors=errors,
            description_placeholders={"api_path": API_HELP_PATH},
        )

    def _discovered_mac_of(self, data: Mapping[str, Any]) -> str | None:
        """Return the discovered MAC if the user kept the discovered address."""
        if URL(data[CONF_URL]).host != self._discovered_host:
            # Another gateway than the one discovered, maybe.
            return None
        return self._discovered_mac

    def _known_entry(self, identity: str) -> ConfigEntry | None:
        """Return the entry (not an ignored one) of the gateway with this identity."""
        entry = self.hass.config_entries.async_entry_for_domain_unique_id(
            self.handler, identity
        )
        if entry is None or entry.source == SOURCE_IGNORE:
            return None
        return entry

    def _discovery_updates(
        self, identity: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Return the changes for the entry of a discovered gateway that is known."""
        updates: dict[str, Any] = {CONF_MAC: data[CONF_MAC]}
        entry = self.hass.config_entries.async_entry_for_domain_unique_id(
            self.handler, identity
        )
        # A host name stays: the address may change again, and TLS checks the name.
        if entry is not None and is_ip_address(
            URL(entry.data.get(CONF_URL, "")).host or ""
        ):
            updates[CONF_URL] = data[CONF_URL]
        return updates

    async def _async_dismiss_discoveries(self, data: Mapping[str, Any]) -> None:
        """Abort the open discoveries of the gateway this flow is adding.

        They carry the MAC as unique id, not the serial, so Home Assistant cannot
        tell that they are the same gateway.
        """
        host = URL(data[CONF_URL]).host or ""
        addresses = {host}
        if not is_ip_address(host):
            try:
                infos = await self.hass.loop.getaddrinfo(
                    host, None, type=socket.SOCK_STREAM
                )
            except OSError:
                infos = []
            addresses = {str(info[4][0]) for info in infos}
        mac = data.get(CONF_MAC)
        flows = self.hass.config_entries.flow
        for flow in flows.async_progress_by_init_data_type(
            DhcpServiceInfo,
            lambda info: info.ip in addresses or dr.format_mac(info.macaddress) == mac,
        ):
            if flow["handler"] == self.handler and flow["flow_id"] != self.flow_id:
                flows.async_abort(flow["flow_id"])

    async def _async_is_gateway_of(self, entry: ConfigEntry) -> bool | None:
        """Return whether the entry's address and credentials reach its gateway.

        None when the gateway cannot be read (off, booting, credentials refused).
        """
        if entry.state is ConfigEntryState.SETUP_ERROR or any(
            entry.async_get_active_flows(self.hass, {SOURCE_REAUTH})
        ):
            # Refused credentials: another login would count towards a ban.
            return None
        found = await self._async_validate(entry.data, {})
        return None if found is None else found[0] == entry.unique_id

    async def async_step_dhcp(
        self, discovery_info: DhcpServiceInfo
    ) -> ConfigFlowResult:
        """Follow a gateway to its new address, or offer to add a new one."""
        mac = dr.format_mac(discovery_info.macaddress)
        url = normalize_url(discovery_info.ip)
        entries = self._async_current_entries(include_ignore=False)
        for entry in entries:
            if entry.data.get(CONF_MAC) == mac:
                current = URL(entry.data[CONF_URL])
                new_url = str(current.with_host(discovery_info.ip))
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={CONF_URL: new_url},
                    reason="already_configured",
                    reload_even_if_entry_is_unchanged=False,
                )
        for entry in entries:
            if URL(entry.data[CONF_URL]).host != discovery_info.ip:
                continue
            # Another device may have the address now: learn the MAC only from
            # the gateway that answers with the entry's serial.
            verified = await self._async_is_gateway_of(entry)
            if verified:
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={CONF_MAC: mac},
                    reason="already_configured",
                    reload_even_if_entry_is_unchanged=False,
                )
            if verified is None:
                return self.async_abort(reason="already_configured")
        await self.async_set_unique_id(mac)
        self._abort_if_unique_id_configured()
        self._discovered_host = URL(url).host
        self._discovered_mac = mac
        self.context["title_placeholders"] = {"host": discovery_info.ip}
        return await self.async_step_user()

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start asking for new credentials after the gateway refused them."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the gateway's new credentials."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            if (found := await self._async_validate(data, errors)) is not None:
                await self.async_set_unique_id(found[0])
                self._abort_if_unique_id_mismatch(reason="wrong_gateway")
                return self.async_update_reload_and_abort(
                    entry, data_updates=user_input
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA, {CONF_USERNAME: entry.data[CONF_USERNAME]}
            ),
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the address or credentials of the same gateway."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            if (data := self._parse_host(user_input, errors)) is not None and (
                found := await self._async_validate(data, errors)
            ) is not None:
                await self.async_set_unique_id(found[0])
                self._abort_if_unique_id_mismatch(reason="wrong_gateway")
                return self.async_update_reload_and_abort(entry, data_updates=data)
        defaults = user_input or {
            CONF_HOST: entry.data[CONF_URL],
            CONF_USERNAME: entry.data[CONF_USERNAME],
            CONF_VERIFY_SSL: entry.data[CONF_VERIFY_SSL],
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=gateway_schema(defaults),
            errors=errors,
            description_placeholders={"api_path": API_HELP_PATH},
        )
