"""A person-friendly plan as PDF (WeasyPrint, fonts embedded; no network)."""

from __future__ import annotations

from typing import Any

from django.template import Context, Engine

STATUS = {
    "en": {
        "recommended": "Recommended",
        "consider": "To consider",
        "declined": "You declined",
        "contraindicated": "Not safe for you",
    },
    "es": {
        "recommended": "Recomendado",
        "consider": "A considerar",
        "declined": "Usted lo rechazó",
        "contraindicated": "No es seguro para usted",
    },
}
WORDS = {
    "en": {
        "title": "My recovery plan",
        "level": "Level of care",
        "goals": "My goals",
        "care": "My care",
        "why": "Why",
        "review": "Next review",
        "crisis": "In a crisis call or text 988 (US), or 911.",
        "kb": "Knowledge base",
    },
    "es": {
        "title": "Mi plan de recuperación",
        "level": "Nivel de atención",
        "goals": "Mis metas",
        "care": "Mi atención",
        "why": "Por qué",
        "review": "Próxima revisión",
        "crisis": "En una crisis llame o envíe un mensaje al 988 (EE. UU.), o llame al 911.",
        "kb": "Base de conocimiento",
    },
}
TEMPLATE = """<!doctype html><html lang="{{ lang }}"><head><meta charset="utf-8"><style>
@page { size: Letter; margin: 18mm 16mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; color: #1b2420; }
h1 { color: #1f5f4a; font-size: 20pt; margin: 0 0 4mm; } h2 { color: #1f5f4a; font-size: 13pt; margin: 6mm 0 2mm; }
.crisis { border: 2px solid #a12b2b; padding: 2mm 3mm; font-weight: bold; }
.item { margin: 0 0 3mm; } .status { font-weight: bold; } .muted { color: #4a5852; font-size: 9pt; }
</style></head><body>
<h1>{{ w.title }}</h1>
<p class="crisis">{{ w.crisis }}</p>
<h2>{{ w.level }}</h2><p>{{ plan.placement.level }} {{ plan.placement.name }}</p>
{% if plan.goals %}<h2>{{ w.goals }}</h2>{% for g in plan.goals %}<p class="item">{{ g.statement }} — {{ g.measure }}: {{ g.target }} ({{ g.due }})</p>{% endfor %}{% endif %}
<h2>{{ w.care }}</h2>
{% for i in items %}<div class="item"><span class="status">{{ i.label }}:</span> {{ i.what }}<br><span class="muted">{{ w.why }}: {{ i.because }}</span></div>{% endfor %}
<p class="muted">{{ w.review }}: {{ plan.review_on }} · {{ w.kb }} {{ plan.kb_version }}</p>
</body></html>"""


def render_pdf(plan: dict[str, Any], *, language: str = "en") -> bytes:
    from weasyprint import HTML

    from trellis.knowledge.interventions import knowledge_base

    kb = knowledge_base()
    items = [
        {
            "label": STATUS[language][i["status"]],
            "what": kb.entry(i["code"]).text[language]["what"],
            "because": "; ".join(i["because"]),
        }
        for i in plan["interventions"]
    ]
    html = (
        Engine(autoescape=True)
        .from_string(TEMPLATE)
        .render(Context({"plan": plan, "items": items, "w": WORDS[language], "lang": language}))
    )
    return HTML(string=html).write_pdf()
