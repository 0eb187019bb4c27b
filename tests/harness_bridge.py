"""Bridge between the test harness and a newer Home Assistant than the one it pins.

pytest-homeassistant-custom-component pins Home Assistant 2026.10.4; the suite also runs on the newest
release (`DINSTAR_HA=newest scripts/test`, see requirements_test_newest.txt). This pytest plugin is
loaded before the harness's own (`-p tests.harness_bridge` in setup.cfg) and is a no-op on the
pinned release. Delete it, and its line in setup.cfg, once the harness pins 2026.11 or later.
"""

from __future__ import annotations

# Since 2026.11, importing homeassistant aliases httpx to httpx2, which raises when httpx is already
# imported; the harness imports respx (and with it httpx) before Home Assistant.
import homeassistant  # noqa: F401  # isort:skip

# The harness's common.py imports _clear_logger_overwrites from homeassistant.components.logger,
# where 2026.11 no longer re-exports it from its helpers. Importing the logger component here must
# not come before the harness's patches of Home Assistant (which it applies before importing any
# other Home Assistant module): apply them first, in the harness's order.
from pytest_homeassistant_custom_component import patch_json  # noqa: F401  # isort:skip
from homeassistant import block_async_io  # noqa: F401  # isort:skip
from pytest_homeassistant_custom_component import patch_recorder  # noqa: F401  # isort:skip
from pytest_homeassistant_custom_component import patch_time  # noqa: F401  # isort:skip
from homeassistant.components import logger  # isort:skip
from homeassistant.components.logger import helpers as logger_helpers  # isort:skip

if not hasattr(logger, "_clear_logger_overwrites"):
    logger._clear_logger_overwrites = logger_helpers._clear_logger_overwrites  # noqa: SLF001
