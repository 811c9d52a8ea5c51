"""The OpenSearch engine: articles in an index on a cluster, served through an alias.

``client`` (connection and failure handling), ``mapping`` (analysers, fields, documents),
``writer`` (rebuild into a new index and an atomic alias swap; update with the bulk API),
``facets`` (filters and disjunctive aggregations), ``engine`` (the interface); the query side:
``translate`` (query tree → query DSL), ``highlight`` (snippets), ``suggest`` (did you mean,
autocomplete, more like this). Imported only when chosen, so opensearch-py is an optional extra.
"""
