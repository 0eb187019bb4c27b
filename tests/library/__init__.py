"""Tests of the pydinstar library (imported as its distribution), against the simulator over real HTTP."""
