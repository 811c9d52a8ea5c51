"""Tests of webui/ (a package, so its conftest and modules never shadow the other test folders')."""
