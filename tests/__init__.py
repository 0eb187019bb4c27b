"""Tests of the Dinstar integration, its gateway client and the gateway simulator."""
