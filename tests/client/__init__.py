"""Tests of the gateway client, against the gateway simulator over real HTTP."""
