"""The settings registry: every named limit declared once, and the README's table generated from it."""
import re
from pathlib import Path

import pytest

from indexer import settings

README_PATH = Path(__file__).resolve().parents[1] / "README.md"
README = README_PATH.read_text()
pytestmark = pytest.mark.default_budgets     # the module attributes as declared


def test_every_module_limit_is_a_registered_setting():
    limits = {name for name in vars(settings) if name.isupper() and name not in ("REGISTRY", "SETTINGS")}
    assert limits == set(settings.REGISTRY)
    for name, setting in settings.REGISTRY.items():
        assert setting.name == name and getattr(settings, name) == setting.default
        assert setting.help.strip() and "|" not in setting.help, f"{name}: help must be one table cell"
    assert settings.SETTINGS == {name: s.default for name, s in settings.REGISTRY.items()}


def test_declaring_a_setting_twice_is_refused():
    with pytest.raises(ValueError, match="MAX_PAGE is declared twice"):
        settings._declare("MAX_PAGE", 1, "again")
    assert settings.REGISTRY["MAX_PAGE"].default == settings.MAX_PAGE


def test_readme_settings_table_is_the_generated_one():
    section = README[README.index("## Settings\n"):README.index("\n## ", README.index("## Settings\n") + 1)]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|")) + "\n"
    assert table == settings.readme_table(), "run `python -m indexer.settings` and paste its table into the README"


@pytest.mark.parametrize("name", list(settings.REGISTRY))
def test_setting_is_documented_with_its_help(name):
    row = re.search(rf"^\| `{name}` \| `[^`]+` \| (.*) \|$", README, re.M)
    assert row, f"setting {name} has no row in the README's Settings table"
    assert row.group(1) == settings.REGISTRY[name].help


def test_old_reader_import_path_follows_the_setting(monkeypatch):
    import indexer.ingest.readers as readers
    from indexer.ingest.readers import MAX_FILE_BYTES
    assert MAX_FILE_BYTES == settings.MAX_FILE_BYTES
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 123)
    assert readers.MAX_FILE_BYTES == 123
    with pytest.raises(AttributeError):
        readers.NO_SUCH_LIMIT


def test_every_setting_is_read_somewhere():
    """A setting nobody reads would document a limit that does not exist."""
    root = README_PATH.parent
    sources = "\n".join(p.read_text(encoding="utf-8") for pkg in ("indexer", "webui")
                        for p in (root / pkg).rglob("*") if p.suffix in (".py", ".html") and p.name != "settings.py")
    unused = [name for name in settings.REGISTRY if not re.search(rf"\b{name}\b", sources)]
    assert not unused, f"settings read nowhere: {unused}"
