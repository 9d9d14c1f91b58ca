from pipeline.cleaner import cleaner_version
from pipeline.config import Config, QualityConfig, StripConfig, WarehouseConfig


def test_version_changes_with_cleaning_settings_only() -> None:
    base = cleaner_version(Config())
    assert base.startswith("0.1.0+") and len(base) == len("0.1.0+") + 12
    assert cleaner_version(Config()) == base
    assert cleaner_version(Config(strip=StripConfig(enabled=False))) != base
    assert cleaner_version(Config(quality=QualityConfig(min_words=5))) != base
    # Where the warehouse lives does not change what the cleaner produces.
    assert cleaner_version(Config(warehouse=WarehouseConfig(path="elsewhere.duckdb"))) == base
