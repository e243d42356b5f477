"""The dashboards as tables of text with a chart each: the page, the chart and the CSV download
all show these same rows, so what a supervisor reads and what they download cannot differ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trellis.core import quality
from trellis.core.bar_charts import Bar, bar_chart
from trellis.oversight import records
from trellis.oversight.records import Filters


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    chart: str = ""  # SVG, drawn from the rows' numbers
    note: str = ""
    collapsed: bool = False  # a long table shown on request (it is still on the page)


MEASURE_NAMES = {
    "retention_30": gettext_lazy("Retention at 30 days"),
    "retention_90": gettext_lazy("Retention at 90 days"),
    "change_phq9": gettext_lazy("PHQ-9 mean change"),
    "change_gad7": gettext_lazy("GAD-7 mean change"),
    "change_bam_use": gettext_lazy("BAM use subscale mean change"),
    "change_bam_alcohol_days": gettext_lazy("BAM days of alcohol use mean change"),
    "days_to_session": gettext_lazy("Days from first contact to first session (mean)"),
    "days_to_dose": gettext_lazy("Days from first contact to first medication dose (mean)"),
    "no_show_rate": gettext_lazy("Session no-show rate"),
    "continuation": gettext_lazy("Continuation from the 1st to the 4th session"),
}
RATES = {"retention_30", "retention_90", "no_show_rate", "continuation"}
ATTRIBUTE_NAMES = {
    "race_ethnicity": gettext_lazy("Race and ethnicity"),
    "sex": gettext_lazy("Sex"),
    "age_band": gettext_lazy("Age band"),
    "insurance": gettext_lazy("Insurance"),
    "rurality": gettext_lazy("Rurality"),
    "language": gettext_lazy("Language"),
}
SCALE_NAMES = {
    ("phq9", "total"): "PHQ-9",
    ("gad7", "total"): "GAD-7",
    ("bam", "use"): gettext_lazy("BAM use (items 4-6)"),
    ("bam", "alcohol_days"): gettext_lazy("BAM days of alcohol use (item 4)"),
}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _bars(
    rows: Sequence[Sequence[str]], label: Callable[[Sequence[str]], str], column: int
) -> list[Bar]:
    return [Bar(label(r), _parse(r[column]), r[column]) for r in rows]


def _parse(shown: str) -> float | None:
    """The number a cell shows ("42%" -> 0.42, "-3.5" -> -3.5); None for "—" or "suppressed"."""
    try:
        return float(shown[:-1]) / 100 if shown.endswith("%") else float(shown)
    except ValueError:
        return None


# Fidelity -----------------------------------------------------------------------------------


def fidelity(filters: Filters, today: date) -> list[Table]:
    plans, deviations = records.fidelity(filters)
    rows = quality.fidelity(plans, deviations)
    rate_rows = [
        [r.clinician, str(r.plans), str(r.plans_with_deviation), str(r.deviations), percent(r.rate)]
        for r in rows
    ]
    rate_title = _("Deviation rate by clinician")
    return [
        Table(
            "rates",
            rate_title,
            [
                _("Clinician"),
                _("Plans written"),
                _("Plans with a deviation"),
                _("Deviations"),
                _("Deviation rate"),
            ],
            rate_rows,
            bar_chart(
                _bars(rate_rows, lambda r: r[0], 4),
                title=rate_title,
                description=_(
                    "Share of each clinician's plans with at least one deviation from the knowledge base."
                ),
                maximum=1,
            ),
        ),
        _codes_table(rows),
        Table(
            "reasons",
            _("Reasons given"),
            [_("Clinician"), _("Action"), _("Code"), _("Reason")],
            [[r.clinician, d.action, d.code, d.reason] for r in rows for d in r.reasons],
            note=_("In the clinicians' own words. Reading them is recorded in the audit log."),
        ),
    ]


def _codes_table(rows: Sequence[quality.ClinicianFidelity]) -> Table:
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in rows:
        for d in r.reasons:
            counts[(r.clinician, d.action, d.code)] += 1
    table_rows = [[c, a, code, str(n)] for (c, a, code), n in sorted(counts.items())]
    title = _("Deviations by action and code")
    return Table(
        "codes",
        title,
        [_("Clinician"), _("Action"), _("Code"), _("Deviations")],
        table_rows,
        bar_chart(
            _bars(table_rows, lambda r: f"{r[1]} {r[2]}", 3),
            title=title,
            description=_("Number of deviations for each clinician, action and intervention code."),
        ),
    )


# Variation ----------------------------------------------------------------------------------


def variation(filters: Filters, today: date) -> list[Table]:
    cells = quality.variation(records.placements(filters))
    rows = [
        [
            c.level,
            ", ".join(str(d) for d in c.top_dimensions) or "—",
            c.clinician,
            str(c.people),
            str(c.overrides),
            percent(c.override_rate),
            number(c.plan_distance, 2),
        ]
        for c in cells
    ]
    columns = [
        _("Recommended level"),
        _("Dimensions at highest risk"),
        _("Clinician"),
        _("People"),
        _("Overrides"),
        _("Override rate"),
        _("Plan difference (Jaccard)"),
    ]
    label = lambda r: f"{r[0]} D{r[1].replace(', ', '')} {r[2]}"  # noqa: E731
    overrides, difference = _("Placement overrides by profile"), _("Plan difference by profile")
    return [
        Table(
            "overrides",
            overrides,
            columns,
            rows,
            bar_chart(
                _bars(rows, label, 5),
                title=overrides,
                description=_(
                    "Share of placements overridden, per clinician, within each profile."
                ),
                maximum=1,
            ),
        ),
        Table(
            "difference",
            difference,
            columns,
            rows,
            bar_chart(
                _bars(rows, label, 6),
                title=difference,
                description=_(
                    "Mean Jaccard distance between the current plan's interventions and the knowledge base's plan, 0 (same) to 1 (nothing shared)."
                ),
                maximum=1,
            ),
        ),
    ]


# Outcomes -----------------------------------------------------------------------------------


def outcomes(filters: Filters, today: date) -> list[Table]:
    episodes = records.episodes(filters)
    retention_rows = []
    for days in quality.RETENTION_DAYS:
        stat = quality.retention(episodes, days, today=today)
        retention_rows.append(
            [
                _("%(days)s days") % {"days": days},
                str(stat.n),
                str(stat.numerator),
                percent(stat.value),
            ]
        )
    scores = records.scores(filters)
    change_rows = []
    for instrument, scale in quality.OUTCOME_SCALES:
        c = quality.score_change(scores, instrument, scale)
        change_rows.append(
            [
                str(SCALE_NAMES[(instrument, scale)]),
                str(c.n),
                number(c.mean_change),
                _("no published figures")
                if c.reliably_improved is None
                else str(c.reliably_improved),
                percent(c.improved_share),
            ]
        )
    retention, change = _("Retention"), _("Change from first to latest score")
    return [
        Table(
            "retention",
            retention,
            [_("Retention at"), _("Eligible episodes"), _("Retained"), _("Share retained")],
            retention_rows,
            bar_chart(
                _bars(retention_rows, lambda r: r[0], 3),
                title=retention,
                description=_(
                    "Share of episodes still in care, or completed after the period, 30 and 90 days after admission."
                ),
                maximum=1,
            ),
        ),
        Table(
            "change",
            change,
            [
                _("Measure"),
                _("People"),
                _("Mean change"),
                _("Reliably improved"),
                _("Share reliably improved"),
            ],
            change_rows,
            bar_chart(
                _bars(change_rows, lambda r: r[0], 4),
                title=change,
                description=_(
                    "Share of people with a reliable improvement from their first to their latest score."
                ),
                maximum=1,
            ),
            note=_(
                "A negative mean change is a fall in the score (fewer symptoms or days of use). Reliable change: Jacobson & Truax 1991, figures and sources in knowledge/monitoring.yaml."
            ),
        ),
    ]


# Access -------------------------------------------------------------------------------------


def access(filters: Filters, today: date) -> list[Table]:
    result = quality.access(records.visits(filters), today=today)
    wait_rows = [
        [
            _("First contact to first session"),
            str(result.days_to_session.n),
            number(result.days_to_session.value),
            number(result.medians["days_to_session"]),
        ],
        [
            _("First contact to first medication dose"),
            str(result.days_to_dose.n),
            number(result.days_to_dose.value),
            number(result.medians["days_to_dose"]),
        ],
    ]
    engagement_rows = [
        [_("No-show rate (sessions)"), str(result.no_show.n), percent(result.no_show.value)],
        [
            _("Continuation, 1st to 4th session"),
            str(result.continuation.n),
            percent(result.continuation.value),
        ],
    ]
    waits, engagement = _("Waiting time (days)"), _("Engagement")
    return [
        Table(
            "waiting",
            waits,
            [_("Measure"), _("People"), _("Mean days"), _("Median days")],
            wait_rows,
            bar_chart(
                _bars(wait_rows, lambda r: r[0], 2),
                title=waits,
                description=_(
                    "Mean days from first contact to the first attended session and to the first attended medication dose."
                ),
            ),
        ),
        Table(
            "engagement",
            engagement,
            [_("Measure"), _("People"), _("Rate")],
            engagement_rows,
            bar_chart(
                _bars(engagement_rows, lambda r: r[0], 2),
                title=engagement,
                description=_(
                    "Share of sessions missed, and share of people who reached a fourth session."
                ),
                maximum=1,
            ),
            note=_("Continuation counts people whose first session was at least %(days)s days ago.")
            % {"days": quality.CONTINUATION_DAYS},
        ),
    ]


# Equity -------------------------------------------------------------------------------------


def equity(filters: Filters, today: date, measure: str) -> list[Table]:
    """One table per attribute for `measure`, plus every measure in one table ("all")."""
    data = quality.Records(
        records.episodes(filters), records.scores(filters), records.visits(filters)
    )
    # A group with no one measured has nothing to show (and is not a suppressed cell).
    cells = [
        c for c in quality.equity(records.groups(filters, today), data, today=today) if c.stat.n
    ]
    rows = [
        [str(MEASURE_NAMES[c.measure]), str(ATTRIBUTE_NAMES[c.attribute]), c.group, *_cell(c)]
        for c in cells
    ]
    tables = [_attribute_table(attribute, measure, cells) for attribute in ATTRIBUTE_NAMES]
    tables.append(
        Table(
            "all",
            _("Every measure by every group"),
            [_("Measure"), _("Attribute"), _("Group"), _("People"), _("Value")],
            rows,
            collapsed=True,
        )
    )
    return tables


def _cell(cell: quality.EquityCell) -> list[str]:
    if cell.stat.suppressed:
        return [_("suppressed"), _("suppressed")]
    shown = percent if cell.measure in RATES else number
    return [str(cell.stat.n), shown(cell.stat.value)]


def _attribute_table(attribute: str, measure: str, cells: Sequence[quality.EquityCell]) -> Table:
    rows = [
        [c.group, *_cell(c)] for c in cells if c.attribute == attribute and c.measure == measure
    ]
    title = f"{MEASURE_NAMES[measure]} · {ATTRIBUTE_NAMES[attribute]}"
    return Table(
        attribute,
        title,
        [_("Group"), _("People"), _("Value")],
        rows,
        bar_chart(
            _bars(rows, lambda r: r[0], 2),
            title=title,
            description=_(
                "The measure for each group; groups of fewer than %(n)s people are suppressed."
            )
            % {"n": quality.MIN_CELL},
            maximum=1 if measure in RATES else None,
        ),
    )


DASHBOARDS: dict[str, Callable[..., list[Table]]] = {
    "fidelity": fidelity,
    "variation": variation,
    "outcomes": outcomes,
    "access": access,
}
