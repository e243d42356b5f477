"""The relapse-prevention plan as a wallet card: credit-card size pages (WeasyPrint, no network).

Front: reasons for recovery and people to call, with 988. Back: warning signs and what to do
in each high-risk situation. Long plans flow onto further cards rather than being cut.
"""

from __future__ import annotations

from typing import Any

from django.template import Context, Engine

WORDS = {
    "en": {
        "title": "My relapse-prevention card",
        "reasons": "Why I stay in recovery",
        "call": "People to call",
        "crisis": "Crisis: call or text 988 (US) · emergency 911",
        "signs": "My warning signs",
        "situations": "When … I will …",
        "empty": "Fill in your plan in Trellis to print it here.",
    },
    "es": {
        "title": "Mi tarjeta de prevención de recaídas",
        "reasons": "Por qué sigo en recuperación",
        "call": "Personas a quienes llamar",
        "crisis": "Crisis: llama o envía un mensaje al 988 (EE. UU.) · emergencia 911",
        "signs": "Mis señales de alerta",
        "situations": "Cuando … voy a …",
        "empty": "Completa tu plan en Trellis para imprimirlo aquí.",
    },
}
TEMPLATE = """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8"><style>
@page { size: 85.6mm 54mm; margin: 3mm 3.5mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 6.4pt; line-height: 1.25; color: #1b2420; margin: 0; }
h1 { font-size: 8pt; color: #1f5f4a; margin: 0 0 1mm; }
h2 { font-size: 6.8pt; color: #1f5f4a; margin: 1.2mm 0 .4mm; }
ul { margin: 0; padding-left: 3mm; } li { margin: 0; }
.crisis { border: .5mm solid #a12b2b; padding: .6mm 1mm; font-weight: bold; margin: 0 0 .8mm; }
.back { page-break-before: always; }
.phone { font-weight: bold; white-space: nowrap; }
</style></head><body>
<section>
<h1>{{ w.title }}</h1>
<p class="crisis">{{ w.crisis }}</p>
{% if plan.contacts %}<h2>{{ w.call }}</h2><ul>{% for c in plan.contacts %}<li>{{ c.name }}: <span class="phone">{{ c.phone }}</span></li>{% endfor %}</ul>{% endif %}
{% if plan.reasons %}<h2>{{ w.reasons }}</h2><ul>{% for r in plan.reasons %}<li>{{ r }}</li>{% endfor %}</ul>{% endif %}
{% if not plan.contacts and not plan.reasons %}<p>{{ w.empty }}</p>{% endif %}
</section>
<section class="back">
{% if plan.warning_signs %}<h2>{{ w.signs }}</h2><ul>{% for s in plan.warning_signs %}<li>{{ s }}</li>{% endfor %}</ul>{% endif %}
{% if plan.situations %}<h2>{{ w.situations }}</h2><ul>{% for s in plan.situations %}<li>{{ s.situation }} → {{ s.response }}</li>{% endfor %}</ul>{% endif %}
</section>
</body></html>"""


def render_card(plan: Any, *, language: str = "en") -> bytes:
    from weasyprint import HTML

    html = (
        Engine(autoescape=True)
        .from_string(TEMPLATE)
        .render(Context({"plan": plan, "w": WORDS[language], "lang": language}))
    )
    return HTML(string=html).write_pdf()
