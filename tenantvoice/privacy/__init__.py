"""Privacy a tenant can exercise alone (issue 15, Québec Law 25, trust-and-safety section 4).

The data inventory (`inventory.py`: a decision for every column of every table), "download my
data" (`export.py`, built by the worker, fetched by its owner alone for a short time), consents
per purpose with their log (`consents.py`), the versioned privacy policy and the privacy
officer's page. Deleting an account, retention rules and the incident register are the
package's other modules (issue 15's second half).

The domain sits above every domain whose data it inventories and exports.
"""
