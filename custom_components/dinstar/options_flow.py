"""Options of a gateway: how the integration sends and reads SMS, its history and recovery."""

from __future__ import annotations

from typing import Any
import zoneinfo

import probatio

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
)

from .const import (
    CONF_DEFAULT_ENCODING,
    CONF_DEFAULT_PORTS,
    CONF_DELIVERY_REPORTS,
    CONF_HISTORY_MAX_DAYS,
    CONF_HISTORY_MAX_MESSAGES,
    CONF_MARK_READ,
    CONF_RECOVERY_MINUTES,
    CONF_TIMEZONE,
    DEFAULT_DELIVERY_REPORTS,
    DEFAULT_HISTORY_MAX_DAYS,
    DEFAULT_HISTORY_MAX_MESSAGES,
    DEFAULT_MARK_READ,
    DEFAULT_RECOVERY_MINUTES,
    ENCODING_AUTO,
    MAX_RECOVERY_MINUTES,
)
from .coordinator import DinstarConfigEntry
from .flow_forms import port_choices
from .pydinstar import SmsEncoding


class DinstarOptionsFlow(OptionsFlowWithReload):
    """Tune how the integration sends and reads SMS."""

    config_entry: DinstarConfigEntry

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the options."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        # The ports and the webhook come from the running gateway.
        if self.config_entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        zones = await self.hass.async_add_executor_job(zoneinfo.available_timezones)
        options = self.config_entry.options
        schema = probatio.Schema(
            {
                probatio.Optional(CONF_DEFAULT_PORTS, default=[]): SelectSelector(
                    SelectSelectorConfig(
                        options=port_choices(self.config_entry),
                        multiple=True,
                        mode=SelectSelectorMode.LIST,
                    )
                ),
                probatio.Required(
                    CONF_DEFAULT_ENCODING, default=ENCODING_AUTO
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=[ENCODING_AUTO, *(str(e) for e in SmsEncoding)],
                        translation_key="encoding",
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                probatio.Required(
                    CONF_DELIVERY_REPORTS, default=DEFAULT_DELIVERY_REPORTS
                ): BooleanSelector(),
                probatio.Required(
                    CONF_MARK_READ, default=DEFAULT_MARK_READ
                ): BooleanSelector(),
                probatio.Required(
                    CONF_TIMEZONE, default=self.hass.config.time_zone
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=sorted(zones), mode=SelectSelectorMode.DROPDOWN
                    )
                ),
                probatio.Required(
                    CONF_HISTORY_MAX_MESSAGES, default=DEFAULT_HISTORY_MAX_MESSAGES
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=10, max=10000, step=10, mode=NumberSelectorMode.BOX
                    )
                ),
                probatio.Required(
                    CONF_HISTORY_MAX_DAYS, default=DEFAULT_HISTORY_MAX_DAYS
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=3650,
                        unit_of_measurement="d",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                probatio.Required(
                    CONF_RECOVERY_MINUTES, default=DEFAULT_RECOVERY_MINUTES
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=0,
                        max=MAX_RECOVERY_MINUTES,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="min",
                    )
                ),
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, options),
            description_placeholders={
                "webhook_url": self.config_entry.runtime_data.webhook.url
            },
        )
