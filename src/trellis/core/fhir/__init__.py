"""FHIR R4 at the edge: the only place FHIR names appear. Built and checked with
fhir.resources' R4B models, whose element names match R4 for these resources."""
