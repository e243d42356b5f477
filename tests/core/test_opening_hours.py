"""Open now, from HSDS 3.0 schedules, at explicit instants: weekday hours, closing after midnight,
24-hour services, another zone for `now`, daylight saving time in Chicago, validity dates, and
unknown (None) when there are no hours or hours this module does not read."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trellis.core.errors import InvalidInput
from trellis.core.opening_hours import Hours, is_open

CHICAGO = ZoneInfo("America/Chicago")  # the directory's zone in these tests
WEEKDAYS = Hours(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17))


def chicago(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def test_weekday_hours_are_open_inside_and_closed_outside():
    # 2024-05-15 is a Wednesday, 2024-05-18 a Saturday.
    assert is_open([WEEKDAYS], chicago(2024, 5, 15, 10, 0), CHICAGO) is True
    assert is_open([WEEKDAYS], chicago(2024, 5, 15, 8, 59), CHICAGO) is False
    assert is_open([WEEKDAYS], chicago(2024, 5, 15, 18, 0), CHICAGO) is False
    assert is_open([WEEKDAYS], chicago(2024, 5, 18, 10, 0), CHICAGO) is False


def test_opening_time_is_open_and_closing_time_is_closed():
    assert is_open([WEEKDAYS], chicago(2024, 5, 15, 9, 0), CHICAGO) is True
    assert is_open([WEEKDAYS], chicago(2024, 5, 15, 16, 59, 59), CHICAGO) is True
    assert is_open([WEEKDAYS], chicago(2024, 5, 15, 17, 0), CHICAGO) is False


def test_friday_22_to_02_is_open_early_on_saturday_though_saturday_is_not_listed():
    late = Hours(freq="WEEKLY", byday="FR", opens_at=time(22), closes_at=time(2))

    assert is_open([late], chicago(2024, 5, 17, 23, 0), CHICAGO) is True  # Friday 23:00
    assert is_open([late], chicago(2024, 5, 18, 1, 0), CHICAGO) is True  # Saturday 01:00
    assert is_open([late], chicago(2024, 5, 18, 2, 0), CHICAGO) is False  # Saturday 02:00
    assert is_open([late], chicago(2024, 5, 17, 1, 0), CHICAGO) is False  # Friday 01:00
    assert is_open([late], chicago(2024, 5, 17, 21, 59), CHICAGO) is False


def test_closing_at_0000_means_midnight_at_the_end_of_the_day():
    evening = Hours(freq="WEEKLY", byday="MO", opens_at=time(18), closes_at=time(0))

    assert is_open([evening], chicago(2024, 5, 13, 23, 59), CHICAGO) is True  # Monday
    assert is_open([evening], chicago(2024, 5, 14, 0, 0), CHICAGO) is False  # Tuesday 00:00


def test_0000_to_0000_every_day_is_a_24_hour_service():
    always = Hours(freq="DAILY", opens_at=time(0), closes_at=time(0))

    for instant in (
        chicago(2024, 5, 15, 0, 0),
        chicago(2024, 5, 15, 3, 33),
        chicago(2024, 5, 18, 23, 59, 59),
    ):
        assert is_open([always], instant, CHICAGO) is True


def test_equal_opening_and_closing_times_mean_24_hours_from_the_opening():
    monday_8am = Hours(freq="WEEKLY", byday="MO", opens_at=time(8), closes_at=time(8))

    assert is_open([monday_8am], chicago(2024, 5, 13, 7, 59), CHICAGO) is False  # Monday
    assert is_open([monday_8am], chicago(2024, 5, 13, 8, 0), CHICAGO) is True
    assert is_open([monday_8am], chicago(2024, 5, 14, 7, 59), CHICAGO) is True  # Tuesday
    assert is_open([monday_8am], chicago(2024, 5, 14, 8, 0), CHICAGO) is False


def test_now_in_another_zone_is_compared_as_the_same_instant():
    # Wednesday 10:00 CDT = 15:00 UTC = Thursday 00:00 in Tokyo
    tokyo = datetime(2024, 5, 16, 0, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    utc = datetime(2024, 5, 15, 15, 0, tzinfo=UTC)

    assert is_open([WEEKDAYS], tokyo, CHICAGO) is True
    assert is_open([WEEKDAYS], utc, CHICAGO) is True
    # Wednesday 18:00 CDT = 23:00 UTC: closed, though it is 17:00 in UTC-6 without DST
    assert is_open([WEEKDAYS], datetime(2024, 5, 15, 23, 0, tzinfo=UTC), CHICAGO) is False


def test_spring_forward_in_chicago_moves_opening_to_the_new_offset():
    # Sunday 2024-03-10 02:00 CST became 03:00 CDT. A daily 08:00-17:00 service opens at
    # 08:00 CDT = 13:00 UTC that day, but at 08:00 CST = 14:00 UTC the day before.
    daily = Hours(freq="DAILY", opens_at=time(8), closes_at=time(17))

    assert is_open([daily], datetime(2024, 3, 10, 13, 30, tzinfo=UTC), CHICAGO) is True
    assert is_open([daily], datetime(2024, 3, 9, 13, 30, tzinfo=UTC), CHICAGO) is False
    assert is_open([daily], datetime(2024, 3, 9, 14, 0, tzinfo=UTC), CHICAGO) is True


def test_an_overnight_opening_across_spring_forward_closes_at_the_wall_clock_time():
    # Saturday 22:00 CST (04:00 UTC Sunday) to Sunday 06:00 CDT (11:00 UTC): 7 real hours.
    overnight = Hours(freq="WEEKLY", byday="SA", opens_at=time(22), closes_at=time(6))

    assert is_open([overnight], datetime(2024, 3, 10, 10, 59, tzinfo=UTC), CHICAGO) is True
    assert is_open([overnight], datetime(2024, 3, 10, 11, 0, tzinfo=UTC), CHICAGO) is False


def test_a_time_in_the_skipped_hour_opens_an_hour_later():
    # 02:30 does not exist in Chicago on 2024-03-10; it is read as 03:30 CDT (08:30 UTC).
    early = Hours(freq="DAILY", opens_at=time(2, 30), closes_at=time(4))

    assert is_open([early], datetime(2024, 3, 10, 8, 29, tzinfo=UTC), CHICAGO) is False
    assert is_open([early], datetime(2024, 3, 10, 8, 30, tzinfo=UTC), CHICAGO) is True


def test_a_24_hour_day_on_fall_back_lasts_25_real_hours():
    # Sunday 2024-11-03: 00:00 CDT (05:00 UTC) to Monday 00:00 CST (06:00 UTC Monday).
    sunday = Hours(freq="WEEKLY", byday="SU", opens_at=time(0), closes_at=time(0))

    assert is_open([sunday], datetime(2024, 11, 4, 5, 30, tzinfo=UTC), CHICAGO) is True
    assert is_open([sunday], datetime(2024, 11, 4, 6, 0, tzinfo=UTC), CHICAGO) is False


def test_a_repeated_time_on_fall_back_is_its_first_occurrence():
    # Sunday 2024-11-03, 01:00-02:00 happens twice in Chicago. Closing at 01:30 means 01:30 CDT
    # (06:30 UTC); at 01:15 CST, the second time round (07:15 UTC), it has been closed 45 minutes.
    saturday_night = Hours(freq="WEEKLY", byday="SA", opens_at=time(22), closes_at=time(1, 30))

    first_pass = datetime(2024, 11, 3, 1, 15, tzinfo=CHICAGO)
    second_pass = datetime(2024, 11, 3, 1, 15, fold=1, tzinfo=CHICAGO)

    assert is_open([saturday_night], first_pass, CHICAGO) is True
    assert is_open([saturday_night], second_pass, CHICAGO) is False


def test_a_numeric_hsds_timezone_is_a_fixed_offset_without_daylight_saving():
    # timezone -6 on 2024-03-10: 13:30 UTC is 07:30 at UTC-6, before 08:00, so closed,
    # where the same hours in America/Chicago would be open (see spring forward above).
    fixed = Hours(freq="DAILY", opens_at=time(8), closes_at=time(17), timezone=-6)

    assert is_open([fixed], datetime(2024, 3, 10, 13, 30, tzinfo=UTC), CHICAGO) is False
    assert is_open([fixed], datetime(2024, 3, 10, 14, 0, tzinfo=UTC), CHICAGO) is True


def test_a_fractional_hsds_timezone_is_hours_and_minutes():
    india = Hours(freq="DAILY", opens_at=time(9), closes_at=time(17), timezone=5.5)

    # 03:30 UTC = 09:00 in UTC+5:30
    assert is_open([india], datetime(2024, 5, 15, 3, 29, tzinfo=UTC), CHICAGO) is False
    assert is_open([india], datetime(2024, 5, 15, 3, 30, tzinfo=UTC), CHICAGO) is True


def test_an_offset_written_on_the_times_wins_over_the_timezone_field_and_the_directory():
    est = timezone(timedelta(hours=-5))
    written = Hours(
        freq="DAILY", opens_at=time(9, tzinfo=est), closes_at=time(17, tzinfo=est), timezone=3
    )

    # 14:00 UTC is 09:00 at UTC-5: open. Read at UTC+3 it would be 17:00 and in Chicago
    # 08:00 CST, both closed.
    assert is_open([written], datetime(2024, 1, 10, 14, 0, tzinfo=UTC), CHICAGO) is True
    assert is_open([written], datetime(2024, 1, 10, 13, 59, tzinfo=UTC), CHICAGO) is False


def test_valid_from_and_valid_to_bound_the_day_an_opening_starts():
    summer = Hours(
        freq="DAILY",
        opens_at=time(9),
        closes_at=time(17),
        valid_from=date(2024, 6, 1),
        valid_to=date(2024, 8, 31),
    )

    assert is_open([summer], chicago(2024, 5, 31, 10, 0), CHICAGO) is False
    assert is_open([summer], chicago(2024, 6, 1, 10, 0), CHICAGO) is True
    assert is_open([summer], chicago(2024, 8, 31, 10, 0), CHICAGO) is True
    assert is_open([summer], chicago(2024, 9, 1, 10, 0), CHICAGO) is False


def test_an_overnight_opening_on_the_last_valid_day_runs_past_midnight():
    last_friday = Hours(
        freq="WEEKLY",
        byday="FR",
        opens_at=time(22),
        closes_at=time(2),
        valid_to=date(2024, 8, 30),  # a Friday
    )

    assert is_open([last_friday], chicago(2024, 8, 31, 1, 0), CHICAGO) is True
    assert is_open([last_friday], chicago(2024, 9, 7, 1, 0), CHICAGO) is False


def test_no_schedule_is_unknown_not_closed():
    assert is_open([], chicago(2024, 5, 15, 10, 0), CHICAGO) is None


@pytest.mark.parametrize(
    "unread",
    [
        Hours(freq="MONTHLY", byday="2MO", opens_at=time(9), closes_at=time(17)),
        Hours(freq="WEEKLY", opens_at=time(9), closes_at=time(17)),  # which days?
        Hours(opens_at=time(9), closes_at=time(17)),  # no freq, no byday
        Hours(freq="WEEKLY", byday="WE", opens_at=time(9)),  # no closing time
        Hours(freq="WEEKLY", byday="WE"),  # days without hours
    ],
)
def test_hours_this_module_cannot_read_are_unknown_unless_another_row_says_open(unread):
    wednesday_10am = chicago(2024, 5, 15, 10, 0)
    saturday_10am = chicago(2024, 5, 18, 10, 0)

    assert is_open([unread], wednesday_10am, CHICAGO) is None
    assert is_open([WEEKDAYS, unread], wednesday_10am, CHICAGO) is True
    assert is_open([WEEKDAYS, unread], saturday_10am, CHICAGO) is None


def test_daily_with_byday_is_limited_to_those_days_and_freq_is_read_without_case():
    weekends = Hours(freq="daily", byday="sa, su", opens_at=time(10), closes_at=time(14))

    assert is_open([weekends], chicago(2024, 5, 18, 11, 0), CHICAGO) is True
    assert is_open([weekends], chicago(2024, 5, 15, 11, 0), CHICAGO) is False


def test_byday_without_freq_is_read_as_weekly():
    tuesdays = Hours(byday="TU", opens_at=time(13), closes_at=time(15))

    assert is_open([tuesdays], chicago(2024, 5, 14, 14, 0), CHICAGO) is True
    assert is_open([tuesdays], chicago(2024, 5, 15, 14, 0), CHICAGO) is False


def test_several_schedules_closed_together_are_closed():
    morning = Hours(freq="WEEKLY", byday="MO", opens_at=time(8), closes_at=time(12))
    evening = Hours(freq="WEEKLY", byday="MO", opens_at=time(17), closes_at=time(20))

    assert is_open([morning, evening], chicago(2024, 5, 13, 14, 0), CHICAGO) is False
    assert is_open([morning, evening], chicago(2024, 5, 13, 18, 0), CHICAGO) is True


def test_any_object_with_the_hsds_fields_is_a_schedule():
    class Row:  # e.g. a model instance or a parsed HSDS record
        freq, byday, valid_from, valid_to, timezone = "WEEKLY", "WE", None, None, None
        opens_at, closes_at = time(9), time(17)

    assert is_open([Row()], chicago(2024, 5, 15, 10, 0), CHICAGO) is True


@pytest.mark.parametrize(
    ("schedule", "now", "message"),
    [
        (WEEKDAYS, datetime(2024, 5, 15, 10, 0), "now must be a timezone-aware datetime"),
        (
            Hours(freq="WEEKLY", byday="MO,XX", opens_at=time(9), closes_at=time(17)),
            chicago(2024, 5, 15, 10, 0),
            "schedule byday must be comma-separated day codes from MO, TU, WE, TH, FR, SA, SU",
        ),
        (
            Hours(freq="WEEKLY", byday="1MO", opens_at=time(9), closes_at=time(17)),
            chicago(2024, 5, 15, 10, 0),
            "schedule byday must be comma-separated day codes from MO, TU, WE, TH, FR, SA, SU",
        ),
        (
            Hours(freq="DAILY", opens_at=time(9), closes_at=time(17), timezone=15),
            chicago(2024, 5, 15, 10, 0),
            "schedule timezone must be a UTC offset in hours from -12 to 14",
        ),
        (
            Hours(
                freq="DAILY",
                opens_at=time(9, tzinfo=timezone(timedelta(hours=-5))),
                closes_at=time(17, tzinfo=timezone(timedelta(hours=-6))),
            ),
            chicago(2024, 5, 15, 10, 0),
            "schedule closes_at must be in the same time zone as opens_at",
        ),
        (
            Hours(
                freq="DAILY",
                opens_at=time(9),
                closes_at=time(17),
                valid_from=date(2024, 6, 1),
                valid_to=date(2024, 5, 1),
            ),
            chicago(2024, 5, 15, 10, 0),
            "schedule valid_to must be on or after valid_from",
        ),
    ],
)
def test_bad_schedules_and_a_naive_now_are_rejected_with_the_field_named(schedule, now, message):
    with pytest.raises(InvalidInput) as raised:
        is_open([schedule], now, CHICAGO)

    assert str(raised.value) == message
