"""Custom integrations (Home Assistant loads custom_components.dinstar from here)."""
