"""Generate the Rasa lookup and synonyms of the life-event entity from bundles.yaml.

The entity's value is the bundle's code ("开饭店" → restaurant), so the action asks the service
for that bundle directly. Rasa's synonyms hold for every entity: a form that also names a
catalogue item ("退休手续") gets no synonym, or the item's entity would turn into a bundle code;
the action then finds the bundle by the service's search. A pure function of the validated seed.
"""

from service.bundles.seed_schemas import BundlesSeed
from service.catalogue.nlu_export import LOOKUP_HEADER, block_line
from service.catalogue.seed_schemas import CatalogueSeed

ENTITY = "life_event"


def render_life_event_lookup(bundles: BundlesSeed, catalogue: CatalogueSeed) -> str:
    out = [LOOKUP_HEADER, 'version: "3.1"\n', "nlu:\n", f"- lookup: {ENTITY}\n", "  examples: |\n"]
    names = {bundle.code: list(dict.fromkeys((bundle.name, *bundle.aliases))) for bundle in bundles.bundles}
    out.extend(block_line(name) for forms in names.values() for name in forms)
    item_words = {word for _, item in catalogue.items() for word in (item.name, *item.aliases)}
    for code, forms in names.items():
        own = [form for form in forms if form not in item_words]
        out.append(f"- synonym: {code}\n")
        out.append("  examples: |\n")
        out.extend(block_line(form) for form in own)
    return "".join(out)
