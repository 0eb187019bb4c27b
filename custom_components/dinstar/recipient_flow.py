"""Recipients of a gateway (config subentries): people notify.send_message reaches by SMS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import probatio

from homeassistant.config_entries import (
    ConfigSubentry,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME, CONF_PORT
from homeassistant.helpers.selector import (
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .flow_forms import port_choices
from .pydinstar import DinstarValidationError, validate_number

SUBENTRY_RECIPIENT = "recipient"
CONF_NUMBER = "number"


class RecipientSubentryFlow(ConfigSubentryFlow):
    """Add or change a person that notify.send_message reaches by SMS."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the recipient's name, number and optional port."""
        errors: dict[str, str] = {}
        if user_input is not None and (
            data := self._recipient_data(user_input, errors)
        ):
            return self.async_create_entry(
                title=user_input[CONF_NAME], data=data, unique_id=data[CONF_NUMBER]
            )
        return self._show_form("user", user_input or {}, errors)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change the recipient's name, number or port."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        if user_input is not None and (
            data := self._recipient_data(user_input, errors)
        ):
            return self.async_update_reload_and_abort(
                self._get_entry(),
                subentry,
                title=user_input[CONF_NAME],
                data=data,
                unique_id=data[CONF_NUMBER],
            )
        return self._show_form(
            "reconfigure", user_input or _recipient_values(subentry), errors
        )

    @staticmethod
    def _recipient_data(
        user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, str] | None:
        """Return the subentry data for the form's input, or fill errors."""
        number = user_input[CONF_NUMBER].strip()
        try:
            validate_number(number)
        except DinstarValidationError:
            errors[CONF_NUMBER] = "invalid_number"
            return None
        data = {CONF_NUMBER: number}
        if port := user_input.get(CONF_PORT):
            data[CONF_PORT] = port
        return data

    def _show_form(
        self, step_id: str, values: Mapping[str, Any], errors: dict[str, str]
    ) -> SubentryFlowResult:
        schema = probatio.Schema(
            {
                probatio.Required(CONF_NAME): str,
                probatio.Required(CONF_NUMBER): str,
                probatio.Optional(CONF_PORT): SelectSelector(
                    SelectSelectorConfig(
                        options=port_choices(self._get_entry()),
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, values),
            errors=errors,
        )


def _recipient_values(subentry: ConfigSubentry) -> dict[str, Any]:
    """Return what the reconfigure form shows of a recipient."""
    return {CONF_NAME: subentry.title, **subentry.data}
