"""Generate the Rasa lookup and synonyms of the life-event entity from bundles.yaml.

The entity's value is the bundle's code ("开饭店" → restaurant), so the action asks the service
for that bundle directly. A pure function of the validated seed, like the catalogue's lookup.
"""

from service.bundles.seed_schemas import BundlesSeed
from service.catalogue.nlu_export import LOOKUP_HEADER, block_line

ENTITY = "life_event"


def render_life_event_lookup(bundles: BundlesSeed) -> str:
    out = [LOOKUP_HEADER, 'version: "3.1"\n', "nlu:\n", f"- lookup: {ENTITY}\n", "  examples: |\n"]
    names = {bundle.code: list(dict.fromkeys((bundle.name, *bundle.aliases))) for bundle in bundles.bundles}
    out.extend(block_line(name) for forms in names.values() for name in forms)
    for code, forms in names.items():
        out.append(f"- synonym: {code}\n")
        out.append("  examples: |\n")
        out.extend(block_line(form) for form in forms)
    return "".join(out)
