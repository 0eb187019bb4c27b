"""The one-command demo: a simulated Dinstar gateway and Home Assistant with the integration set up."""
