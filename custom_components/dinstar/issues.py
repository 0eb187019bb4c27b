"""Repair issues: a SIM that needs its PIN or PUK, a gateway that banned us, a port a restart did not bring back."""

from __future__ import annotations

from collections.abc import Mapping

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, port_label
from .pydinstar import PortInfo, Registration

_SIM_LOCKED_KEYS = {
    Registration.PIN_REQUIRE: "sim_pin_required",
    Registration.PUK_REQUIRE: "sim_puk_required",
}


def _sim_issue_id(entry_id: str, port: int) -> str:
    return f"sim_locked_{entry_id}_{port}"


@callback
def async_update_sim_issues(
    hass: HomeAssistant, entry_id: str, title: str, ports: Mapping[int, PortInfo]
) -> None:
    """Raise an issue for every SIM waiting for its PIN or PUK, drop solved ones."""
    registry = ir.async_get(hass)
    wanted: set[str] = set()
    for port, info in ports.items():
        if info.registration not in _SIM_LOCKED_KEYS:
            continue
        key = _SIM_LOCKED_KEYS[info.registration]
        issue_id = _sim_issue_id(entry_id, port)
        wanted.add(issue_id)
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=key,
            translation_placeholders={"port": port_label(port), "gateway": title},
        )
    prefix = _sim_issue_id(entry_id, 0)[:-1]
    for domain, issue_id in list(registry.issues):
        if domain == DOMAIN and issue_id.startswith(prefix) and issue_id not in wanted:
            ir.async_delete_issue(hass, DOMAIN, issue_id)


def _lockout_issue_id(entry_id: str) -> str:
    return f"locked_out_{entry_id}"


@callback
def async_set_lockout_issue(
    hass: HomeAssistant, entry: ConfigEntry, *, locked_out: bool
) -> None:
    """Tell the user the gateway bans Home Assistant, or forget that it did."""
    issue_id = _lockout_issue_id(entry.entry_id)
    if not locked_out:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="locked_out",
        translation_placeholders={"gateway": entry.title},
    )


def _not_recovered_issue_id(entry_id: str, port: int) -> str:
    return f"port_not_recovered_{entry_id}_{port}"


@callback
def async_set_port_not_recovered_issue(
    hass: HomeAssistant, entry: ConfigEntry, port: int, *, not_recovered: bool
) -> None:
    """Tell the user a module restart did not bring a port back, or forget it."""
    issue_id = _not_recovered_issue_id(entry.entry_id, port)
    if not not_recovered:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="port_not_recovered",
        translation_placeholders={"port": port_label(port), "gateway": entry.title},
    )


def _deprecated_notify_issue_id(entry_id: str) -> str:
    return f"deprecated_notify_service_{entry_id}"


@callback
def async_raise_deprecated_notify_service(
    hass: HomeAssistant, entry: ConfigEntry, old: str, new: str
) -> None:
    """Tell the user an automation called notify.<old title name>, now notify.<new>."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        _deprecated_notify_issue_id(entry.entry_id),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="deprecated_notify_service",
        translation_placeholders={
            "gateway": entry.title,
            "old": f"notify.{old}",
            "new": f"notify.{new}",
        },
    )


@callback
def async_delete_entry_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Delete every issue raised for a config entry."""
    async_update_sim_issues(hass, entry_id, "", {})
    ir.async_delete_issue(hass, DOMAIN, _lockout_issue_id(entry_id))
    prefix = _not_recovered_issue_id(entry_id, 0)[:-1]
    not_recovered = [
        issue_id
        for domain, issue_id in ir.async_get(hass).issues
        if domain == DOMAIN and issue_id.startswith(prefix)
    ]
    for issue_id in not_recovered:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
    ir.async_delete_issue(hass, DOMAIN, _deprecated_notify_issue_id(entry_id))
