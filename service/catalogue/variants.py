"""The search's spelling lexicon, service/seed/variants.yaml."""

from pathlib import Path

from pydantic import ValidationError

from service.catalogue.seed_schemas import VariantsSeed
from service.core.seed_files import SeedError, format_errors, read_yaml


def load_variants(seed_dir: Path) -> VariantsSeed:
    """Read and validate variants.yaml; empty when absent."""
    path = seed_dir / "variants.yaml"
    if not path.is_file():
        return VariantsSeed()
    raw = read_yaml(path)
    try:
        return VariantsSeed.model_validate(raw or {})
    except ValidationError as exc:
        raise SeedError(format_errors(path, raw, exc)) from exc
