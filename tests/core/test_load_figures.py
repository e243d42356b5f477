"""How the load benchmark turns locust's request log into its figures (bench/load_bench.py)."""

import math

from trellis.bench.load_bench import percentile, read_log

LOG = (
    "sign in\t900.0\t1\t1796500000.000\t\n"
    "second factor\t40.0\t1\t1796500000.000\t\n"
    "/caseload/\t100.0\t1\t1796500000.000\t\n"
    "/caseload/\t300.0\t0\t1796500000.000\tstatus 500\n"
    "/me/\t20.0\t1\t1796500000.000\t\n"
    "/me/\t40.0\t1\t1796500000.000\t\n"
)


def test_the_percentile_is_the_nearest_rank():
    samples = [float(n) for n in range(1, 101)]

    assert percentile(samples, 95) == 95.0
    assert percentile(samples, 50) == 50.0
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 95))


def test_signing_in_is_kept_apart_from_the_steady_requests():
    requests = read_log(LOG, seconds=2)

    assert sorted(requests.steady()) == [20.0, 40.0, 100.0, 300.0]
    assert sorted(requests.signing_in()) == [40.0, 900.0]


def test_failures_count_toward_the_error_rate_with_their_reason():
    requests = read_log(LOG, seconds=2)

    assert requests.failures == {"/caseload/": 1}
    assert requests.error_rate() == 1 / 6
    assert requests.reasons == {"/caseload/: status 500": 1}


def test_a_run_that_made_no_request_is_all_error():
    assert read_log("", seconds=1).error_rate() == 1.0
