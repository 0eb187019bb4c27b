"""The benchmark of the Dinstar integration against the gateway simulator (scripts/bench).

How it runs, and why the numbers are honest:
- Home Assistant is the real core, built in this process by the test harness's
  `async_test_home_assistant` with its real registries, storage (a temporary
  config directory) and HTTP server on 127.0.0.1, so pushes travel over real
  HTTP to the real webhook. Only the integrations compared are set up: dinstar,
  and the `rest` sensor, `rest_command` and `script` users rely on today. A
  separate `hass` process would add a bootstrap (and the frontend's packages)
  without changing what is measured, and could not run on an accelerated clock.
- Each simulated gateway runs on its own thread and event loop, like a box on
  the network: `time.thread_time()` in Home Assistant's thread is then Home
  Assistant's processor time alone.
- The clock: Home Assistant's event loop runs on a clock that can be sped up
  (bench/clock.py), and the simulator's device delays are sped up by the same
  factor. Hours of polling then take a minute. What the code spends on the
  processor is sped up too, so the scenarios that measure it (setup, processor
  time per poll, push latency) run at speed 1; polling latency runs at 10 (its
  processing part then reads 10 times too long: an upper bound), bulk sending at
  10 and idle load at 60, where a poll's few milliseconds are far below any
  interval; the scale scenario (--scale) sets up and measures push latency at
  1 and idle processor time at 60. Every duration reported is in device time.
- Fair comparisons (issue 16): the `rest` sensor at its own default interval
  (15 s) and at 30 s and 10 s; `rest_command` one request per recipient and 128
  numbers per request; tracking judged on its worst poll round; idle with push
  before and after the first pushed SMS; setup of a 4- and a 32-port gateway
  with the cold first run shown.
"""
