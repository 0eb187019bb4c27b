"""Tests of the Dinstar integration, driven through Home Assistant against the simulator."""
