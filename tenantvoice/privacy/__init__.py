"""Privacy a tenant can exercise alone (issue 15, Québec Law 25, trust-and-safety section 4).

The data inventory (`inventory.py`: a decision for every column of every table), "download my
data" (`export.py`, built by the worker, fetched by its owner alone for a short time), consents
per purpose with their log (`consents.py`), the versioned privacy policy and the privacy
officer's page; leaving and being forgotten (`forget.py`), the confidentiality incident register
and the small-cell alert (`incidents.py`).

The domain sits above every domain whose data it inventories and exports.
"""
